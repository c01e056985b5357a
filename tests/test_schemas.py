"""The JSON Schemas in loadwatch/schemas hold for what the CLI really prints.

Every document is made by the CLI (``CliRunner`` on :data:`loadwatch.cli.cli`) and
validated with ``jsonschema.Draft202012Validator`` with format checking on: the
sample runner on two dates, the sample squad twice (so that "changed since" has
entries), generated athletes (no diary; pain with a red flag; a watch left running
in a car, under "data to check", then ignored; a return from a break; a treadmill
runner), a folder of generated FIT files with a broken file and a duplicate, and
timelines. Wrong documents must fail, so the schemas are not vacuous.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import tomllib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from loadwatch import schemas
from loadwatch.cli import cli
from tests import story
from tests.importers import fitgen
from tests.verdict import patterns

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[1]
RUNNER = ROOT / "sample_data" / "runner"
SQUAD = ROOT / "sample_data" / "squad"
SHIPPED = {"history-v1", "report-v3", "review-v1", "squad-v3", "timeline-v1"}
UNLISTED: set[str] = set()
"""Schemas docs/json.md does not link (none: every shipped schema is linked)."""
WITH_IMPORT = {"report-v3", "squad-v3", "timeline-v1"}
"""The documents that carry the import's ``import`` part."""

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _format_checker():
    """Draft 2020-12's format checker; ``date-time`` checked by RFC 3339's grammar even
    when jsonschema's optional checker for it (rfc3339-validator) is not installed."""
    checker = copy.deepcopy(jsonschema.Draft202012Validator.FORMAT_CHECKER)

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value) -> bool:
        if not isinstance(value, str):
            return True
        if not _RFC3339.match(value):
            return False
        datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
        return True

    return checker


def validator(name: str):
    return jsonschema.Draft202012Validator(schemas.load(name), format_checker=_format_checker())


def problems(name: str, doc: dict) -> list[str]:
    """Every way ``doc`` breaks schema ``name``, one line each (empty: valid)."""
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator(name).iter_errors(doc)]


def cli_json(*args: str) -> dict:
    """The JSON document a command prints (exit 0, or 1 for a skipped file)."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def report(folder: Path, as_of: str, *extra: str) -> dict:
    doc = cli_json("report", str(folder), "--as-of", as_of, "--format", "json", *extra)
    assert problems("report-v3", doc) == []
    return doc


# -- the files ------------------------------------------------------------------------------

def test_the_schemas_ship_and_are_valid_draft_2020_12():
    assert set(schemas.names()) == SHIPPED
    for name in SHIPPED:
        schema = schemas.load(name)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["properties"]["schema"] == {"const": f"loadwatch/{name}"}
        assert schemas.path(f"loadwatch/{name}").name == f"{name}.schema.json"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["setuptools"]["package-data"]["loadwatch.schemas"] == ["*.schema.json"]


def test_the_readme_links_every_schema():
    text = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\(\.\./(loadwatch/schemas/[^)]+\.schema\.json)\)", text))
    assert linked == {f"loadwatch/schemas/{name}.schema.json" for name in SHIPPED - UNLISTED}
    assert all((ROOT / link).is_file() for link in linked)


def test_an_unknown_schema_name_is_refused():
    with pytest.raises(KeyError, match="history-v1, report-v3, review-v1, squad-v3, timeline-v1"):
        schemas.load("report-v1")
    with pytest.raises(ValueError, match="not a loadwatch schema name"):
        schemas.path("../cli.py")


def test_the_import_part_is_the_same_in_every_schema():
    parts = [schemas.load(name)["$defs"]["import"] for name in WITH_IMPORT]
    assert parts[0] == parts[1] == parts[2]


# -- the sample data ------------------------------------------------------------------------

@pytest.mark.parametrize(("as_of", "rule"), [("2026-11-22", "hold"), ("2026-12-06", "hold")])
def test_the_sample_runner_report_holds(as_of, rule):
    doc = report(RUNNER, as_of)
    # What the schema had to hold: episodes of flags, a diary with an episode, runs.
    assert doc["history"] and doc["runs"] and doc["pain"]["episodes"]
    assert doc["next_week"]["weekly_basis"]["rule"] == rule


def test_the_sample_runner_timeline_holds():
    doc = cli_json("timeline", str(RUNNER), "--format", "json")
    assert problems("timeline-v1", doc) == []
    assert {a["source"] for a in doc["activities"]} >= {"fit", "gpx", "tcx", "strava_csv"}
    assert doc["import"]["duplicates"]


@pytest.mark.skipif(not SQUAD.is_dir(), reason="no sample squad")
def test_the_sample_squad_holds_with_its_changes(tmp_path):
    first = cli_json("squad", str(SQUAD), "--as-of", "2026-11-08", "--format", "json",
                     "--workers", "1")
    assert problems("squad-v3", first) == []
    assert first["changes"]["since"] is None
    then = cli_json("squad", str(SQUAD), "--as-of", "2026-11-22", "--format", "json",
                    "--workers", "1")
    assert problems("squad-v3", then) == []
    assert then["changes"]["since"] == "2026-11-08" and then["changes"]["athletes"]
    assert {a["clinical"]["status"] for a in then["athletes"]} >= {"check_now", "none"}


# -- generated athletes ---------------------------------------------------------------------

def test_an_athlete_without_a_diary_holds(tmp_path):
    doc = report(story.write(tmp_path / "runs", pain=False), "2026-11-22")
    assert doc["pain"] is None and doc["clinical"]["diary"] == "none"


def test_an_athlete_with_pain_and_a_red_flag_holds(tmp_path):
    folder = story.write(tmp_path / "runs")
    with (folder / "pain.csv").open("a", encoding="utf-8") as f:
        f.write("2026-11-19,6,inner knee,left,sudden,pop;giving_way,twisted on a root\n")
    doc = report(folder, "2026-11-22", "--units", "mi")
    assert doc["clinical"]["status"] == "check_now" and doc["clinical"]["runs_since_red_flag"]
    assert doc["next_week"]["status"] == "stop" and doc["next_week"]["weekly_basis"] == {
        "rule": "stop"}
    assert doc["pain"]["episodes"][-1]["red_flags"] and doc["pain"]["now"]


def _squad_of(root: Path, names: set[str]) -> Path:
    for s in patterns.stories():
        if s.name in names:
            s.write(root / s.name)
    return root


def test_data_to_check_and_ignored_hold(tmp_path):
    folder = _squad_of(tmp_path / "team", {"watch-in-car"}) / "watch-in-car"
    held = report(folder, patterns.AS_OF.isoformat())
    assert held["risk"]["level"] == "unknown" and len(held["data_to_check"]) == 1
    car = held["data_to_check"][0]["activity_id"]
    result = CliRunner().invoke(cli, ["ignore", car, "--reason", "watch in the car",
                                       "--athlete", str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    ignored = report(folder, patterns.AS_OF.isoformat())
    assert ignored["data_to_check"] == [] and ignored["ignored"][0]["activity_id"] == car


@pytest.mark.parametrize("name", ["return-from-break", "treadmill-only", "new-user",
                                  "spike-with-pain"])
def test_generated_patterns_hold(tmp_path, name):
    folder = _squad_of(tmp_path / "team", {name}) / name
    doc = report(folder, patterns.AS_OF.isoformat())
    assert doc["risk"]["level"] == patterns.EXPECTED[name][0]


def test_a_generated_squad_with_a_broken_athlete_holds(tmp_path):
    team = _squad_of(tmp_path / "team", {"return-from-break", "watch-in-car", "new-user"})
    broken = team / "broken"
    shutil.copytree(team / "new-user", broken)
    (broken / "loadwatch.toml").write_text("[athlete\nname = 'x'\n", encoding="utf-8")
    (team / "notes").mkdir()
    doc = cli_json("squad", str(team), "--as-of", patterns.AS_OF.isoformat(), "--format", "json",
                   "--workers", "1")
    assert problems("squad-v3", doc) == []
    assert doc["errors"] and doc["errors"][0]["athlete"] == "broken"
    assert {a["athlete"] for a in doc["athletes"]} >= {"return-from-break", "watch-in-car"}


def test_the_history_of_a_squad_with_a_broken_athlete_holds(tmp_path):
    team = _squad_of(tmp_path / "team", {"spike-with-pain", "watch-in-car",
                                         "rising-pain-flat-load"})
    broken = team / "broken"
    shutil.copytree(team / "watch-in-car", broken)
    (broken / "loadwatch.toml").write_text("[athlete\nname = 'x'\n", encoding="utf-8")
    doc = cli_json("history", str(team), "--from", "2026-11-01", "--to",
                   patterns.AS_OF.isoformat(), "--format", "json", "--no-cache")
    assert problems("history-v1", doc) == []
    assert doc["errors"][0]["athlete"] == "broken"
    days = {a["athlete"]: a["days"] for a in doc["athletes"]}
    assert set(days) == {"spike-with-pain", "watch-in-car", "rising-pain-flat-load"}
    # What the schema had to hold: every level word, drivers, a clinical status with pain.
    seen = [d for a in days.values() for d in a]
    assert {d["level"] for d in seen} >= {"high", "usual", "unknown"}
    assert any(d["drivers"] for d in seen) and any(d["clinical"] != "none" for d in seen)
    wrong = copy.deepcopy(doc)
    wrong["athletes"][0]["days"][0]["level"] = "elevated"
    wrong["athletes"][0]["days"][1]["drivers"] = ["acwr_high"]
    del wrong["athletes"][0]["days"][2]["clinical"]
    assert len(problems("history-v1", wrong)) == 3


def test_a_folder_of_generated_fit_runs_holds(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    start = datetime(2026, 10, 5, 6, 30, tzinfo=UTC)
    for d in range(0, 42):
        when = start + timedelta(days=d)
        if d % 7 in (1, 3):
            leg = fitgen.Leg(seconds=2400, speed_mps=3.0, step_s=60, climb_m=40.0)
        elif d % 7 == 6:
            leg = fitgen.Leg(seconds=3600 + 120 * d, speed_mps=3.0, step_s=60)
        elif d % 7 == 4:
            leg = fitgen.Leg(sport=fitgen.Sport.RUNNING, sub_sport=fitgen.SubSport.TREADMILL,
                             seconds=1800, gps=False, record_distance=False, step_s=60)
        elif d % 7 == 2:
            leg = fitgen.Leg(sport=fitgen.Sport.CYCLING, seconds=3600, speed_mps=7.0, step_s=60)
        else:
            continue
        (runs / f"{when:%Y-%m-%d}.fit").write_bytes(fitgen.activity(when, [leg],
                                                                    utc_offset_s=3600))
    (runs / "copy.fit").write_bytes((runs / "2026-10-06.fit").read_bytes())
    (runs / "broken.fit").write_bytes(b"\x0e\x10not a fit file at all")
    (runs / "loadwatch.toml").write_text(
        '[athlete]\nname = "Fit"\ntimezone = "Europe/Oslo"\nmax_hr = 190\nrest_hr = 50\n',
        encoding="utf-8")
    timeline = cli_json("timeline", str(runs), "--tz", "Europe/Oslo", "--format", "json")
    assert problems("timeline-v1", timeline) == []
    assert timeline["import"]["errors"] and timeline["import"]["duplicates"]
    doc = report(runs, date(2026, 11, 15).isoformat(), "--tz", "Europe/Oslo", "--load", "trimp")
    assert doc["import"]["errors"] and doc["weeks"]


activities = st.lists(st.tuples(
    st.integers(0, 7 * patterns.WEEKS - 1),
    st.sampled_from(["Run", "Run", "Run", "Ride", "Walk"]),
    st.one_of(st.none(), st.floats(0.5, 45.0)),
    st.integers(600, 4 * 3600)), min_size=5, max_size=80)
diary = st.lists(st.tuples(
    st.integers(0, 7 * patterns.WEEKS - 1), st.integers(0, 10),
    st.sampled_from(["", "gradual", "sudden"]),
    st.sampled_from(["", "tightness", "swelling;bruising", "pop;giving_way", "night_pain"]),
    st.sampled_from(["", "assessed by a physio"])), max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink])
@given(activities, diary, st.integers(0, 7 * patterns.WEEKS + 20), st.sampled_from(["km", "mi"]))
def test_any_history_gives_a_valid_report(tmp_path_factory, rows, entries, as_of_day, units):
    """Random histories (runs without a distance, rides, walks; a diary with red flags and
    assessments; a report date after the data): the report always matches its schema."""
    athlete = patterns.Story("random")
    # One activity per day and kind (Story sorts its rows, and None does not sort).
    for (day, kind), (km, secs) in {(d, k): (km, s) for d, k, km, s in rows}.items():
        athlete.rows.append((patterns.FIRST + timedelta(days=day), kind, km, secs))
    athlete.pain = [f"{patterns.FIRST + timedelta(days=d)},{sev},inner knee,left,{onset},"
                    f"{symptoms},{note}" for d, sev, onset, symptoms, note in entries]
    folder = athlete.write(tmp_path_factory.mktemp("random"))
    first = patterns.FIRST + timedelta(days=min(r[0] for r in rows))
    as_of = max(first, patterns.FIRST + timedelta(days=as_of_day))
    report(folder, as_of.isoformat(), "--units", units, "--no-cache")


# -- wrong documents fail -------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_report() -> dict:
    return cli_json("report", str(RUNNER), "--as-of", "2026-11-22", "--format", "json")


@pytest.mark.parametrize(("where", "value", "complaint"), [
    (("risk", "level"), "medium", "'medium' is not one of"),
    (("clinical", "status"), "urgent", "'urgent' is not one of"),
    (("flags", 0, "severity"), "severe", "'severe' is not one of"),
    (("flags", 0, "kind"), "rule", "'rule' is not one of"),
    (("flags", 0, "evidence"), "weak", "'weak' is not one of"),
    (("as_of",), "22/11/2026", "is not a 'date'"),
    (("weeks", 0, "run_distance"), "31.4", "is not of type 'number', 'null'"),
    (("days", 0, "pain"), 11, "greater than the maximum of 10"),
    (("runs", 0, "start_local"), "2026-09-29 18:00", "is not a 'date-time'"),
    (("next_week", "weekly_basis", "rule"), "guess", "'guess' is not one of"),
    (("schema",), "loadwatch/report-v1", "'loadwatch/report-v3' was expected"),
])
def test_a_wrong_report_fails(sample_report, where, value, complaint):
    doc = copy.deepcopy(sample_report)
    target = doc
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    found = problems("report-v3", doc)
    assert any(complaint in p for p in found), found


def test_a_report_without_a_required_key_fails(sample_report):
    doc = copy.deepcopy(sample_report)
    del doc["risk"]["driver_ids"]
    del doc["weeks"][0]["longest_run_ratio"]
    found = problems("report-v3", doc)
    assert any("'driver_ids' is a required property" in p for p in found)
    assert any("'longest_run_ratio' is a required property" in p for p in found)


def test_new_keys_are_allowed(sample_report):
    doc = copy.deepcopy(sample_report)
    doc["next_week"]["something_new"] = {"run_distance": 12.0}  # (this_week is typed now)
    doc["weeks"][0]["something_new"] = 1
    assert problems("report-v3", doc) == []


def test_a_wrong_timeline_and_squad_fail(tmp_path):
    timeline = cli_json("timeline", str(RUNNER), "--format", "json")
    timeline["activities"][0]["sport"] = "jogging"
    timeline["activities"][1]["local_date"] = "2026-13-01"
    found = problems("timeline-v1", timeline)
    assert any("'jogging' is not one of" in p for p in found)
    assert any("is not a 'date'" in p for p in found)
    team = _squad_of(tmp_path / "team", {"new-user"})
    squad = cli_json("squad", str(team), "--as-of", patterns.AS_OF.isoformat(), "--format",
                     "json", "--workers", "1")
    squad["athletes"][0]["risk"] = "medium"
    squad["athletes"][0]["pain"]["weekly_peaks"] = [None, 12]
    found = problems("squad-v3", squad)
    assert any("'medium' is not one of" in p for p in found)
    assert any("greater than the maximum of 10" in p for p in found)


# -- every key typed ------------------------------------------------------------------------

def _resolve(schema: dict, node) -> list[dict]:
    """``node`` and what it stands for: ``$ref`` followed, ``anyOf``/``oneOf``/``allOf`` opened."""
    while isinstance(node, dict) and "$ref" in node:
        target = schema
        for part in node["$ref"].split("/")[1:]:
            target = target[part]
        node = target
    if not isinstance(node, dict):
        return []
    out = [node]
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in node.get(key, []):
            out += _resolve(schema, sub)
    return out


def _untyped(doc, schema: dict, node=None, path: str = "") -> set[str]:
    """The paths of ``doc``'s keys that no ``properties`` of ``schema`` names (objects may
    gain keys, so validation alone lets an untyped key through)."""
    nodes = _resolve(schema, schema if node is None else node)
    out: set[str] = set()
    if isinstance(doc, dict):
        props: dict = {}
        for n in nodes:
            props.update(n.get("properties", {}))
        for key, value in doc.items():
            if key not in props:
                out.add(f"{path}.{key}")
            else:
                out |= _untyped(value, schema, props[key], f"{path}.{key}")
    elif isinstance(doc, list):
        items = [n["items"] for n in nodes if "items" in n]
        for value in doc:
            for item in items:
                out |= _untyped(value, schema, item, f"{path}[]")
    return out


def test_every_key_of_an_athlete_with_ratings_shoes_a_race_wellness_and_pain_is_typed(tmp_path):
    from tests.importers.exportgen import StravaRow, strava_csv

    as_of = date(2026, 11, 22)
    squad = tmp_path / "squad"
    for name, gear in (("ana", "Pegasus 40"), ("bob", "")):
        folder = squad / name
        folder.mkdir(parents=True)
        rows = [StravaRow(as_of - timedelta(days=55 - i), 8.0, gear=gear if i % 3 else "")
                for i in range(0, 56, 2)]
        rows.append(StravaRow(as_of, 21.1, name="Valencia Half Marathon", gear=gear))
        (folder / "activities.csv").write_bytes(strava_csv(*rows))
        (folder / "loadwatch.toml").write_text(
            '[athlete]\ntimezone = "UTC"\ninjuries = [{date = "2026-03", what = "shin"}]\n')
        (folder / "rpe.csv").write_text("date,rpe\n2026-11-21,6\n2026-11-17,4\n")
        (folder / "wellness.csv").write_text("date,soreness,fatigue,sleep_h,resting_hr\n"
                                             "2026-11-01,2,3,7.5,48\n2026-11-21,3,,7,50\n")
        (folder / "pain.csv").write_text("date,severity,location,side,onset,symptoms,notes\n"
                                         "2026-11-19,3,knee,left,gradual,,\n")
    ana = squad / "ana"
    for load in ("distance", "srpe"):
        doc = report(ana, as_of.isoformat(), "--load", load)
        assert doc["shoes"] and doc["wellness"] and doc["session_rpe"]
        assert doc["clinical"]["previous_injury"] and doc["recent_spikes"][0]["race"]
        assert _untyped(doc, schemas.load("report-v3")) == set()
    doc = cli_json("squad", str(squad), "--as-of", as_of.isoformat(), "--format", "json",
                   "--workers", "1")
    assert problems("squad-v3", doc) == []
    assert _untyped(doc, schemas.load("squad-v3")) == set()
    doc = cli_json("timeline", str(ana), "--format", "json")
    assert problems("timeline-v1", doc) == []
    assert _untyped(doc, schemas.load("timeline-v1")) == set()
# -- the review -----------------------------------------------------------------------------

def test_the_review_of_the_sample_runner_holds():
    doc = cli_json("review", str(RUNNER), "--as-of", "2026-12-06", "--format", "json")
    assert problems("review-v1", doc) == []
    # What the schema had to hold: a counted episode, an open-ended interval (null), words.
    assert doc["episodes"] and doc["episodes"][0]["counted"]
    assert None in doc["rate_ratio"]["high"]["ci95"] and doc["limits"]


def test_the_review_of_a_squad_with_a_trauma_and_a_broken_athlete_holds(tmp_path):
    team = _squad_of(tmp_path / "team", {"spike-with-pain", "rising-pain-flat-load", "new-user"})
    with (team / "new-user" / "pain.csv").open("w", encoding="utf-8") as f:
        f.write("date,severity,location,side,onset,symptoms,notes\n"
                f"{patterns.AS_OF - timedelta(days=30)},0,,,,,\n"
                f"{patterns.AS_OF - timedelta(days=10)},5,inner knee,left,sudden,twist,root\n")
    broken = team / "broken"
    shutil.copytree(team / "spike-with-pain", broken)
    (broken / "loadwatch.toml").write_text("[athlete\nname = 'x'\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["review", str(team), "--as-of", patterns.AS_OF.isoformat(),
                                      "--format", "json", "--workers", "1", "--no-cache"],
                                catch_exceptions=False)
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert problems("review-v1", doc) == []
    assert doc["excluded"]["trauma"] == 1 and doc["errors"][0]["folder"].endswith("broken")
    assert len(doc["athletes"]) == 3 and "Mantel-Haenszel" in doc["rate_ratio"]["high"]["method"]


def test_a_wrong_review_fails():
    doc = cli_json("review", str(RUNNER), "--as-of", "2026-12-06", "--format", "json")
    bad = copy.deepcopy(doc)
    bad["rate_ratio"]["high"]["ci95"] = [1.0]
    assert problems("review-v1", bad)
    bad = copy.deepcopy(doc)
    bad["levels"]["usual"]["athlete_days"] = "69"
    assert problems("review-v1", bad)
    bad = copy.deepcopy(doc)
    del bad["excluded"]
    assert problems("review-v1", bad)


def test_a_report_with_its_own_review_and_a_squad_with_the_pooled_table_hold(tmp_path):
    from tests.review.test_in_reports import long_diary

    team = tmp_path / "team"
    long_diary("Kari", [150, 100], [99, 40]).write(team / "kari")
    long_diary("Lise", [120, 60, 30], [59, 140]).write(team / "lise")
    as_of = patterns.AS_OF.isoformat()
    doc = report(team / "kari", as_of, "--no-cache")
    assert doc["review"]["sentence"] and doc["review"]["rate_ratio"]
    squad = cli_json("squad", str(team), "--as-of", as_of, "--format", "json", "--workers", "1",
                     "--no-cache")
    assert problems("squad-v3", squad) == []
    assert squad["review"]["athletes"] == 2
    bad = copy.deepcopy(doc)
    bad["review"]["lags"]["day_before"]["usual"]["episodes"] = -1
    assert problems("report-v3", bad)
    bad = copy.deepcopy(squad)
    bad["review"]["rate_ratio"]["high"]["ci95"] = ["0", 1]
    assert problems("squad-v3", bad)
