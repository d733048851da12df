"""The first screen at the moment of the build (site.morning): week against week at the same
moment, the age of each source, and the verdict in words with today's plan — on hand-made weeks
whose numbers are checked by hand."""

import pandas as pd
import pytest

from coros_dashboard.site.morning import (
    HEADLINE_WITH_PLAN,
    freshness,
    local_starts,
    planned_today,
    week_at_same_moment,
    with_plan,
)
from coros_dashboard.site.plan import Plan, Workout
from coros_dashboard.site.readiness import HEADLINES


def acts(*rows) -> pd.DataFrame:
    """(local start "YYYY-MM-DDTHH:MM:SS±hh:mm" or a bare day, km, minutes, load) rows."""
    frame = pd.DataFrame(
        [
            {
                "id": f"a{i}",
                "date": start[:10],
                "start_local": start if "T" in start else None,
                "distance_m": km * 1000,
                "moving_s": minutes * 60,
                "training_load": load,
            }
            for i, (start, km, minutes, load) in enumerate(rows)
        ]
    )
    frame["date"] = pd.to_datetime(frame["date"])
    frame["start_local"] = frame["start_local"].astype("string")
    frame["started"] = local_starts(frame)  # as the model adds it
    return frame


# Mon 23 Nov … Sun 29 Nov 2026 is "last week"; Mon 30 Nov … Sun 6 Dec "this week"
WEEKS = acts(
    ("2026-11-23T18:00:00+01:00", 10.0, 50, 60),  # last Monday evening
    ("2026-11-26T07:35:00+01:00", 11.1, 50, 90),  # last Thursday's tempo, at 07:35
    ("2026-11-29T09:00:00+01:00", 21.0, 120, 150),  # last Sunday's long run
    ("2026-11-30T06:30:00+01:00", 8.0, 45, 50),  # this Monday
    ("2026-12-02T18:00:00+01:00", 14.8, 80, 100),  # this Wednesday
)


def test_thursday_at_seven_compares_the_same_clock_time_last_week():
    weeks = week_at_same_moment(WEEKS, pd.Timestamp("2026-12-03 07:00"))
    # this week: 8.0 + 14.8 = 22.8 km; last week to Thu 07:00: 10.0 km (the 07:35 tempo is later)
    assert weeks.this["distance_m"] == pytest.approx(22_800) and weeks.this["count"] == 2
    assert weeks.last["distance_m"] == pytest.approx(10_000) and weeks.last["count"] == 1
    assert weeks.caption == "This week against last, to Thu 07:00"
    later = week_at_same_moment(WEEKS, pd.Timestamp("2026-12-03 07:35"))
    assert later.last["distance_m"] == pytest.approx(21_100)  # from 07:35 on it counts


def test_monday_morning_before_any_activity_shows_last_week_against_the_one_before():
    weeks = week_at_same_moment(WEEKS, pd.Timestamp("2026-11-30 06:00"))
    assert weeks.caption == "Last week against the one before (none yet this week)"
    assert weeks.columns == ("Last", "Before")
    assert weeks.this["distance_m"] == pytest.approx(42_100) and weeks.this["count"] == 3
    assert weeks.last["count"] == 0
    after_run = week_at_same_moment(WEEKS, pd.Timestamp("2026-11-30 07:30"))
    assert not after_run.note and after_run.this["count"] == 1
    assert after_run.last["count"] == 0  # last Monday's run was in the evening


def test_sunday_night_counts_the_whole_week_and_a_run_across_midnight_by_its_start():
    late = acts(
        ("2026-11-29T23:30:00+01:00", 5.0, 40, 30),  # starts Sunday 23:30, ends Monday
        ("2026-12-06T22:00:00+01:00", 6.0, 35, 35),
    )
    weeks = week_at_same_moment(
        pd.concat([WEEKS, late], ignore_index=True), pd.Timestamp("2026-12-06 23:00")
    )
    assert weeks.this["distance_m"] == pytest.approx(28_800)  # 8.0 + 14.8 + 6.0
    assert weeks.last["distance_m"] == pytest.approx(42_100)  # not the 23:30 run: after 23:00
    monday = week_at_same_moment(
        pd.concat([WEEKS, late], ignore_index=True), pd.Timestamp("2026-11-30 06:00")
    )
    assert monday.this["distance_m"] == pytest.approx(47_100)  # it belongs to the week it began


def test_a_week_across_a_daylight_saving_change_compares_the_same_wall_clock_time():
    """Europe moves its clocks on Sun 29 Mar 2026: starts are local wall-clock times."""
    spring = acts(
        ("2026-03-26T07:10:00+01:00", 10.0, 50, 60),  # last Thursday, winter time
        ("2026-04-02T07:10:00+02:00", 12.0, 60, 70),  # this Thursday, summer time
    )
    weeks = week_at_same_moment(spring, pd.Timestamp("2026-04-02 07:30"))
    assert weeks.this["distance_m"] == pytest.approx(12_000)
    assert weeks.last["distance_m"] == pytest.approx(10_000)
    before = week_at_same_moment(spring, pd.Timestamp("2026-04-02 07:00"))
    assert before.this["count"] == before.last["count"] == 0


def test_an_activity_known_only_by_its_day_counts_from_that_days_start():
    weeks = week_at_same_moment(acts(("2026-12-03", 5.0, 30, 20)), pd.Timestamp("2026-12-03 07:00"))
    assert weeks.this["count"] == 1


def dated(*days: str) -> pd.DataFrame:
    return pd.DataFrame(
        {"resting_hr": [50.0] * len(days)}, index=pd.DatetimeIndex(days, name="date")
    )


@pytest.mark.parametrize(
    "source, latest, now, stale",
    [
        ("COROS", "2026-12-03", "2026-12-03 07:00", False),  # this morning's sync: 7 h
        ("COROS", "2026-12-02", "2026-12-03 11:59", False),  # one missed run: 35.98 h
        ("COROS", "2026-12-02", "2026-12-03 12:01", True),  # 36 h past
        ("Apple Health", "2026-12-02", "2026-12-03 07:00", False),  # before today's push: 31 h
        ("Apple Health", "2026-12-01", "2026-12-03 00:00", False),  # 48 h exactly
        ("Apple Health", "2026-11-26", "2026-12-03 07:00", True),  # a week without a push
    ],
)
def test_a_source_older_than_its_cadence_is_stale_and_says_what_to_check(
    source, latest, now, stale
):
    found = freshness(dated("2026-11-20", latest), source, pd.Timestamp(now))
    assert found.stale is stale
    if stale:
        check = "fetch workflow" if source == "COROS" else "iOS Shortcut"
        assert found.notice.startswith(f"{source} data is ") and check in found.notice
    else:
        assert found.notice == ""
    assert freshness(pd.DataFrame(), source, pd.Timestamp(now)).notice == ""  # never synced


def workout(name, load=60.0, done=None) -> Workout:
    day = pd.Timestamp("2026-12-03")
    return Workout("p", day, name, "", "", "run", None, None, load, done)


PLANS = {
    "none": None,
    "rest": Plan([], rest_today=True),
    "easy": Plan([], today=[workout("Easy Run")]),
    "hard": Plan([], today=[workout("Intervals 6x800m", load=95)]),
}


@pytest.mark.parametrize("key", ["hard", "easy", "rest", "none"])
@pytest.mark.parametrize("planned", list(PLANS))
def test_the_verdict_and_todays_plan_never_contradict(key, planned):
    kind, name = planned_today(PLANS[planned])
    assert kind == planned
    text = with_plan(key, HEADLINES[key], kind, name)
    if key == "none" or planned == "none":
        assert text == HEADLINES[key]  # nothing to reconcile
        return
    assert text == HEADLINE_WITH_PLAN[(key, planned)].format(name=name)
    if planned == "rest":
        assert "rest" in text.lower()  # never "ready for a hard session" on a rest day
    if planned == "hard" and key != "hard":
        assert "Intervals 6x800m" in text and "consider moving it" in text
    if key == "hard":
        assert "keep it easy" not in text.lower() and "rest or" not in text.lower()


def test_a_done_workout_or_a_heavy_plain_run_is_read_for_what_it_is():
    assert planned_today(Plan([], today=[workout("Easy Run", done="a1")])) == ("done", "Easy Run")
    assert planned_today(Plan([], today=[workout("Long Run", load=150)]))[0] == "hard"
