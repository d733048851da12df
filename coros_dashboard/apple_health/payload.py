"""Apple Health payloads (format v1, Health Auto Export) → validated records for data/health.json.

Everything here is pure: text in, records or a list of problems out. A payload with any problem
is rejected whole, so a bad push can never change a stored day.
"""

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from coros_dashboard.apple_health.nights import (
    ASLEEP,
    STAGE_ALIASES,
    RawSegment,
    check_time,
    nights_from_raw,
    parse_time,
)
from coros_dashboard.apple_health.values import check_date, one_decimal
from coros_dashboard.errors import DashboardError, Problems, quote
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.store.datafiles import (
    HEALTH,
    HEALTH_METRICS,
    SLEEP_MINUTES,
    SLEEP_STAGES,
    record_problems,
)
from coros_dashboard.store.storage import parse_json

HaeDays = defaultdict[str, defaultdict[str, list[Any]]]
"""Health Auto Export's points gathered by day and metric before they become v1 days."""

MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class Metric:
    """How a day's metric is told and gathered (its range: datafiles.HEALTH_METRICS)."""

    unit: str
    total: bool = False  # a day's samples add up (steps), else they are averaged


METRICS = {
    "resting_hr": Metric("bpm"),
    "hrv_ms": Metric("ms"),
    "spo2_pct": Metric("%"),
    "steps": Metric("steps", total=True),
}
V1_DAY_KEYS = {"date", "sleep", *METRICS}
TOP_FIELDS = {"days", "version", "source"}
HAE_METRICS = {
    "resting_heart_rate": "resting_hr",
    "heart_rate_variability": "hrv_ms",
    "heart_rate_variability_sdnn": "hrv_ms",
    "blood_oxygen_saturation": "spo2_pct",
    "oxygen_saturation": "spo2_pct",
    "step_count": "steps",
}
HAE_SLEEP_HOURS = {
    "deep": "deep",
    "core": "core",
    "rem": "rem",
    "awake": "awake",
    "inBed": "in_bed",
    "asleep": "unspecified",
}
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER_RE = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d{1,3})?")
_THOUSANDS_RE = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")  # 11,234 or 1,234.5
_DECIMAL_COMMA_RE = re.compile(r"-?\d+,\d+")  # 56,8
HAE_POINT_FIELDS = {"date", "qty", "source", "metadata"}


class PayloadError(DashboardError):
    """A rejected payload; the message has one line per problem."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def parse_document(raw: bytes) -> JsonObject:
    """Bytes of an event file or bare payload → the health payload object."""
    if len(raw) > MAX_BYTES:
        raise PayloadError([f"input is {len(raw):,} bytes, more than the {MAX_BYTES:,} accepted"])
    try:
        doc = parse_json(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise PayloadError(["input is not UTF-8 text"]) from None
    except ValueError as exc:
        raise PayloadError([f"input is not JSON ({exc})"]) from None
    doc = _decode_once(doc, "input")
    # a workflow_dispatch by hand
    if isinstance(doc.get("inputs"), dict) and "payload" in doc["inputs"]:
        return _decode_once(doc["inputs"]["payload"], "the payload input")
    if _is_event(doc):
        if "client_payload" not in doc or doc["client_payload"] is None:
            raise PayloadError(
                [
                    "the event has no client_payload: the dispatch body must carry the health "
                    'data under "client_payload"'
                ]
            )
        doc = _decode_once(doc["client_payload"], "client_payload")
    return doc


def _is_event(doc: object) -> bool:
    return isinstance(doc, dict) and (
        "client_payload" in doc or ("action" in doc and "repository" in doc)
    )


def _decode_once(value: object, what: str) -> JsonObject:
    """Shortcuts can double-encode: a JSON string holding an object is decoded once."""
    if isinstance(value, str):
        try:
            value = parse_json(value)
        except ValueError:
            raise PayloadError([f"{what} is a string, not a JSON object"]) from None
        if isinstance(value, str):
            raise PayloadError([f"{what} is encoded as JSON more than twice"])
    if not isinstance(value, dict):
        raise PayloadError([f"{what} must be a JSON object, not {_type_name(value)}"])
    return value


def _type_name(value: object) -> str:
    return {list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def health_records(payload: JsonObject, today: dt.date) -> list[JsonObject]:
    """A payload (v1 or Health Auto Export) → day records; PayloadError listing every problem."""
    problems = Problems()
    records: list[JsonObject] = []
    segments: list[RawSegment] = []
    days: Sequence[object]  # as sent: each is checked to be a day object
    if is_health_auto_export(payload):
        days, hae_segments = hae_to_v1(payload, problems)
        segments = [
            (f"Health Auto Export: sleep_analysis[{i}]", seg) for i, seg in enumerate(hae_segments)
        ]
    else:
        days = v1_days(payload, problems)
    dates: list[str] = [
        day["date"] for day in days if isinstance(day, dict) and isinstance(day.get("date"), str)
    ]
    for date in sorted({d for d in dates if dates.count(d) > 1}):
        problems.add(
            f"{date}: the date is given {dates.count(date)} times in this payload; send each day "
            "once"
        )
    for day in days:
        records.extend(v1_day_records(day, today, problems, segments))
    records.extend(nights_from_raw(segments, today, problems))
    problems.extend(conflicts(records))
    for record in (
        records if not problems else []
    ):  # the result must also be what health.json may hold
        present = {k: v for k, v in record.items() if v is not None}
        problems.extend(
            f"{record['date']}: {field} {problem}"
            for field, problem in record_problems(HEALTH, present)
            if field != "date"
        )
    if problems:
        raise PayloadError(problems)
    return records


def conflicts(records: list[JsonObject]) -> Problems:
    """Problems for a field that two records of one payload give different values for the same day.

    One entry never silently replaces another: e.g. a day's sleep minutes and raw segments that
    disagree about the same night.
    """
    seen: dict[tuple[str, str], object] = {}
    problems = Problems()
    for record in records:
        for field, value in record.items():
            key = (record["date"], field)
            if field != "date" and seen.setdefault(key, value) != value:
                problems.add(
                    f"{record['date']}: {field} is given twice in this payload "
                    f"({quote(seen[key])} and "
                    f"{quote(value)}); send it once"
                )
    return problems


def is_health_auto_export(payload: JsonObject) -> bool:
    return isinstance(payload.get("data"), dict) and "metrics" in payload["data"]


def v1_days(payload: JsonObject, problems: Problems) -> list[object]:
    if "days" not in payload:
        return [payload] if "date" in payload else _no_days(problems)
    for key in sorted(set(payload) - TOP_FIELDS):
        problems.add(f"unknown top-level field {quote(key)} (expected days, version, source)")
    if payload.get("version", 1) not in (1, "1"):
        problems.add(f"payload version {quote(payload['version'])} is not supported (expected 1)")
    days = payload["days"]
    if not isinstance(days, list):
        problems.add(f"'days' must be a list, not {_type_name(days)}")
        return []
    if not days:
        problems.add("'days' is empty: there is nothing to merge")
    return days


def _no_days(problems: Problems) -> list[object]:
    problems.add(
        "payload has neither 'days' nor a 'date': expected "
        '{"days": [{"date": "YYYY-MM-DD", ...}]}'
    )
    return []


def v1_day_records(
    day: object, today: dt.date, problems: Problems, segments: list[RawSegment]
) -> list[JsonObject]:
    """One v1 day → its record; its raw sleep segments join `segments` as (label, segment).

    Segments of all days of a payload become nights together, so a night split across two days'
    lists is still one night.
    """
    if not isinstance(day, dict):
        problems.add(f"each day must be an object, not {_type_name(day)}")
        return []
    date = check_date(day.get("date"), today, "day", problems)
    where = date or "day"
    record: dict[str, Any] = {"date": date}
    for key in sorted(set(day) - V1_DAY_KEYS):
        problems.add(f"{where}: unknown field {quote(key)}")
    for field, metric in METRICS.items():
        value = metric_value(field, day.get(field), f"{where}: {field}", problems)
        if value is None:
            continue
        if field == "steps":
            value = round(value)
        kind = HEALTH_METRICS[field]
        if kind.problem(value):
            problems.add(
                f"{where}: {field} {value:g} is outside {kind.low}–{kind.high} {metric.unit}"
            )
        record[field] = one_decimal(value)
    records = [record]
    sleep = day.get("sleep")
    if isinstance(sleep, list):
        segments.extend((f"{where}: sleep[{i}]", seg) for i, seg in enumerate(sleep))
    elif isinstance(sleep, dict):
        record.update(sleep_from_minutes(sleep, where, problems))
    elif sleep not in (None, ""):
        problems.add(
            f"{where}: sleep must be minutes per stage or a list of segments, not "
            f"{_type_name(sleep)}"
        )
    if not date:
        return []
    return [r for r in records if len(r) > 1]


def to_number(value: object, where: str, problems: Problems) -> float | None:
    """A number, or a numeric string; empty means not measured.

    A comma followed by groups of three digits separates thousands ('11,234' is 11234); any other
    comma is a decimal comma ('56,8' is 56.8).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        problems.add(f"{where} must be a number, not {_type_name(value)}")
        return None
    if isinstance(value, str):
        text = value.strip()
        if _THOUSANDS_RE.fullmatch(text):
            text = text.replace(",", "")
        elif _DECIMAL_COMMA_RE.fullmatch(text):
            text = text.replace(",", ".")
        if not _NUMBER_RE.fullmatch(text):
            problems.add(f"{where} {quote(value)} is not a number")
            return None
    try:
        number = float(text if isinstance(value, str) else value)
    except OverflowError:  # an integer of hundreds of digits
        number = math.inf
    if not math.isfinite(number):
        problems.add(f"{where} must be a finite number")
        return None
    return number


def metric_value(field: str, value: object, where: str, problems: Problems) -> float | None:
    """A metric given as a number, a numeric string, a sample object or a list of samples.

    SpO2 arrives as a fraction (Apple Health's 0.97) or a percentage (97): both become 97.
    """
    spo2 = field == "spo2_pct"
    samples = value if isinstance(value, list) else [value]
    numbers = []
    for sample in samples:
        if isinstance(sample, dict):
            keys = [key for key in ("value", "qty") if key in sample]
            if not keys:
                problems.add(
                    f"{where}: a sample object needs 'value' or 'qty', not "
                    f"{quote(sorted(map(str, sample)))}"
                )
                continue
            sample = sample[keys[0]]
        number = to_number(sample, where, problems)
        if number is not None:
            numbers.append(number * 100 if spo2 and 0 < number <= 1 else number)
    if not numbers:
        return None
    total = sum(numbers)  # floats: a sum past their range is inf, not an error
    if not math.isfinite(total):  # each sample finite, their sum is not
        problems.add(f"{where}: its samples add up to more than any number can hold")
        return None
    return total if METRICS[field].total else total / len(numbers)


def sleep_from_minutes(sleep: JsonObject, where: str, problems: Problems) -> JsonObject:
    """{'deep': 62, 'core': 201, ...} (minutes) → sleep_* fields of the night ending on the day's
    date."""
    out: dict[str, Any] = {}
    for key, value in sleep.items():
        stage = STAGE_ALIASES.get(re.sub(r"(?<!^)(?=[A-Z])", " ", key).lower().replace("_", " "))
        if key in ("start", "end"):
            out[f"sleep_{key}"] = check_time(value, f"{where}: sleep.{key}", problems)
            continue
        if key == "nap":
            stage = "nap"
        if stage is None:
            problems.add(
                f"{where}: unknown sleep stage {quote(key)} (expected {', '.join(SLEEP_STAGES)})"
            )
            continue
        minutes = to_number(value, f"{where}: sleep.{key}", problems)
        if minutes is None:
            continue
        if SLEEP_MINUTES.problem(minutes):
            problems.add(f"{where}: sleep.{key} {minutes:g} min is outside 0–24 h")
            continue
        out[f"sleep_{stage}_min"] = one_decimal(out.get(f"sleep_{stage}_min", 0) + minutes)
    out = drop_unknown_stages(out)
    asleep = [out[f"sleep_{s}_min"] for s in ASLEEP if f"sleep_{s}_min" in out]
    if asleep:
        out["sleep_asleep_min"] = one_decimal(sum(asleep))
        if SLEEP_MINUTES.problem(out["sleep_asleep_min"]):
            problems.add(
                f"{where}: sleep stages add up to {out['sleep_asleep_min']:g} min, more than 24 h"
            )
    return {k: v for k, v in out.items() if v is not None}


def drop_unknown_stages(night: JsonObject) -> JsonObject:
    """Stage minutes that are all zero on a night with time asleep or in bed mean "no stage data"
    (an iPhone-only night), not zero sleep: those zeros are left out rather than stored."""
    stages = [night.get(f"sleep_{s}_min") for s in ("deep", "core", "rem", "unspecified")]
    slept = night.get("sleep_unspecified_min") or night.get("sleep_in_bed_min")
    if not slept or any(stages[:3]) or all(v is None for v in stages[:3]):
        return night
    unknown = {f"sleep_{s}_min" for s in ("deep", "core", "rem", "unspecified", "awake")}
    return {k: v for k, v in night.items() if not (k in unknown and v == 0)}


def hae_to_v1(payload: JsonObject, problems: Problems) -> tuple[list[JsonObject], list[JsonObject]]:
    """Health Auto Export's {"data": {"metrics": [...]}} → (v1 days, raw sleep segments).

    Aggregated sleep comes in hours and becomes minutes; unaggregated sleep becomes segments.
    """
    metrics = payload["data"].get("metrics")
    if not isinstance(metrics, list):
        problems.add("Health Auto Export: data.metrics must be a list")
        return [], []
    days: HaeDays = defaultdict(lambda: defaultdict(list))
    segments: list[JsonObject] = []
    recognised = False
    for metric in metrics:
        if not isinstance(metric, dict) or not isinstance(metric.get("data", []), list):
            problems.add("Health Auto Export: each metric must be an object with a data list")
            continue
        name = metric.get("name")
        if not isinstance(name, str):
            problems.add(f"Health Auto Export: a metric's name must be text, not {quote(name)}")
            continue
        recognised |= name in HAE_METRICS or name == "sleep_analysis"
        for i, point in enumerate(metric.get("data") or []):
            where = f"Health Auto Export: {name}[{i}]"
            if not isinstance(point, dict):
                problems.add(f"{where} must be an object")
            elif name == "sleep_analysis" and "startDate" in point:
                segments.append(point)
            elif name == "sleep_analysis":
                _hae_night(point, where, days, problems)
            elif name in HAE_METRICS:
                moment = parse_time(point.get("date"))
                unexpected = sorted(map(str, set(point) - HAE_POINT_FIELDS))
                if moment is None:
                    problems.add(
                        f"{where}: date {quote(point.get('date'))} is not 'yyyy-MM-dd HH:mm:ss Z'"
                    )
                elif "qty" not in point or unexpected:
                    problems.add(
                        f"{where}: expected a 'qty' with date and source, not the fields "
                        f"{quote(sorted(map(str, point)))}"
                    )
                else:
                    days[moment.local.date().isoformat()][HAE_METRICS[name]].append(point["qty"])
    if not recognised:
        problems.add("Health Auto Export payload holds none of the metrics this dashboard uses")
    return [_hae_day(date, fields) for date, fields in sorted(days.items())], segments


def _hae_day(date: str, fields: defaultdict[str, list[Any]]) -> JsonObject:
    """A v1 day from one day's gathered points: its longest sleep is the night, the rest naps."""
    day: JsonObject = {"date": date, **{k: v for k, v in fields.items() if k != "sleeps"}}
    if sleeps := fields.get("sleeps"):
        main = max(sleeps, key=_hae_sleep_size)
        naps = [_hae_sleep_size(s)[0] for s in sleeps if s is not main]
        day["sleep"] = {**main, **({"nap": round(sum(naps), 1)} if naps else {})}
    return day


def _hae_night(point: JsonObject, where: str, days: HaeDays, problems: Problems) -> None:
    moment = parse_time(point.get("sleepEnd")) or parse_time(point.get("date"))
    if moment is None:
        problems.add(f"{where}: neither sleepEnd nor date is a date-time")
        return
    minutes = {}
    for key, stage in HAE_SLEEP_HOURS.items():
        hours = to_number(point.get(key), f"{where}: {key}", problems)
        if hours is not None:
            minutes[stage] = round(hours * 60, 1)
    if not any(minutes.get(stage) for stage in ASLEEP):
        total = to_number(point.get("totalSleep"), f"{where}: totalSleep", problems)
        if total:
            minutes["unspecified"] = round(total * 60, 1)
    for key in ("sleepStart", "sleepEnd"):
        if point.get(key):
            minutes["start" if key == "sleepStart" else "end"] = point[key]
    days[moment.local.date().isoformat()]["sleeps"].append(minutes)


def _hae_sleep_size(minutes: JsonObject) -> tuple[float, float]:
    """(minutes asleep, minutes in bed) of one aggregated sleep entry."""
    asleep = sum(v for k, v in minutes.items() if k in ASLEEP and isinstance(v, (int, float)))
    return asleep, minutes.get("in_bed") or 0
