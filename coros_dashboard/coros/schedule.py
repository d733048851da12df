"""COROS's training schedule (`training/schedule/query`) as planned-workout records for
data/plan.json.

An answer holds entities (a workout placed on a day) and programs (what the workout is), linked by
`idInPlan`. A workout's identity is "<planId>-<idInPlan>": moved to another day it keeps it, so the
merge moves it; deleted, it is missing from the next answer for its window and leaves the file.

Bad answers, by the project's boundary rules (the plan is an optional part of a run: see `parts`;
when it fails, the stored plan is kept whole and the rest of the sync is saved as usual):
- a program or entity list that is not a list of objects, two programs (or two entities) with the
  same `idInPlan`, an answer without its lists (data null) where a plan is stored, or entities
  none of which has its program: the answer is refused;
- an entity whose program is missing: the stored workout is kept as it was; one whose day is
  unreadable or outside the window asked for, or past MAX_PER_DAY or MAX_PER_WINDOW: left out
  with a warning;
- a planned distance, duration or load out of its range: that value left out with a warning; a
  step's number out of its range (a 400-digit int, inf, a negative) is not said in the summary;
- ids of any length or characters COROS uses become safe stored ids (`stored_id`).
"""

import datetime as dt
import hashlib
import re
from collections import Counter
from typing import NamedTuple

from coros_dashboard.coros.activities import (
    Measurement,
    coros_number,
    read_measurements,
    two_decimals,
)
from coros_dashboard.coros.client import (
    SCHEDULE,
    CorosClient,
    CorosShapeError,
    day_from_coros,
)
from coros_dashboard.errors import Problems, quote
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.store.datafiles import ID_RE, PLAN_FIELDS

WINDOW_BACK = dt.timedelta(weeks=4)  # a daily run asks for four weeks back …
WINDOW_AHEAD = dt.timedelta(weeks=26)  # … and half a year ahead: a marathon plan to its race day
NAME_CHARS = 200
SUMMARY_CHARS = 500
MAX_KEY = 256  # COROS's ids are 1…20 digits; longer ones are hashed into stored ids
SAFE_RE = re.compile(r"[^0-9A-Za-z_-]")
MAX_STEPS = 200  # steps of one program read for its summary (a real one has under 30)
MAX_SETS = 999
STEP_MAX_M = 1_000_000  # a step of at most 1,000 km …
STEP_MAX_S = 2 * 86_400  # … or two days
MAX_INTENSITY = 10_000_000  # a pace in ms/km, or a heart rate
PACE_S = (60, 3600)  # a running pace target from 1:00 to 60:00 per km
STEP_HR = (20, 250)
MAX_PER_DAY = 50  # planned workouts kept on one day …
MAX_PER_WINDOW = 1000  # … and in one answer
NO_PLAN_ID = "plan"  # workouts scheduled outside any plan: the answer may carry no plan id
# the workout namespace's sport codes → the activity list's
SPORTS = {1: 100, 2: 200, 3: 102, 4: 402, 5: 104, 6: 200, 9: 300, 10: 301}


PLANNED: dict[str, Measurement] = {
    "planDistance": ("distance_m", two_decimals),
    "planDuration": ("duration_s", two_decimals),
    "planTrainingLoad": ("load", two_decimals),
}
KINDS = {1: "warm-up", 3: "cool-down", 4: "recovery"}


def _key(value: object) -> str | None:
    """An idInPlan, planProgramId or plan id as COROS writes it: a string or integer of any
    printable characters COROS uses, up to MAX_KEY of them."""
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    return text if text and len(text) <= MAX_KEY and text.isprintable() else None


def stored_id(plan_id: str, key: str) -> str:
    """The stored id: "<planId>-<idInPlan>", or, when COROS's ids are too long or hold other
    characters, that text shortened and made safe with a hash (stable: a moved workout keeps
    it)."""
    text = f"{plan_id}-{key}"
    if ID_RE.fullmatch(text):
        return text
    digest = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:40]
    return f"{SAFE_RE.sub('_', text)[:23]}-{digest}"


def _by_id(items: list[JsonObject], what: str) -> dict[str, JsonObject]:
    out: dict[str, JsonObject] = {}
    for item in items:
        key = _key(item.get("idInPlan"))
        if key is None:
            raise CorosShapeError(
                SCHEDULE, f"{what} idInPlan {quote(item.get('idInPlan'))} is not an id"
            )
        if key in out:
            raise CorosShapeError(SCHEDULE, f"two {what}s have idInPlan {quote(key)}")
        out[key] = item
    return out


def _bounded(value: object, high: float) -> float:
    """A step's number when it is one from 0 to `high` (a 400-digit int, inf or a negative is
    not); else 0, which the text reads as "not said"."""
    number = coros_number(value)
    return float(number) if number is not None and 0 < number <= high else 0.0


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


def _pace_seconds(value: float, multiplier: object) -> float:
    """Seconds per km of a pace target, 0 when outside PACE_S (not a running pace)."""
    seconds = value / 1000 if multiplier == 1000 else value
    return seconds if PACE_S[0] <= seconds <= PACE_S[1] else 0.0


def _pace_text(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _amount_text(step: JsonObject) -> str:
    """How much of a step: a distance (target type 5), a time (2), or nothing said."""
    target = step.get("targetType")
    if target == 5 and (metres := _bounded(step.get("targetValue"), STEP_MAX_M)):
        return _distance_text(metres)
    if target == 2 and (seconds := _bounded(step.get("targetValue"), STEP_MAX_S)):
        return _duration_text(seconds)
    return ""


def step_text(step: JsonObject) -> str:
    """One step: "800 m at 3:45/km", "2 km warm-up", "10 min recovery"."""
    kind = step.get("exerciseType")
    words = [_amount_text(step), KINDS.get(kind, "") if isinstance(kind, int) else ""]
    low_raw = _bounded(step.get("intensityValue"), MAX_INTENSITY)
    high_raw = _bounded(step.get("intensityValueExtend"), MAX_INTENSITY)
    if step.get("intensityType") in (3, 8):
        mult = step.get("intensityMultiplier")
        low, high = _pace_seconds(low_raw, mult), _pace_seconds(high_raw, mult)
        if low:
            pace = _pace_text(low)
            if high and _pace_text(high) != pace:
                pace += "–" + _pace_text(high)
            words.append(f"at {pace}/km")
    elif step.get("intensityType") == 2 and STEP_HR[0] <= low_raw <= STEP_HR[1]:
        low, high = int(low_raw), int(high_raw)
        words.append(f"at {low}–{high} bpm" if STEP_HR[1] >= high > low else f"at {low} bpm")
    return " ".join(w for w in words if w)


def _rest_text(step: JsonObject) -> str:
    rest = _bounded(step.get("restValue"), STEP_MAX_S)
    return f" with {_duration_text(rest)} rest" if step.get("restType") == 0 and rest else ""


def structure_text(exercises: list[object]) -> str:
    """A program's exercises in one line: "2 km warm-up, 6 × 800 m at 3:45/km with 2 min rest,
    …", at most SUMMARY_CHARS long. Linear in the steps read (the first MAX_STEPS)."""
    steps = [e for e in exercises[:MAX_STEPS] if isinstance(e, dict)]
    order = sorted(steps, key=lambda e: _bounded(e.get("sortNo"), MAX_STEPS * 1000))
    children: dict[str, list[JsonObject]] = {}
    for e in order:
        group = _key(e.get("groupId"))
        if not e.get("isGroup") and group is not None:
            children.setdefault(group, []).append(e)
    groups = {_key(e.get("id")) for e in order if e.get("isGroup")} - {None}
    parts, length = [], 0
    for e in order:
        if e.get("isGroup"):
            inner = children.get(_key(e.get("id")) or "", [])
            text = " + ".join(step_text(c) for c in inner) or "a set"
            rest = (_rest_text(inner[-1]) if inner else "") or _rest_text(e)
            sets = int(_bounded(e.get("sets"), MAX_SETS)) or 1
            part = f"{sets} × {text}{rest}"
        elif _key(e.get("groupId")) not in groups:
            part = step_text(e) + _rest_text(e)
        else:
            continue
        if part:
            parts.append(part)
            length += len(part) + 2
        if length > SUMMARY_CHARS:
            break
    return ", ".join(parts)[:SUMMARY_CHARS]


class Window(NamedTuple):
    """The planned workouts one schedule answer places in its window, and the stored ids it
    names but cannot place (kept as stored: an incomplete answer deletes nothing)."""

    records: list[JsonObject]
    unplaced: set[str]


def plan_records(data: JsonObject, first: dt.date, last: dt.date, warnings: Problems) -> Window:
    """The planned workouts of one schedule answer (as `CorosClient.fetch_schedule` checked its
    shape) for the days first…last."""
    if data.get("entities") is None or data.get("programs") is None:
        raise CorosShapeError(SCHEDULE, "the answer holds no entities or programs list")
    plan_id = _key(data.get("id")) or NO_PLAN_ID
    programs = _by_id(data["programs"], "program")
    entities = _by_id(data["entities"], "entity")
    linked = {
        key: programs.get(_key(entity.get("planProgramId")) or key) or programs.get(key)
        for key, entity in entities.items()
    }
    if entities and not any(linked.values()):
        raise CorosShapeError(SCHEDULE, f"none of its {len(entities)} entities has a program")
    out: list[JsonObject] = []
    unplaced: set[str] = set()
    per_day: Counter[str] = Counter()
    for key, entity in entities.items():
        where = f"planned workout {quote(key, 40)}"
        program = linked[key]
        if program is None:
            warnings.add(f"{SCHEDULE}: {where} has no program; the stored one is kept")
            unplaced.add(stored_id(plan_id, key))
            continue
        day = day_from_coros(entity.get("happenDay"), last)
        if day is None or day < first:
            warnings.add(
                f"{SCHEDULE}: {where}: happenDay {quote(entity.get('happenDay'))} is not a day "
                f"from {first} to {last}; left out"
            )
            continue
        if len(out) >= MAX_PER_WINDOW:
            warnings.add(
                f"{SCHEDULE}: more than {MAX_PER_WINDOW} planned workouts from {first} to {last}; "
                "the rest were left out"
            )
            break
        per_day[day.isoformat()] += 1
        if per_day[day.isoformat()] > MAX_PER_DAY:  # that day's rest; the other days go on
            if per_day[day.isoformat()] == MAX_PER_DAY + 1:
                warnings.add(
                    f"{SCHEDULE}: more than {MAX_PER_DAY} planned workouts on {day}; the rest "
                    "of that day were left out"
                )
            continue
        record: dict[str, object] = {"id": stored_id(plan_id, key), "date": day.isoformat()}
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
        if (
            isinstance(done, dict)
            and (label := _key(done.get("labelId")))
            and ID_RE.fullmatch(label)
        ):
            record["activity_id"] = label
        out.append(record)
    return Window(out, unplaced)


def merge_plan(
    stored: list[JsonObject],
    fetched: list[JsonObject],
    first: dt.date,
    last: dt.date,
    unplaced: frozenset[str] | set[str] = frozenset(),
) -> list[JsonObject]:
    """Stored workouts outside first…last kept, those inside replaced by what COROS has there now:
    a workout moved within the window moves, one deleted disappears, one COROS names but could not
    place (`unplaced`) stays as stored. Sorted by day, then id."""
    inside = {r["id"] for r in fetched}
    kept = [
        r
        for r in stored
        if r["id"] not in inside
        and (r["id"] in unplaced or not first.isoformat() <= r["date"] <= last.isoformat())
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
    """The stored plan updated from COROS: four weeks back to 26 weeks ahead on a daily run (one
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
        data = client.fetch_schedule(first, last)
        stored_here = any(first.isoformat() <= r["date"] <= last.isoformat() for r in plan)
        no_lists = data.get("entities") is None and data.get("programs") is None
        fetched, unplaced = (
            Window([], set())  # nothing stored to lose: how an account without a plan may answer
            if no_lists and not stored_here
            else plan_records(data, first, last, warnings)
        )
        plan = merge_plan(plan, fetched, first, last, unplaced)
        empty = 0 if fetched else empty + 1
        if first_day is not None and empty >= EMPTY_STOP:
            break
    return plan
