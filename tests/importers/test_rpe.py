"""Session RPE from every source: Strava's export, FIT sessions, the timeline's session load."""

from datetime import UTC, datetime

import numpy as np
import pytest

from loadwatch import duplicates, timeline
from loadwatch.importers import fitmessages, rpe
from loadwatch.importers.fit import read_fit
from loadwatch.importers.strava import read_activities_csv
from tests.importers import fitgen
from tests.importers.exportgen import StravaRun, strava_rpe_csv
from tests.importers.test_strava_i18n import GERMAN_92, one_row

START = datetime(2026, 11, 2, 7, tzinfo=UTC)


def test_strava_perceived_exertion_is_the_rating_and_prefer_is_not():
    data = strava_rpe_csv(StravaRun(1, START, 40, 8.0, rpe="7", prefer="true"),
                          StravaRun(2, START.replace(day=3), 30, 6.0, rpe="", prefer="true"),
                          StravaRun(3, START.replace(day=4), 30, 6.0, rpe="0"),
                          StravaRun(4, START.replace(day=5), 30, 6.0, rpe="12"))
    result = read_activities_csv(data, "activities.csv")
    assert result.errors == []
    # Empty, 0 (Strava's "nobody rated") and off the 1-10 scale are not rated; the
    # setting beside it is never a rating.
    assert [r.activity.rpe for r in result.rows] == [7.0, None, None, None]
    assert [r.activity.duration_s for r in result.rows] == [2400.0, 1800.0, 1800.0, 1800.0]


def test_german_export_reads_gefuehlte_anstrengung():
    row = one_row(GERMAN_92, {"Aktivitäts-ID": "1", "Aktivitätsdatum": "09.12.2022, 15:24:49",
                              "Aktivitätsart": "Lauf", "Verstrichene Zeit": "1800",
                              "Distanz": "5,00", "Dateiname": "", "Gefühlte Anstrengung": "6",
                              "Gefühlte Anstrengung verwenden": "1"})
    assert row.activity.rpe == 6.0


@pytest.mark.parametrize("session_s", [None, 1000])  # complete (walked) or decoded by fitparse
def test_fit_workout_rpe_is_read_divided_by_ten(session_s):
    data = fitgen.activity(START, [fitgen.Leg(workout_rpe=70, workout_feel=25,
                                              session_s=session_s)])
    (act,) = read_fit(data, "run.fit")
    assert act.rpe == 7.0


def test_fitparse_path_reads_the_field_its_profile_does_not_name():
    data = fitgen.activity(START, [fitgen.Leg(workout_rpe=45)])
    (msg,) = fitmessages.decode(data).sessions
    assert fitmessages.session_summary(msg).rpe == 4.5


def test_fit_workout_feel_alone_is_no_rating():
    (act,) = read_fit(fitgen.activity(START, [fitgen.Leg(workout_feel=100)]), "run.fit")
    assert act.rpe is None


def test_intervals_icu_hook_reads_icu_rpe_not_feel():
    assert rpe.from_intervals_icu({"icu_rpe": 8, "feel": 1}) == 8.0
    assert rpe.from_intervals_icu({"icu_rpe": None, "feel": 4}) is None


def test_timeline_session_load_is_rating_times_moving_minutes_and_nan_when_unrated():
    data = strava_rpe_csv(StravaRun(1, START, 40, 8.0, rpe="7"),
                          StravaRun(2, START.replace(day=3), 30, 6.0))
    acts = [r.activity for r in read_activities_csv(data, "activities.csv").rows]
    tl = timeline.build(acts, "x", timeline.resolve_tz("UTC"))
    assert tl["rpe"].tolist()[0] == 7.0 and np.isnan(tl["rpe"].tolist()[1])
    assert tl["session_load"].tolist()[0] == 280.0  # 7 x 40 min
    assert np.isnan(tl["session_load"].tolist()[1])
    assert list(tl.columns) == list(timeline.COLUMNS)


def test_duplicate_recordings_keep_the_csv_rows_rating_on_the_fit_record():
    fit = read_fit(fitgen.activity(START, [fitgen.Leg(seconds=1800)]), "run.fit")
    csv_row = read_activities_csv(strava_rpe_csv(StravaRun(9, START, 30, 5.4, rpe="6")),
                                  "activities.csv").rows[0].activity
    tl = timeline.build([*fit, csv_row], "x", timeline.resolve_tz("UTC"))
    kept = duplicates.dedupe(tl).timeline
    assert len(kept) == 1 and kept["source"].iloc[0] == "fit"
    assert kept["rpe"].iloc[0] == 6.0
    assert kept["session_load"].iloc[0] == 6.0 * 1800 / 60
