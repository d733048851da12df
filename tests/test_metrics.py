"""The training metrics against hand-computed cases."""

import math

import pandas as pd
import pytest

from coros_dashboard.site import metrics
from coros_dashboard.site.readiness import hrv_status


def acts(rows):
    """rows: (date, sport_code, distance_m, moving_s, load, ascent)"""
    frame = pd.DataFrame(
        rows, columns=["date", "sport_code", "distance_m", "moving_s", "training_load", "ascent_m"]
    )
    frame["date"] = pd.to_datetime(frame["date"])
    frame["name"] = "x"
    return frame


def test_load_model_matches_a_hand_computed_case():
    load = pd.Series([100.0, 0.0, 0.0, 50.0], index=pd.date_range("2026-01-01", periods=4))
    model = metrics.fitness_fatigue(load)
    a7, a42 = 1 - math.exp(-1 / 7), 1 - math.exp(-1 / 42)
    fatigue = [100 * a7]
    fitness = [100 * a42]
    for value in (0, 0, 50):
        fatigue.append(fatigue[-1] + (value - fatigue[-1]) * a7)
        fitness.append(fitness[-1] + (value - fitness[-1]) * a42)
    assert model["fatigue"].tolist() == pytest.approx(fatigue)
    assert model["fitness"].tolist() == pytest.approx(fitness)
    assert model["fatigue"].iloc[0] == pytest.approx(13.3122, abs=1e-4)
    assert model["fitness"].iloc[0] == pytest.approx(2.3528, abs=1e-4)
    assert model["form"].isna().all()  # the model's warm-up: no form yet
    assert model["ratio"].isna().all()  # nor a ratio


def test_form_and_the_ratio_start_after_the_model_warm_up():
    """Starting hard from zero fitness gives an A:C above 5 on day one: an artefact, left out."""
    load = pd.Series(100.0, index=pd.date_range("2026-01-01", periods=60, name="date"))
    model = metrics.fitness_fatigue(load)
    raw_ratio = metrics.ewma_from_zero(load, 7) / metrics.ewma_from_zero(load, 42)
    assert raw_ratio.iloc[0] > 5  # what the chart drew under "All" before
    assert model.loc[:"2026-02-11", ["form", "ratio"]].isna().all().all()  # days 1–42
    first = model.loc["2026-02-12"]  # day 43
    assert first["form"] == pytest.approx(first["fitness"] - first["fatigue"])
    assert first["ratio"] == pytest.approx(raw_ratio.iloc[42])


def test_daily_load_fills_rest_days_up_to_today():
    load = metrics.daily_load(
        acts(
            [
                ("2026-01-01", 100, 5000, 1800, 40, 0),
                ("2026-01-01", 402, 0, 1800, 10, 0),
                ("2026-01-03", 100, 5000, 1800, 30, 0),
            ]
        ),
        pd.Timestamp("2026-01-05"),
    )
    assert load.tolist() == [50, 0, 30, 0, 0]


def test_weekly_sums_across_a_year_boundary_start_on_monday():
    frame = acts(
        [
            ("2025-12-28", 100, 1000, 600, 1, 0),  # Sunday
            ("2025-12-29", 100, 2000, 600, 1, 0),  # Monday of the week holding 1 January
            ("2026-01-01", 100, 3000, 600, 1, 0),
            ("2026-01-04", 100, 4000, 600, 1, 0),
            ("2026-01-05", 100, 5000, 600, 1, 0),
        ]
    )
    weeks = metrics.period_totals(frame, "W")
    assert [d.strftime("%Y-%m-%d") for d in weeks.index] == [
        "2025-12-22",
        "2025-12-29",
        "2026-01-05",
    ]
    assert weeks["distance_m"].tolist() == [1000, 9000, 5000]
    months = metrics.period_totals(frame, "M")
    assert months["distance_m"].tolist() == [3000, 12000]


def test_sums_across_a_dst_change_use_local_dates():
    # Europe switched to summer time on Sunday 29 March 2026; activities keep their local dates
    frame = acts(
        [
            ("2026-03-29", 100, 10000, 3600, 60, 50),
            ("2026-03-30", 100, 8000, 2400, 40, 0),
            ("2026-03-31", 100, 6000, 1800, 30, 10),
            ("2026-04-01", 100, 5000, 1500, 20, 0),
        ]
    )
    weeks = metrics.period_totals(frame, "W")
    assert weeks["distance_m"].tolist() == [10000, 19000]
    assert weeks["count"].tolist() == [1, 3]
    months = metrics.period_totals(frame, "M")
    assert months["distance_m"].tolist() == [24000, 5000] and months["ascent_m"].tolist() == [60, 0]
    assert metrics.daily_load(frame).tolist() == [60, 40, 30, 20]


def test_empty_weeks_are_zero_not_missing():
    weeks = metrics.period_totals(
        acts([("2026-01-05", 100, 1000, 60, 1, 0), ("2026-01-26", 100, 1000, 60, 1, 0)]), "W"
    )
    assert weeks["distance_m"].tolist() == [1000, 0, 0, 1000]


def test_records():
    frame = acts(
        [
            ("2026-01-05", 100, 21000, 6000, 90, 100),
            ("2026-01-06", 200, 80000, 9000, 90, 900),
            ("2026-01-20", 102, 15000, 6000, 90, 800),
            ("2026-02-02", 101, 10000, 3000, 50, 0),
        ]
    )
    rec = metrics.records(frame)
    assert (
        rec["longest"]["distance_m"] == 80000
    )  # of the activities given: the page passes one sport view
    assert rec["most_ascent"]["ascent_m"] == 900
    assert (
        rec["biggest_week"]["start"] == pd.Timestamp("2026-01-05")
        and rec["biggest_week"]["distance_m"] == 101000
    )
    assert rec["biggest_month"]["start"] == pd.Timestamp("2026-01-01")


def test_headline_periods():
    frame = acts(
        [
            ("2025-12-31", 100, 1000, 60, 1, 5),
            ("2026-11-02", 100, 2000, 60, 1, 5),
            ("2026-11-16", 100, 3000, 60, 1, 5),
            ("2026-11-20", 100, 4000, 60, 1, 5),
        ]
    )
    head = metrics.headline(frame, pd.Timestamp("2026-11-22"))
    assert head["week"]["distance_m"] == 7000 and head["week"]["count"] == 2
    assert head["month"]["count"] == 3 and head["year"]["count"] == 3 and head["all"]["count"] == 4


def test_cumulative_year():
    frame = acts(
        [
            ("2025-12-31", 100, 1000, 60, 1, 0),
            ("2026-01-01", 100, 2000, 60, 1, 0),
            ("2026-01-03", 100, 3000, 60, 1, 0),
        ]
    )
    by_year = metrics.cumulative_by_year(frame)
    assert by_year[2026].tolist() == [2000, 5000] and by_year[2025].index.tolist() == [365]


def test_hrv_normal_range_is_the_one_the_verdict_uses():
    index = pd.date_range("2026-01-01", periods=30)
    series = pd.Series([50.0, 60.0] * 15, index=index)
    frame = metrics.rolling_baseline(series)
    # the last 7 nights are 60, 50, 60, 50, 60, 50, 60: their ln mean is a geometric mean
    assert frame["mean"].iloc[-1] == pytest.approx((60**4 * 50**3) ** (1 / 7))
    assert frame["base"].iloc[-1] == pytest.approx(math.sqrt(50 * 60))  # 54.77 ms
    sd = pd.Series([math.log(50), math.log(60)] * 15).std()
    assert frame["high"].iloc[-1] == pytest.approx(math.sqrt(3000) * math.exp(0.5 * sd))
    assert frame["low"].iloc[12] != frame["low"].iloc[12]  # NaN until 14 nights
    status = hrv_status(series, index[-1], "COROS, rMSSD")
    assert status is not None
    assert math.exp(status.low_ln) == pytest.approx(frame["low"].iloc[-1])
    assert math.exp(status.high_ln) == pytest.approx(frame["high"].iloc[-1])


def test_empty_cases():
    empty = acts([])
    assert metrics.daily_load(empty).empty
    assert metrics.period_totals(empty, "W").empty
    assert metrics.records(empty) == {}
    assert metrics.cumulative_by_year(empty) == {}
    assert metrics.headline(empty, pd.Timestamp("2026-01-01"))["all"]["count"] == 0
    assert metrics.rolling_baseline(pd.Series(dtype="float64")).empty
    assert metrics.run_paces(empty).empty
    assert metrics.sleep_nights(pd.DataFrame()).empty
