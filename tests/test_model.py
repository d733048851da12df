"""The dashboard model: sport views, form zones, windows and 'not measured' values (pure
functions)."""

import pandas as pd

from coros_dashboard.site.charts import Plot, open_window
from coros_dashboard.site.frames import Frames
from coros_dashboard.site.model import build_model, main_sport
from coros_dashboard.site.units import Units
from coros_dashboard.sports import GROUPS, SPORT_NAMES, sport_group, sport_name

TODAY = pd.Timestamp("2026-11-22")


def test_every_named_sport_code_has_a_group_and_the_real_ones_have_names():
    assert {sport_group(code) for code in SPORT_NAMES} == {*GROUPS, "other"}
    assert [sport_group(c) for c in (100, 101, 102, 103)] == ["run"] * 4
    assert [sport_group(c) for c in (200, 201, 202, 203, 204, 205)] == ["ride"] * 6
    assert [sport_group(c) for c in (300, 301)] == ["swim"] * 2
    assert sport_group(900) == sport_group(104) == "walk" and sport_group(402) == "strength"
    assert (sport_name(904), sport_name(1006), sport_name(1200)) == (
        "Yoga",
        "Padel",
        "Hybrid Fitness",
    )
    assert (
        sport_group(1200) == "strength"
        and sport_group(904) == "other"
        and sport_name(4242) == "Other (4242)"
    )


def activities(rows):
    frame = pd.DataFrame(
        rows, columns=["date", "sport_code", "distance_m", "moving_s", "training_load"]
    )
    frame["date"] = pd.to_datetime(frame["date"])
    for column in ("id", "name", "start_local", "avg_hr", "ascent_m", "device"):
        frame[column] = None
    frame["avg_hr"] = float("nan")
    frame["ascent_m"] = 0.0
    frame["name"] = "x"
    frame["sport_code"] = frame["sport_code"].astype("Int64")
    return frame


def model_of(rows):
    empty = pd.DataFrame(index=pd.DatetimeIndex([], name="date"))
    return build_model(Frames(activities(rows), empty, empty, {}), Units("metric"), TODAY)


def test_views_separate_sports_and_the_main_sport_is_the_default():
    m = model_of(
        [
            ("2026-11-20", 100, 10_000, 3600, 60),
            ("2026-11-21", 200, 60_000, 9000, 80),
            ("2026-11-22", 100, 12_000, 4000, 70),
            ("2026-11-18", 904, 0, 3600, 20),
        ]
    )
    assert [v.key for v in m.views] == ["all", "run", "ride", "other"]
    assert (
        m.default_view == "ride"
    )  # most moving time in the last 365 days (yoga is "other": never the default)
    week = {v.key: v.week[0]["this"] for v in m.views}
    assert week == {"all": "82.0 km", "run": "22.0 km", "ride": "60.0 km", "other": "1:00"}
    assert m.view("other").headline[0]["big"] == "1h 00m"  # yoga has time, not "0 km"
    assert m.view("run").recent[0]["pace"] == "5:33 /km"
    assert m.view("ride").recent[0]["pace"] == "24.0 km/h"  # 60 km in 2:30
    assert (
        main_sport(model_of([("2020-01-01", 100, 1, 60, 1)]).acts, TODAY) == "run"
    )  # only old runs


def test_not_measured_heart_rate_shows_as_a_dash():
    m = model_of([("2026-11-20", 100, 10_000, 3600, 60)])
    assert m.view("run").recent[0]["hr"] == "–"


def test_a_window_with_data_opens_on_exactly_that_window():
    plot = Plot({"data": [], "layout": {}}, pd.date_range("2026-01-01", "2026-11-22"))
    note, end = open_window(plot, "3M", TODAY)
    assert note == "" and end == "2026-11-23"
    assert plot.figure["layout"]["xaxis"]["range"] == ["2026-08-23", "2026-11-23"]


def test_a_window_without_data_says_so_and_shows_the_last_period_with_data():
    plot = Plot({"data": [], "layout": {}}, pd.date_range("2026-03-01", "2026-08-14"))
    note, end = open_window(plot, "1M", TODAY)
    assert "No data in the last month" in note and "14 Aug 2026" in note and end == "2026-08-15"
    assert plot.figure["layout"]["xaxis"]["range"] == ["2026-07-15", "2026-08-15"]
    whole = Plot({"data": [], "layout": {}}, pd.date_range("2020-03-01", "2026-08-14"))
    open_window(whole, "All", TODAY)
    assert whole.figure["layout"]["xaxis"]["range"] == ["2020-03-01", "2026-11-23"]
