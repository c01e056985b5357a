"""Worked examples for loadwatch.verdict.clinical: each status from a hand-made diary through
:func:`loadwatch.verdict.clinical.assess`, with each rule's edge (one day or one point short).

Day 0 is Mon 2 Nov 2026 (:mod:`tests.activities`); day 13 is Sun 15 Nov, day 20 Sun 22 Nov.
The thresholds are the defaults: 3/10 on 3 of 7 days, an episode of 14 days, weekly peaks rising
over 3 weeks, 7 silent days."""

import pandas as pd
import pytest

from loadwatch import pain
from loadwatch.verdict import clinical
from tests.activities import build, day, run
from tests.pain import diary_of

NO_RUNS = build([])


def status(tmp_path, rows, as_of, timeline=NO_RUNS):
    """The clinical status of a diary of ``rows`` (``(day number, "severity,location,...")``)."""
    diary = diary_of(tmp_path, *(f"{day(n)},{rest}" for n, rest in rows))
    return clinical.assess(diary, timeline, day(as_of))


# -- none: no diary, an empty one, pain-free days ------------------------------------------

def test_no_diary_says_how_to_start_one():
    c = clinical.assess(None, pd.DataFrame(), day(20))
    assert (c.status, c.diary, c.reasons) == ("none", "none", [])
    assert c.diary_note.startswith("No pain diary: loadwatch cannot tell how your knee feels.")
    assert c.summary == f"NOTHING IN THE DIARY NEEDS A CLINICIAN. {c.diary_note}"


def test_entries_after_the_report_date_are_not_read(tmp_path):
    # The only entry is on day 25, after as_of (day 20): as good as an empty diary.
    c = status(tmp_path, [(25, "7,knee,,sudden,pop,")], 20)
    assert (c.status, c.diary) == ("none", "none")
    assert c.diary_note.startswith("The pain diary has no entry yet")


def test_pain_free_days_only(tmp_path):
    # Two 0/10 entries, days 3 and 5 (Thu 5 Nov, Sat 7 Nov), read on day 6.
    c = status(tmp_path, [(3, "0,,,,,"), (5, "0,,,,,")], 6)
    assert (c.status, c.diary, c.last_pain) == ("none", "pain_free", (0, day(5)))
    assert c.summary == ("NOTHING IN THE DIARY NEEDS A CLINICIAN. 2 pain-free days recorded, the "
                         "last on Sat 7 Nov.")


# -- check_now: a red flag not yet assessed ------------------------------------------------

def test_a_red_flag_is_check_now_and_counts_the_runs_since(tmp_path):
    # A pop with a sudden onset on day 5 (Sat 7 Nov). Runs on days 3, 7 and 9: the one on day 3
    # came before it, so 2 runs since, the last 8 km on day 9 (Wed 11 Nov).
    runs = build([run(3, 10), run(7, 5), run(9, 8)])
    c = status(tmp_path, [(5, "6,inner knee,left,sudden,pop,")], 10, runs)
    assert (c.status, c.red_flag_day, c.runs_since) == ("check_now", day(5), 2)
    assert c.reasons[0].startswith("your diary records a pop and sudden onset (first on Sat 7 "
                                   "Nov), which may be an injury")
    assert c.reasons[1] == ("You have run 2 times since (the last 8.0 km on Wed 11 Nov): stop "
                            "running on it until it has been checked.")
    assert c.reasons[2] == "Once it has been assessed, record it: 'loadwatch pain add --athlete DIR --assessed'."
    assert c.summary.startswith("CHECK NOW: your diary records a pop")


def test_a_red_flag_in_miles(tmp_path):
    # 8 km = 8000 / 1609.344 = 4.97 mi.
    diary = diary_of(tmp_path, f"{day(5)},6,knee,,,giving way,")
    c = clinical.assess(diary, build([run(9, 8)]), day(10), units="mi")
    assert "(the last 5.0 mi on Wed 11 Nov)" in c.reasons[1]


def test_an_assessment_closes_the_red_flag_and_improving_pain_reads_so(tmp_path):
    # The pop on day 5; assessed on day 8 at 3/10; 2/10 on day 10: 3 -> 2, improving. Again if
    # it reaches 2 + 2 = 4/10 (assessed_rise_points 2 over the lowest since).
    c = status(tmp_path, [(5, "6,inner knee,left,sudden,pop,"),
                          (8, "3,inner knee,left,,assessed,"), (10, "2,inner knee,left,,,")], 10)
    assert (c.status, c.red_flag_day, c.reasons) == ("none", None, [])
    assert c.summary == ("ASSESSED, IMPROVING: assessed on 10 Nov; 3 -> 2/10. Get it assessed "
                         "again if it rises to 4/10 or more (2 points over its lowest since, "
                         "2/10) or stops improving for 14 days.")


# -- assess_soon: persistent, long, rising ---------------------------------------------------

@pytest.mark.parametrize(("rows", "expected"), [
    # 3, 4 and 3 on days 14, 16, 20: three days at 3/10 or more in days 14-20.
    ([(14, "3"), (16, "4"), (20, "3")], "assess_soon"),
    # One of them at 2/10: two days, one short.
    ([(14, "3"), (16, "2"), (20, "3")], "none"),
    # The first on day 13, one day before the 7-day window (days 14-20) begins.
    ([(13, "3"), (16, "4"), (20, "3")], "none"),
])
def test_persistent_pain(tmp_path, rows, expected):
    c = status(tmp_path, [(n, f"{s},knee,,,,") for n, s in rows], 20)
    assert c.status == expected
    if expected == "assess_soon":
        assert c.reasons == ["pain of 3/10 or more on 3 of the last 7 days (up to 4/10): pain "
                             "that persists needs assessing, early."]


@pytest.mark.parametrize(("last", "expected"), [(13, "assess_soon"), (12, "none")])
def test_a_long_episode(tmp_path, last, expected):
    # 2/10 on days 0, 7 and `last` (gaps of 7 days or less: one episode), read on that day:
    # days 0-13 are 14 days, the rule's length; days 0-12 are 13.
    c = status(tmp_path, [(0, "2,knee,,,,"), (7, "2,knee,,,,"), (last, "2,knee,,,,")], last)
    assert c.status == expected
    if expected == "assess_soon":
        assert c.reasons == ["your knee pain has gone on for 14 days (since Mon 2 Nov): get it "
                             "assessed rather than wait."]


@pytest.mark.parametrize(("third", "expected"), [(3, "assess_soon"), (2, "none")])
def test_weekly_peaks_rising_two_weeks_running(tmp_path, third, expected):
    # Weekly worst pain 1/10 (Mon 2 Nov), 2/10 (Sun 15 Nov), then `third` (Sun 22 Nov): 1 < 2 < 3
    # rises twice; 1 < 2 = 2 does not. Day 0 to day 13 is a gap of 13 days, so no episode is
    # 14 days long, and no day but one reaches 3/10: only this rule can speak.
    c = status(tmp_path, [(0, "1,knee,,,,"), (13, "2,knee,,,,"), (20, f"{third},knee,,,,")], 20)
    assert c.status == expected
    if expected == "assess_soon":
        assert c.reasons == ["your weekly worst pain has risen 2 weeks running (1/10 to 2/10 to "
                             "3/10): worsening pain needs assessing, even without an injury."]


# -- silence is not recovery ---------------------------------------------------------------

def test_persistent_pain_keeps_its_status_through_silence(tmp_path):
    # 3, 4, 3 on days 10-12, then nothing until day 20: judged as of the last entry (day 12,
    # Sat 14 Nov), 8 days ago, which is 7 or more: the status stands and asks how the knee is.
    c = status(tmp_path, [(10, "3,knee,,,,"), (11, "4,knee,,,,"), (12, "3,knee,,,,")], 20)
    assert (c.status, c.silent_since) == ("assess_soon", day(12))
    assert c.reasons == ["pain of 3/10 or more on 3 of the 7 days to the last diary entry, Sat 14 "
                         "Nov (up to 4/10): pain that persists needs assessing, early."]
    assert c.silence.startswith("No diary entry since Sat 14 Nov: how is the knee? 8 days")


@pytest.mark.parametrize(("as_of", "silent"), [(17, True), (16, False)])
def test_pain_then_silence_never_reads_as_nothing(tmp_path, as_of, silent):
    # 2/10 on day 10 (Thu 12 Nov), no rule met. 7 days later (day 17) the diary is silent;
    # 6 days later (day 16) not yet.
    c = status(tmp_path, [(10, "2,knee,,,,")], as_of)
    assert (c.status, c.last_pain) == ("none", (2, day(10)))
    assert (c.silent_since == day(10)) is silent
    if silent:
        assert c.summary.startswith("PAIN 2/10 LAST RECORDED ON THU 12 NOV: No diary entry since "
                                    "Thu 12 Nov: how is the knee? 7 days without one")
    else:
        assert c.summary == "NOTHING IN THE DIARY NEEDS A CLINICIAN. Last diary entry on Thu 12 Nov."


def test_statuses_are_the_documented_three():
    assert clinical.STATUSES == ("check_now", "assess_soon", "none")
    assert pain.MAX_GAP_DAYS == 7  # the long-episode clock runs on through at most these days
