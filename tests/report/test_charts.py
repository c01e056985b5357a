"""The charts draw the report's own numbers: each panel is checked against the dict it came from."""

import io
import os
import subprocess
import sys
from pathlib import Path

import matplotlib.colors as mcolors
import matplotlib.dates as mdates
import numpy as np
import pytest
from PIL import Image

from loadwatch.report import charts
from tests.report import quiet_report, sample_report

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report():
    return sample_report()


@pytest.fixture(scope="module")
def fig(report):
    return charts.figure(report)


def _hex(colour) -> str:
    return mcolors.to_hex(colour)


def _day(x: float) -> str:
    return mdates.num2date(x).date().isoformat()


def _legend_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def _collection(ax, label: str):
    found = [c for c in ax.collections if c.get_label() == label]
    assert len(found) == 1, f"no single collection labelled {label!r}"
    return found[0]


def test_one_panel_per_view_with_pain_last(fig):
    titles = [ax.get_legend().get_title().get_text()[:3] for ax in fig.axes]
    assert titles == ["(a)", "(b)", "(c)", "(d)", "(e)"]


def test_weekly_bars_are_the_weeks_distances_on_their_weeks(report, fig):
    bars = fig.axes[0].patches
    assert [b.get_height() for b in bars] == [w["run_distance"] for w in report["weeks"]]
    # Each bar sits inside its Monday-to-Sunday week.
    for bar, w in zip(bars, report["weeks"], strict=True):
        assert _day(bar.get_x()) == w["start"]
        assert _day(bar.get_x() + bar.get_width()) == w["end"]


def test_weekly_bar_colours_are_the_worst_evidence_flag_touching_the_week(report, fig):
    # Worked from the fixture's flags: spikes on 9 Aug and 6 Sep (caution), the high jump on
    # 25 Oct and the high spike in the last week. Habits (no cross-training, streaks, a 20%
    # week) and the red flag do not colour weeks: the colour follows the evidence.
    expected = {"2026-W32": "caution", "2026-W36": "caution", "2026-W43": "high",
                "2026-W47": "high"}
    want = [charts.SEVERITY_COLOURS[expected.get(w["week"], "none")] for w in report["weeks"]]
    assert [_hex(b.get_facecolor()) for b in fig.axes[0].patches] == [c.lower() for c in want]
    assert charts.week_severity(report) == {w["week"]: expected.get(w["week"], "none")
                                            for w in report["weeks"]}


def test_a_flag_over_two_weeks_colours_both():
    report = quiet_report()
    report["history"] = [dict(report["history"][0], severity="high", start="2026-09-12",
                              last_date="2026-09-15")]
    severity = charts.week_severity(report)
    assert [w for w, s in severity.items() if s == "high"] == ["2026-W37", "2026-W38"]


def test_a_week_not_over_is_hatched_and_the_axis_runs_to_its_sunday():
    report = quiet_report()
    as_of = "2026-10-14"  # a Wednesday: the last week, as model.build gives it, ends that day
    report.update(as_of=as_of, days=[d for d in report["days"] if d["date"] <= as_of],
                  runs=[r for r in report["runs"] if r["date"] <= as_of])
    report["weeks"][-1].update(end=as_of, run_distance=7.0)
    fig = charts.figure(report)
    # Only the week not over adds "///" (to its severity's hatch, if any).
    assert [(b.get_hatch() or "").endswith("///") for b in fig.axes[0].patches] == [False] * 10 + [True]
    assert "week so far" in _legend_labels(fig.axes[0])
    assert _day(fig.axes[0].get_xlim()[1]) == "2026-10-19"  # the Monday after its Sunday
    assert not any("///" in (b.get_hatch() or "")
                   for b in charts.figure(quiet_report()).axes[0].patches)


def test_change_is_written_over_weeks_up_more_than_10_percent(fig):
    # +60.6% (week of 19 Oct) and +20.3% (the last week); +9.3% and +4.5% stay unlabelled.
    assert [t.get_text() for t in fig.axes[0].texts] == ["+61%", "+20%"]


def test_a_change_of_exactly_10_percent_is_not_labelled():
    report = quiet_report()
    report["weeks"][5]["change_pct"] = (11 - 10) / 10 * 100  # 10.000000000000009
    report["weeks"][6]["change_pct"] = 10.1
    assert [t.get_text() for t in charts.figure(report).axes[0].texts] == ["+10%"]


def test_acwr_line_is_the_days_ratio_without_team_sport_bands(report, fig):
    ax = fig.axes[1]
    line = next(ln for ln in ax.lines if ln.get_label().startswith("ratio"))
    defined = [d for d in report["days"] if d["acwr"] is not None]
    assert list(line.get_ydata()) == [d["acwr"] for d in defined]
    assert [_day(x) for x in line.get_xdata()] == [d["date"] for d in defined]
    # No "sweet spot" or "danger zone" is shaded as if it were valid in runners.
    assert not ax.patches
    levels = {ln.get_label(): ln.get_ydata()[0] for ln in ax.lines if ln is not line}
    assert levels == {"1.0: load as usual": 1.0,
                      "1.3: loadwatch's hint threshold (a habit, not a risk)": 1.3}
    title = ax.get_legend().get_title().get_text()
    assert "contested" in title and "not linked to injury" in title


def test_acwr_gaps_break_the_line():
    report = quiet_report()
    report["days"][50]["acwr"] = None
    ax = charts.figure(report).axes[1]
    ydata = next(ln for ln in ax.lines if ln.get_label().startswith("ratio")).get_ydata()
    assert np.isnan(ydata).sum() == 1


def test_runs_are_points_on_their_days_and_spikes_are_marked_by_band(report, fig):
    ax = fig.axes[2]
    by_band = {band: [(r["date"], r["distance"]) for r in report["runs"] if r["spike"] == band]
               for band in ("small", "moderate", "large")}
    assert by_band == {"small": [("2026-09-06", 13.5)], "moderate": [("2026-08-09", 12.0)],
                       "large": [("2026-11-21", 30.0)]}
    for band, points in by_band.items():
        offsets = _collection(ax, f"{band} spike").get_offsets()
        assert [(_day(x), y) for x, y in offsets] == points
    plain = _collection(ax, "run").get_offsets()
    assert len(plain) == len(report["runs"]) - 3
    # The ratio is written for moderate and large spikes only.
    assert [t.get_text() for t in ax.texts] == ["1.71x", "2.14x"]
    reference = next(ln for ln in ax.lines if ln.get_label().startswith("longest run"))
    assert np.allclose(reference.get_ydata()[1:], [r["reference"] for r in report["runs"][1:]])


def test_calendar_strip_has_every_run_rest_and_cross_training_day(report, fig):
    ax = fig.axes[3]
    days = report["days"]

    rows = {c.get_label(): c for c in ax.containers}
    assert set(rows) == {"run day", "rest day", "cross-training"}
    assert [_day(p.get_x()) for p in rows["run day"]] == [d["date"] for d in days
                                                          if d["run_distance"]]
    assert [_day(p.get_x()) for p in rows["rest day"]] == [d["date"] for d in days if d["rest"]]
    assert [_day(p.get_x()) for p in rows["cross-training"]] == [
        d["date"] for d in days if d["cross_training"]]
    # Streaks of 3+ days are labelled: Tuesday-to-Sunday in three build-up weeks, then 13 days
    # from Tue 10 Nov (the fourth build-up week runs on into the last); the 2-day Saturday and
    # Sunday streaks of the base weeks are drawn but not labelled.
    assert [t.get_text() for t in ax.texts] == ["6 d", "6 d", "6 d", "13 d"]
    labels = _legend_labels(ax)
    assert "streak with a caution flag" in labels  # the run_streak flag of 16-22 Nov


def test_a_flagged_streak_is_hatched_too(fig):
    """The calendar tells a flagged streak from a plain one by a hatch as well as its colour."""
    ax = fig.axes[3]
    streaks = [c for c in ax.collections if c.get_label().startswith("_")]
    hatches = [c.get_hatch() for c in streaks]
    assert charts.SEVERITY_HATCHES["caution"] in hatches and None in hatches
    legend = dict(zip(_legend_labels(ax), (h.get_hatch() for h in ax.get_legend().legend_handles),
                      strict=True))
    assert legend["streak with a caution flag"] == charts.SEVERITY_HATCHES["caution"]
    assert legend["run streak (d = days)"] is None


def test_streaks_are_read_from_the_days_run_streak():
    days = [{"run_streak": s} for s in (1, 2, 0, 1, 2, 3)]
    assert charts.streaks(days) == [(0, 2), (3, 3)]
    # A streak that began before the shown days keeps its length, clipped to the first day.
    assert charts.streaks([{"run_streak": s} for s in (5, 6, 0)]) == [(0, 6)]
    assert charts.streaks([]) == []


def test_pain_panel_is_the_days_severity_with_red_flags_marked(report, fig):
    ax = fig.axes[4]
    recorded = [d for d in report["days"] if d["pain"] is not None]
    assert [(_day(p.get_x()), p.get_height()) for p in ax.patches] == [
        (d["date"], d["pain"]) for d in recorded]
    red = _collection(ax, "red flag: get it checked before running").get_offsets()
    assert [_day(x) for x, _ in red] == ["2026-11-21"]
    free = _collection(ax, "pain-free day recorded").get_offsets()
    assert [_day(x) for x, _ in free] == ["2026-09-01"]
    assert ax.get_ylim()[0] == 0 and ax.get_ylim()[1] > 10


def test_no_pain_panel_without_pain_data():
    fig = charts.figure(quiet_report())
    assert len(fig.axes) == 4


def test_axes_have_units_dates_legend_and_title(report, fig):
    for ax in fig.axes:
        assert ax.get_ylabel() and ax.get_legend() is not None
    assert "[km/week]" in fig.axes[0].get_ylabel() and "[km]" in fig.axes[2].get_ylabel()
    assert "[0-10]" in fig.axes[4].get_ylabel()
    title = fig.get_suptitle()
    assert report["athlete"] in title and "22 Nov 2026" in title
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[-1].get_xticklabels() if t.get_text()]
    assert ticks[0] == "3 Aug" and ticks[-1] == "23 Nov" and len(ticks) == 17
    assert "date" in fig.axes[-1].get_xlabel()


def test_an_athlete_name_with_dollars_is_plain_text():
    report = quiet_report()
    report["athlete"] = r"Bob $\frac{$ <b>"
    assert charts.render_png(report)[:8] == PNG_SIGNATURE  # mathtext would raise here
    assert charts.figure(report).get_suptitle().startswith(r"Bob $\frac{$ <b>: training load")


def test_miles_are_labelled_as_miles():
    report = quiet_report()
    report["units"] = "mi"
    fig = charts.figure(report)
    assert "[mi/week]" in fig.axes[0].get_ylabel() and "[mi]" in fig.axes[2].get_ylabel()


def test_png_is_a_real_png_of_sensible_size(report):
    png = charts.render_png(report)
    assert png[:8] == PNG_SIGNATURE
    with Image.open(io.BytesIO(png)) as im:
        im.verify()
    with Image.open(io.BytesIO(png)) as im:
        assert im.size[0] == 11 * 110 and 1000 <= im.size[1] <= 2000
        assert len(im.convert("RGB").getcolors(maxcolors=1 << 24)) > 50  # not a blank image
    with Image.open(io.BytesIO(charts.render_png(report, width_in=8, dpi=80))) as im:
        assert im.size[0] == 8 * 80


def test_small_chart_is_a_sparkline_of_the_weeks(report):
    fig = charts.small_figure(report)
    bars = fig.axes[0].patches
    assert [b.get_height() for b in bars] == [w["run_distance"] for w in report["weeks"]]
    severity = charts.week_severity(report)
    assert [_hex(b.get_facecolor()) for b in bars] == [
        charts.SEVERITY_COLOURS[severity[w["week"]]].lower() for w in report["weeks"]]
    png = charts.render_small_png(report)
    assert png[:8] == PNG_SIGNATURE
    with Image.open(io.BytesIO(png)) as im:
        assert im.size == (320, 80)


def test_a_report_without_data_still_draws():
    empty = dict(quiet_report(), weeks=[], runs=[], flags=[], days=[], history=[])
    with Image.open(io.BytesIO(charts.render_png(empty))) as im:
        assert im.size[0] == 1210
    assert charts.render_small_png(empty)[:8] == PNG_SIGNATURE
    texts = [t.get_text() for t in charts.figure(empty).axes[1].texts]
    assert texts == ["not enough history yet (the ratio needs 42 days)"]


def test_rendering_never_needs_a_display(tmp_path):
    # An interactive backend and no display: pyplot would fail here; the Agg canvas does not.
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["MPLBACKEND"] = "TkAgg"
    code = ("import sys; from loadwatch.report import charts; from tests.report import "
            "sample_report; png = charts.render_png(sample_report()); "
            "assert 'matplotlib.pyplot' not in sys.modules; print(png[:4])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-800:]
    assert result.stdout.strip() == "b'\\x89PNG'"


def test_a_flagged_week_has_a_hatch_too_never_colour_alone(report, fig):
    """A reader who cannot tell vermillion from sky blue still sees which weeks were flagged: each
    severity has its own hatch, on the bars and in the legend; a quiet week stays plain."""
    severity = charts.week_severity(report)
    hatches = [b.get_hatch() for b in fig.axes[0].patches]
    assert [h or "" for h in hatches] == [charts.SEVERITY_HATCHES[severity[w["week"]]]
                                          for w in report["weeks"]]
    assert "xx" in hatches and None in hatches
    legend = {t.get_text(): h.get_hatch()
              for t, h in zip(fig.axes[0].get_legend().get_texts(),
                              fig.axes[0].get_legend().legend_handles, strict=True)}
    assert legend == {"none": None, "info": "..", "caution": "\\\\", "high": "xx"}
