"""The chart functions at their edges: pure functions from a model to figures."""

import re

import pandas as pd

from coros_dashboard.site.charts import open_window
from coros_dashboard.site.charts.bests import pace_curve
from coros_dashboard.site.charts.health import hrv_coros
from coros_dashboard.site.charts.performance import races, threshold_jumps
from coros_dashboard.site.charts.prerender import prerender
from coros_dashboard.site.charts.training import fitness, load_ratio
from coros_dashboard.site.charts.volume import monthly, time_by_sport, weekly, year_over_year
from coros_dashboard.site.depth import coverage_text
from coros_dashboard.site.frames import Frames
from coros_dashboard.site.model import build_model
from coros_dashboard.site.units import Units

TODAY = pd.Timestamp("2026-12-02")  # a Wednesday, two days into December
EMPTY = pd.DataFrame(index=pd.DatetimeIndex([], name="date"))


def activities(rows) -> pd.DataFrame:
    """rows: (date, sport_code, distance_m, moving_s, load)"""
    frame = pd.DataFrame(
        rows, columns=["date", "sport_code", "distance_m", "moving_s", "training_load"]
    )
    frame["date"] = pd.to_datetime(frame["date"])
    frame["sport_code"] = frame["sport_code"].astype("Int64")
    frame["id"] = [f"a{i}" for i in range(len(frame))]
    for column in ("name", "start_local", "device"):
        frame[column] = "x"
    frame["avg_hr"] = float("nan")
    frame["ascent_m"] = 0.0
    return frame


def model_of(rows, daily=EMPTY, today=TODAY):
    frames = Frames(activities(rows), daily, EMPTY, {})
    return build_model(frames, Units("metric"), today)


def test_the_current_month_is_inside_the_monthly_window():
    m = model_of([("2026-10-10", 100, 10_000, 3000, 50), ("2026-12-01", 100, 8_000, 2400, 40)])
    plot = monthly(m, m.view("run"))
    open_window(plot, "All", m.today)
    bar = plot.figure["data"][0]
    assert bar["x"][-1] == "2026-12-01" and bar["xperiod"] == "M1"
    assert plot.figure["layout"]["xaxis"]["range"][1] == "2027-01-01"  # December's bar, whole
    assert bar["customdata"][-1] == "8.0 km (so far)" and bar["marker"]["opacity"][-1] < 1


def test_weekly_bars_start_on_monday_and_the_running_week_is_marked():
    m = model_of([("2026-11-25", 100, 10_000, 3000, 50), ("2026-12-01", 100, 8_000, 2400, 40)])
    plot = weekly(m, m.view("run"))
    note, end = open_window(plot, "3M", m.today)
    distance = plot.figure["data"][0]
    assert distance["x"] == ["2026-11-23", "2026-11-30"]  # Mondays
    assert (
        distance["xperiod0"] == "2000-01-03" and pd.Timestamp("2000-01-03").day_name() == "Monday"
    )
    assert plot.figure["layout"]["xaxis"]["hoverformat"] == "week of %a %d %b %Y"
    assert distance["customdata"] == ["10.0 km", "8.0 km (so far)"]
    assert distance["text"] == ["10", "8"]  # readable without hovering
    assert end == "2026-12-07"  # the running week's bar ends on Monday


def test_the_year_the_history_starts_is_not_drawn_as_zero_before_it():
    m = model_of([("2025-06-10", 100, 10_000, 3000, 50), ("2026-01-05", 100, 8_000, 2400, 40)])
    traces = {t["name"]: t for t in year_over_year(m, m.view("run")).figure["data"]}
    assert traces["2025"]["x"][0] == "2000-06-10" and traces["2025"]["y"][0] == 10
    assert traces["2026"]["x"][0] == "2000-01-01" and traces["2026"]["y"][0] == 0  # a full year


def test_fitness_and_ratio_mark_the_model_warm_up():
    m = model_of(
        [
            (f"2026-{month:02d}-{day:02d}", 100, 10_000, 3000, 80)
            for month in (9, 10, 11)
            for day in (1, 3, 5)
        ]
    )
    for plot in (fitness(m), load_ratio(m)):
        layout = plot.figure["layout"]
        band = next(s for s in layout["shapes"] if s.get("yref") == "paper")
        assert (band["x0"], band["x1"]) == ("2026-09-01", "2026-10-13")
        key = next(t for t in plot.figure["data"] if t["name"] == "Model warm-up (shaded)")
        assert key["x"] == [None] and "annotations" not in layout  # named, never cut at an edge
    data = fitness(m).figure["data"]
    form = next(t for t in data if t["name"] == "Form")
    assert form["y"][:42] == [None] * 42 and form["y"][42] is not None
    assert form["line"]["width"] >= 2  # readable
    bands = [t for t in data if t.get("fill") == "tonexty"]
    assert len(bands) == 4 and all(t["hoverinfo"] == "skip" for t in bands)  # shading only
    edge = data[data.index(bands[0]) - 1]
    assert all(y is None for y in edge["y"][:42])  # no zone where form is not drawn


def test_race_predictions_over_a_day_or_two_are_a_table_not_a_chart():
    daily = pd.DataFrame(
        {"race_5k_s": [1102.0, 1100.0]},
        index=pd.DatetimeIndex(["2026-12-01", "2026-12-02"], name="date"),
    )
    m = model_of([("2026-12-01", 100, 10_000, 3000, 50)], daily)
    assert "until there are 7 days" in races(m).message
    assert m.races[0]["change_30"] == "–"  # and the table hides the empty change columns
    week = pd.DataFrame(
        {"race_5k_s": [1110.0 - i for i in range(8)]},
        index=pd.date_range("2026-11-25", periods=8, name="date"),
    )
    assert races(model_of([("2026-12-01", 100, 10_000, 3000, 50)], week)).figure["data"]


def test_time_by_sport_groups_as_the_views_do():
    m = model_of(
        [
            ("2026-11-01", 100, 10_000, 3600, 50),  # run
            ("2026-11-02", 102, 12_000, 5400, 60),  # trail run
            ("2026-11-03", 200, 40_000, 7200, 70),  # ride
        ]
    )
    bar = time_by_sport(m).figure["data"][0]
    assert dict(zip(bar["y"], bar["customdata"], strict=True)) == {"Ride": "2:00", "Run": "2:30"}


def test_hrv_hover_shows_the_baseline_itself():
    values = [50.0 if i % 2 else 60.0 for i in range(40)]
    daily = pd.DataFrame(
        {"sleep_hrv_ms": values}, index=pd.date_range(end=TODAY, periods=40, name="date")
    )
    traces = hrv_coros(model_of([("2026-12-01", 100, 10_000, 3000, 50)], daily)).figure["data"]
    hovered = {t["name"] for t in traces if t.get("hoverinfo") != "skip"}
    assert hovered == {"Normal range", "Normal (60-day mean)", "Night (rMSSD)", "7-day mean"}
    assert not any("Baseline" in name or "1 SD" in name for name in hovered)
    band = next(t for t in traces if t["name"] == "Normal range")
    said = [c for c in band["customdata"] if c]
    assert said and all(re.fullmatch(r"\d+–\d+", c) for c in said)  # "normal range 61–68 ms"
    assert band["hovertemplate"] == "Normal range: %{customdata} ms<extra></extra>"


def test_best_efforts_state_their_coverage():
    assert coverage_text(10, 1288) == "From 10 of 1,288 runs: those with details so far."
    assert coverage_text(12, 12) == "From all 12 runs."
    m = model_of([("2026-12-01", 100, 10_000, 3000, 50)])
    assert pace_curve(m, m.view("run")).message.startswith("No activity details yet")


def test_a_still_draws_the_lines_and_the_bands_and_never_a_bands_invisible_edges():
    m = model_of(
        [
            (f"2026-{month:02d}-{day:02d}", 100, 10_000, 3000, 80)
            for month in (6, 7, 8, 9, 10, 11)
            for day in (1, 3, 5, 9)
        ]
    )
    figure = fitness(m).figure
    figure["layout"]["xaxis"] = {"range": ["2026-06-01", "2026-11-23"]}
    still = prerender(figure)
    assert still
    lines = [mark for mark in still["marks"] if mark["stroke"] != "none"]
    fills = [mark for mark in still["marks"] if mark["fill"] != "none"]
    assert len(lines) == 3  # fitness, fatigue, form: not the zones' edge, not COROS's hidden lines
    assert len(fills) == 4 and all(f["d"].endswith("Z") for f in fills)  # the four form zones


def test_a_still_puts_bars_lines_gaps_and_dots_where_the_chart_does():
    window = {"type": "date", "range": ["2026-01-01", "2026-01-11"]}  # 10 days over 516 units
    figure = {
        "data": [
            {"type": "bar", "x0": "2026-01-01", "dx": 86_400_000, "y": [0, 5, 10],
             "marker": {"color": "#00f"}},
            {"type": "scatter", "mode": "lines", "x0": "2026-01-01", "dx": 86_400_000,
             "y": [10, None, 0], "line": {"color": "#f00", "width": 2}},
            {"type": "scatter", "mode": "markers", "x": ["2026-01-06", "2026-02-01"], "y": [5, 1],
             "marker": {"color": "#0f0", "size": 5}},
        ],
        "layout": {"xaxis": window, "yaxis": {"title": {"text": "km"}}},
    }  # fmt: skip
    bars, line, dots = prerender(figure)["marks"]
    # x(day) = 40 + 516 · day / 10; y(v) = 218 − 214 · v / 10, bars 0.8 of a day wide on zero
    assert bars["d"] == "M40 218V218H61V218ZM71 218V111H112V218ZM123 218V4H164V218Z"
    assert line["d"] == "M40 4 M143 218"  # the gap breaks the line
    assert dots["d"] == "M298 111h0" and dots["width"] == 5 and dots["round"]  # February: outside
    labels = [label["text"] for label in prerender(figure)["labels"]]
    assert labels == ["10 km", "0.0", "01 Jan 2026", "10 Jan 2026"]


def test_a_still_keeps_stacked_axes_a_reversed_axis_and_its_tick_words():
    weeks = {"type": "bar", "x": ["2026-01-05", "2026-01-12"], "xperiod": 604_800_000}
    figure = {
        "data": [
            {**weeks, "y": [10, 20]},
            {**weeks, "y": [1, 2], "yaxis": "y2"},
            {"type": "scatter", "mode": "markers", "x": ["2026-01-06", "2026-01-07"],
             "y": [240, 300], "yaxis": "y3"},
        ],
        "layout": {
            "xaxis": {"range": ["2026-01-05", "2026-01-19"]},
            "yaxis": {"domain": [0.55, 1]},
            "yaxis2": {"domain": [0, 0.45]},
            "yaxis3": {"autorange": "reversed", "tickvals": [240, 270, 300],
                       "ticktext": ["4:00", "4:30", "5:00"]},
        },
    }  # fmt: skip
    still = prerender(figure)
    upper, lower, dots = still["marks"]
    # a week's bar is centred on its Thursday, 3.5 days in, 0.8 of the week wide: days 0.7–6.3
    assert upper["d"] == "M66 100V52H272V100ZM324 100V4H530V100Z"  # on the top 45 %: y 4–100
    assert lower["d"] == "M66 218V170H272V218ZM324 218V122H530V218Z"  # the bottom 45 %: 122–218
    fast, slow = (int(point.split(" ")[1].rstrip("h0")) for point in dots["d"].split("M")[1:])
    assert fast < slow  # a reversed pace axis: the faster run is drawn higher
    assert [label["text"] for label in still["labels"]][4:6] == ["4:00", "5:00"]


def test_a_threshold_hr_jump_of_more_than_5_bpm_is_marked():
    days = pd.date_range("2026-01-01", periods=6)
    hr = pd.Series([168, 168, None, 175, 174, 166], index=days, dtype="float64")
    jumps = threshold_jumps(hr)
    assert list(jumps.index) == [days[3], days[5]] and list(jumps) == [7, -8]  # not the gap
