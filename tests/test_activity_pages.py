"""Activity page figures: pure functions over a stored detail."""

from coros_dashboard.site.pages import activity_figures, shown, split_rows
from coros_dashboard.site.units import Units


def detail(n: int, speed=3.0) -> dict:
    return {
        "stream": {
            "every_s": 10,
            "t": [10 * i for i in range(n)],
            "d": [10 * i * speed for i in range(n)],
            "v": [speed] * n,
            "hr": [140 + i % 7 for i in range(n)],
            "alt": [None] + [40.0] * (n - 1),
        }
    }


def test_a_long_stream_is_thinned_for_drawing_keeping_its_ends():
    stream = detail(4321)["stream"]
    thin = shown(stream, limit=1000)
    assert len(thin["d"]) <= 1001 and thin["d"][0] == 0 and thin["d"][-1] == stream["d"][-1]
    assert {len(v) for k, v in thin.items() if k != "every_s"} == {len(thin["d"])}
    assert shown(detail(50)["stream"]) == detail(50)["stream"]  # short streams as stored


def test_a_run_gets_pace_in_milliseconds_on_a_reversed_date_axis():
    x, figures = activity_figures(detail(200, speed=1000 / 300), 100, Units("metric"))
    pace = figures["pace"]
    assert set(pace["data"][0]["y"]) == {300_000}  # 5:00 /km
    axis = pace["layout"]["yaxis"]
    assert axis["type"] == "date" and axis["range"][0] > axis["range"][1]  # slow at the bottom
    assert "%-M:%S" in pace["data"][0]["hovertemplate"] and "x" not in pace["data"][0]
    assert x[:3] == [0, 0.033, 0.067] and len(x) == 200  # km, to the metre


def test_a_ride_gets_speed_power_and_miles_in_imperial_units():
    ride = detail(100, speed=10.0)
    ride["stream"]["pw"] = [None] + [210] * 99
    x, figures = activity_figures(ride, 200, Units("imperial"))
    assert "pace" not in figures and set(figures["speed"]["data"][0]["y"]) == {22.4}  # 36 km/h
    assert (
        figures["power"]["data"][0]["y"][:2] == [None, 210]
        and "W" in figures["power"]["data"][0]["hovertemplate"]
    )
    assert (
        "power" not in activity_figures(detail(100), 200, Units("metric"))[1]
    )  # no power meter, no chart
    assert figures["elevation"]["data"][0]["y"][:2] == [None, 131.2]  # a gap stays a gap; feet
    assert round(x[-1], 2) == round(99 * 100 / 1609.344, 2)


def test_a_rides_splits_are_per_five_units_and_a_runs_per_one():
    assert split_rows([130] * 12, 5) == [
        {"n": 5, "time": "10:50"},
        {"n": 10, "time": "10:50"},
    ]  # 2 km left over
    assert [row["n"] for row in split_rows([300] * 3)] == [1, 2, 3]
