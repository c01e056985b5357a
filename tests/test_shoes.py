"""Shoes through the CLI: the per-pair table in every format and the one-pair habit, on
generated Strava exports whose runs name their shoe (``Activity Gear``)."""

import json
from datetime import date, timedelta

from click.testing import CliRunner

from loadwatch.cli import cli
from tests.importers.exportgen import StravaRow, strava_csv

AS_OF = date(2026, 11, 22)  # a Sunday


def athlete(root, rows, toml=""):
    root.mkdir(parents=True)
    (root / "activities.csv").write_bytes(strava_csv(*rows))
    (root / "loadwatch.toml").write_text('[athlete]\ntimezone = "UTC"\n' + toml)
    return root


def report(folder, *args):
    result = CliRunner().invoke(cli, ["report", str(folder), "--as-of", AS_OF.isoformat(),
                                      "--no-cache", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def runs(weeks, per_week, km, gear=lambda i: "", start=AS_OF - timedelta(days=7 * 8 - 1)):
    """``per_week`` runs of ``km`` on Mon/Wed/Fri/Sun of ``weeks`` weeks from ``start``."""
    out = []
    i = 0
    for w in range(weeks):
        for d in (0, 2, 4, 6)[:per_week]:
            out.append(StravaRow(start + timedelta(days=7 * w + d), km, gear=gear(i)))
            i += 1
    return out


def test_the_table_counts_each_pair_and_the_runs_without_one_apart(tmp_path):
    # 8 weeks x 3 runs of 8 km; the last 4 weeks (12 runs): 6 Pegasus, 4 Kinvara, 2 unknown.
    def gear(i):
        if i < 12:
            return "Pegasus 40"
        return ("Pegasus 40", "Kinvara 14", "Pegasus 40", "Kinvara 14", "", "Pegasus 40")[i % 6]
    folder = athlete(tmp_path / "ana", runs(8, 3, 8.0, gear))
    doc = json.loads(report(folder, "--format", "json").stdout)
    assert doc["shoes"] == [
        {"name": "Pegasus 40", "runs_4w": 6, "km_4w": 48.0, "km_total": 144.0},
        {"name": "Kinvara 14", "runs_4w": 4, "km_4w": 32.0, "km_total": 32.0},
        {"name": None, "runs_4w": 2, "km_4w": 16.0, "km_total": 16.0},
    ]
    assert doc["shoes_note"] is None
    assert not [f for f in doc["flags"] if f["code"] == "single_shoe"]
    text = report(folder).stdout
    assert "Shoes" in text and "Kinvara 14" in text and "no shoe named" in text
    assert "144.0 km" in text
    markdown = report(folder, "--format", "markdown").stdout
    assert "| Kinvara 14 | 4 | 32.0 km | 32.0 km |" in markdown
    html = report(folder, "--format", "html").stdout
    assert "Kinvara 14" in html and "144.0 km" in html


def test_every_run_in_one_pair_is_a_habit_with_its_evidence_never_the_level(tmp_path):
    folder = athlete(tmp_path / "ana", runs(8, 3, 8.0, lambda i: "Pegasus 40"))
    doc = json.loads(report(folder, "--format", "json").stdout)
    (flag,) = [f for f in doc["flags"] if f["code"] == "single_shoe"]
    assert flag["kind"] == "habit" and flag["evidence"] == "limited"
    assert flag["severity"] == "info" and flag["value"] == 12 and flag["threshold"] == 8
    assert "All 12 runs of the 4 weeks to Sun 22 Nov that name a shoe were in one pair" in \
        flag["message"]
    assert "Pegasus 40" in flag["message"] and "HR 0.61" in flag["message"]
    assert "Malisoux" in flag["source"]
    assert doc["risk"]["level"] == "usual" and not doc["risk"]["drivers"]
    assert "retire" in flag["advice"]
    assert "replace" not in json.dumps(doc["flags"]).lower()


def test_runs_without_a_shoe_are_never_one_pair(tmp_path):
    # 12 runs in the last 4 weeks: 4 in one pair, 8 with no shoe.
    folder = athlete(tmp_path / "ana", runs(8, 3, 8.0, lambda i: "Pegasus 40" if i % 3 == 0
                                             else ""))
    doc = json.loads(report(folder, "--format", "json").stdout)
    assert not [f for f in doc["flags"] if f["code"] == "single_shoe"]
    assert doc["shoes_note"].startswith("8 of the 12 runs of the last 4 weeks name no shoe")
    assert doc["shoes_note"] in " ".join(report(folder).stdout.split())


def test_with_half_the_runs_naming_no_shoe_the_words_never_say_every_run(tmp_path):
    # 16 runs in the last 4 weeks: 8 in one pair, 8 with no shoe: the habit holds (at least
    # half name a shoe), but "every run in one pair" would be wrong for the other 8.
    squad = tmp_path / "squad"
    rides = [StravaRow(AS_OF - timedelta(days=1 + 7 * w), 20.0, kind="Ride") for w in range(8)]
    athlete(squad / "ana", runs(8, 4, 8.0, lambda i: "Pegasus 40" if i % 2 else "") + rides)
    athlete(squad / "bob", runs(8, 3, 8.0))
    result = CliRunner().invoke(cli, ["squad", str(squad), "--as-of", AS_OF.isoformat(),
                                      "--no-cache", "--workers", "1"], catch_exceptions=False)
    text = " ".join(result.stdout.split())
    assert "one pair of shoes for every run naming one in 4 weeks (8 runs" in text
    assert "every run of 4 weeks" not in text
    doc = json.loads(report(squad / "ana", "--format", "json").stdout)
    (flag,) = [f for f in doc["flags"] if f["code"] == "single_shoe"]
    assert flag["title"] == "One pair of shoes for every run that names one"
    assert "(8 other runs name no shoe)" in flag["message"]


def test_too_few_runs_in_one_pair_are_no_habit_and_the_number_is_a_setting(tmp_path):
    rows = runs(8, 2, 8.0, lambda i: "Pegasus 40")  # 8 runs in the last 4 weeks
    folder = athlete(tmp_path / "ana", rows, "[thresholds]\nsingle_shoe_min_runs = 9\n")
    doc = json.loads(report(folder, "--format", "json").stdout)
    assert not [f for f in doc["flags"] if f["code"] == "single_shoe"]
    (folder / "loadwatch.toml").write_text('[athlete]\ntimezone = "UTC"\n')
    doc = json.loads(report(folder, "--format", "json").stdout)
    assert [f["value"] for f in doc["flags"] if f["code"] == "single_shoe"] == [8]


def test_without_any_shoe_named_the_report_has_no_shoe_section(tmp_path):
    folder = athlete(tmp_path / "ana", runs(8, 3, 8.0))
    doc = json.loads(report(folder, "--format", "json").stdout)
    assert doc["shoes"] == [{"name": None, "runs_4w": 12, "km_4w": 96.0, "km_total": 192.0}]
    assert doc["shoes_note"] is None
    assert "Shoes" not in report(folder).stdout


def test_miles_report_the_pairs_in_miles(tmp_path):
    folder = athlete(tmp_path / "ana", runs(8, 3, 8.0, lambda i: "Pegasus 40"))
    doc = json.loads(report(folder, "--format", "json", "--units", "mi").stdout)
    assert doc["shoes"][0]["km_total"] == round(192000 / 1609.344, 1)


def test_the_coachs_digest_speaks_of_the_athlete_in_good_words(tmp_path):
    # The digest turns "you" into the athlete's name: "when you next buy shoes" came out as
    # "when ana nexts buy shoes".
    folder = athlete(tmp_path / "squad" / "ana", runs(8, 3, 8.0, lambda i: "Pegasus 40"))
    athlete(tmp_path / "squad" / "bob", runs(8, 3, 8.0))
    result = CliRunner().invoke(cli, [
        "alert", str(folder.parent), "--as-of", AS_OF.isoformat(), "--no-cache", "--dry-run",
        "--digest", "weekly", "--to", "coach@example.org", "--state-dir",
        str(tmp_path / "state")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert '"Pegasus 40"' in text
    assert "nexts" not in text
    assert "worth a thought when ana buys their next pair" in text
