"""Plan vs done on the site: matching workouts to activities, today, the week, the calendar marks
and weekly compliance, on a hand-made week whose numbers are checked by hand."""

import pandas as pd

from coros_dashboard.site.plan import build_plan, summary_in_units
from coros_dashboard.site.units import Units

TODAY = pd.Timestamp("2026-11-19")  # a Thursday


def acts(*rows):
    frame = pd.DataFrame(
        rows, columns=["id", "date", "group", "distance_m", "moving_s", "training_load"]
    )
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def workout(key, date, name="Easy Run", km=8, minutes=45, load=60, link=None, sport=100):
    record = {
        "id": f"p-{key}",
        "date": date,
        "name": name,
        "sport_code": sport,
        "distance_m": km * 1000,
        "duration_s": minutes * 60,
        "load": load,
        "summary": f"{km} km easy",
    }
    if link:
        record["activity_id"] = link
    return record


PLAN = [
    workout(1, "2026-11-16", link="a1"),  # Mon: done, linked by COROS
    workout(2, "2026-11-17", name="Intervals", km=10, minutes=50, load=80),  # Tue: done that day
    workout(3, "2026-11-18"),  # Wed: missed (a ride that day does not count)
    workout(4, "2026-11-19", name="Tempo", km=12, minutes=55, load=90),  # today, not yet
    workout(5, "2026-11-21", name="Long Run", km=25, minutes=140, load=150),  # Sat
    workout(6, "2026-11-24"),  # next week
    workout(7, "2026-11-10", km=6, minutes=35, load=40),  # last week: done
]
ACTS = acts(
    ("a1", "2026-11-16", "run", 8200.0, 2700.0, 62.0),
    ("a2", "2026-11-17", "run", 10100.0, 3000.0, 85.0),
    ("a3", "2026-11-18", "ride", 30000.0, 3600.0, 70.0),
    ("a4", "2026-11-15", "run", 5000.0, 1500.0, 30.0),  # Sunday of last week: not in the plan
    ("a5", "2026-11-10", "run", 6000.0, 2100.0, 41.0),
)


def test_workouts_are_matched_by_link_then_by_day_and_sport():
    plan = build_plan(PLAN, ACTS, TODAY, Units("metric"))
    done = {w.id: w.done_id for w in plan.workouts}
    assert done == {
        "p-7": "a5",
        "p-1": "a1",
        "p-2": "a2",
        "p-3": None,
        "p-4": None,
        "p-5": None,
        "p-6": None,
    }
    assert set(plan.by_activity) == {"a1", "a2", "a5"}


def test_today_this_week_and_the_next_seven_days():
    plan = build_plan(PLAN, ACTS, TODAY, Units("metric"))
    assert [w.name for w in plan.today] == ["Tempo"] and not plan.rest_today
    assert plan.today[0].amount == "12.0 km · 55 min"
    assert plan.week_left_text == "2 workouts left this week, 37.0 km · 3:15 h"
    assert [w.id for w in plan.next_days] == ["p-5", "p-6"]  # Sat and next Tue, within 7 days


def test_a_day_without_a_workout_inside_the_plan_is_a_rest_day():
    plan = build_plan(PLAN, ACTS, pd.Timestamp("2026-11-20"), Units("metric"))
    assert plan.today == [] and plan.rest_today


def test_calendar_marks():
    plan = build_plan(PLAN, ACTS, TODAY, Units("metric"))
    marks = {day.strftime("%m-%d"): state for day, state in plan.days.items()}
    assert marks == {
        "11-10": "done",
        "11-15": "unplanned",
        "11-16": "done",
        "11-17": "done",
        "11-18": "missed",
        "11-19": "planned",
        "11-21": "planned",  # the rest of this week; the Tuesday after is in "next 7 days"
    }


def test_weekly_compliance_by_hand():
    plan = build_plan(PLAN, ACTS, TODAY, Units("metric"))
    this_week, last_week = plan.weeks
    # planned Mon–Sun: 8 + 10 + 8 + 12 + 25 = 63 km, 45+50+45+55+140 min = 5:35 (h:mm), load 440
    # done so far in runs: 8.2 + 10.1 = 18.3 km (the ride is not a run), 95 min, load 147
    assert this_week == {
        "week": "16 Nov",
        "running": True,
        "planned_distance": "63.0 km",
        "done_distance": "18.3 km",
        "planned_time": "5:35",
        "done_time": "1:35",
        "planned_load": "440",
        "done_load": "147",
        "completed": 2,
        "due": 4,  # Mon–Thu; the Tempo is due today and not done yet
        "share": "50 %",
    }
    assert (last_week["completed"], last_week["due"], last_week["share"]) == (1, 1, "100 %")
    assert last_week["done_distance"] == "11.0 km"  # 6 planned + the unplanned Sunday 5: runs done


def test_no_plan_no_sections():
    assert build_plan([], ACTS, TODAY, Units("metric")) is None


def test_a_summary_reads_per_mile_for_imperial_units():
    summary = "2 km warm-up, 6 × 800 m at 3:45/km with 2 min rest, 10 km at 4:50–5:10/km"
    assert summary_in_units(summary, Units("metric")) == summary
    assert summary_in_units(summary, Units("imperial")) == (
        "1.2 mi warm-up, 6 × 800 m at 6:02/mi with 2 min rest, 6.2 mi at 7:47–8:19/mi"
    )
    (imperial,) = build_plan(
        [{**workout("1", "2026-11-23"), "summary": "45 min at 5:00/km"}],
        ACTS,
        TODAY,
        Units("imperial"),
    ).workouts
    assert imperial.summary == "45 min at 8:03/mi"


def test_a_crowded_plan_shows_a_few_lines_and_says_how_many_more():
    crowded = [workout(i, "2026-11-19") for i in range(50)] + [
        workout(100 + i, f"2026-11-{20 + i % 7}") for i in range(300)
    ]
    plan = build_plan(crowded, acts(), TODAY, Units("metric"))
    assert len(plan.today) == 50 and len(plan.today_shown) == 3 and plan.today_more == 47
    assert len(plan.next_shown) == 14 and plan.next_more == 350 - 14
    assert plan.next_shown[:3] == plan.today[:3]  # today's first
