"""COROS activity list items → the records of data/activities.json."""

import datetime as dt

from .sports import sport_name

# COROS list field → (record field, converter)
_NUMERIC_FIELDS = {
    "distance": ("distance_m", lambda v: round(float(v), 1)),
    "workoutTime": ("moving_s", int),
    "totalTime": ("elapsed_s", int),
    "trainingLoad": ("training_load", int),
    "avgHr": ("avg_hr", int),
    "maxHr": ("max_hr", int),
    "ascent": ("ascent_m", int),
    "descent": ("descent_m", int),
    "calorie": ("kcal", lambda v: round(float(v) / 1000)),
    "avgSpeed": ("avg_pace_s_per_km", int),
    "adjustedPace": ("adjusted_pace_s_per_km", int),
    "bestPace": ("best_pace_s_per_km", int),
    "avgCadence": ("avg_cadence", int),
}


def normalize_activity(item: dict) -> dict | None:
    """One list item as a record in plain units and the athlete's local time; None if unusable."""
    label = item.get("labelId")
    code = item.get("sportType")
    if not label or code is None or (item.get("startTime") is None and not item.get("date")):
        return None
    record = {"id": str(label), "sport_code": int(code), "sport": sport_name(int(code))}
    record["name"] = str(item.get("name") or "")
    if item.get("device"):
        record["device"] = str(item["device"])
    if item.get("startTime") is not None:
        offset = dt.timedelta(minutes=15 * int(item.get("startTimezone") or 0))
        start = dt.datetime.fromtimestamp(int(item["startTime"]), dt.timezone(offset))
        record["start_local"] = start.isoformat()
        record["date"] = start.date().isoformat()
    else:
        record["date"] = coros_day_to_iso(item["date"])
    for source, (field, convert) in _NUMERIC_FIELDS.items():
        value = item.get(source)
        if value not in (None, ""):
            try:
                record[field] = convert(value)
            except (TypeError, ValueError):
                continue
    return record


def coros_day_to_iso(day) -> str:
    """20260213 → '2026-02-13'."""
    text = str(int(day))
    return f"{text[:4]}-{text[4:6]}-{text[6:8]}"


def iso_to_coros_day(date: dt.date) -> str:
    return date.strftime("%Y%m%d")


def activity_sort_key(record: dict) -> tuple:
    start = record.get("start_local")
    instant = dt.datetime.fromisoformat(start).timestamp() if start else 0
    return (record["date"], instant, record["id"])


def merge_activities(stored: list, fetched: list, covered_from: str | None, complete: bool) -> tuple:
    """Merge fetched records into the stored ones.

    `covered_from` is the first local date the sync re-read in full (None: the whole history);
    stored activities in that span that COROS no longer lists were deleted there and are dropped.
    Returns (records sorted oldest first, new ids, updated ids, removed ids).
    """
    old = {rec["id"]: rec for rec in stored}
    new = dict(old)
    fetched_ids = set()
    for rec in fetched:
        new[rec["id"]] = rec
        fetched_ids.add(rec["id"])
    removed = set()
    if complete:
        removed = {
            i for i, rec in old.items()
            if i not in fetched_ids and (covered_from is None or rec["date"] >= covered_from)
        }
        for i in removed:
            del new[i]
    added = set(new) - set(old)
    updated = {i for i in fetched_ids & set(old) if old[i] != new[i]}
    return sorted(new.values(), key=activity_sort_key), added, updated, removed
