"""Plan vs done: data/plan.json's planned workouts against the activities, for the Today panel, the
calendar, the weekly table and the activity pages.

A planned workout is done when COROS linked it to an activity that is stored, or else when an
activity of the same sport group was recorded that day (each activity fulfils one workout at most).
A past planned day with nothing done is missed; an activity on a day the plan covers that fulfils
no workout is unplanned.
"""

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.site.metrics import monday_of
from coros_dashboard.site.units import Units, format_duration, format_hm, format_planned
from coros_dashboard.sports import sport_group

# data/plan.json's summary states paces "m:ss/km" or "m:ss–m:ss/km" and distances from 1 km up in
# km ("2 km warm-up"; coros.schedule.structure_text writes it): read per mile for imperial units
SUMMARY_PACE = re.compile(r"(\d+):(\d\d)(?:–(\d+):(\d\d))?/km")
SUMMARY_KM = re.compile(r"(\d+(?:\.\d+)?) km\b")
WEEKS_SHOWN = 8  # the weekly table: this week and the seven before it that the plan covers
NEXT_DAYS = 7


@dataclass
class Workout:
    """One planned workout, formatted, with what was done for it."""

    id: str
    date: pd.Timestamp
    name: str
    summary: str
    amount: str  # "11.0 km · 45:00"
    group: str
    distance_m: float | None
    duration_s: float | None
    load: float | None
    done_id: str | None = None  # the activity that fulfilled it

    @property
    def day_text(self) -> str:
        return self.date.strftime("%a %d %b")


TODAY_LINES = 3  # "Planned today" lines on the first screen; "and N more" says the rest
NEXT_LINES = 14  # lines of "Today and the next 7 days"


@dataclass
class Plan:
    workouts: list[Workout]
    today: list[Workout] = field(default_factory=list)
    today_shown: list[Workout] = field(default_factory=list)  # at most TODAY_LINES of them
    rest_today: bool = False  # the plan runs through today and has nothing for it
    week_left: list[Workout] = field(default_factory=list)  # this week's, not done, today on
    week_left_text: str = ""
    next_days: list[Workout] = field(default_factory=list)
    next_shown: list[Workout] = field(default_factory=list)  # today's and them, NEXT_LINES at most
    # the weekly plan vs done table, newest first
    weeks: list[JsonObject] = field(default_factory=list)
    # date → "done" / "missed" / "planned" / "unplanned"
    days: dict[str, str] = field(default_factory=dict)

    @property
    def today_more(self) -> int:
        return len(self.today) - len(self.today_shown)

    @property
    def next_more(self) -> int:
        return len(self.today) + len(self.next_days) - len(self.next_shown)

    # activity id → the Workout it fulfilled
    by_activity: dict[str, Workout] = field(default_factory=dict)


def _number(value) -> float | None:
    return float(value) if value is not None and pd.notna(value) else None


def amount_text(distance_m, duration_s, units: Units) -> str:
    parts = []
    if distance_m:
        parts.append(units.distance_text(distance_m, 1))
    if duration_s:
        parts.append(format_planned(duration_s))
    return " · ".join(parts)


def summary_in_units(summary: str, units: Units) -> str:
    """A stored summary in the site's units: "6 × 800 m at 3:45/km" → "6 × 800 m at 6:02/mi"
    (track distances under a kilometre stay in metres, as they are run)."""
    if not units.imperial:
        return summary

    def pace(match: re.Match[str]) -> str:
        minutes = [int(match[i]) * 60 + int(match[i + 1]) for i in (1, 3) if match[i]]
        return "–".join(format_duration(units.pace_from_s_per_km(m)) for m in minutes) + units.pace

    def distance(match: re.Match[str]) -> str:
        return units.distance_text(float(match[1]) * 1000, 1)

    return SUMMARY_KM.sub(distance, SUMMARY_PACE.sub(pace, summary))


def build_plan(
    records: list[JsonObject], acts: pd.DataFrame, today: pd.Timestamp, units: Units
) -> Plan | None:
    """The plan as the site shows it; None without planned workouts."""
    if not records:
        return None
    workouts = []
    for r in sorted(records, key=lambda r: (r["date"], r["id"])):
        code = r.get("sport_code")
        workouts.append(
            Workout(
                r["id"],
                pd.Timestamp(r["date"]),
                r.get("name") or "Planned workout",
                summary_in_units(r.get("summary", ""), units),
                amount_text(r.get("distance_m"), r.get("duration_s"), units),
                sport_group(int(code)) if code is not None else "run",
                _number(r.get("distance_m")),
                _number(r.get("duration_s")),
                _number(r.get("load")),
                r.get("activity_id"),
            )
        )
    plan = Plan(workouts)
    _match(plan, acts)
    first, last = workouts[0].date, workouts[-1].date
    plan.today = [w for w in workouts if w.date == today]
    plan.rest_today = not plan.today and first <= today <= last
    sunday = monday_of(today) + pd.Timedelta(days=6)
    plan.week_left = [w for w in workouts if today <= w.date <= sunday and not w.done_id]
    if plan.week_left:
        distance = sum(w.distance_m or 0 for w in plan.week_left)
        seconds = sum(w.duration_s or 0 for w in plan.week_left)
        count = len(plan.week_left)
        plan.week_left_text = f"{count} workout{'s' if count > 1 else ''} left this week" + (
            f", {amount_text(distance, seconds, units)}" if distance or seconds else ""
        )
    plan.next_days = [w for w in workouts if today < w.date <= today + pd.Timedelta(days=NEXT_DAYS)]
    plan.today_shown = plan.today[:TODAY_LINES]
    plan.next_shown = [*plan.today, *plan.next_days][:NEXT_LINES]
    plan.weeks = _weeks(plan, acts, today, units)
    plan.days = _days(plan, acts, today)
    return plan


def _match(plan: Plan, acts: pd.DataFrame) -> None:
    """Which activity fulfilled each workout: COROS's link first, then the same day and sport."""
    ids = set(acts["id"]) if not acts.empty else set()
    used: set[str] = set()
    for w in plan.workouts:  # COROS's links, where the activity is stored
        if w.done_id is not None and w.done_id in ids and w.done_id not in used:
            used.add(w.done_id)
        else:
            w.done_id = None
    day_acts: dict[pd.Timestamp, list[Any]] = {}
    first, last = plan.workouts[0].date, plan.workouts[-1].date
    near = acts[(acts["date"] >= first) & (acts["date"] <= last)] if not acts.empty else acts
    for a in near.itertuples() if not near.empty else ():  # the plan's days only
        day_acts.setdefault(a.date, []).append(a)
    for w in plan.workouts:
        if w.done_id:
            continue
        for a in day_acts.get(w.date, []):
            if a.id not in used and a.group == w.group:
                w.done_id = a.id
                used.add(a.id)
                break
    plan.by_activity = {w.done_id: w for w in plan.workouts if w.done_id}


def _weeks(plan: Plan, acts: pd.DataFrame, today: pd.Timestamp, units: Units) -> list[JsonObject]:
    first_monday = monday_of(plan.workouts[0].date)
    this_monday = monday_of(today)
    rows: list[JsonObject] = []
    monday = this_monday
    while monday >= first_monday and len(rows) < WEEKS_SHOWN:
        sunday = monday + pd.Timedelta(days=6)
        planned = [w for w in plan.workouts if monday <= w.date <= sunday]
        if planned:
            sports = {w.group for w in planned}  # a run plan is not met by riding
            done = acts[
                (acts["date"] >= monday)
                & (acts["date"] <= min(sunday, today))
                & acts["group"].isin(sports)
            ]
            due = [w for w in planned if w.date <= today]
            completed = sum(1 for w in due if w.done_id)
            rows.append(
                {
                    "week": monday.strftime("%d %b"),
                    "running": monday == this_monday,
                    "planned_distance": units.distance_text(
                        sum(w.distance_m or 0 for w in planned), 1
                    ),
                    "done_distance": units.distance_text(done["distance_m"].fillna(0).sum(), 1),
                    "planned_time": format_hm(sum(w.duration_s or 0 for w in planned) / 60),
                    "done_time": format_hm(done["moving_s"].fillna(0).sum() / 60),
                    "planned_load": f"{sum(w.load or 0 for w in planned):,.0f}",
                    "done_load": f"{done['training_load'].fillna(0).sum():,.0f}",
                    "completed": completed,
                    "due": len(due),
                    "share": f"{100 * completed / len(due):.0f} %" if due else "–",
                }
            )
        monday -= pd.Timedelta(days=7)
    return rows


def _state(workout: "Workout", today: pd.Timestamp) -> str:
    if workout.done_id:
        return "done"
    return "planned" if workout.date >= today else "missed"


def _days(plan: Plan, acts: pd.DataFrame, today: pd.Timestamp) -> dict[str, str]:
    """Each day the plan covers, to the end of this week: "done" when every workout due is done,
    "missed" when one is not (before today), "planned" (today on, not done yet) or "unplanned"."""
    out: dict[str, str] = {}
    sunday = monday_of(today) + pd.Timedelta(days=6)
    for w in plan.workouts:
        if w.date > sunday:
            continue
        state = _state(w, today)
        if out.get(w.date) in (None, "done"):
            out[w.date] = state
    first = plan.workouts[0].date
    near = acts[(acts["date"] >= first) & (acts["date"] <= today)] if not acts.empty else acts
    for a in near.itertuples() if not near.empty else ():
        if a.id not in plan.by_activity and a.date not in out:
            out[a.date] = "unplanned"
    return out
