import datetime as dt

import pytest

from coros_dashboard.coros.client import CorosShapeError
from coros_dashboard.coros.daily import normalize_coros_day, race_predictions, sleep_hrv_days
from coros_dashboard.errors import Problems

LATEST = dt.date(2026, 11, 23)


def day(item, warnings=None):
    return normalize_coros_day(
        item, "analyse/query", LATEST, Problems() if warnings is None else warnings
    )


def test_zero_means_not_measured_for_physiology_but_not_for_load():
    rec = day({"happenDay": 20260101, "rhr": 0, "trainingLoad": 0, "vo2max": "52", "ati": 27.5})
    assert rec == {"date": "2026-01-01", "training_load": 0, "vo2max": 52, "ati": 27.5}


@pytest.mark.parametrize(
    "happen_day", [None, 1, 99999999, 20260230, 20990101, 20261124, "x", 2026.5, [20260101]]
)
def test_a_day_that_is_not_a_real_past_day_stops_the_run(happen_day):
    with pytest.raises(
        CorosShapeError, match="happenDay .* is not a day from 2000-01-01 to 2026-11-23"
    ):
        day({"happenDay": happen_day, "rhr": 50})


def test_tomorrow_is_accepted_for_time_zones_ahead_of_utc():
    assert day({"happenDay": 20261123})["date"] == "2026-11-23"


def test_implausible_values_are_left_out_and_non_numbers_refused():
    warnings = Problems()
    rec = day(
        {"happenDay": "20260101", "rhr": -5000, "vo2max": 1e308, "trainingLoad": 50}, warnings
    )
    assert rec == {"date": "2026-01-01", "training_load": 50} and len(warnings) == 2
    with pytest.raises(CorosShapeError, match="ati"):
        day({"happenDay": 20260101, "ati": "Infinity"})


def test_race_predictions_and_sleep_hrv():
    warnings = Problems()
    races = race_predictions(
        [
            {"type": 1, "duration": 10800},
            {"type": 5, "duration": 1200},
            {"type": 3, "duration": 1},
            {"type": 4, "duration": 0},
            {"type": 2, "duration": 1e308},
        ],
        warnings,
    )
    assert races == {"race_marathon_s": 10800, "race_5k_s": 1200} and len(warnings) == 1
    summary = {"sleepHrvData": {"sleepHrvList": [{"happenDay": 20260211, "avgSleepHrv": 61}]}}
    assert sleep_hrv_days(summary, "dashboard/query", LATEST, []) == [
        {"date": "2026-02-11", "sleep_hrv_ms": 61}
    ]
