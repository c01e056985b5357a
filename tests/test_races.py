"""Races through the CLI: a half marathon after a taper is a spike named as the race it was
(flag, report, squad), and the recovery week after it is a dip: next week's base comes from
the usual weeks (the dip rule of loadwatch.flags.returns)."""

import json
from datetime import date, timedelta

from click.testing import CliRunner

from loadwatch.cli import cli
from tests.importers.exportgen import StravaRow, strava_csv

RACE = "Valencia Half Marathon"


def half_marathon(root, name=RACE, toml=""):
    """42 km a week (8, 8, 8 and an 18 km long run on Sunday) from Mon 3 Aug to Sun 25 Oct; a
    34 km taper week; 34.1 km with the half marathon (21.1 km, 1.17x the 18 km long run) on
    Sun 8 Nov; a 13 km recovery week to Sun 15 Nov."""
    rows = []
    d = date(2026, 8, 3)
    while d <= date(2026, 10, 25):
        km = {0: 8, 2: 8, 4: 8, 6: 18}.get(d.weekday())
        if km:
            rows.append(StravaRow(d, km, name="Long run" if km == 18 else "Easy run"))
        d += timedelta(days=1)
    for day, km, what in [(date(2026, 10, 26), 8, "Easy"), (date(2026, 10, 28), 8, "Easy"),
                          (date(2026, 10, 30), 6, "Easy"), (date(2026, 11, 1), 12, "Taper"),
                          (date(2026, 11, 3), 8, "Easy"), (date(2026, 11, 5), 5, "Shakeout"),
                          (date(2026, 11, 8), 21.1, name), (date(2026, 11, 11), 5, "Jog"),
                          (date(2026, 11, 14), 8, "Easy")]:
        rows.append(StravaRow(day, km, name=what))
    root.mkdir(parents=True)
    (root / "activities.csv").write_bytes(strava_csv(*rows))
    (root / "loadwatch.toml").write_text('[athlete]\nname = "Ana"\ntimezone = "UTC"\n' + toml)
    return root


def report(folder, *args, as_of="2026-11-15"):
    result = CliRunner().invoke(cli, ["report", str(folder), "--as-of", as_of, "--no-cache",
                                      *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_race_is_a_spike_named_as_the_race_in_every_output(tmp_path):
    folder = half_marathon(tmp_path / "ana")
    doc = json.loads(report(folder, "--format", "json"))
    (spike,) = [f for f in doc["flags"] if f["code"] == "long_run_spike"]
    assert spike["race"] == RACE and spike["kind"] == "evidence"
    assert spike["message"].startswith(
        f'The race "{RACE}", 21.1 km, on Sun 8 Nov was 1.17x your longest run of the 30 days '
        "before it (18.0 km on Sun 25 Oct).")
    assert "A race is a planned spike" in spike["message"]
    (row,) = doc["recent_spikes"]
    assert row["race"] is True and row["name"] == RACE and row["spike_ratio"] == 1.172
    words = " ".join(report(folder).split())
    assert f'Sun 8 Nov: the race "{RACE}", 21.1 km against 18.0 km' in words
    assert f'The race "{RACE}", 21.1 km, on Sun 8 Nov was 1.17x' in words
    markdown = report(folder, "--format", "markdown")
    assert f"the race \"{RACE}\"" in markdown.replace("\\", "")


def test_a_race_followed_by_a_recovery_week_keeps_next_weeks_base_on_the_usual_weeks(tmp_path):
    folder = half_marathon(tmp_path / "ana")
    plan = json.loads(report(folder, "--format", "json"))["next_week"]
    basis = plan["weekly_basis"]
    # The 13 km recovery week is a dip: the base is the usual of the 4 complete weeks before
    # it (42, 42, 34 and 34.1 km: 38.0 km), not 13 km.
    assert basis["rule"] == "dip" and basis["dip_weeks"] == ["2026-W46"]
    assert basis["last_week_m"] == 13000 and basis["usual_m"] == 38025
    assert plan["weekly_distance_max"] == 41.8


def test_a_run_not_named_like_a_race_is_marked_by_the_settings(tmp_path):
    plain = half_marathon(tmp_path / "plain", name="Sunday run")
    doc = json.loads(report(plain, "--format", "json"))
    (spike,) = [f for f in doc["flags"] if f["code"] == "long_run_spike"]
    assert spike["race"] is None and spike["message"].startswith("Your 21.1 km run on Sun 8 Nov")
    marked = half_marathon(tmp_path / "marked", name="Sunday run",
                           toml='\n[races]\ndays = ["2026-11-08"]\n')
    doc = json.loads(report(marked, "--format", "json"))
    (spike,) = [f for f in doc["flags"] if f["code"] == "long_run_spike"]
    assert spike["race"] == "Sunday run"
    assert spike["message"].startswith('The race "Sunday run", 21.1 km, on Sun 8 Nov')


def test_the_squad_row_says_the_athlete_ran_the_race(tmp_path, monkeypatch):
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path / "state"))
    half_marathon(tmp_path / "squad" / "ana")
    result = CliRunner().invoke(cli, ["squad", str(tmp_path / "squad"), "--as-of", "2026-11-15",
                                      "--no-cache", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)["athletes"]
    (spike,) = [c for c in row["conditions"] if c["code"] == "long_run_spike"]
    assert spike["words"] == (f'ran the race "{RACE}" 1.17x the longest of the month before '
                              "on Sun 8 Nov")


def test_the_level_summary_and_the_mail_name_the_race(tmp_path, monkeypatch):
    monkeypatch.setenv("LOADWATCH_STATE", str(tmp_path / "state"))
    folder = half_marathon(tmp_path / "ana", toml='\n[alert]\nto = ["coach@example.org"]\n')
    doc = json.loads(report(folder, "--format", "json"))
    assert doc["risk"]["summary"] == (
        f'RAISED: the race "{RACE}", a run 17% longer than your longest of the month before, '
        "on Sun 8 Nov (1.17x).")
    mail = CliRunner().invoke(cli, ["alert", str(folder), "--as-of", "2026-11-15", "--no-cache",
                                    "--dry-run"], catch_exceptions=False)
    assert mail.exit_code == 0, mail.output
    assert f'Subject: loadwatch: Ana: RAISED load - the race "{RACE}", a run 17% longer' in \
        mail.stdout
    assert f'Sun 8 Nov: The race "{RACE}", 21.1 km, on Sun 8 Nov was 1.17x' in mail.stdout


def test_the_html_pictures_words_name_the_race(tmp_path):
    # The runs panel's alt text lists the spikes it draws: the race is named there too.
    import html

    folder = half_marathon(tmp_path / "ana")
    page = report(folder, "--format", "html")
    alts = [html.unescape(a.split('"')[0]) for a in page.split('alt="')[1:]]
    (alt,) = [a for a in alts if a.startswith("Every run of the last")]
    assert f'Spikes: Sun 8 Nov the race "{RACE}" 21.1 km (' in alt, alt


def test_training_named_after_a_race_is_no_race(tmp_path):
    # "Marathon long run" is the long run of a marathon build, and a likely spike: calling it
    # "the race" told the runner a planned race had happened.
    training = ["Marathon long run 32k", "Half marathon tempo", "Race recovery jog",
                "Marathon taper run", "Marathon workout", "parkrun warm-up",
                "Warm-up before parkrun", "Cool down after race", "Run to parkrun and back",
                "Easy run to watch the marathon"]
    real = ["Valencia Half Marathon", "Saturday parkrun", "Berlin Marathon 2026", "Race day!"]
    d = date(2026, 11, 2)
    rows = [StravaRow(d + timedelta(days=i), 8.0, name=n) for i, n in enumerate(training + real)]
    folder = tmp_path / "ana"
    folder.mkdir()
    (folder / "activities.csv").write_bytes(strava_csv(*rows))
    (folder / "loadwatch.toml").write_text('[athlete]\ntimezone = "UTC"\n')
    result = CliRunner().invoke(cli, ["timeline", str(folder), "--format", "json", "--no-cache"],
                                catch_exceptions=False)
    by_name = {a["name"]: a["race"] for a in json.loads(result.stdout)["activities"]}
    assert [n for n in training if by_name[n]] == []
    assert [n for n in real if not by_name[n]] == []


def test_the_lowered_search_for_race_words_misses_no_letter_that_ignorecase_takes():
    """races.by_name looks for the race words in lowered text (a plain search is ~15x
    faster than a case-blind one): every character that re.IGNORECASE takes for a letter
    of the words must lower (and fold) to that letter, or lower to more than one (then
    the case-blind search is used)."""
    import re
    import sys

    from loadwatch import races

    letters = sorted(set("".join(races.RACE_WORDS)))
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    taken = set(re.findall("[" + re.escape("".join(letters)) + "]", every, re.IGNORECASE))
    for char in taken:
        lowered = char.lower()
        for letter in letters:
            if re.fullmatch(re.escape(letter), char, re.IGNORECASE) and len(lowered) == 1:
                assert lowered.translate(races._FOLD) == letter, (hex(ord(char)), letter)


def test_race_names_in_any_case_and_spelling():
    from loadwatch import races

    names = ["SATURDAY PARKRUN", "\u017eemi", "\u017fEMI-MARATHON", "Comp\u00c9t\u0131t\u0131on",
             "Wettkampf \u0130zmir", "\u0130zmir marathon", "Race prep", "my RACE", None, 5.0]
    assert races.by_name(names, [True] * len(names)).tolist() == [
        True, False, True, True, True, True, False, True, False, False]
