"""`loadwatch sync` from intervals.icu against a fake server on 127.0.0.1 (tests/intervals_server.py).

Never the network: the server is started by each test on loopback and the address comes
from the settings, as a user's would.
"""

import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from loadwatch import folders
from loadwatch.cli import cli
from loadwatch.sync import client as client_mod
from loadwatch.sync import intervals as intervals_mod
from loadwatch.sync import run as run_mod
from loadwatch.sync import store as store_mod
from loadwatch.sync.cursor import Cursor
from loadwatch.sync.settings import KEY_ENV, SyncSettings
from tests.importers import fitgen
from tests.intervals_server import FakeIntervals, run_record, strava_stub

KEY = "test-key-123"
TODAY = date.today()


def day(n: int, hour: int = 7) -> str:
    """Local wall time ``n`` days ago, as start_date_local."""
    return f"{(TODAY - timedelta(days=n)).isoformat()}T{hour:02d}:30:00"


def athlete(folder: Path, server: FakeIntervals, who: str = "i1", extra: str = "",
            name: str = "Ingrid") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "loadwatch.toml").write_text(
        f'[athlete]\nname = "{name}"\ntimezone = "Europe/Oslo"\n'
        f'[sync]\nservice = "intervals"\nathlete = "{who}"\nurl = "{server.url}"\n{extra}')
    return folder


def sync(*args: str):
    return CliRunner().invoke(cli, ["sync", *args], catch_exceptions=False)


def stored(folder: Path) -> list[dict]:
    doc = json.loads((folder / "intervals.icu" / "intervals-activities.json").read_text())
    return doc["activities"]


def timeline(folder: Path) -> list[dict]:
    result = CliRunner().invoke(cli, ["timeline", str(folder), "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["activities"]


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY)
    monkeypatch.delenv("LOADWATCH_INTERVALS_URL", raising=False)


@pytest.fixture
def server():
    with FakeIntervals(KEY, athletes=("i1", "i2")) as fake:
        yield fake


def test_first_sync_stores_the_records_and_the_timeline_reads_them(tmp_path, server):
    server.add("i1", run_record("i100", day(3), distance=12000.0))
    server.add("i1", run_record("i101", day(1), kind="TrailRun"))
    server.add_wellness("i1", {"id": (TODAY - timedelta(days=1)).isoformat(), "restingHR": 48,
                               "sleepSecs": 27000, "soreness": 2, "fatigue": 3})
    folder = athlete(tmp_path / "ingrid", server)
    result = sync(str(folder))
    assert result.exit_code == 0, result.output
    assert "Ingrid: 2 new, 0 updated, 0 removed activities and 1 wellness day(s)" in result.stdout
    records = stored(folder)
    assert [r["id"] for r in records] == ["i100", "i101"]
    # What the rpe and shoe columns will read stays in the file; the API's nulls do not.
    assert records[0]["icu_rpe"] == 6 and records[0]["feel"] == 2
    assert records[0]["gear"] == {"id": "g42", "name": "Pegasus 41"}
    assert "icu_training_load" not in records[0]
    wellness = json.loads((folder / "intervals.icu" / "intervals-wellness.json").read_text())
    assert wellness["wellness"][0]["restingHR"] == 48
    rows = {r["activity_id"]: r for r in timeline(folder)}
    assert set(rows) == {"intervals:i100", "intervals:i101"}
    first = rows["intervals:i100"]
    assert first["source"] == "intervals" and first["sport"] == "run"
    assert first["distance_m"] == 12000.0 and first["duration_s"] == 3000.0
    assert first["elapsed_s"] == 3060.0 and first["avg_hr"] == 145.0
    assert first["elevation_gain_m"] == 42.0 and first["utc_offset_min"] == 60
    assert rows["intervals:i101"]["sport"] == "run"   # TrailRun
    # icu_rpe is the session's rating; its load is rating x moving minutes (Foster 2001).
    assert first["rpe"] == 6.0 and first["session_load"] == pytest.approx(6.0 * 3000.0 / 60)
    assert first["gear"] == "Pegasus 41"   # intervals.icu's gear name is the shoe
    # The first sync reached back since_days (a year) in windows of at most 92 days.
    asked = [q for what, _, q in server.requests if what == "activities"]
    assert asked[0]["oldest"] == (TODAY - timedelta(days=365)).isoformat()
    assert asked[-1]["newest"] == (TODAY + timedelta(days=1)).isoformat()
    assert len(asked) == len(intervals_mod.windows(TODAY - timedelta(days=365),
                                                   TODAY + timedelta(days=1))) == 4


def test_date_windows_are_contiguous_and_each_record_is_stored_once(tmp_path, server):
    for n in (5, 100, 200, 300):
        server.add("i1", run_record(f"i{n}", day(n)))
    folder = athlete(tmp_path / "a", server, extra="since_days = 320\n")
    assert sync(str(folder)).exit_code == 0
    asked = [(q["oldest"], q["newest"]) for what, _, q in server.requests if what == "activities"]
    for (_, end), (start, _) in zip(asked, asked[1:], strict=False):
        assert date.fromisoformat(start) == date.fromisoformat(end) + timedelta(days=1)
    assert sorted(r["id"] for r in stored(folder)) == ["i100", "i200", "i300", "i5"]


def test_second_sync_asks_once_per_endpoint_with_a_14_day_look_back_and_adds_nothing(
        tmp_path, server):
    server.add("i1", run_record("i100", day(3)))
    folder = athlete(tmp_path / "a", server)
    assert sync(str(folder)).exit_code == 0
    path = folder / "intervals.icu" / "intervals-activities.json"
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    server.requests.clear()
    again = sync(str(folder))
    assert again.exit_code == 0
    assert "0 new, 0 updated, 0 removed" in again.stdout
    assert [what for what, _, _ in server.requests] == ["activities", "wellness"]
    query = server.requests[0][2]
    assert query["oldest"] == (TODAY - timedelta(days=14)).isoformat()
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert len(timeline(folder)) == 1


def test_edited_upstream_is_updated_and_deleted_upstream_is_removed_from_the_store_only(
        tmp_path, server):
    server.add("i1", run_record("i100", day(3), distance=10000.0))
    server.add("i1", run_record("i101", day(2)))
    folder = athlete(tmp_path / "a", server)
    user_file = folder / "my run.fit"
    user_file.write_bytes(fitgen.activity(fitgen_start(20), [fitgen.Leg(seconds=600)]))
    assert sync(str(folder)).exit_code == 0
    server.add("i1", run_record("i100", day(3), distance=11000.0, icu_rpe=8))
    del server.activities["i1"]["i101"]
    result = sync(str(folder))
    assert result.exit_code == 0
    assert "0 new, 1 updated, 1 removed" in result.stdout
    (only,) = stored(folder)
    assert only["id"] == "i100" and only["distance"] == 11000.0 and only["icu_rpe"] == 8
    assert user_file.exists()
    ids = {r["activity_id"] for r in timeline(folder)}
    assert "intervals:i101" not in ids and "intervals:i100" in ids


def test_an_activity_older_than_the_look_back_is_kept_when_not_asked_for(tmp_path, server):
    server.add("i1", run_record("i100", day(60)))
    folder = athlete(tmp_path / "a", server)
    assert sync(str(folder)).exit_code == 0
    del server.activities["i1"]["i100"]   # not in the window a second sync asks for
    assert sync(str(folder)).exit_code == 0
    assert [r["id"] for r in stored(folder)] == ["i100"]


def test_strava_stubs_are_counted_and_explained_with_exit_0(tmp_path, server):
    server.add("i1", run_record("i100", day(3)))
    for n in range(23):
        server.add("i1", strava_stub(f"s{n}", day(4 + n)))
    folder = athlete(tmp_path / "a", server)
    result = sync(str(folder))
    assert result.exit_code == 0, result.output
    assert ("Ingrid: 23 activities reached intervals.icu through Strava and are not available "
            "through its API: connect the watch to intervals.icu directly, or add the Strava "
            "export to this folder") in result.stderr
    assert {r["activity_id"] for r in timeline(folder)} == {"intervals:i100"}


@pytest.mark.parametrize("case", ["wrong key", "forbidden athlete"])
def test_401_and_403_are_one_line_exit_2_and_never_print_the_key(tmp_path, server,
                                                                 monkeypatch, case):
    if case == "wrong key":
        monkeypatch.setenv(KEY_ENV, "not-the-key-987")
        needle = "refused (401)"
    else:
        server.forbidden.add("i2")
        needle = "may not read athlete i2 (403)"
    folder = athlete(tmp_path / "a", server, who="i2" if case != "wrong key" else "i1")
    result = sync(str(folder))
    assert result.exit_code == 2
    assert needle in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "not-the-key-987" not in result.output and KEY not in result.output
    assert not (folder / "intervals.icu").exists()


def test_429_waits_as_retry_after_says_bounded_with_a_message(tmp_path, server):
    server.add("i1", run_record("i100", day(3)))
    server.rate_limited, server.retry_after = 2, "7"
    waits, notes = [], []
    folder = athlete(tmp_path / "a", server)
    (got,) = run_mod.sync_path(folder, state=tmp_path / "state", notice=notes.append,
                               sleep=waits.append)
    assert got.code == 0 and got.result.added == 1
    assert waits == [7.0, 7.0]
    assert "waiting 7 s as its Retry-After says" in notes[0]
    assert client_mod.retry_after("86400") == client_mod.MAX_RETRY_AFTER_S


def test_429_that_never_ends_is_exit_1_and_the_folder_unchanged(tmp_path, server, monkeypatch):
    monkeypatch.setattr("tenacity.nap.time.sleep", lambda s: None)
    server.rate_limited = 100
    folder = athlete(tmp_path / "a", server)
    result = sync(str(folder))
    assert result.exit_code == 1
    assert "still answered 429" in result.stderr and "waiting 0 s" in result.stderr
    assert not (folder / "intervals.icu").exists()


def test_a_stalled_server_is_a_timeout_exit_1_folder_unchanged(tmp_path, server):
    server.add("i1", run_record("i100", day(3)))
    folder = athlete(tmp_path / "a", server)
    assert sync(str(folder)).exit_code == 0
    before = (folder / "intervals.icu" / "intervals-activities.json").read_bytes()
    server.add("i1", run_record("i101", day(1)))
    server.stall_s = 3.0
    (folder / "loadwatch.toml").write_text((folder / "loadwatch.toml").read_text()
                                           + "timeout = 0.3\n")
    result = sync(str(folder))
    assert result.exit_code == 1
    assert "no answer within the time limit" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (folder / "intervals.icu" / "intervals-activities.json").read_bytes() == before


def test_an_unreachable_server_is_one_line_exit_1(tmp_path, server):
    folder = athlete(tmp_path / "a", server)
    server.__exit__()
    result = sync(str(folder))
    assert result.exit_code == 1 and "cannot connect" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (folder / "intervals.icu").exists()


def test_a_run_killed_between_the_writes_loses_nothing_and_duplicates_nothing(
        tmp_path, server, monkeypatch):
    server.add("i1", run_record("i100", day(3)))
    server.add_wellness("i1", {"id": TODAY.isoformat(), "restingHR": 50})
    folder = athlete(tmp_path / "a", server)
    real = store_mod.write_atomic
    calls = []

    def dies_on_second(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt   # killed after the activities, before the wellness
        return real(path, data)

    monkeypatch.setattr(store_mod, "write_atomic", dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        run_mod.sync_path(folder, state=tmp_path / "state")
    monkeypatch.setattr(store_mod, "write_atomic", real)
    assert [r["id"] for r in stored(folder)] == ["i100"]
    assert not list((folder / "intervals.icu").glob(".*.tmp"))   # no half file left
    # The cursor did not move: the next run asks for the whole year again, adds nothing twice.
    settings = SyncSettings.from_mapping({"service": "intervals", "athlete": "i1",
                                          "url": server.url})
    assert Cursor(tmp_path / "state", settings.url, "i1",
                  os.path.realpath(folder)).synced_to() is None
    (again,) = run_mod.sync_path(folder, state=tmp_path / "state")
    assert again.result.added == 0 and again.result.wellness == 1
    assert [r["id"] for r in stored(folder)] == ["i100"]


def test_the_same_run_synced_and_as_a_fit_file_counts_once(tmp_path, server):
    from datetime import UTC, datetime

    start = datetime.combine(TODAY - timedelta(days=2), datetime.min.time(), UTC).replace(hour=6)
    leg = fitgen.Leg(seconds=1800)
    folder = athlete(tmp_path / "a", server)
    (folder / "watch run.fit").write_bytes(fitgen.activity(start, [leg]))
    local = (start + timedelta(hours=1)).replace(tzinfo=None).isoformat()
    server.add("i1", run_record("i100", local, distance=leg.distance_m, moving=1800))
    server.add("i1", run_record("i101", day(1)))
    assert sync(str(folder)).exit_code == 0
    rows = timeline(folder)
    assert len(rows) == 2
    kept = [r for r in rows if r["start_utc"].startswith(start.date().isoformat())]
    assert len(kept) == 1 and kept[0]["distance_m"] == pytest.approx(leg.distance_m)


def test_a_squad_syncs_athlete_by_athlete_and_names_a_failure(tmp_path, server):
    server.add("i1", run_record("i100", day(3)))
    server.forbidden.add("i2")
    team = tmp_path / "team"
    athlete(team / "ann", server, who="i1", name="Ann")
    athlete(team / "bo", server, who="i2", name="Bo")
    (team / "cy").mkdir()
    (team / "cy" / "loadwatch.toml").write_text('[athlete]\nname = "Cy"\n')
    result = sync(str(team))
    assert result.exit_code == 2
    assert "Ann: 1 new" in result.stdout
    assert "Error: Bo: " in result.stderr and "(403)" in result.stderr
    assert "Cy" in result.stderr and "no [sync] settings" in result.stderr
    assert [r["id"] for r in stored(team / "ann")] == ["i100"]
    # What was synced makes an athlete of the squad; its sub-folder is no athlete of its own.
    assert team / "ann" in folders.athlete_folders(team)[0]
    assert not folders.is_squad(team / "ann")


def test_key_file_readable_by_others_is_refused_without_printing_it(tmp_path, server,
                                                                    monkeypatch):
    monkeypatch.delenv(KEY_ENV)
    key_file = tmp_path / "intervals.key"
    key_file.write_text(KEY + "\n")
    key_file.chmod(0o644)
    folder = athlete(tmp_path / "a", server, extra=f'key_file = "{key_file}"\n')
    result = sync(str(folder))
    assert result.exit_code == 2 and "chmod 600" in result.stderr and KEY not in result.output
    key_file.chmod(0o600)
    server.add("i1", run_record("i100", day(3)))
    assert sync(str(folder)).exit_code == 0 and len(stored(folder)) == 1


@pytest.mark.parametrize("table, needle", [
    ('service = "strava"\n', "sync.service must be one of"),
    ('service = "intervals"\nkey = "abc"\n', "sync.key is not read from files"),
    ('service = "intervals"\ncolour = 1\n', "unknown key sync.colour"),
    ('service = "intervals"\nathlete = "bob"\n', "sync.athlete must be"),
    ('service = "folder"\n', "needs sync.path"),
    ('service = "intervals"\nurl = "http://[::1"\n', "must be an http(s) URL"),
    ('service = "intervals"\nurl = "https://intervals.icu:99999"\n', "must be an http(s) URL"),
    ('service = "intervals"\nurl = "https://me:abc@intervals.icu"\n',
     "must not hold a user or password"),
])
def test_bad_settings_are_one_line_exit_2(tmp_path, table, needle):
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "loadwatch.toml").write_text("[sync]\n" + table)
    result = sync(str(folder))
    assert result.exit_code == 2 and needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "abc" not in result.output


def test_url_from_the_environment_and_alert_sync_syncs_first(tmp_path, server, monkeypatch):
    server.add("i1", run_record("i100", day(3)))
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "loadwatch.toml").write_text(
        '[athlete]\nname = "Ingrid"\n[sync]\nservice = "intervals"\nathlete = "i1"\n'
        'url = "http://127.0.0.1:9"\n')
    monkeypatch.setenv("LOADWATCH_INTERVALS_URL", server.url)
    result = CliRunner().invoke(cli, ["alert", "--sync", "--dry-run", "--quiet", str(folder),
                                      "--to", "coach@example.org"], catch_exceptions=False)
    assert "Ingrid: 1 new" in result.stdout, result.output
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in stored(folder)] == ["i100"]


def fitgen_start(days_ago: int):
    from datetime import UTC, datetime

    return datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(), UTC)


def test_progress_counts_each_request(tmp_path, server):
    import contextlib

    ticks, bars = [], []

    @contextlib.contextmanager
    def progress(label, total, unit):
        bars.append((label, total, unit))

        class Bar:
            def update(self, n):
                ticks.append(n)

        yield Bar()

    folder = athlete(tmp_path / "a", server)
    run_mod.sync_path(folder, state=tmp_path / "state", progress=progress)
    assert bars == [("Syncing a from intervals.icu", 8, "requests")] and sum(ticks) == 8


def test_the_python_api_syncs_as_the_command_does(tmp_path, server):
    import loadwatch

    server.add("i1", run_record("i100", day(3)))
    folder = athlete(tmp_path / "a", server)
    (got,) = loadwatch.sync_folder(folder, state_dir=tmp_path / "state")
    assert got.code == 0 and got.lines[0].startswith("Ingrid: 1 new")
    (again,) = loadwatch.sync_folder(folder, state_dir=tmp_path / "state")
    assert again.result.added == 0 and again.result.requests == 2


def test_a_store_of_strava_stubs_only_says_so_in_the_report(tmp_path, server):
    server.add("i1", strava_stub("s1", day(2)))
    server.add("i1", strava_stub("s2", day(3)))
    folder = athlete(tmp_path / "a", server)
    assert sync(str(folder)).exit_code == 0
    result = CliRunner().invoke(cli, ["import", str(folder)], catch_exceptions=False)
    assert "2 activities reached intervals.icu through Strava" in result.output


def test_config_show_has_the_sync_block_and_never_the_key(tmp_path, server):
    folder = athlete(tmp_path / "a", server)
    result = CliRunner().invoke(cli, ["config", "show", str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert 'athlete = "i1"' in result.stdout and f'url = "{server.url}"' in result.stdout
    assert "# key: from $LOADWATCH_INTERVALS_API_KEY (not shown)" in result.stdout
    assert KEY not in result.output


def test_a_squad_file_shares_service_and_url_but_keeps_its_athlete_to_itself(tmp_path, server):
    from loadwatch import config as config_mod

    server.add("i2", run_record("i200", day(2)))
    team = tmp_path / "team"
    team.mkdir()
    (team / "loadwatch.toml").write_text(
        f'[sync]\nservice = "intervals"\nurl = "{server.url}"\nathlete = "i1"\n')
    (team / "bo").mkdir()
    (team / "bo" / "loadwatch.toml").write_text('[athlete]\nname = "Bo"\n[sync]\nathlete = "i2"\n')
    (team / "cy").mkdir()
    (team / "cy" / "loadwatch.toml").write_text('[athlete]\nname = "Cy"\n')
    assert config_mod.resolve(team / "cy").sync == {"service": "intervals", "url": server.url}
    result = sync(str(team))
    assert "Bo: 1 new" in result.stdout
    # Cy's settings lack an athlete: never the squad file's i1, nor the key's own ("0", the
    # coach's runs) in Cy's folder; Cy is named and not synced.
    assert not any(a in ("i1", "0") for _, a, _ in server.requests)
    assert "Cy: no sync.athlete in" in result.stderr and result.exit_code == 0
    assert not (team / "cy" / "intervals.icu").exists()


def test_another_athlete_id_replaces_the_store_instead_of_mixing_two_runners(tmp_path, server):
    server.add("i1", run_record("i100", day(60)))
    server.add("i2", run_record("i200", day(2)))
    folder = athlete(tmp_path / "a", server, who="i1")
    assert sync(str(folder)).exit_code == 0
    athlete(folder, server, who="i2")
    assert sync(str(folder)).exit_code == 0
    assert [r["id"] for r in stored(folder)] == ["i200"]


def test_a_store_that_is_not_ours_is_one_line_exit_1_and_left_alone(tmp_path, server):
    folder = athlete(tmp_path / "a", server)
    (folder / "intervals.icu").mkdir()
    mine = folder / "intervals.icu" / "intervals-activities.json"
    mine.write_text('{"my": "notes"}')
    result = sync(str(folder))
    assert result.exit_code == 1 and "not a loadwatch synced store" in result.stderr
    assert mine.read_text() == '{"my": "notes"}'


def test_init_writes_a_commented_sync_block_that_works_once_uncommented(tmp_path, server):
    folder = tmp_path / "new"
    assert CliRunner().invoke(cli, ["init", str(folder), "--name", "Ana"]).exit_code == 0
    text = (folder / "loadwatch.toml").read_text()
    assert "# [sync]" in text
    text = (text.replace("# [sync]", "[sync]")
            .replace('# service = "intervals"', 'service = "intervals"')
            .replace('# athlete = "i123456"', f'athlete = "i1"\nurl = "{server.url}"'))
    (folder / "loadwatch.toml").write_text(text)
    server.add("i1", run_record("i100", day(2)))
    result = sync(str(folder))
    assert result.exit_code == 0, result.output
    assert "Ana: 1 new" in result.stdout


def test_without_a_path_the_athlete_folder_is_the_one_pain_add_uses(tmp_path, server,
                                                                     monkeypatch):
    server.add("i1", run_record("i100", day(2)))
    folder = athlete(tmp_path / "a", server)
    monkeypatch.setenv("LOADWATCH_ATHLETE", str(folder))
    result = sync()
    assert result.exit_code == 0 and "Ingrid: 1 new" in result.stdout
    monkeypatch.delenv("LOADWATCH_ATHLETE")
    monkeypatch.chdir(tmp_path)
    refused = sync()
    assert refused.exit_code == 2 and len(refused.stderr.strip().splitlines()) == 1


def test_a_store_deleted_as_the_docs_say_to_start_afresh_brings_the_whole_history_back(
        tmp_path, server):
    server.add("i1", run_record("i100", day(200)))
    server.add("i1", run_record("i101", day(2)))
    folder = athlete(tmp_path / "a", server)
    assert sync(str(folder)).exit_code == 0
    import shutil

    shutil.rmtree(folder / "intervals.icu")   # "Delete the folder to start afresh"
    server.requests.clear()
    result = sync(str(folder))
    assert result.exit_code == 0
    assert "2 new" in result.stdout
    assert sorted(r["id"] for r in stored(folder)) == ["i100", "i101"]
    assert server.requests[0][2]["oldest"] == (TODAY - timedelta(days=365)).isoformat()


def test_a_server_that_trickles_bytes_is_given_up_on_in_bounded_time(tmp_path, server,
                                                                     monkeypatch):
    import time

    monkeypatch.setattr(client_mod, "MAX_REPLY_S", 1.0)
    server.trickle_s = 0.1      # a byte every 0.1 s: never a timeout between two bytes
    folder = athlete(tmp_path / "a", server, extra="timeout = 2\n")
    start = time.monotonic()
    result = sync(str(folder))
    server.trickle_s = 0.0
    assert time.monotonic() - start < 10
    assert result.exit_code == 1
    assert "did not arrive whole within 1 s" in result.stderr
    assert not (folder / "intervals.icu").exists()


def test_a_reply_nested_too_deep_is_not_json_exit_1(tmp_path, server):
    server.body = b"[" * 200_000 + b"]" * 200_000
    folder = athlete(tmp_path / "a", server)
    result = sync(str(folder))
    assert result.exit_code == 1, result.output
    assert "the reply is not JSON" in result.stderr
    assert not (folder / "intervals.icu").exists()


def test_a_429_storm_waits_at_most_the_runs_budget_across_a_squad(tmp_path, server):
    server.rate_limited, server.retry_after = 1000, "120"
    team = tmp_path / "team"
    for who, name in (("i1", "Ann"), ("i2", "Bo")):
        athlete(team / name.lower(), server, who=who, name=name)
    waits = []
    got = run_mod.sync_path(team, state=tmp_path / "state", sleep=waits.append)
    assert [o.code for o in got] == [1, 1]
    assert sum(waits) <= client_mod.MAX_RATE_WAIT_S
    assert "waited its 300 s" in got[0].error + got[1].error
    assert not (team / "ann" / "intervals.icu").exists()


def test_alert_sync_without_a_key_names_it_and_still_alerts(tmp_path, server, monkeypatch):
    monkeypatch.delenv(KEY_ENV)
    folder = athlete(tmp_path / "a", server)
    (folder / "run.fit").write_bytes(fitgen.activity(fitgen_start(2), [fitgen.Leg(seconds=600)]))
    result = CliRunner().invoke(cli, ["alert", "--sync", "--dry-run", "--quiet", str(folder),
                                      "--to", "coach@example.org"], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert "Error: no intervals.icu API key" in result.stderr
    assert "new item(s); would send" in result.stderr     # the alert still ran


def test_a_reply_too_large_to_parse_in_little_memory_is_refused(tmp_path, server):
    # 20 MB of empty objects: a list of activities by its form, some 550 MB once parsed.
    server.body = b"[" + b"{}," * ((20 << 20) // 3) + b"{}]"
    folder = athlete(tmp_path / "a", server)
    result = sync(str(folder))
    assert result.exit_code == 1, result.output
    assert "the reply is larger than" in result.stderr
    assert not (folder / "intervals.icu").exists()


def test_a_store_file_nested_too_deep_is_one_plain_problem_line(tmp_path):
    folder = tmp_path / "a"
    (folder / "intervals.icu").mkdir(parents=True)
    (folder / "intervals.icu" / "intervals-activities.json").write_text("[" * 100_000
                                                                        + "]" * 100_000)
    result = CliRunner().invoke(cli, ["timeline", str(folder), "--no-cache"])
    assert "nested too deep" in result.stderr and "unexpected" not in result.stderr
