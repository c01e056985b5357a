"""Each activity once (loadwatch/duplicates.py): two recordings of one session are one activity,
and an implausible recording never absorbs real ones."""

from datetime import UTC, datetime, timedelta

import pytest

from loadwatch import duplicates, timeline
from tests.test_timeline import OSLO, act


class TestDedupe:
    def build(self, *acts):
        df, dropped, _ = duplicates.dedupe(timeline.build(list(acts), "x", OSLO))
        return df, dropped

    def test_watch_fit_and_strava_copy_are_one_activity_keeping_the_richer(self):
        t = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
        fit = act(start=t, distance_m=10_050.0, avg_hr=150.0, max_hr=170.0, duration_s=3000.0)
        gpx = act(source="gpx", path="b.gpx", start=t + timedelta(seconds=40), sport="9",
                  distance_m=9_980.0, name="Morning Run")
        df, dropped = self.build(fit, gpx)
        assert dropped == 1 and len(df) == 1
        row = df.iloc[0]
        assert row["source"] == "fit" and row["avg_hr"] == 150.0
        assert row["name"] == "Morning Run"  # filled from the copy

    def test_csv_row_with_unknown_distance_matches(self):
        t = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
        df, dropped = self.build(act(start=t, distance_m=5000.0),
                                 act(source="strava_csv", path="activities.csv", start=t,
                                     sport="Run", external_id="9"))
        assert dropped == 1 and df.iloc[0]["source"] == "fit"

    @pytest.mark.parametrize("shift_s, dist, sport, expected", [
        (119, 10_000.0, "running", 1),     # within two minutes
        (180, 10_000.0, "running", 0),     # three minutes apart: two runs
        (30, 12_000.0, "running", 0),      # distances 20% apart
        (30, 10_400.0, "running", 1),      # 4% apart
        (30, 10_000.0, "cycling", 0),      # a ride is not the run
    ])
    def test_rules(self, shift_s, dist, sport, expected):
        t = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
        _, dropped = self.build(act(start=t, distance_m=10_000.0),
                                act(source="gpx", path="b.gpx", start=t + timedelta(seconds=shift_s),
                                    sport=sport, distance_m=dist))
        assert dropped == expected

    def test_multisport_legs_of_one_file_are_never_merged(self):
        t = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
        legs = [act(start=t, sport="swimming", index=0),
                act(start=t + timedelta(seconds=60), sport="transition", index=1),
                act(start=t + timedelta(seconds=90), sport="cycling", index=2)]
        df, dropped = self.build(*legs)
        assert dropped == 0 and len(df) == 3

    def test_dedupe_keeps_schema(self):
        t = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
        df, _ = self.build(act(start=t), act(source="gpx", path="b.gpx", start=t))
        for col, dtype in timeline.COLUMNS.items():
            assert str(df[col].dtype) == dtype, col


class TestTwoRecordingsOfOneSession:
    t = datetime(2026, 6, 1, 17, 0, tzinfo=UTC)

    def dedupe(self, *acts):
        return duplicates.dedupe(timeline.build(list(acts), "x", OSLO))

    def test_watch_and_zwift_indoors_are_one_ride_keeping_the_longer_distance(self):
        watch = act(start=self.t, sport="cycling", sub_sport="indoor_cycling", gps=False,
                    elapsed_s=3600.0, duration_s=3600.0, distance_m=20_000.0, avg_hr=140.0)
        zwift = act(source="fit", path="zwift.fit", start=self.t + timedelta(minutes=3),
                    sport="cycling", sub_sport="virtual_activity", elapsed_s=3400.0,
                    duration_s=3400.0, distance_m=26_000.0, elevation_gain_m=300.0)
        df, dropped, pairs = self.dedupe(watch, zwift)
        assert dropped == 1 and len(df) == 1
        row = df.iloc[0]
        assert row["distance_m"] == 26_000 and row["avg_hr"] == 140 and row["elevation_gain_m"] == 300
        assert row["indoor"]
        assert len(pairs) == 1 and set(pairs[0]) == {"a.fit", "zwift.fit"}

    def test_treadmill_run_by_watch_and_app_is_one_run(self):
        watch = act(start=self.t, sub_sport="treadmill", gps=False, elapsed_s=2700.0,
                    distance_m=7_600.0, avg_hr=150.0)
        app = act(source="gpx", path="app.gpx", start=self.t + timedelta(minutes=4), sport="run",
                  elapsed_s=2400.0, distance_m=9_000.0)
        df, dropped, _ = self.dedupe(watch, app)
        assert dropped == 1 and df.iloc[0]["distance_m"] == 9_000 and df.iloc[0]["avg_hr"] == 150

    def test_outdoors_the_distances_must_still_agree(self):
        a = act(start=self.t, gps=True, elapsed_s=3600.0, distance_m=10_000.0)
        b = act(source="gpx", path="b.gpx", start=self.t + timedelta(minutes=3), sport="run",
                gps=True, elapsed_s=3500.0, distance_m=12_500.0)
        _, dropped, pairs = self.dedupe(a, b)
        assert dropped == 0 and pairs == []

    def test_overlap_of_less_than_half_the_shorter_is_two_activities(self):
        a = act(start=self.t, sub_sport="treadmill", elapsed_s=1800.0, distance_m=5_000.0)
        b = act(source="gpx", path="b.gpx", start=self.t + timedelta(minutes=20), sport="run",
                gps=False, elapsed_s=1800.0, distance_m=5_000.0)
        _, dropped, _ = self.dedupe(a, b)
        assert dropped == 0

    def test_indoor_ride_and_treadmill_run_at_once_are_not_merged(self):
        a = act(start=self.t, sub_sport="treadmill", elapsed_s=1800.0, distance_m=5_000.0)
        b = act(path="b.fit", start=self.t + timedelta(minutes=3), sport="cycling",
                sub_sport="indoor_cycling", elapsed_s=1800.0, distance_m=15_000.0)
        _, dropped, _ = self.dedupe(a, b)
        assert dropped == 0

    def test_a_long_recording_still_finds_its_copy_behind_other_sessions(self):
        # A 3 h ride; the phone's copy starts 10 min later, after five short files.
        ride = act(start=self.t, sport="cycling", sub_sport="indoor_cycling", elapsed_s=10_800.0,
                   distance_m=90_000.0)
        shorts = [act(path=f"s{i}.fit", start=self.t + timedelta(minutes=1 + 2.5 * i),
                      sport="swimming", elapsed_s=30.0) for i in range(4)]
        copy = act(source="gpx", path="phone.gpx", start=self.t + timedelta(minutes=9.5),
                   sport="ride", gps=False, elapsed_s=10_000.0, distance_m=80_000.0)
        df, dropped, _ = self.dedupe(ride, *shorts, copy)
        assert dropped == 1 and len(df) == 5

    def test_a_phone_restarted_mid_run_still_merges_into_the_watch_recording(self):
        # The watch recorded the whole 2 h run without GPS distance; the phone app saved it in
        # two parts a few minutes apart. One session: the parts are the watch's duplicates.
        watch = act(start=self.t, elapsed_s=7200.0)
        part1 = act(source="gpx", path="p1.gpx", start=self.t + timedelta(minutes=1),
                    elapsed_s=3000.0, distance_m=10_000.0)
        part2 = act(source="gpx", path="p2.gpx", start=self.t + timedelta(minutes=55),
                    elapsed_s=3600.0, distance_m=11_000.0)
        _, dropped, _ = self.dedupe(watch, part1, part2)
        assert dropped == 2

    def test_a_recording_spanning_runs_of_two_days_is_the_duplicate_of_neither(self):
        # A timer left running for 30 h covers a run on each of two days: no run is lost.
        glitch = act(start=self.t - timedelta(minutes=30), elapsed_s=30 * 3600.0)
        today = act(source="gpx", path="d1.gpx", start=self.t, elapsed_s=3600.0,
                    distance_m=10_000.0)
        tomorrow = act(source="gpx", path="d2.gpx", start=self.t + timedelta(days=1),
                       elapsed_s=3600.0, distance_m=10_000.0)
        df, dropped, _ = self.dedupe(glitch, today, tomorrow)
        assert dropped == 0 and len(df) == 3

    def test_many_activities_dedupe_in_linear_time(self):
        import time

        acts = [act(path=f"{i}.fit", start=self.t + timedelta(hours=6 * i), elapsed_s=3600.0,
                    distance_m=10_000.0) for i in range(20_000)]
        df = timeline.build(acts, "x", OSLO)
        began = time.perf_counter()
        _, dropped, _ = duplicates.dedupe(df)
        assert dropped == 0 and time.perf_counter() - began < 5


class TestAnImplausibleRecordingNeverAbsorbsRealOnes:
    """Issue 17: plausibility is judged before duplicates, and one record spans 48 h at most."""

    t = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)

    def runs(self, n=10):
        return [act(path=f"run{i}.fit", start=self.t + timedelta(days=i), elapsed_s=3000.0,
                    duration_s=3000.0, distance_m=10_000.0) for i in range(n)]

    def test_a_lap_of_46_days_absorbs_no_run(self):
        glitch = act(source="tcx", path="glitch.tcx", start=self.t - timedelta(hours=1),
                     elapsed_s=46 * 86400.0, duration_s=46 * 86400.0)
        df, dropped, pairs = duplicates.dedupe(timeline.build([glitch, *self.runs()], "x", OSLO))
        assert dropped == 0 and pairs == [] and len(df) == 11
        assert df["distance_m"].sum() == 100_000

    def test_even_confirmed_a_record_over_48_h_is_matched_by_its_start_only(self):
        glitch = act(source="tcx", path="glitch.tcx", start=self.t - timedelta(hours=1),
                     elapsed_s=49 * 3600.0)
        df = timeline.build([glitch, *self.runs(3)], "x", OSLO)
        confirmed = frozenset(df["activity_id"])
        _, dropped, _ = duplicates.dedupe(df, confirmed=confirmed)
        assert dropped == 0

    def test_a_car_ride_saved_as_a_run_does_not_absorb_the_run_it_overlaps(self):
        # The run: 10 km in 50 min. The "run" starting with it: 60 km in 1 h, faster than any
        # human, recorded by a second device (no distance tolerance indoors: gps=False).
        run = act(start=self.t, elapsed_s=3000.0, distance_m=10_000.0, avg_hr=150.0)
        car = act(source="gpx", path="car.gpx", start=self.t + timedelta(seconds=30),
                  sport="run", gps=False, elapsed_s=3600.0, distance_m=60_000.0)
        df, dropped, _ = duplicates.dedupe(timeline.build([run, car], "x", OSLO))
        assert dropped == 0 and sorted(df["distance_m"]) == [10_000, 60_000]

    def test_two_copies_of_one_implausible_recording_are_still_one(self):
        car = act(start=self.t, elapsed_s=3600.0, distance_m=60_000.0)
        copy = act(source="gpx", path="car.gpx", start=self.t + timedelta(seconds=30), sport="run",
                   elapsed_s=3600.0, distance_m=60_500.0)
        _, dropped, _ = duplicates.dedupe(timeline.build([car, copy], "x", OSLO))
        assert dropped == 1

    def test_a_confirmed_activity_is_merged_with_its_copy(self):
        fast = act(start=self.t, elapsed_s=3600.0, distance_m=60_000.0)
        copy = act(source="strava_csv", path="activities.csv", start=self.t, sport="Run",
                   external_id="5")
        df = timeline.build([fast, copy], "x", OSLO)
        _, dropped, _ = duplicates.dedupe(df)
        assert dropped == 0  # the copy (no distance) is plausible, the file is not
        fast_id = df.loc[df["source"].eq("fit"), "activity_id"].iloc[0]
        _, dropped, _ = duplicates.dedupe(df, confirmed=frozenset({fast_id}))
        assert dropped == 1
