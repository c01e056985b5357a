"""The review in the report (one sentence from the athlete's own review) and in the squad (the
pooled table), agreeing with ``loadwatch review`` on the same folder."""

from __future__ import annotations

import json
from datetime import timedelta

from click.testing import CliRunner

import loadwatch
from loadwatch import assessment
from loadwatch.cli import cli
from loadwatch.review import cohort
from loadwatch.review import run as review_run
from tests.verdict import patterns

AS_OF = patterns.AS_OF


def long_diary(name: str, spikes: list[int], pains: list[int]):
    """Steady running for 200 days with a few long-run spikes (days before AS_OF), a diary kept
    from 180 days back with an episode on each of ``pains`` (days before AS_OF)."""
    s = patterns.steady(name, patterns.BASE, first=AS_OF - timedelta(days=200))
    for back in spikes:
        s.run(AS_OF - timedelta(days=back), 26.0)
    s.pain = [f"{AS_OF - timedelta(days=180)},0,,,,,diary started"]
    s.pain += [f"{AS_OF - timedelta(days=back)},3,inner knee,left,gradual,," for back in pains]
    return s


def invoke(*args):
    result = CliRunner().invoke(cli, [*map(str, args), "--no-cache"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_the_report_says_one_sentence_from_the_athletes_own_review(tmp_path):
    folder = long_diary("Kari", [150, 100], [99, 40]).write(tmp_path / "kari")
    doc = json.loads(invoke("report", folder, "--as-of", AS_OF, "--format", "json").stdout)
    own = doc["review"]
    assert own["athlete_days"] >= 91 and own["episodes"] == 2
    assert own["sentence"].startswith("Your own diary: too few episodes to tell")
    assert own["rate_ratio"]["high"]["too_few_to_tell"]
    text = invoke("report", folder, "--as-of", AS_OF).stdout
    assert own["sentence"] in " ".join(text.split())  # wrapped to the terminal's width
    # The same numbers as the athlete's own `loadwatch review`.
    review = json.loads(invoke("review", folder, "--as-of", AS_OF, "--format", "json").stdout)
    assert own["rate_ratio"] == review["rate_ratio"]
    assert own["athlete_days"] == sum(v["athlete_days"] for v in review["levels"].values())


def test_too_little_history_gives_counts_but_no_sentence(tmp_path):
    s = long_diary("Ola", [], [20])
    s.pain[0] = f"{AS_OF - timedelta(days=40)},0,,,,,diary started"
    doc = json.loads(invoke("report", s.write(tmp_path / "ola"), "--as-of", AS_OF, "--format",
                            "json").stdout)
    assert doc["review"]["sentence"] is None and doc["review"]["rate_ratio"] == {}
    assert doc["review"]["lags"]["day_before"]["usual"]["athlete_days"] > 0


def test_no_diary_no_review(tmp_path):
    s = long_diary("Per", [], [])
    s.pain = []
    doc = json.loads(invoke("report", s.write(tmp_path / "per"), "--as-of", AS_OF, "--format",
                            "json").stdout)
    assert doc["review"] is None


def test_the_squad_pools_what_review_pools(tmp_path):
    team = tmp_path / "team"
    long_diary("Kari", [150, 100], [99, 40]).write(team / "kari")
    long_diary("Lise", [120, 60, 30], [59, 140]).write(team / "lise")
    squad = json.loads(invoke("squad", team, "--as-of", AS_OF, "--format", "json",
                              "--workers", "1").stdout)["review"]
    review = json.loads(invoke("review", team, "--as-of", AS_OF, "--format", "json",
                               "--workers", "1").stdout)
    assert squad["athletes"] == 2
    assert squad["levels"] == review["levels"]
    assert squad["rate_ratio"] == review["rate_ratio"]
    assert squad["lags"] == review["lags"]
    for fmt in ("text", "markdown", "html"):
        page = invoke("squad", team, "--as-of", AS_OF, "--workers", "1", "--format", fmt).stdout
        assert "How pain followed the load level (the squad, pooled)" in page
        usual = f"{review['levels']['usual']['athlete_days']:,}"
        assert usual in page
        if fmt != "html":
            assert review["rate_ratio"]["high"]["words"] in page



def test_the_reports_review_takes_the_verdicts_episodes_only_when_they_are_the_diarys(
        tmp_path, monkeypatch):
    # The verdict reads the diary up to the report date, the review all of it: the episodes
    # found once serve both only when no entry comes after that date.
    story = long_diary("Kari", [150, 100], [99, 40])
    story.pain += [f"{AS_OF - timedelta(days=3)},4,inner knee,left,gradual,,"]
    athlete = loadwatch.load_athlete(story.write(tmp_path / "kari"))
    found = []
    real = cohort.diary_episodes
    monkeypatch.setattr(cohort, "diary_episodes", lambda d: found.append(d) or real(d))
    for as_of, episodes, again in ((AS_OF, 3, 0), (AS_OF - timedelta(days=4), 2, 1)):
        found.clear()
        review = loadwatch.assess(athlete, as_of=as_of).to_json()["review"]
        assert len(found) == again and review["episodes"] == episodes
        options = assessment.options_for(athlete.settings, as_of=as_of, folder=athlete.folder)
        assert review == review_run.report_part(athlete, options)  # everything made afresh
