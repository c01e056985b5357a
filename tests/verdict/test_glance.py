"""Worked examples for loadwatch.verdict.glance: the first screen of each kind of verdict, built
from hand-made runs and diaries through loadwatch.verdict.judge.

Day 0 is Mon 2 Nov 2026 (:mod:`tests.activities`). Runs: 8 km on Tuesdays and Thursdays and a
long run on Sundays, for 8 weeks before the report date (day 55, Sun 27 Dec 2026)."""

from loadwatch.verdict import VerdictOptions, glance, judge
from tests.activities import build, day, run
from tests.pain import diary_of

AS_OF = 55


def runs(extra=()):
    plan = [run(n, 8) for n in range(AS_OF + 1) if n % 7 in (1, 3)]
    plan += [run(n, 12) for n in range(AS_OF + 1) if n % 7 == 6]
    return build(plan + list(extra))


def verdict(tmp_path, rows=None, extra=()):
    diary = None if rows is None else diary_of(tmp_path, *(f"{day(n)},{r}" for n, r in rows))
    return judge(runs(extra), "Test", VerdictOptions(as_of=day(AS_OF)), diary)


def test_a_usual_week_without_a_diary(tmp_path):
    v = verdict(tmp_path)
    g = glance.of(v)
    assert (g.clinical_status, g.clinical_label, g.clinical_reason) == (
        "none", "NOTHING IN THE DIARY NEEDS A CLINICIAN", "No pain diary")
    assert (g.level, g.level_label) == ("usual", "USUAL")
    assert g.level_reason == "No run much longer than your recent longest and no big weekly jump"
    assert g.plan == "build" and g.todo[0].startswith("Keep next week within these numbers.")
    assert len(g.todo) <= glance.MAX_TODO


def test_a_red_flag_says_check_now_and_no_running_first(tmp_path):
    # A pop on day 52 (Thu 24 Dec); the runs on days 52 (same day, before it counts not) and 55.
    v = verdict(tmp_path, [(52, "6,inner knee,left,sudden,pop,")])
    g = glance.of(v)
    assert (g.clinical_status, g.clinical_label) == ("check_now", "CHECK NOW")
    assert g.clinical_reason.startswith("A red flag in your pain diary, first on Thu 24 Dec; ")
    assert g.clinical_reason.endswith(f"{v.clinical.runs_since} run"
                                      f"{'s' if v.clinical.runs_since > 1 else ''} since")
    assert g.plan == "stop" and g.todo[0] == v.next_week.lines[0]
    assert g.todo[0].startswith("No running until the red flag")


def test_persistent_pain_reads_without_its_advice_and_holds_the_week(tmp_path):
    v = verdict(tmp_path, [(n, "4,inner knee,left,,,") for n in (50, 52, 53, 55)])
    g = glance.of(v)
    assert g.clinical_label == "GET IT ASSESSED SOON"
    assert g.clinical_reason == "Pain of 3/10 or more on 4 of the last 7 days (up to 4/10)"
    assert g.todo[0] == glance.ASSESS_SOON
    assert g.plan == "hold" and g.todo[1] == v.next_week.lines[0]


def test_an_assessment_improving(tmp_path):
    v = verdict(tmp_path, [(45, "6,inner knee,left,sudden,pop,"), (48, "3,inner knee,left,,assessed,"),
                           (54, "1,inner knee,left,,,")])
    g = glance.of(v)
    assert g.clinical_status == "none" and g.clinical_label == "ASSESSED, IMPROVING"
    assert g.clinical_reason == "Assessed on 20 Dec; 3 -> 1/10"


def test_a_spike_names_its_run_and_activities_to_check_are_said(tmp_path):
    # A 30 km run on Sun 27 Dec against 12 km long runs: high; a 100 km "run" in 2 h to check.
    v = verdict(tmp_path, extra=[run(AS_OF, 30, hour=12), run(54, 100, 120)])
    g = glance.of(v)
    assert g.level == "high" and g.level_label == "HIGH"
    assert g.level_reason.startswith("A run more than twice as long as your longest")
    assert "Sun 27 Dec" in g.level_reason
    assert any(t.startswith('Settle 1 activity under "Data to check"') for t in g.todo)


def test_a_high_level_from_a_run_in_a_big_week_names_both(tmp_path):
    # A 13.5 km run on Sat 26 Dec (1.12x the 12 km long runs: alone, RAISED) in a week up 84%:
    # HIGH for the two together, so the one line names both, as the Status section does.
    v = verdict(tmp_path, extra=[run(50, 10), run(54, 13.5)])
    g = glance.of(v)
    assert g.level_label == "HIGH"
    assert g.level_reason == ("A run 12% longer than your longest of the month before, on Sat 26 Dec "
                              "(1.12x); weekly running distance up 84% (week of Mon 21 Dec)")


def test_a_high_level_from_a_run_while_pain_goes_on_says_so(tmp_path):
    # The Sunday long run is 13.5 km (1.12x) in an ordinary week, with pain of 4/10 going on.
    plan = [run(n, 8) for n in range(AS_OF + 1) if n % 7 in (1, 3)]
    plan += [run(n, 12) for n in range(AS_OF) if n % 7 == 6] + [run(AS_OF, 13.5)]
    diary = diary_of(tmp_path, *(f"{day(n)},4,inner knee,left,,," for n in (52, 53, 55)))
    v = judge(build(plan), "Test", VerdictOptions(as_of=day(AS_OF)), diary)
    g = glance.of(v)
    assert g.level_label == "HIGH"
    # The Status section's sentence says it too.
    assert v.risk.summary == ("HIGH: a run 12% longer than your longest of the month before, on "
                              "Sun 27 Dec (1.12x), while pain of 3/10 or more goes on.")
    assert g.level_reason == ("A run 12% longer than your longest of the month before, on Sun 27 Dec "
                              "(1.12x), while pain of 3/10 or more goes on")
