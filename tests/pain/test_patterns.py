"""loadwatch.pain.patterns: flags before pain episodes against pain-free stretches of the same
length."""

from datetime import date

from loadwatch import pain
from tests.pain import episode, flag


def test_pattern_counts_against_pain_free_stretches():
    # Pain on Feb 10-12, Apr 1-3 and Jun 1-2 2024; data from Jan 1 to Jun 30. Pain-free
    # 22-day windows, cut from the start of each pain-free stretch: Jan 1-22 | Feb 13-Mar 5,
    # Mar 6-27 | Apr 4-25, Apr 26-May 17 | Jun 3-24: six.
    eps = [episode(date(2024, 2, 10), date(2024, 2, 12)),
           episode(date(2024, 4, 1), date(2024, 4, 3)),
           episode(date(2024, 6, 1), date(2024, 6, 2))]
    flags = [
        flag("long_run_spike", date(2024, 2, 5), 1.3),    # before pain 1
        flag("long_run_spike", date(2024, 3, 20), 1.4),   # before pain 2, and in Mar 6-27
        flag("long_run_spike", date(2024, 5, 25), 1.6),   # before pain 3
        flag("run_streak", date(2024, 1, 5), 10, until=date(2024, 1, 15)),   # Jan 1-22 only
        flag("run_streak", date(2024, 5, 1), 30, until=date(2024, 5, 31)),   # pain 3, Apr 26-May 17
        flag("pain_red_flag", date(2024, 3, 30), 7, severity="high"),
    ]
    p = pain.patterns(eps, flags, date(2024, 1, 1), date(2024, 6, 30))
    assert (p.episodes, p.left_out, p.pain_free_windows, p.enough) == (3, 0, 6, True)
    assert p.counts == (pain.PatternCount("long_run_spike", 3, 1),
                        pain.PatternCount("run_streak", 1, 2))
    assert p.summary == (
        "Across 3 pain episodes (the 21 days before each began, and its first day) and 6 "
        "pain-free 22-day stretches: a long-run spike came before 3 of 3 episodes (100%) and 1 of "
        "6 pain-free stretches (17%); a running streak came before 1 of 3 episodes (33%) and 2 of "
        "6 pain-free stretches (33%). A pattern in one runner's diary is a hint to discuss, not "
        "proof of a cause.")
    assert p.to_json()["codes"][0] == {"code": "long_run_spike", "before_pain": 3,
                                       "before_pain_share": 1.0, "before_pain_free": 1,
                                       "before_pain_free_share": 0.167}


def test_too_few_episodes_to_call_a_pattern():
    eps = [episode(date(2024, 1, 10)),  # no 21 days of data before it: left out
           episode(date(2024, 3, 1)), episode(date(2024, 5, 1)),
           episode(date(2024, 8, 1))]  # after as_of: not counted at all
    flags = [flag("long_run_spike", date(2024, 2, 25), 1.5)]
    p = pain.patterns(eps, flags, date(2024, 1, 1), date(2024, 6, 30))
    assert (p.episodes, p.left_out, p.enough) == (2, 1, False)
    assert p.summary == ("Only 2 pain episodes with 21 days of activity data before them: too few "
                         "to call a pattern (at least 3 are needed). 1 more began before there "
                         "were 21 days of activity data to look back on.")
    assert p.counts[0].before_pain == 1  # the counts are still given


def test_no_timeline_means_no_pattern():
    p = pain.patterns([episode(date(2024, 3, 1))], [], None, date(2024, 6, 30))
    assert (p.episodes, p.pain_free_windows, p.counts) == (0, 0, ())
    assert p.summary.startswith("No pain episode with 21 days of activity data before it: too few")
