"""COROS's training schedule (`training/schedule/query`) as planned-workout records for
data/plan.json.

An answer holds entities (a workout placed on a day) and programs (what the workout is), linked by
`idInPlan`. A workout's identity is "<planId>-<idInPlan>": moved to another day it keeps it, so the
merge moves it; deleted, it is missing from the next answer for its window and leaves the file.

Bad answers, by the project's boundary rules:
- a program or entity list that is not a list of objects, or two programs (or two entities) with
  the same `idInPlan`: the link is ambiguous, so the run stops with one line and writes nothing;
- an entity whose program is missing, or whose day is unreadable or outside the window asked for:
  left out with a warning;
- a planned distance, duration or load that is not finite and non-negative: that value left out
  with a warning;
- a result code other than 0000 for the schedule: a warning, and the stored plan kept (the rest of
  the sync is saved as usual).
"""

import datetime as dt

from coros_dashboard.coros.activities import (
    Measurement,
    coros_number,
    read_measurements,
    two_decimals,
)
from coros_dashboard.coros.client import (
    SCHEDULE,
    CorosApiError,
    CorosClient,
    CorosShapeError,
    day_from_coros,
)
from coros_dashboard.errors import Problems, quote
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.store.datafiles import ID_RE, PLAN_FIELDS

WINDOW_BACK = dt.timedelta(weeks=4)  # a daily run asks for four weeks back …
WINDOW_AHEAD = dt.timedelta(weeks=4)  # … and four weeks ahead
NAME_CHARS = 200
NO_PLAN_ID = "plan"  # workouts scheduled outside any plan: the answer may carry no plan id
# the workout namespace's sport codes → the activity list's
SPORTS = {1: 100, 2: 200, 3: 102, 4: 402, 5: 104, 6: 200, 9: 300, 10: 301}


PLANNED: dict[str, Measurement] = {
    "planDistance": ("distance_m", two_decimals),
    "planDuration": ("duration_s", two_decimals),
    "planTrainingLoad": ("load", two_decimals),
}
KINDS = {1: "warm-up", 3: "cool-down", 4: "recovery"}


def _ident(value: object) -> str | None:
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    return text if text and ID_RE.fullmatch(text) else None


def _by_id(items: list[JsonObject], what: str) -> dict[str, JsonObject]:
    out: dict[str, JsonObject] = {}
    for item in items:
        key = _ident(item.get("idInPlan"))
        if key is None:
            raise CorosShapeError(
                SCHEDULE, f"{what} idInPlan {quote(item.get('idInPlan'))} is not an id"
            )
        if key in out:
            raise CorosShapeError(SCHEDULE, f"two {what}s have idInPlan {quote(key)}")
        out[key] = item
    return out


def _distance_text(metres: float) -> str:
    if metres >= 1000:
        km = metres / 1000
        return f"{km:g} km" if round(km, 1) == km else f"{km:.2f} km"
    return f"{metres:g} m"


def _duration_text(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    if seconds >= 60:
        return f"{int(seconds // 60)}:{int(seconds % 60):02d} min"
    return f"{seconds:g} s"


def _pace_text(value: float, multiplier: object) -> str:
    seconds = value / 1000 if multiplier == 1000 else value
    return f"{int(seconds // 60)}:{int(round(seconds % 60)):02d}"


def _amount_text(step: JsonObject) -> str:
    """How much of a step: a distance (target type 5), a time (2), or nothing said."""
    target, value = step.get("targetType"), coros_number(step.get("targetValue")) or 0
    if value <= 0:
        return ""
    if target == 5:
        return _distance_text(value)
    return _duration_text(value) if target == 2 else ""


def step_text(step: JsonObject) -> str:
    """One step: "800 m at 3:45/km", "2 km warm-up", "10 min recovery"."""
    kind = step.get("exerciseType")
    words = [_amount_text(step), KINDS.get(kind, "") if isinstance(kind, int) else ""]
    low = coros_number(step.get("intensityValue")) or 0
    high = coros_number(step.get("intensityValueExtend")) or 0
    if step.get("intensityType") in (3, 8) and low > 0:
        mult = step.get("intensityMultiplier")
        pace = _pace_text(low, mult)
        if high > 0 and high != low:
            pace += "–" + _pace_text(high, mult)
        words.append(f"at {pace}/km")
    elif step.get("intensityType") == 2 and low > 0:
        words.append(f"at {int(low)}–{int(high)} bpm" if high > low else f"at {int(low)} bpm")
    return " ".join(w for w in words if w)


def _rest_text(step: JsonObject) -> str:
    rest = coros_number(step.get("restValue")) or 0
    return f" with {_duration_text(rest)} rest" if step.get("restType") == 0 and rest > 0 else ""


def structure_text(exercises: list[object]) -> str:
    """A program's exercises in one line: "2 km warm-up, 6 × 800 m at 3:45/km with 2 min rest,
    …"."""
    steps = [e for e in exercises if isinstance(e, dict)]
    order = sorted(steps, key=lambda e: coros_number(e.get("sortNo")) or 0)
    groups = {e.get("id"): e for e in order if e.get("isGroup")}
    parts = []
    for e in order:
        if e.get("isGroup"):
            children = [
                c for c in order if not c.get("isGroup") and c.get("groupId") == e.get("id")
            ]
            inner = " + ".join(step_text(c) for c in children) or "a set"
            rest = (_rest_text(children[-1]) if children else "") or _rest_text(e)
            sets = int(coros_number(e.get("sets")) or 1)
            parts.append(f"{sets} × {inner}{rest}")
        elif e.get("groupId") not in groups:
            parts.append(step_text(e) + _rest_text(e))
    return ", ".join(p for p in parts if p)[:500]


def plan_records(
    data: JsonObject, first: dt.date, last: dt.date, warnings: Problems
) -> list[JsonObject]:
    """The planned workouts of one schedule answer (as `CorosClient.fetch_schedule` checked its
    shape) for the days first…last."""
    plan_id = _ident(data.get("id")) or NO_PLAN_ID
    programs = _by_id(data.get("programs") or [], "program")
    entities = _by_id(data.get("entities") or [], "entity")
    out = []
    for key, entity in entities.items():
        where = f"planned workout {key}"
        program = programs.get(_ident(entity.get("planProgramId")) or key) or programs.get(key)
        if program is None:
            warnings.add(f"{SCHEDULE}: {where} has no program; left out")
            continue
        day = day_from_coros(entity.get("happenDay"), last)
        if day is None or day < first:
            warnings.add(
                f"{SCHEDULE}: {where}: happenDay {quote(entity.get('happenDay'))} is not a day "
                f"from {first} to {last}; left out"
            )
            continue
        record: dict[str, object] = {"id": f"{plan_id}-{key}", "date": day.isoformat()}
        name = program.get("name")
        if isinstance(name, str) and name.strip():
            record["name"] = name.strip()[:NAME_CHARS]
        code = program.get("sportType")
        sport = SPORTS.get(code) if isinstance(code, int) else None
        if sport:
            record["sport_code"] = sport
        record.update(
            read_measurements(program, PLANNED, PLAN_FIELDS, set(), SCHEDULE, where, warnings)
        )
        exercises = program.get("exercises")
        if isinstance(exercises, list) and (summary := structure_text(exercises)):
            record["summary"] = summary
        done = entity.get("sportData")
        if isinstance(done, dict) and (label := _ident(done.get("labelId"))):
            record["activity_id"] = label
        out.append(record)
    return out


def merge_plan(
    stored: list[JsonObject], fetched: list[JsonObject], first: dt.date, last: dt.date
) -> list[JsonObject]:
    """Stored workouts outside first…last kept, those inside replaced by what COROS has there now:
    a workout moved within the window moves, one deleted disappears. Sorted by day, then id."""
    inside = {r["id"] for r in fetched}
    kept = [
        r
        for r in stored
        if r["id"] not in inside and not first.isoformat() <= r["date"] <= last.isoformat()
    ]
    return sorted([*kept, *fetched], key=lambda r: (r["date"], r["id"]))


FULL_WINDOW = dt.timedelta(days=182)  # a full run asks half a year at a time, newest first …
MAX_WINDOWS = 40  # … back to the history's first day, 20 years at most …
EMPTY_STOP = 4  # … and stops after two years without a planned workout


def fetch_plan(
    client: CorosClient,
    stored: list[JsonObject],
    today: dt.date,
    first_day: dt.date | None,
    warnings: Problems,
) -> list[JsonObject]:
    """The stored plan updated from COROS: four weeks back to four weeks ahead on a daily run (one
    request), or back to `first_day` on a full run."""
    end = today + WINDOW_AHEAD
    if first_day is None:
        windows = [(today - WINDOW_BACK, end)]
    else:  # never less than a daily run reads
        first_day = min(first_day, today - WINDOW_BACK)
        windows, last = [], end
        while last >= first_day and len(windows) < MAX_WINDOWS:
            windows.append((max(first_day, last - FULL_WINDOW + dt.timedelta(days=1)), last))
            last = windows[-1][0] - dt.timedelta(days=1)
    plan = stored
    empty = 0
    for first, last in windows:
        try:
            data = client.fetch_schedule(first, last)
        except CorosApiError as exc:  # the schedule is an extra: it never costs the day's sync
            warnings.add(
                f"{SCHEDULE}: COROS answered code {exc.code}; the training schedule was not read "
                "this run and the stored plan is kept"
            )
            return stored
        fetched = plan_records(data, first, last, warnings)
        plan = merge_plan(plan, fetched, first, last)
        empty = 0 if fetched else empty + 1
        if first_day is not None and empty >= EMPTY_STOP:
            break
    return plan
