"""The data/ files, declared once: name, record key, identity, version and what every field holds.

Every stage loads and saves through these declarations, so a hand-edited or corrupted file stops a
run with one line naming the file, the record and the field, instead of a traceback or a silent
misreading, and the COROS boundary checks incoming values against the same plausible ranges.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Protocol

from coros_dashboard.errors import DashboardError, quote
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.store.storage import read_json_file

if TYPE_CHECKING:
    import numpy as np

ID_RE = re.compile(r"[0-9A-Za-z_-]{1,64}")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")  # exactly: fromisoformat also takes 20121114
FIRST_DAY = dt.date(2000, 1, 1)  # no stored day, COROS's or Apple's, is older
FORMAT_VERSION = 1  # of the record files and profile.json
DETAIL_VERSION = 2  # of data/details/YYYY/<id>.json; 2: the route as separate segments


def stored_number(value: float, digits: int) -> int | float:
    """A number as the data files keep it: rounded to `digits` decimals, and an int when whole, so
    the stored text stays short and a value read back compares equal (ints are kept exact)."""
    if type(value) is int:
        return value
    rounded = round(value, digits)
    return int(rounded) if rounded.is_integer() else rounded


class Kind(Protocol):
    """What a field holds: `problem` says what is wrong with a value, or None."""

    def problem(self, value: object) -> str | None: ...


@dataclass(frozen=True)
class Number:
    low: float
    high: float
    integer: bool = False

    def problem(self, value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"must be a number, not {quote(value)}"
        if not self.low <= value <= self.high:  # NaN and ±inf too; a 400-digit int is compared
            return f"{quote(value)} is outside {self.low:g}…{self.high:g}"
        if self.integer and not float(value).is_integer():
            return f"must be a whole number, not {quote(value)}"
        return None

    def outside(self, values: "np.ndarray") -> "np.ndarray":
        """`problem` for a column of numbers at once: True where a value breaks the rule (NaN
        included)."""
        import numpy as np

        bad = ~((values >= self.low) & (values <= self.high))
        return bad | (values != np.floor(values)) if self.integer else bad


@dataclass(frozen=True)
class Text:
    max_len: int = 500

    def problem(self, value: object) -> str | None:
        if not isinstance(value, str):
            return f"must be text, not {quote(value)}"
        return f"is longer than {self.max_len} characters" if len(value) > self.max_len else None


@dataclass(frozen=True)
class Identity:
    """An activity id: it names files (data/details/…/<id>.json, site/activities/<id>.html), so it
    is never a path: letters, digits, '-' and '_' only, as COROS's ids are checked."""

    def problem(self, value: object) -> str | None:
        if not isinstance(value, str) or not ID_RE.fullmatch(value):
            return f"must be an id of letters, digits, '-' or '_', not {quote(value)}"
        return None


@dataclass(frozen=True)
class Date:
    def problem(self, value: object) -> str | None:
        if not isinstance(value, str) or not DATE_RE.fullmatch(value):
            return f"must be a date YYYY-MM-DD, not {quote(value)}"
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return f"{quote(value)} is not a real calendar day"
        return None if day >= FIRST_DAY else f"{quote(value)} is before {FIRST_DAY}"


@dataclass(frozen=True)
class Time:
    def problem(self, value: object) -> str | None:
        if not isinstance(value, str) or len(value) > 40:
            return f"must be an ISO 8601 date-time, not {quote(value)}"
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            return f"{quote(value)} is not an ISO 8601 date-time"
        return None


@dataclass(frozen=True)
class Choice:
    options: tuple[str, ...]

    def problem(self, value: object) -> str | None:
        return (
            None
            if value in self.options
            else f"{quote(value)} must be one of {', '.join(self.options)}"
        )


@dataclass(frozen=True)
class Numbers:
    each: Number

    def problem(self, value: object) -> str | None:
        if not isinstance(value, list) or len(value) > 20:
            return f"must be a list of at most 20 numbers, not {quote(value)}"
        return next(
            (f"[{i}] {p}" for i, v in enumerate(value) if (p := self.each.problem(v))), None
        )


@dataclass(frozen=True)
class Mapping:
    fields: dict[str, "Kind"]

    def problem(self, value: object) -> str | None:
        if not isinstance(value, dict):
            return f"must be an object, not {quote(value)}"
        return next((f".{k} {p}" for k, p in _field_problems(self.fields, value)), None)


HEART_RATE = Number(20, 260, integer=True)
SECONDS = Number(0, 14 * 86400)
RACE_SECONDS = Number(60, 7 * 86400, integer=True)
LOAD = Number(0, 10_000)
PACE = Number(0, 86_400)
# the races COROS predicts, with their distances in metres; daily.json keeps one column each
PREDICTED_RACES = {"5k": 5000.0, "10k": 10_000.0, "half": 21_097.5, "marathon": 42_195.0}


def race_column(race: str) -> str:
    """daily.json's field for COROS's predicted time of `race`: 'race_5k_s'."""
    return f"race_{race}_s"


RACE_PREDICTIONS: dict[str, Kind] = {race_column(race): RACE_SECONDS for race in PREDICTED_RACES}

ACTIVITY_FIELDS: dict[str, Kind] = {
    "id": Identity(),
    "date": Date(),
    "start_local": Time(),
    "sport_code": Number(0, 100_000, integer=True),
    "sport": Text(100),
    "name": Text(2000),
    "device": Text(100),
    "distance_m": Number(0, 2_000_000),
    "moving_s": SECONDS,
    "elapsed_s": SECONDS,
    "training_load": LOAD,
    "avg_hr": HEART_RATE,
    "max_hr": HEART_RATE,
    "ascent_m": Number(0, 50_000),
    "descent_m": Number(0, 50_000),
    "kcal": Number(0, 100_000),
    "avg_pace_s_per_km": PACE,
    "adjusted_pace_s_per_km": PACE,
    "best_pace_s_per_km": PACE,
    "avg_cadence": Number(1, 400, integer=True),
}
DAILY_FIELDS: dict[str, Kind] = {
    "date": Date(),
    "training_load": LOAD,
    "ati": Number(0, 5_000),
    "cti": Number(0, 5_000),
    "fatigue": Number(-5_000, 5_000),
    "training_load_ratio": Number(0, 100),
    "vo2max": Number(10, 100),
    "stamina_level": Number(0, 1_000),
    "resting_hr": HEART_RATE,
    "test_resting_hr": HEART_RATE,
    "sleep_hrv_ms": Number(1, 300),
    "sleep_hrv_base_ms": Number(1, 300),
    "lthr": HEART_RATE,
    "ltsp_s_per_km": Number(60, 1_800),
    "distance_m": Number(0, 5_000_000),
    "duration_s": Number(0, 86_400 * 7),
    "recommended_load_min": LOAD,
    "recommended_load_max": LOAD,
    **RACE_PREDICTIONS,
    "recovery_pct": Number(0, 100),
    "full_recovery_h": Number(0, 1_000),
    "aerobic_endurance_score": Number(0, 1_000),
    "threshold_capacity_score": Number(0, 1_000),
    "anaerobic_endurance_score": Number(0, 1_000),
    "anaerobic_capacity_score": Number(0, 1_000),
}
SLEEP_MINUTES = Number(0, 1440)
# the stages of a night, as Apple Health names them
SLEEP_STAGES = ("deep", "core", "rem", "unspecified", "awake", "in_bed")
HEALTH_METRICS: dict[str, Number] = {  # a payload's value outside its range is refused
    "resting_hr": Number(20, 250),
    "hrv_ms": Number(1, 300),
    "spo2_pct": Number(50, 100),
    "steps": Number(0, 200_000, integer=True),
}
HEALTH_FIELDS: dict[str, Kind] = {
    "date": Date(),
    **HEALTH_METRICS,
    "sleep_start": Time(),
    "sleep_end": Time(),
    **{f"sleep_{stage}_min": SLEEP_MINUTES for stage in (*SLEEP_STAGES, "asleep", "nap")},
}
PROFILE_FIELDS: dict[str, Kind] = {
    "units": Choice(("metric", "imperial")),
    "max_hr": HEART_RATE,
    "resting_hr": HEART_RATE,
    "lthr": HEART_RATE,
    "ltsp_s_per_km": Number(60, 1_800),
    "ftp_w": Number(1, 2_000),
    "hr_zones_max_hr": Numbers(Number(0, 260)),
    "hr_zones_lthr": Numbers(Number(0, 260)),
    "pace_zones_s_per_km": Numbers(Number(0, 86_400)),
    "power_zones_w": Numbers(Number(0, 5_000)),
    "race_predictions": Mapping(RACE_PREDICTIONS),
}

PLAN_FIELDS: dict[str, Kind] = {
    "id": Identity(),  # "<planId>-<idInPlan>": a workout keeps it when moved to another day
    "date": Date(),
    "name": Text(200),
    "sport_code": Number(0, 100_000, integer=True),  # the activity list's numbering
    "distance_m": Number(0, 1_000_000),
    "duration_s": Number(0, 2 * 86_400),
    "load": LOAD,
    # "2 km warm-up, 6 × 800 m at 3:45/km with 2 min rest, 2 km cool-down": paces m:ss/km and
    # distances from 1 km up in km, which site.plan reads per mile for imperial units
    "summary": Text(500),
    "activity_id": Identity(),  # the activity COROS says fulfilled it
}


@dataclass(frozen=True)
class DataFile:
    """One file in data/: a versioned list of records keyed by `ident`, or (key None) one object."""

    name: str
    key: str | None
    ident: str | None
    one: str  # how a commit message counts its records
    many: str
    fields: dict[str, "Kind"]
    required: tuple[str, ...] = ()  # fields every record has, besides its identity
    tidy: Callable[[JsonObject], JsonObject] | None = (
        None  # record → record, applied on load: how older files' records are read today
    )

    def path(self, data_dir: str | Path) -> Path:
        return Path(data_dir) / self.name

    def document(self, content: list[JsonObject] | JsonObject) -> JsonObject:
        """The file's content as written: records under the key, or the object's fields."""
        if self.key:
            return {"version": FORMAT_VERSION, self.key: content}
        assert isinstance(content, dict), "a file without a key holds one object"
        return {"version": FORMAT_VERSION, **content}


NOT_MEASURED_ZEROS = ("avg_hr", "max_hr", "avg_cadence")


def drop_not_measured(record: JsonObject) -> JsonObject:
    """Files written before 0 meant "not measured" may hold 0 heart rate or cadence: read them as
    absent."""
    if any(record.get(field) == 0 for field in NOT_MEASURED_ZEROS):
        return {k: v for k, v in record.items() if not (k in NOT_MEASURED_ZEROS and v == 0)}
    return record


ACTIVITIES = DataFile(
    "activities.json",
    "activities",
    "id",
    "activity",
    "activities",
    ACTIVITY_FIELDS,
    tidy=drop_not_measured,
)
DAILY = DataFile("daily.json", "days", "date", "COROS day", "COROS days", DAILY_FIELDS)
HEALTH = DataFile("health.json", "days", "date", "health day", "health days", HEALTH_FIELDS)
PROFILE = DataFile("profile.json", None, None, "profile", "profiles", PROFILE_FIELDS)
PLAN = DataFile("plan.json", "workouts", "id", "planned workout", "planned workouts", PLAN_FIELDS)
# races the owner lists by hand: the next is the goal, past ones test the predictions
RACE_FIELDS: dict[str, Kind] = {
    "date": Date(),
    "name": Text(200),
    "distance_m": Number(100, 1_000_000),
    "target_s": Number(60, 14 * 86_400),  # a goal time, optional
    "activity_id": Identity(),  # a past race's activity: its elapsed time is the result
    "result_s": Number(60, 14 * 86_400),  # or the result itself (a race not recorded on COROS)
}
RACES = DataFile(
    "races.json", "races", "date", "race", "races", RACE_FIELDS, required=("name", "distance_m")
)
RECORD_FILES = (ACTIVITIES, DAILY, HEALTH, PLAN)
# the details that failed: each waits its turn (coros.details), so one that keeps failing never
# starves the others
RETRY_FIELDS: dict[str, Kind] = {
    "id": Identity(),  # the activity
    "tries": Number(1, 1_000_000, integer=True),  # failed runs in a row
    "last": Date(),  # the day of the last try
}
DETAIL_RETRIES = DataFile(
    "details/retries.json", "retries", "id", "detail retry", "detail retries", RETRY_FIELDS
)

# What a detail's values may be, checked where the detail enters (coros.details): a value outside
# its range is left out, a sample outside time is dropped, and lists past their maximum are cut.
DETAIL_RANGES: dict[str, Number] = {
    # summary
    "aerobic_effect": Number(0, 5),
    "anaerobic_effect": Number(0, 5),
    "avg_power_w": Number(0, 3_000),
    "normalized_power_w": Number(0, 3_000),
    "avg_step_cm": Number(0, 400),
    "avg_ground_time_ms": Number(0, 3_000),
    "avg_vertical_ratio_pct": Number(0, 100),
    # weather
    "temperature_c": Number(-60, 60),
    "feels_like_c": Number(-80, 70),
    "humidity_pct": Number(0, 100),
    "wind_m_per_s": Number(0, 120),
    # laps and zones
    "distance_m": Number(0, 2_000_000),
    "time_s": Number(0, 7 * 86_400),
    "avg_hr": HEART_RATE,
    "zone": Number(1, 10),
    "low": Number(0, 260),
    "high": Number(0, 260),
    # stream samples (one a second or so, before they are thinned to one per 10 s)
    "t": Number(0, 7 * 86_400),
    "d": Number(0, 2_000_000),
    "hr": HEART_RATE,
    "v": Number(0, 100),
    "alt": Number(-500, 9_000),
    "cad": Number(0, 300),
    "pw": Number(0, 3_000),
}
MAX_LAPS = 1_000
MAX_ZONES = 10
MAX_SAMPLES = 7 * 86_400  # a week at one a second: no activity is longer

# data/details/YYYY/<id>.json, one file per activity (written by coros.details, read by the site
# through store.stored_details): its top-level fields. The route is masked before it is written.
DETAIL_FIELDS = (
    "version",
    "id",
    "date",
    "sport_code",
    "summary",
    "weather",
    "laps",
    "hr_zones",
    "hr_zones_from",
    "splits_s",
    "stream",
    "route",
)


def _field_problems(fields: dict[str, "Kind"], record: JsonObject) -> Iterator[tuple[str, str]]:
    for name in sorted(record):
        kind = fields.get(name)
        problem = "is not a field of this format" if kind is None else kind.problem(record[name])
        if problem:
            yield name, problem


def record_problems(spec: DataFile, record: JsonObject) -> list[tuple[str, str]]:
    """(field, problem) pairs of one record; the identity field must be present."""
    problems = list(_field_problems(spec.fields, record))
    needed = (spec.ident, *spec.required) if spec.ident else spec.required
    missing = [(field, "is missing") for field in needed if field not in record]
    return missing + problems


def check_before_save(spec: DataFile, records: list[JsonObject]) -> None:
    """The last guard before a write: a record that would not load again is never written.

    Every boundary validates what it accepts; this catches a gap between a boundary and the
    declared format, so one bad record can never make a file unreadable for every later run.
    """
    assert spec.ident, "a file of records names each by its identity field"
    for record in records:
        problems = record_problems(spec, record)
        if problems:
            field, problem = problems[0]
            raise DashboardError(
                f"refusing to write {spec.name}: {quote(record.get(spec.ident))} '{field}' "
                f"{problem}; "
                "nothing was written (please report it)"
            )


def load_records(spec: DataFile, data_dir: str | Path) -> list[JsonObject]:
    """The file's records, validated ([] when the file does not exist: an empty history)."""
    assert spec.key and spec.ident, "a file of records keeps them under a key, named by an id"
    path = spec.path(data_dir)
    doc = _load_document(spec, path)
    if doc is None:
        return []
    records = doc[spec.key]
    if not isinstance(records, list):
        _fail(path, f"'{spec.key}' must be a list")
    seen: dict[object, int] = {}
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            _fail(path, f"record {i + 1} must be an object, not {quote(record)}")
        if spec.tidy:
            record = records[i] = spec.tidy(record)
        problems = record_problems(spec, record)
        if problems:
            field, problem = problems[0]
            label = f"record {i + 1}" + (
                f" ({quote(record[spec.ident])})" if spec.ident in record else ""
            )
            _fail(path, f"{label}: '{field}' {problem}")
        ident = record[spec.ident]
        if ident in seen:
            _fail(
                path,
                f"records {seen[ident] + 1} and {i + 1} have the same {spec.ident} {quote(ident)}",
            )
        seen[ident] = i
    return records


def load_profile(data_dir: str | Path) -> JsonObject:
    """profile.json's fields without its version ({} when the file does not exist)."""
    path = PROFILE.path(data_dir)
    doc = _load_document(PROFILE, path)
    if doc is None:
        return {}
    profile = {k: v for k, v in doc.items() if k != "version"}
    for field, problem in record_problems(PROFILE, profile):
        _fail(path, f"'{field}' {problem}")
    return profile


def _load_document(spec: DataFile, path: Path) -> JsonObject | None:
    parsed = read_json_file(path)
    if parsed is None:
        return None
    doc = parsed.value
    if not isinstance(doc, dict):
        _fail(path, f"must be a JSON object with a version, not {quote(doc)}")
    if doc.get("version") != FORMAT_VERSION:
        raise DashboardError(
            f"{path} is format version {quote(doc.get('version'))}, this code reads version "
            f"{FORMAT_VERSION}; "
            "update the code (git pull) or restore the file"
        )
    if spec.key and spec.key not in doc:
        _fail(path, f"has no '{spec.key}' list")
    extra = sorted(set(doc) - {"version", spec.key}) if spec.key else []
    if extra:
        _fail(path, f"has an unknown top-level field {quote(extra[0])}")
    return doc


def _fail(path: Path, problem: str) -> NoReturn:
    raise DashboardError(f"{path}: {problem}; fix it or restore it with 'git checkout -- {path}'")
