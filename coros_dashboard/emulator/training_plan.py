"""The synthetic athlete's training plan, and the two schedule answers COROS gives for it.

The athlete follows a plan for its last `weeks_before` weeks and the four weeks ahead: each run
becomes a planned workout on its day (done as planned once the run is visible), a few rest days
hold a planned run that was missed, and rides, swims and strength are done outside the plan.
`training/schedule/query` answers entities and programs linked by idInPlan, as COROS does.
"""

import datetime as dt
import random
from dataclasses import dataclass

PLAN_ID = "460904915775176706"
EASY_PACE_MS = 330_000  # ms per km, as COROS encodes pace targets
INTERVAL_PACE_MS = 240_000
TEMPO_PACE_MS = 275_000


def intensity(pace: int, pace_to: int, hr: tuple[int, int] | None) -> dict:
    """A step's target as COROS encodes it: type 3 a pace range (ms per km, ×1000), type 2 a
    heart-rate range, type 0 none."""
    if pace:
        return {
            "intensityType": 3,
            "intensityValue": pace,
            "intensityValueExtend": pace_to or pace,
            "intensityMultiplier": 1000,
        }
    low, high = hr or (0, 0)
    return {
        "intensityType": 2 if hr else 0,
        "intensityValue": low,
        "intensityValueExtend": high,
        "intensityMultiplier": 0,
    }


def step(sort, kind, target_type, value, pace=0, pace_to=0, hr=None, group=None, rest=0) -> dict:
    """One step of a program as COROS writes it: a pace target in ms per km (`pace`…`pace_to`),
    or a heart-rate range `hr` (low, high) in bpm; `group` is its repeat's id."""
    out = {
        "id": sort,
        "sortNo": sort,
        "isGroup": False,
        "exerciseType": kind,
        "targetType": target_type,
        "targetValue": value,
        **intensity(pace, pace_to, hr),
        "restType": 0 if rest else 3,
        "restValue": rest,
        "sets": 1,
        "sportType": 1,
    }
    if group is not None:
        out["groupId"] = group
    return out


def exercises_for(name: str, metres: float) -> list:
    """The steps of a run by its name: intervals and tempo runs have structure, the rest one
    step."""
    if "Interval" in name:
        return [
            step(1, 1, 5, 2000),
            {
                "id": 2,
                "sortNo": 2,
                "isGroup": True,
                "exerciseType": 0,
                "sets": 6,
                "restType": 0,
                "restValue": 0,
                "targetType": "",
                "targetValue": 0,
                "sportType": 0,
            },
            step(3, 2, 5, 800, INTERVAL_PACE_MS, INTERVAL_PACE_MS + 10_000, group=2, rest=120),
            step(4, 3, 5, 2000),
        ]
    if "Tempo" in name:
        return [
            step(1, 1, 5, 2000),
            step(2, 2, 2, 1200, TEMPO_PACE_MS, TEMPO_PACE_MS + 10_000),
            step(3, 3, 5, 2000),
        ]
    return [step(1, 2, 5, int(round(metres, -2)), EASY_PACE_MS, EASY_PACE_MS + 10_000)]


# a week of the build to a goal race, Monday first: (name, km, load) or None for rest
BUILD_WEEK = (
    None,
    ("Intervals 6x800m", 10, 90),
    ("Easy Run", 8, 50),
    ("Tempo Run", 12, 100),
    None,
    ("Easy Run", 8, 50),
    ("Long Run", 28, 180),
)
TAPER_SHARE = 0.5  # the last two weeks before the race: half the volume, the same sessions


def goal_block(start: dt.date, goal: "Goal", first_id: int) -> list:
    """Planned workouts from `start` to the goal race: the build week repeated, halved in the last
    two weeks, and the race on its day."""
    plan, day = [], start
    while day < goal.day:
        template = BUILD_WEEK[day.weekday()]
        if template:
            name, km, load = template
            share = TAPER_SHARE if (goal.day - day).days <= 14 else 1.0
            metres = round(km * share) * 1000.0
            plan.append(
                planned(
                    first_id + len(plan),
                    day,
                    None,
                    name,
                    metres,
                    int(metres * 0.33),
                    round(load * share),
                )
            )
        day += dt.timedelta(days=1)
    seconds = int(goal.metres * 0.3)
    plan.append(
        planned(
            first_id + len(plan), goal.day, None, f"Race: {goal.name}", goal.metres, seconds, 350
        )
    )
    return plan


def planned(number: int, day: dt.date, label, name: str, metres: float, seconds: int, load: int):
    return {
        "idInPlan": str(number),
        "happenDay": day.year * 10000 + day.month * 100 + day.day,
        "labelId": label,
        "program": {
            "name": name,
            "sportType": 1,
            "planDistance": metres,
            "planDuration": seconds,
            "planTrainingLoad": load,
            "exercises": exercises_for(name, metres),
        },
    }


@dataclass(frozen=True)
class Goal:
    day: dt.date
    name: str
    metres: float


def make_plan(
    activities: list,
    today: dt.date,
    weeks_before: int = 6,
    seed: int = 1,
    goal: Goal | None = None,
) -> list:
    """Planned workouts: {idInPlan, happenDay, labelId or None, program}; with a goal race, the
    plan runs on to it (emulator.athlete.race_season)."""
    rng = random.Random(seed * 7919)
    first, last = today - dt.timedelta(weeks=weeks_before), today + dt.timedelta(weeks=4)
    if goal is not None:  # the six weeks before the race are the block's: build, then taper
        last = max(today, min(last, goal.day - dt.timedelta(days=43)))
    runs = {}
    for item in activities:
        day = dt.date(item["date"] // 10000, item["date"] // 100 % 100, item["date"] % 100)
        if first <= day <= last and item["sportType"] in (100, 102):
            runs.setdefault(day, item)
    plan = []
    day = first
    while day <= last:
        item = runs.get(day)
        if item is not None:
            metres = round(float(item["distance"]), -3) or 1000.0
            seconds = int(round(item["workoutTime"] / 300) * 300)
            name, label = item["name"], item["labelId"]
        elif day < today and day.weekday() in (1, 3) and rng.random() < 0.35:
            metres, seconds, name, label = 8000.0, 2700, "Easy Run", None  # planned, missed
        else:
            day += dt.timedelta(days=1)
            continue
        load = int(item["trainingLoad"]) if item else 60
        plan.append(planned(len(plan) + 1, day, label, name, metres, seconds, load))
        day += dt.timedelta(days=1)
    if goal is not None and goal.day > last:
        plan += goal_block(last + dt.timedelta(days=1), goal, len(plan) + 1)
    return plan


def schedule_answer(plan: list, activities: list, start: int, end: int) -> dict:
    """training/schedule/query for days start…end (COROS day numbers)."""
    visible = {a["labelId"]: a for a in activities}
    placed = [w for w in plan if start <= w["happenDay"] <= end]
    entities, programs, linked = [], [], set()
    for w in placed:
        entity = {
            "id": f"7000{w['idInPlan']:0>8}",
            "idInPlan": w["idInPlan"],
            "planId": PLAN_ID,
            "planProgramId": w["idInPlan"],
            "happenDay": w["happenDay"],
            "sortNoInSchedule": 1,
        }
        done = visible.get(w["labelId"])
        if done is not None:
            entity["sportData"] = {
                "labelId": done["labelId"],
                "name": done["name"],
                "distance": done["distance"],
                "duration": done["workoutTime"],
                "happenDay": done["date"],
            }
            linked.add(done["labelId"])
        entities.append(entity)
        programs.append(
            {"id": f"8000{w['idInPlan']:0>8}", "idInPlan": w["idInPlan"], **w["program"]}
        )
    outside = [
        {
            "name": a["name"],
            "sportType": a["sportType"],
            "happenDay": a["date"],
            "distance": a["distance"],
            "duration": a["workoutTime"],
            "trainingLoad": a["trainingLoad"],
            "labelId": a["labelId"],
        }
        for a in activities
        if start <= a["date"] <= end and a["labelId"] not in linked
    ]
    if not plan:
        return {"entities": [], "programs": [], "sportDatasNotInPlan": outside}
    return {
        "id": PLAN_ID,
        "name": "Marathon base",
        "pbVersion": 5,
        "maxIdInPlan": str(max(int(w["idInPlan"]) for w in plan)),
        "entities": entities,
        "programs": programs,
        "sportDatasNotInPlan": outside,
        "weekStages": [],
    }


def schedule_sums(plan: list, activities: list, start: int, end: int) -> dict:
    """training/schedule/querysum for days start…end: planned against actual per day."""
    days: dict[int, dict] = {}
    for w in plan:
        if start <= w["happenDay"] <= end:
            d = days.setdefault(w["happenDay"], _sum())
            d["planDistance"] += w["program"]["planDistance"]
            d["planDuration"] += w["program"]["planDuration"]
            d["planTrainingLoad"] += w["program"]["planTrainingLoad"]
    for a in activities:
        if start <= a["date"] <= end:
            d = days.setdefault(a["date"], _sum())
            d["actualDistance"] += a["distance"]
            d["actualDuration"] += a["workoutTime"]
            d["actualTrainingLoad"] += a["trainingLoad"]
    return {
        "dayTrainSums": [{"happenDay": k, "dayTrainSum": v} for k, v in sorted(days.items())],
        "weekTrains": [],
    }


def _sum() -> dict:
    return {
        key: 0
        for key in (
            "planDistance",
            "planDuration",
            "planTrainingLoad",
            "actualDistance",
            "actualDuration",
            "actualTrainingLoad",
        )
    }
