"""The readiness verdict and last night's sleep, on hand-computed days."""

import math

import pandas as pd
import pytest

from coros_dashboard.site import metrics
from coros_dashboard.site.readiness import (
    Reason,
    form_zone,
    hrv_reason,
    hrv_status,
    last_night,
    readiness,
    rest_reason,
    resting_hr_reason,
    sleep_reason,
    verdict,
)

TODAY = pd.Timestamp("2026-11-25")  # a Wednesday
EMPTY = pd.DataFrame(index=pd.DatetimeIndex([], name="date"))


def days_back(values: list) -> pd.Series:
    """values[-1] is today's, values[-2] yesterday's, …"""
    index = pd.date_range(end=TODAY, periods=len(values), freq="D", name="date")
    return pd.Series(values, index=index, dtype="float64")


# 53 days alternating 50 and 70 ms, then a week at 45 ms. By hand: ln 50 = 3.912, ln 70 = 4.248,
# ln 45 = 3.807; the 60 ln values have mean 4.0455 and SD 0.1819, so the normal range is
# exp(4.0455 ± 0.0909) = 52.2–62.6 ms and the 7-day mean, 45 ms, is below it.
LOW_WEEK = [50.0 if i % 2 == 0 else 70.0 for i in range(53)] + [45.0] * 7


def test_hrv_below_its_normal_range_is_low():
    status = hrv_status(days_back(LOW_WEEK), TODAY, "COROS, rMSSD")
    assert status is not None
    assert math.exp(status.low_ln) == pytest.approx(52.17, abs=0.01)
    assert math.exp(status.high_ln) == pytest.approx(62.58, abs=0.01)
    assert math.exp(status.week_ln) == pytest.approx(45.0)
    assert status.word == "low"


def test_a_band_narrower_than_a_millisecond_is_widened_to_one():
    """57 of 60 nights at 60 ms: 0.5 SD is a hair's width ("60–60 ms"); a 1 ms drop is no news."""
    nights = [60.0] * 30 + [59.0] + [60.0] * 25 + [61.0, 59.0, 60.0, 60.0]
    assert len(nights) == 60 and nights.count(60.0) == 57
    status = hrv_status(days_back(nights), TODAY, "COROS, rMSSD")
    assert round(math.exp(status.low_ln)) == 59 and round(math.exp(status.high_ln)) == 61
    assert status.word == "in range"
    reason = hrv_reason(days_back(nights[:-7] + [59.0] * 7), None, TODAY)
    assert "normal 59–61 ms" in reason.detail and reason.word == "in range"
    assert hrv_reason(days_back(nights[:-7] + [57.0] * 7), None, TODAY).word == "low"
    frame = metrics.rolling_baseline(days_back(nights))
    assert (round(frame["low"].iloc[-1]), round(frame["high"].iloc[-1])) == (59, 61)


def test_hrv_above_its_range_is_high_and_only_a_caution():
    reason = hrv_reason(days_back(LOW_WEEK[:53] + [80.0] * 7), None, TODAY)
    assert (reason.word, reason.tone) == ("high", "caution")


def test_hrv_needs_three_readings_in_the_last_seven_days():
    sparse = LOW_WEEK[:53] + [45.0, None, None, None, None, None, 45.0]
    assert hrv_status(days_back(sparse), TODAY, "COROS, rMSSD") is None
    enough = LOW_WEEK[:53] + [45.0, None, None, 45.0, None, None, 45.0]
    assert hrv_status(days_back(enough), TODAY, "COROS, rMSSD") is not None


def test_coros_rmssd_and_apple_sdnn_are_never_mixed_in_one_baseline():
    # COROS has the 60 days of history but nothing this week; Apple has this week only:
    # no source has both, so there is no status (a mixed baseline would call it "low")
    coros = days_back(LOW_WEEK[:53] + [None] * 7)
    apple = days_back([None] * 53 + [45.0] * 7)
    reason = hrv_reason(coros, apple, TODAY)
    assert reason.weight is None and reason.word == "no data"
    # with its own history, Apple's SDNN is judged on its own and says which it is
    apple_full = days_back([30.0 if i % 2 else 40.0 for i in range(53)] + [35.0] * 7)
    reason = hrv_reason(coros, apple_full, TODAY)
    assert reason.label == "HRV (Apple Watch, SDNN)" and reason.word == "in range"


def test_missing_hrv_says_how_long_it_has_been_missing():
    reason = hrv_reason(days_back(LOW_WEEK[:50] + [None] * 10), None, TODAY)
    assert reason.detail == "no HRV in the last 3 nights"


def test_resting_hr_more_than_five_above_its_week_is_a_flag():
    # the 7 days before today average 50; today 56 is +6 → high; 53 is +3 → a little high
    assert (
        resting_hr_reason(days_back([48, 52, 50, 50, 49, 51, 50, 56]), TODAY, "COROS").word
        == "high"
    )
    reason = resting_hr_reason(days_back([48, 52, 50, 50, 49, 51, 50, 53]), TODAY, "COROS")
    assert (reason.word, reason.tone, reason.detail) == (
        "a little high",
        "caution",
        "7-day normal 50 bpm (+3)",
    )
    assert (
        resting_hr_reason(days_back([48, 52, 50, 50, 49, 51, 50, 51]), TODAY, "COROS").word
        == "normal"
    )


def nights_frame(asleep: list, **stages) -> pd.DataFrame:
    frame = pd.DataFrame({"sleep_asleep_min": asleep, **stages})
    frame.index = pd.date_range(end=TODAY, periods=len(asleep), freq="D", name="date")
    return metrics.sleep_nights(frame)


def test_last_night_against_the_seven_night_mean_the_chart_draws():
    # the 7 nights ending with last night: (420·5 + 490 + 460)/7 = 435.7 min = 7:16, and last
    # night 7:40 is +0:24 — the very mean the sleep chart calls "7-night mean" on that night
    asleep = [420.0] * 6 + [490.0] + [460.0]
    frame = nights_frame(asleep, sleep_deep_min=[60.0] * 8)
    night = last_night(frame, TODAY)
    assert night is not None and night.named == "Night to Wed 25 Nov"
    assert night.text == "7:40 asleep (deep 1:00)"
    assert night.against_mean == "7-night mean 7:16 (+0:24)"
    assert night.mean_min == pytest.approx(metrics.seven_night_mean(frame["total_min"]).iloc[-1])
    assert sleep_reason(night, TODAY).word == "enough"
    short = last_night(nights_frame([420.0] * 7 + [350.0]), TODAY)
    assert sleep_reason(short, TODAY).word == "short"
    very_short = last_night(nights_frame([420.0] * 7 + [290.0]), TODAY)
    assert sleep_reason(very_short, TODAY).tone == "bad"


def test_a_night_not_arrived_yet_is_named_never_judged_as_last_night():
    frame = nights_frame([420.0] * 5 + [None, None, None])  # the latest ended on Sunday
    night = last_night(frame, TODAY)
    assert night is not None and night.named == "Night to Sun 22 Nov"
    reason = sleep_reason(night, TODAY)
    assert (reason.word, reason.weight) == ("not synced yet", None)
    assert (
        reason.detail == "last night has not arrived; latest: the night to Sun 22 Nov, 7:00 asleep"
    )
    assert reason.provenance == "Apple Health, Sun 22 Nov"
    old = nights_frame([420.0] * 5 + [None] * 7)
    assert last_night(old, TODAY) is None  # over a week old: no night at all
    assert sleep_reason(None, TODAY).detail == "no sleep recorded in the last week"


@pytest.mark.parametrize(
    "fitness, fatigue, zone",
    [
        (50, 35, "transitional"),  # form +30 %
        (50, 40, "fresh"),  # +20 % is not above +20 %
        (50, 45, "fresh"),  # +10 %
        (50, 47.5, "grey zone"),  # +5 % is not above +5 %
        (50, 50, "grey zone"),  # 0 %
        (50, 55, "grey zone"),  # −10 %, the grey zone's floor
        (50, 60, "optimal"),  # −20 %
        (50, 65, "optimal"),  # −30 %, the optimal zone's floor
        (50, 70, "high risk"),  # −40 %
        (0, 10, "none"),
    ],
)
def test_form_zones_and_their_thresholds(fitness, fatigue, zone):
    assert form_zone(fitness, fatigue)[0] == zone


def ok(label: str) -> Reason:
    return Reason(label, "fine", weight=0)


def test_good_load_and_low_hrv_is_keep_it_easy_and_says_both():
    hrv = Reason("HRV (COROS, rMSSD)", "low", weight=2)
    result = verdict([hrv, ok("Resting HR"), ok("Sleep"), ok("Form"), ok("Acute:chronic")])
    assert result.headline == "Keep it easy"
    assert result.because + result.fine == (
        "HRV low, although Resting HR, Sleep, Form and Acute:chronic are fine"
    )


def test_two_flags_or_a_flag_and_two_cautions_is_rest():
    flag, caution = 2, 1
    two_flags = [Reason("HRV", "low", weight=flag), Reason("Resting HR", "high", weight=flag)]
    assert verdict([*two_flags, ok("Sleep")]).key == "rest"
    mixed = [
        Reason("HRV", "low", weight=flag),
        Reason("Sleep", "short", weight=caution),
        Reason("Since rest", "8 days: rest soon", weight=caution),
        ok("Form"),
    ]
    assert verdict(mixed).key == "rest"
    assert verdict([Reason("Sleep", "short", weight=caution), ok("HRV"), ok("Form")]).key == "hard"
    assert verdict([ok("HRV"), ok("Form")]).headline == "Ready for a hard session"


def test_too_few_inputs_declines_and_says_what_is_missing():
    missing = [
        Reason("HRV", "no data", weight=None),
        Reason("Sleep", "no data", weight=None),
        Reason("Resting HR", "no data", weight=None),
        ok("Form"),
    ]
    result = verdict(missing)
    assert result.key == "none"
    assert result.because == "Too little data: HRV, Sleep, Resting HR missing"


def test_readiness_from_frames_conflicting_day():
    """Steady training with Monday rests (grey zone, A:C about 1) and a week of low HRV."""
    load = days_back([60.0] * 120)
    load[load.index.day_of_week == 0] = 0.0
    fitness = metrics.fitness_fatigue(load)
    daily = pd.DataFrame(
        {
            "sleep_hrv_ms": days_back([None] * 60 + LOW_WEEK).to_numpy(),
            "resting_hr": days_back([50.0] * 120).to_numpy(),
        },
        index=load.index,
    )
    result, night = readiness(daily, EMPTY, pd.DataFrame(), fitness, load, TODAY)
    words = {r.label: r.word for r in result.reasons}
    assert words["HRV (COROS, rMSSD)"] == "low"
    assert words["Resting HR (COROS)"] == "normal"
    assert words["Form"] == "grey zone" and words["Acute:chronic"] == "in range"
    assert words["Sleep"] == "no data" and night is None
    assert words["Since rest"] == "2 days"  # rest on Monday; Tuesday, and today with its load
    assert result.headline == "Keep it easy"
    assert result.because == "HRV low" and result.fine.startswith(", although")


def test_load_in_its_warm_up_weeks_is_not_judged():
    load = days_back([80.0] * 20)
    result, _ = readiness(EMPTY, EMPTY, pd.DataFrame(), metrics.fitness_fatigue(load), load, TODAY)
    words = {r.label: (r.word, r.detail) for r in result.reasons}
    assert words["Load"] == ("warming up", "20 days of history; needs 42")
    assert result.key == "none"


@pytest.mark.parametrize(
    "training_days, word, tone",
    [(4, "4 days", "good"), (9, "9 days: rest soon", "caution"), (10, "10 days: overdue", "bad")],
)
def test_rest_days_count_completed_days_at_seven_in_the_morning(training_days, word, tone):
    """At 07:00 today has no load yet: it is not a rest day, and the streak behind it counts."""
    load = days_back([60.0] * 20 + [0.0] + [60.0] * training_days + [0.0])
    reason = rest_reason(load, TODAY)
    assert (reason.word, reason.tone) == (word, tone)
    assert "last rest day" in reason.detail
    trained = rest_reason(days_back([60.0] * 20 + [0.0] + [60.0] * (training_days + 1)), TODAY)
    assert trained.word.startswith(f"{training_days + 1} days")  # today counts once it has load
