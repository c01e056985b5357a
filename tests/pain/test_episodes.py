"""loadwatch.pain.episodes: grouping pain days into episodes, linking each to the load flags of
the 21 days before it, ongoing or over, pain now."""

from datetime import date, timedelta

import pytest

from loadwatch import pain
from tests.pain import diary_of, episode, flag


def spans(eps):
    return [(e.start.isoformat(), e.end.isoformat()) for e in eps]


def test_a_gap_of_7_days_continues_an_episode_and_8_days_starts_another(tmp_path):
    seven = diary_of(tmp_path, "2024-10-01,3,knee,,,,", "2024-10-08,2,knee,,,,")
    assert spans(pain.episodes(seven)) == [("2024-10-01", "2024-10-08")]
    eight = diary_of(tmp_path, "2024-10-01,3,knee,,,,", "2024-10-09,2,knee,,,,")
    assert spans(pain.episodes(eight)) == [("2024-10-01", "2024-10-01"),
                                           ("2024-10-09", "2024-10-09")]


def test_pain_free_entries_are_not_pain(tmp_path):
    d = diary_of(tmp_path, "2024-10-01,3,knee,,,,", "2024-10-05,0,,,,,",
                 "2024-10-07,2,knee,,,,", "2024-10-20,0,,,,,")
    assert spans(pain.episodes(d)) == [("2024-10-01", "2024-10-07")]


def test_a_sudden_onset_starts_its_own_episode(tmp_path):
    d = diary_of(tmp_path,
                 "2024-10-01,3,inner knee,left,gradual,,",
                 "2024-10-03,3,inner knee,left,,,",
                 "2024-10-04,7,inner knee,left,sudden,twist;weight_bearing_pain,",
                 "2024-10-05,6,inner knee,left,sudden,swelling,",   # the same event logged again
                 "2024-10-06,5,inner knee,left,,,",
                 "2024-10-08,6,calf,right,sudden,pop,")             # another event
    eps = pain.episodes(d)
    assert spans(eps) == [("2024-10-01", "2024-10-03"), ("2024-10-04", "2024-10-06"),
                          ("2024-10-08", "2024-10-08")]
    acute = eps[1]
    assert (acute.peak, acute.onset, acute.entries) == (7, "sudden", 3)
    assert acute.red_flags == ("sudden onset", "pain on weight bearing after a twist")
    assert eps[2].location_key == "calf"


def test_episode_fields(tmp_path):
    d = diary_of(tmp_path,
                 "2024-10-01,2,knee,left,,clicking,",
                 "2024-10-02,5,inner knee,right,gradual,,",
                 "2024-10-03,4,inner knee,,,stiffness,")
    [ep] = pain.episodes(d)
    assert (ep.start, ep.end, ep.peak) == (date(2024, 10, 1), date(2024, 10, 3), 5)
    assert (ep.location, ep.location_key, ep.side, ep.onset) == (
        "inner-knee", "medial_knee", "both", "gradual")
    assert (ep.red_flags, ep.symptoms, ep.entries) == ((), ("clicking", "stiffness"), 3)


def test_episodes_ignore_the_order_of_rows_in_the_file(tmp_path):
    rows = ["2024-10-01,3,knee,,,,", "2024-10-08,2,knee,,,,", "2024-10-20,4,hip,,sudden,,",
            "2024-10-21,1,hip,,,,"]
    forward = pain.episodes(diary_of(tmp_path, *rows))
    assert pain.episodes(diary_of(tmp_path, *reversed(rows))) == forward


START = date(2024, 10, 11)


@pytest.mark.parametrize(("first", "last", "counts"), [
    (START - timedelta(days=21), None, True),     # first day of the window
    (START - timedelta(days=22), None, False),    # the day before it
    (START, None, True),                          # the start day itself counts
    (START + timedelta(days=1), None, False),     # after the pain began
    (START - timedelta(days=40), START - timedelta(days=21), True),   # a span reaching in
    (START - timedelta(days=40), START - timedelta(days=22), False),  # a span ending before
    (START - timedelta(days=3), START + timedelta(days=5), True),     # going on at the start
])
def test_the_linking_window(first, last, counts):
    f = flag("run_streak", first, 9, until=last)
    [lk] = pain.link([episode(START)], [f])
    assert (lk.flags == (f,)) is counts


def test_pain_red_flags_are_not_load_flags():
    red = flag("pain_red_flag", START - timedelta(days=2), 6, severity="high")
    [lk] = pain.link([episode(START)], [red])
    assert lk.flags == ()


def test_the_sentence():
    flags = [flag("long_run_spike", date(2024, 10, 4), 1.57, evidence="strong"),
             flag("run_streak", date(2024, 9, 29), 13, until=date(2024, 10, 11),
                  evidence="advice")]
    [lk] = pain.link([episode(START)], flags)
    assert lk.sentence == ("Your inner-knee pain began on 11 Oct, 7 days after a long run 1.57x "
                           "your longest in the previous month and during a 13-day running "
                           "streak.")
    assert lk.summary.startswith(lk.sentence + " It was 4/10 on that day only.")


def test_the_sentence_with_no_flags():
    [lk] = pain.link([episode(START, side="left")], [])
    assert lk.sentence == ("Your left inner-knee pain began on 11 Oct. No load flag was raised "
                           "in the 21 days before it began, nor on that day.")


def test_the_sentence_names_the_three_most_telling_one_per_code():
    flags = [
        flag("no_cross_training", START - timedelta(days=1), 30, severity="info",
             evidence="advice"),
        flag("long_run_spike", START - timedelta(days=10), 1.2, evidence="strong"),
        flag("long_run_spike", START - timedelta(days=1), 1.4, evidence="strong"),
        flag("weekly_distance_jump", START - timedelta(days=6), 45.0, severity="high"),
        flag("run_streak", START - timedelta(days=12), 14, until=START, evidence="advice"),
    ]
    [lk] = pain.link([episode(START)], flags)
    assert lk.sentence == (
        "Your inner-knee pain began on 11 Oct, 6 days after a week with 45% more running distance "
        "than the week before, the day after a long run 1.40x your longest in the previous month "
        "and during a 14-day running streak.")
    assert len(lk.flags) == 5


def test_a_flag_on_the_start_day_and_a_flag_without_a_value():
    flags = [flag("long_run_spike", START, 2.5, severity="high"),
             flag("monotony_high", START - timedelta(days=2), None)]
    [lk] = pain.link([episode(START)], flags)
    assert lk.sentence.endswith("on the same day as a long run 2.50x your longest in the previous "
                                "month and 2 days after a week of monotonous training.")


def test_the_summary_tells_red_flags_and_clicking():
    red = episode(START, START + timedelta(days=3), red_flags=("a pop",), peak=7)
    click = episode(START, symptoms=("clicking",))
    red_link, click_link = pain.link([red, click], [])
    assert ("It peaked at 7/10 and lasted until 14 Oct. It came with a pop, a sign of an acute "
            "injury rather than overload: get it checked by a sports physical therapist or doctor "
            "before running on it.") in red_link.summary
    assert click_link.summary.endswith(pain.CLICKING_NOTE)


def test_an_injury_is_not_linked_to_load(tmp_path):
    # A twist stepping off a kerb is not "linked" to 67 days without cross-training.
    d = diary_of(tmp_path, "2024-10-11,6,inner knee,left,sudden,twist;swelling,off a kerb")
    (ep,) = pain.episodes(d)
    flags = [flag("no_cross_training", date(2024, 8, 5), 67.0, until=date(2024, 10, 11)),
             flag("long_run_spike", date(2024, 10, 10), 1.5)]
    (lk,) = pain.link([ep], flags)
    assert lk.flags == ()
    assert "at a twist: that points to an injury, not to the training load" in lk.sentence
    assert "cross-training" not in lk.summary


def test_an_ongoing_episode_says_so(tmp_path):
    d = diary_of(tmp_path, "2024-10-11,3,inner knee,left,gradual,tightness,",
                 "2024-10-14,4,inner knee,left,gradual,tightness,")
    eps = pain.episodes(d)
    assert pain.ongoing(eps, d, date(2024, 10, 16)) == eps
    (lk,) = pain.link(eps, [], ongoing=pain.ongoing(eps, d, date(2024, 10, 16)))
    assert "ongoing since 11 Oct" in lk.summary and "lasted until" not in lk.summary
    # A pain-free day after it, and it is over; a week of silence is not recovery (issue 16).
    d2 = diary_of(tmp_path, "2024-10-11,3,inner knee,left,gradual,,", "2024-10-15,0,,,,,")
    assert pain.ongoing(pain.episodes(d2), d2, date(2024, 10, 16)) == []
    assert pain.ongoing(eps, d, date(2024, 10, 22)) == eps


def test_an_assessment_alone_has_no_severity_and_is_neither_pain_nor_pain_free(tmp_path):
    d = diary_of(tmp_path, "2024-10-11,4,inner knee,left,gradual,,", "2024-10-12,,,,,assessed,",
                 "2024-10-13,,inner knee,,,,sore")
    assert len(d.entries) == 2 and "line 4: severity is missing" in d.errors[0]
    assert pain.pain_now(d, date(2024, 10, 12)) == 4
    assert pain.ongoing(pain.episodes(d), d, date(2024, 10, 12)) == pain.episodes(d)
    assert "2024-10-12  -" in pain.format_diary(d)
