"""COROS activity list items → the records of data/activities.json, validated at the boundary.

Rules (README, "Safety"): an item whose identity cannot be read — id, sport code, start time,
time zone or day — stops the run (nothing is written), because storing it would misplace it and
skipping it would look like a deletion. A measurement outside its plausible range is left out of
the record with a warning; 0 heart rate or cadence means "not measured" and is left out silently.
"""

import datetime as dt
import re
from collections.abc import Callable
from typing import NamedTuple

from coros_dashboard.coros.client import ACTIVITY_LIST, CorosShapeError, day_from_coros
from coros_dashboard.errors import Problems, quote
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.sports import sport_name
from coros_dashboard.store.datafiles import (
    ACTIVITY_FIELDS,
    FIRST_DAY,
    ID_RE,
    Kind,
    stored_number,
)

# COROS list field → (record field, converter)
Measurement = tuple[str, Callable[[float], float]]
"""Where a COROS number goes: (record field, conversion to the field's unit)."""


_NUMERIC_FIELDS: dict[str, Measurement] = {
    "distance": ("distance_m", lambda v: round(v, 1)),
    "workoutTime": ("moving_s", int),
    "totalTime": ("elapsed_s", int),
    "trainingLoad": ("training_load", int),
    "avgHr": ("avg_hr", int),
    "maxHr": ("max_hr", int),
    "ascent": ("ascent_m", int),
    "descent": ("descent_m", int),
    "calorie": ("kcal", lambda v: round(v / 1000)),
    "avgSpeed": ("avg_pace_s_per_km", int),
    "adjustedPace": ("adjusted_pace_s_per_km", int),
    "bestPace": ("best_pace_s_per_km", int),
    "avgCadence": ("avg_cadence", int),
}
_ZERO_IS_MISSING = {"avg_hr", "max_hr", "avg_cadence"}
_DECIMAL_RE = re.compile(r"-?\d{1,15}(\.\d{1,15})?")
FIRST_START = int(dt.datetime.combine(FIRST_DAY, dt.time(), dt.UTC).timestamp())
TIMEZONE_UNITS = range(-48, 57)  # 15-minute units: UTC−12:00 … UTC+14:00


def coros_number(value: object) -> int | float | None:
    """A JSON number, or a plain decimal string; None for anything else (bool, 'Infinity',
    '1e5')."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and _DECIMAL_RE.fullmatch(value.strip()):
        return float(value)
    return None


def two_decimals(number: float) -> float:
    """A COROS measurement as stored: rounded to 2 decimals, an int when whole."""
    return stored_number(number, 2)


def _integer(value: object, low: int, high: int) -> int | None:
    number = coros_number(value)
    if (
        number is None
        or number != number
        or not low <= number <= high
        or not float(number).is_integer()
    ):
        return None
    return int(number)


def normalize_activity(item: JsonObject, latest: dt.date, warnings: Problems) -> JsonObject:
    """One list item as a record in plain units and the athlete's local time.

    `latest` is the last plausible local day (tomorrow); CorosShapeError when the item cannot be
    placed; warnings get one line per measurement left out.
    """
    label = item.get("labelId")
    if isinstance(label, int) and not isinstance(label, bool):
        label = str(label)
    if not isinstance(label, str) or not ID_RE.fullmatch(label):
        raise CorosShapeError(ACTIVITY_LIST, f"an activity's labelId is {quote(label)}")
    where = f"activity {label}"
    code = _integer(item.get("sportType"), 0, 100_000)
    if code is None:
        raise CorosShapeError(
            ACTIVITY_LIST, f"{where}: sportType {quote(item.get('sportType'))} is not a sport code"
        )
    record = {"id": label, "sport_code": code, "sport": sport_name(code)}
    name = item.get("name")
    record["name"] = name[:500] if isinstance(name, str) else ""
    if isinstance(item.get("device"), str) and item["device"]:
        record["device"] = item["device"][:100]
    record.update(_start(item, latest, where))
    record.update(
        read_measurements(
            item,
            _NUMERIC_FIELDS,
            ACTIVITY_FIELDS,
            _ZERO_IS_MISSING,
            ACTIVITY_LIST,
            f"{where} ({record['date']})",
            warnings,
        )
    )
    return record


def read_measurements(
    item: JsonObject,
    fields: dict[str, Measurement],
    kinds: dict[str, Kind],
    zero_is_missing: set[str],
    path: str,
    where: str,
    warnings: Problems,
) -> JsonObject:
    """An item's measurements {COROS field: (record field, convert)} checked against the declared
    kinds.

    Not a number: CorosShapeError. Outside its plausible range: left out with a warning.
    """
    out: JsonObject = {}
    for source, (field, convert) in fields.items():
        raw = item.get(source)
        if raw in (None, ""):
            continue
        number = coros_number(raw)
        if number is None:
            raise CorosShapeError(path, f"{where}: {source} {quote(raw)} is not a number")
        try:
            value = convert(number)
        except (OverflowError, ValueError):  # inf from 1e400
            value = number
        if value == 0 and field in zero_is_missing:
            continue
        problem = kinds[field].problem(value)
        if problem:
            warnings.add(f"{where}: {source} {problem}; left out")
            continue
        out[field] = value
    return out


def _start(item: JsonObject, latest: dt.date, where: str) -> dict[str, str]:
    """date and start_local from startTime (UTC seconds) and startTimezone (15-minute units)."""
    if item.get("startTime") is None:
        day = day_from_coros(item.get("date"), latest)
        if day is None:
            raise CorosShapeError(
                ACTIVITY_LIST,
                f"{where}: date {quote(item.get('date'))} is not a day from {FIRST_DAY} "
                f"to {latest}",
            )
        return {"date": day.isoformat()}
    last_start = int(
        dt.datetime.combine(latest + dt.timedelta(days=1), dt.time(), dt.UTC).timestamp()
    )
    start = _integer(item.get("startTime"), FIRST_START, last_start)
    if start is None:
        raise CorosShapeError(
            ACTIVITY_LIST,
            f"{where}: startTime {quote(item.get('startTime'))} is not a time in "
            f"seconds from {FIRST_DAY} to {latest}",
        )
    units = _integer(item.get("startTimezone") or 0, TIMEZONE_UNITS.start, TIMEZONE_UNITS.stop - 1)
    if units is None:
        raise CorosShapeError(
            ACTIVITY_LIST,
            f"{where}: startTimezone {quote(item.get('startTimezone'))} is not "
            "an offset in 15-minute units (−48 … 56)",
        )
    local = dt.datetime.fromtimestamp(start, dt.timezone(dt.timedelta(minutes=15 * units)))
    if local.date() > latest:
        raise CorosShapeError(ACTIVITY_LIST, f"{where}: starts on {local.date()}, after {latest}")
    return {"start_local": local.isoformat(), "date": local.date().isoformat()}


def activity_sort_key(record: JsonObject) -> tuple[str, float, str]:
    start = record.get("start_local")
    instant = dt.datetime.fromisoformat(start).timestamp() if start else 0
    return (record["date"], instant, record["id"])


class ActivityMerge(NamedTuple):
    records: list[JsonObject]  # oldest first
    added: set[str]
    updated: set[str]
    removed: set[str]


def merge_activities(
    stored: list[JsonObject], fetched: list[JsonObject], deleted: set[str]
) -> ActivityMerge:
    """Merge fetched records into the stored ones and drop the ids confirmed deleted on COROS."""
    old = {rec["id"]: rec for rec in stored}
    new = dict(old)
    for rec in fetched:
        new[rec["id"]] = rec
    removed = {i for i in deleted if i in new}
    for i in removed:
        del new[i]
    fetched_ids = {rec["id"] for rec in fetched}
    added = set(new) - set(old)
    updated = {i for i in fetched_ids & set(old) if old[i] != new.get(i, old[i])}
    return ActivityMerge(sorted(new.values(), key=activity_sort_key), added, updated, removed)
