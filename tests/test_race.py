"""Race day's numbers against hand computations and published tables (site/race.py)."""

import math

import pandas as pd
import pytest

from coros_dashboard.site.race import (
    Effort,
    PastRace,
    State,
    back_test,
    budget,
    critical_speed,
    done_shares,
    headline_model,
    marathon_shape,
    predict,
    project,
    riegel,
    share_band,
    taper,
    vdot,
    vdot_time,
)
from coros_dashboard.site.units import format_duration

K_C, K_A = 0.023528, 0.133122  # 1 − e^(−1/42), 1 − e^(−1/7), as the reference states them


def test_the_projection_is_the_dashboards_ewma_continued_over_a_three_week_plan():
    week = [0, 80, 40, 100, 0, 60, 150]
    loads = pd.Series(week * 3, index=pd.date_range("2027-01-04", periods=21))
    fitness, fatigue, by_hand = 50.0, 60.0, []
    for load in week * 3:  # CTL′ = CTL + k_C·(L − CTL), ATL′ likewise, form = CTL′ − ATL′
        fitness += K_C * (load - fitness)
        fatigue += K_A * (load - fatigue)
        by_hand.append((fitness, fatigue, fitness - fatigue))
    out = project(State(50, 60), loads)
    assert list(out.index) == list(loads.index)
    for got, want in zip(out.itertuples(index=False), by_hand, strict=True):
        assert tuple(got) == pytest.approx(want, abs=1e-3)
    half = project(State(50, 60), loads, scale=0.5)  # as you usually train: half the plan
    assert half["fitness"].iloc[-1] < out["fitness"].iloc[-1]


def test_the_load_budget_solves_the_update_rule_for_form():
    state = State(fitness=50, fatigue=60)
    # L = ((1 − k_C)·CTL − (1 − k_A)·ATL − F) / (k_A − k_C) = (48.8236 − 52.01268 + 30) / 0.109594
    assert budget(state, -30) == pytest.approx(244.64, abs=0.01)
    assert state.after(budget(state, -30)).form == pytest.approx(-30)
    assert state.after(budget(state, -10)).form == pytest.approx(-10)


def test_riegel_against_its_published_figures():
    assert format_duration(riegel(1200, 5000, 42195)) == "3:11:49"  # a 20:00 5K
    assert format_duration(riegel(5400, 21097.5, 42195)) == "3:07:39"  # a 1:30:00 half marathon


@pytest.mark.parametrize(
    ("score", "metres", "table"),
    [  # Daniels' Running Formula, the VDOT tables
        (50, 5000, "0:19:57"),
        (50, 42195, "3:10:49"),
        (50, 21097.5, "1:31:35"),
        (40, 10000, "0:50:03"),
        (40, 42195, "3:49:45"),
    ],
)
def test_vdot_against_daniels_tables(score, metres, table):
    h, m, s = map(int, table.split(":"))
    seconds = h * 3600 + m * 60 + s
    assert vdot_time(score, metres) == pytest.approx(seconds, abs=15)  # the tables are rounded
    assert vdot(metres, seconds) == pytest.approx(score, abs=0.15)


def test_critical_speed_is_the_distance_time_line_through_the_best_efforts():
    day = pd.Timestamp("2027-01-01")
    # CS 4.0 m/s and D′ 200 m: 800 m in 150 s, 1,600 m in 350 s, 5,000 m in 1,200 s
    efforts = [Effort(day, d, (d - 200) / 4.0, str(d)) for d in (800, 1600, 5000)]
    assert critical_speed(efforts) == pytest.approx((4.0, 200.0))
    marathon = predict("Critical speed", 42195, efforts)
    assert marathon.seconds == pytest.approx(42195 / (0.848 * 4.0))  # 12,439 s: 3:27:19
    assert predict("Critical speed", 10_000, efforts).seconds == pytest.approx(9800 / 4.0)
    assert critical_speed(efforts[:1]) is None  # one effort draws no line


def test_the_back_test_predicts_each_race_only_from_what_came_before_it():
    day = pd.Timestamp
    efforts = [
        Effort(day("2026-03-01"), 10_000, 2400, "a"),  # 40:00 10K
        Effort(day("2026-06-01"), 10_000, 2340, "b"),  # 39:00
        Effort(day("2026-09-01"), 10_000, 2280, "c"),  # 38:00
        Effort(day("2026-09-20"), 21_097.5, 4000, "race3"),  # the third race itself
    ]
    races = [
        PastRace(day("2026-03-29"), "Spring Half", 21_097.5, 5400, "race1"),
        PastRace(day("2026-06-28"), "Summer Half", 21_097.5, 5300, "race2"),
        PastRace(day("2026-09-20"), "Autumn Half", 21_097.5, 4000, "race3"),
    ]
    checks = back_test(races, efforts, {})
    by_hand = [
        abs(2400 * (21_097.5 / 10_000) ** 1.06 - 5400) / 5400,
        abs(2340 * (21_097.5 / 10_000) ** 1.06 - 5300) / 5300,
        abs(2280 * (21_097.5 / 10_000) ** 1.06 - 4000) / 4000,  # not from the race's own run
    ]
    assert checks["Riegel"].errors == pytest.approx(by_hand)
    assert checks["Riegel"].mape == pytest.approx(sum(by_hand) / 3)
    assert checks["COROS"].mape is None  # no prediction stored before any race
    coros = {day("2026-03-28"): {21_097.5: 5350.0}}
    assert back_test(races[:1], efforts, coros)["COROS"].errors == pytest.approx([50 / 5400])


def test_the_headline_is_the_model_with_the_lowest_back_test_error():
    day = pd.Timestamp("2026-03-01")
    efforts = [Effort(day, 10_000, 2400, "a")]
    predictions = {
        m: predict(m, 21_097.5, efforts) for m in ("COROS", "Riegel", "VDOT", "Critical speed")
    }
    races = [PastRace(pd.Timestamp("2026-03-29"), "Half", 21_097.5, 5400, "r")]
    checks = back_test(races, efforts, {})
    best = min(("Riegel", "VDOT"), key=lambda m: checks[m].mape)
    assert headline_model(checks, predictions) == best
    assert headline_model(back_test([], efforts, {}), predictions) == "Riegel"  # untested


def test_the_band_comes_from_how_much_of_the_plan_was_done():
    today = pd.Timestamp("2027-01-13")  # a Wednesday
    days = pd.date_range("2026-10-19", "2027-01-10")  # 12 finished weeks
    planned = pd.Series(100.0, index=days)
    shares = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.0, 1.0, 1.1, 1.2, 0.9, 0.8]
    done = pd.Series([s * 100 for s in shares for _ in range(7)], index=days)
    assert done_shares(planned, done, today) == pytest.approx(shares)
    low, high = share_band(shares)
    # linear between order statistics: p10 at rank 1.1 (0.6 → 0.7), p90 at rank 9.9 (1.0 → 1.1)
    assert low == pytest.approx(0.61) and high == pytest.approx(1.09)
    assert share_band(shares[:2]) is None


def test_the_taper_check_reads_the_plans_last_two_weeks():
    race = pd.Timestamp("2027-02-28")
    days = pd.date_range(race - pd.Timedelta(days=42), race - pd.Timedelta(days=1))
    taper_start = race - pd.Timedelta(days=14)
    distance = pd.Series([10_000.0 if d < taper_start else 5_000.0 for d in days], index=days)
    sessions = pd.Series(1.0, index=days)
    t = taper(distance, sessions, race)
    assert (t.weekly_before, t.weekly_taper) == pytest.approx((70.0, 35.0))
    assert t.cut == pytest.approx(0.5) and t.within
    assert taper(distance[-20:], sessions[-20:], race) is None  # the plan does not reach back


def test_marathon_shape_is_runalyzes_two_thirds_weekly_one_third_long_runs():
    race = pd.Timestamp("2027-03-01")
    score = 50.0  # targets: 50^1.135 = 84.7 km a week; long runs ln(12.5)·12 = 30.3 km
    runs = [(race - pd.Timedelta(days=d), 10.0) for d in range(1, 183, 2)]  # 91 runs of 10 km
    runs.append((race - pd.Timedelta(days=7), 30.0))  # one long run a week ago
    shape = marathon_shape(runs, race, score)
    weekly = (91 * 10 + 30) * 7 / 182
    long_target = math.log(50 / 4) * 12 - 13
    points = (2 - 2 * 7 / 70) * ((30 - 13) / long_target) ** 2
    by_hand = 100 * (0.67 * weekly / 50**1.135 + 0.33 * points * 7 / 70)
    assert shape.percent == pytest.approx(by_hand)
    assert shape.weekly_target_km == pytest.approx(84.7, abs=0.1)
    assert shape.long_target_km == pytest.approx(30.3, abs=0.1)
    older = marathon_shape([(race - pd.Timedelta(days=71), 30.0)], race, score)
    assert older.percent == pytest.approx(100 * 0.67 * 30 * 7 / 182 / 50**1.135)  # long: too old
