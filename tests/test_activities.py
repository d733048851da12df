import datetime as dt

import pytest

from coros_dashboard.coros.activities import merge_activities, normalize_activity
from coros_dashboard.coros.client import CorosShapeError
from coros_dashboard.errors import Problems

LATEST = dt.date(2026, 11, 23)


def item(**kw):
    base = {
        "labelId": "1",
        "sportType": 100,
        "name": "Run",
        "startTime": 1787144400,
        "startTimezone": -24,
        "distance": 3942.94,
        "workoutTime": 1373,
        "totalTime": 1400,
        "calorie": 302000,
        "date": 20260819,
    }
    return {**base, **kw}


def normalize(raw, warnings=None):
    return normalize_activity(raw, LATEST, Problems() if warnings is None else warnings)


def test_local_time_comes_from_the_activity_time_zone():
    rec = normalize(item())
    assert rec["start_local"] == "2026-08-19T07:00:00-06:00" and rec["date"] == "2026-08-19"
    tokyo = normalize(item(startTime=1787172300, startTimezone=36))  # 20:45 UTC on the 19th
    assert tokyo["start_local"] == "2026-08-20T05:45:00+09:00" and tokyo["date"] == "2026-08-20"
    india = normalize(item(startTimezone=22))
    assert india["start_local"].endswith("+05:30")


def test_units_are_normalized_and_unknown_sports_kept():
    rec = normalize(item(sportType=4242, avgHr="151", ascent=None))
    assert rec["kcal"] == 302 and rec["distance_m"] == 3942.9 and rec["moving_s"] == 1373
    assert rec["sport"] == "Other (4242)" and rec["sport_code"] == 4242 and rec["avg_hr"] == 151
    assert "ascent_m" not in rec


def test_zero_heart_rate_and_cadence_mean_not_measured():
    rec = normalize(item(avgHr=0, maxHr=0, avgCadence=0, trainingLoad=0))
    assert not {"avg_hr", "max_hr", "avg_cadence"} & set(rec) and rec["training_load"] == 0


def test_a_day_without_start_time_is_read_from_date():
    assert normalize(item(startTime=None))["date"] == "2026-08-19"


@pytest.mark.parametrize(
    "field, value",
    [
        ("labelId", ""),
        ("labelId", None),
        ("labelId", "a\r\nb"),
        ("labelId", ["1"]),
        ("labelId", "x" * 65),
        ("sportType", "run"),
        ("sportType", None),
        ("sportType", 1.5),
        ("sportType", True),
        ("sportType", -1),
        ("startTime", 1787144400000),
        ("startTime", 1e20),
        ("startTime", -1e12),
        ("startTime", "soon"),
        ("startTime", 2e9),
        ("startTimezone", 200),
        ("startTimezone", "x"),
        ("startTimezone", 2.5),
        ("calorie", "Infinity"),
        ("calorie", "NaN"),
        ("distance", [1]),
        ("avgHr", {"v": 1}),
        ("distance", True),
        ("distance", "1e5"),
    ],
)
def test_an_unreadable_item_stops_the_run_naming_the_field(field, value):
    with pytest.raises(CorosShapeError) as err:
        normalize(item(**{field: value}))
    message = str(err.value)
    assert "activity/query" in message and "nothing was written" in message and len(message) < 400
    assert "\n" not in message and "\r" not in message


@pytest.mark.parametrize("day", [1, 99999999, 20990101, 20260230, "2026-01-01", None])
def test_an_impossible_day_stops_the_run(day):
    with pytest.raises(CorosShapeError, match="date .* is not a day from 2000-01-01 to 2026-11-23"):
        normalize(item(startTime=None, date=day))


@pytest.mark.parametrize("start", [946684799, 1795478401, -1])  # before 2000, after the day after
def test_an_impossible_start_time_stops_the_run(start):
    with pytest.raises(
        CorosShapeError, match="not a time in seconds from 2000-01-01 to 2026-11-23"
    ):
        normalize(item(startTime=start))


@pytest.mark.parametrize(
    "field, value, stored",
    [
        ("distance", 1e308, "distance_m"),
        ("distance", -5000, "distance_m"),
        ("avgHr", 400, "avg_hr"),
        ("calorie", 1e400, "kcal"),
        ("totalTime", 10**9, "elapsed_s"),
    ],
)
def test_an_implausible_measurement_is_left_out_with_a_warning(field, value, stored):
    warnings = Problems()
    rec = normalize(item(**{field: value}), warnings)
    assert stored not in rec and rec["id"] == "1" and rec["moving_s"] == 1373
    assert len(warnings) == 1 and field in warnings[0] and "activity 1 (2026-08-19)" in warnings[0]


def rec(i, date):
    return {"id": str(i), "date": date, "start_local": f"{date}T07:00:00+00:00"}


def test_merge_reports_new_updated_and_removed():
    stored = [rec(1, "2026-01-01"), rec(2, "2026-02-01"), rec(3, "2026-03-01")]
    fetched = [rec(3, "2026-03-01") | {"name": "x"}, rec(4, "2026-03-02")]
    merged, new, updated, removed = merge_activities(stored, fetched, {"2", "99"})
    assert [r["id"] for r in merged] == ["1", "3", "4"]
    assert (new, updated, removed) == ({"4"}, {"3"}, {"2"})


def test_merge_orders_by_local_date_then_instant():
    a = rec(1, "2026-01-02") | {"start_local": "2026-01-02T06:00:00+09:00"}
    b = rec(2, "2026-01-01") | {"start_local": "2026-01-01T23:00:00-05:00"}
    merged, *_ = merge_activities([], [a, b], set())
    assert [r["id"] for r in merged] == ["2", "1"]
    assert dt.datetime.fromisoformat(b["start_local"]) > dt.datetime.fromisoformat(a["start_local"])
