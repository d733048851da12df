"""The Health app's "Export All Health Data" (export.zip or export.xml) → day records for
health.json.

The export is 0.5–3 GB of XML, so it is streamed through expat (C, in the standard library) and
never held in memory: each <Record> start tag is looked at once and dropped, and what is kept per
day is a handful of sums. Rules, documented in the README:

- A sample belongs to the local date of its start, as the export writes it (its own UTC offset).
- Resting HR, HRV (SDNN) and SpO2 are the day's mean over all sources; SpO2 0.97 becomes 97 %.
- Steps: where several sources count the same hour (iPhone and Watch on one walk), the hour's
  steps come from one source only — an Apple Watch first, then an iPhone, then any other — and
  are never added up. Hours with one source count as they are.
- Sleep: every sleep sample becomes a segment and nights are built exactly as for Shortcut
  pushes (wake date, stages as the union of their intervals across sources, naps apart).
  Exports from before iOS 16 say Asleep/InBed instead of stages: Asleep is "unspecified".
"""

import datetime as dt
import functools
import math
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from coros_dashboard.apple_health.nights import Moment, Segment, nights_from_segments
from coros_dashboard.apple_health.values import one_decimal
from coros_dashboard.errors import DashboardError, Problems
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.store.datafiles import FIRST_DAY

XML_NAME = "apple_health_export/export.xml"
CHUNK = 1 << 20
QUANTITIES = {  # Record type → field
    "HKQuantityTypeIdentifierRestingHeartRate": "resting_hr",
    "HKQuantityTypeIdentifierHeartRateVariabilitySDNN": "hrv_ms",
    "HKQuantityTypeIdentifierOxygenSaturation": "spo2_pct",
}
STEPS = "HKQuantityTypeIdentifierStepCount"
SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"
READ = {*QUANTITIES, STEPS, SLEEP}
EXPORT_UNITS = {  # the units each export era wrote, → the factor to health.json's unit
    "HKQuantityTypeIdentifierRestingHeartRate": {"count/min": 1.0, "count/s": 60.0, "Hz": 60.0},
    "HKQuantityTypeIdentifierHeartRateVariabilitySDNN": {"ms": 1.0, "s": 1000.0},
    "HKQuantityTypeIdentifierOxygenSaturation": {"%": 1.0},
    STEPS: {"count": 1.0},
}
TIME_NOW = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2} ?[+-]\d{2}:?\d{2}")
TIME_IOS8 = re.compile(r"\d{14}[+-]\d{4}")
# the same with every time field in its range, as datetime checks them
_HOUR, _SIXTY = r"(?:[01]\d|2[0-3])", r"[0-5]\d"
TIME_NOW_STRICT = re.compile(
    rf"\d{{4}}-\d{{2}}-\d{{2}}[ T]{_HOUR}:{_SIXTY}:{_SIXTY} ?[+-]{_HOUR}:?{_SIXTY}"
)
TIME_IOS8_STRICT = re.compile(rf"\d{{8}}{_HOUR}{_SIXTY}{_SIXTY}[+-]{_HOUR}{_SIXTY}")
HK_SLEEP_STAGES = {
    "HKCategoryValueSleepAnalysisInBed": "in_bed",
    "HKCategoryValueSleepAnalysisAsleep": "unspecified",
    "HKCategoryValueSleepAnalysisAsleepUnspecified": "unspecified",
    "HKCategoryValueSleepAnalysisAsleepCore": "core",
    "HKCategoryValueSleepAnalysisAsleepDeep": "deep",
    "HKCategoryValueSleepAnalysisAsleepREM": "rem",
    "HKCategoryValueSleepAnalysisAwake": "awake",
}


# Most of an export is samples this dashboard never reads (heart rate every few minutes, energy,
# distance…). They are cut out as bytes before expat sees them: only whole <Record> elements of
# other types — self-closed, or holding nothing but <MetadataEntry/> tags — found by these
# pattern, never anything that could change the structure of what remains, which expat still
# parses and checks in full. (Line numbers in expat's errors then count the lines kept.)
_READ = "|".join(re.escape(t) for t in (*QUANTITIES, STEPS, SLEEP))
_IRRELEVANT = re.compile(
    rb'<Record type="(?!(?:' + _READ.encode() + rb')")[^"<>]*"[^<>]*'
    rb"(?:/>|>(?:\s*<MetadataEntry [^<>]*/>)+\s*</Record>)"
)
MAX_CARRY = 16 << 20
# no tag, attribute or text of a Health export comes near this between two "<": a longer run is
# refused before expat would hold all of it (a 200 MB attribute zips to 200 KB)
MAX_RUN = CHUNK  # so a run inside one chunk never needs counting


def longest_run(chunk: bytes, run: int) -> tuple[int, int]:
    """(the longest run of bytes without "<" that ends in or crosses `chunk`, the run still open
    at its end), `run` being the one open before it."""
    first = chunk.find(b"<")
    if first < 0:
        return run + len(chunk), run + len(chunk)
    return run + first, len(chunk) - 1 - chunk.rfind(b"<")


def skip_irrelevant(chunk: bytes, carry: bytes) -> tuple[bytes, bytes]:
    """(the chunk without irrelevant records, the unfinished tail to put before the next chunk)."""
    data = carry + chunk
    end = data.rfind(b"<Record ")  # records never nest, so no record to cut spans this point
    if end <= 0:
        return (b"", data) if len(data) < MAX_CARRY else (data, b"")
    return _IRRELEVANT.sub(b"", data[:end]), data[end:]


def source_rank(name: str, device: str) -> int:
    """0 for an Apple Watch, 1 for an iPhone, 2 for anything else: who counts an hour's steps."""
    text = f"{name} {device}"
    if "Watch" in text:
        return 0
    return 1 if "iPhone" in text else 2


class ExportReader:
    """expat callbacks that keep per-day sums; `records()` turns them into day records."""

    def __init__(self) -> None:
        self.sums: defaultdict[tuple[str, str], list[float]] = defaultdict(
            lambda: [0.0, 0]
        )  # → [sum, count]
        self.steps: dict[
            tuple[str, int], dict[tuple[int, str], float]
        ] = {}  # (date, hour) → {(rank, source): steps}
        self.segments: list[Segment] = []
        self.root: str | None = None
        self.problems = 0
        self.duplicates = 0
        self.seen: set[int] = set()  # hashes of the records read: duplicates are dropped

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.root is None:
            self.root = name
            if name != "HealthData":
                raise DashboardError(
                    f"this is not an Apple Health export: its root element is <{name[:40]}>, "
                    "not <HealthData>"
                )
        if name != "Record":
            return
        kind = attrs.get("type")
        if kind not in READ:
            return
        key = hash(
            (
                kind,
                attrs.get("sourceName"),
                attrs.get("startDate"),
                attrs.get("endDate"),
                attrs.get("value"),
            )
        )
        if key in self.seen:  # an exact duplicate, as restores and merges leave them
            self.duplicates += 1
            return
        self.seen.add(key)
        try:
            self.read(kind, attrs)
        except (KeyError, ValueError, OverflowError):
            self.problems += 1  # a record without readable attributes: counted, never guessed

    def read(self, kind: str, attrs: dict[str, str]) -> None:
        if kind == SLEEP:
            begin = _moment(attrs["startDate"])
            stage = HK_SLEEP_STAGES.get(attrs.get("value", ""))
            if stage is None and attrs.get("value", "").isdigit():  # iOS 8–10: 0 in bed, 1 asleep
                stage = ("in_bed", "unspecified", "awake")[min(int(attrs["value"]), 2)]
            if stage:
                self.segments.append(Segment(begin, _moment(attrs["endDate"]), stage))
            return
        value = float(attrs["value"])
        if not math.isfinite(value):
            raise ValueError("not a number")
        value = in_unit(kind, value, attrs.get("unit", ""))
        date, local_hour = local_day_hour(attrs["startDate"])
        if kind == STEPS:
            hour = self.steps.setdefault((date, local_hour), {})
            source = attrs.get("sourceName", "")
            rank = (source_rank(source, attrs.get("device", "")), source)
            hour[rank] = hour.get(rank, 0.0) + value
            return
        total = self.sums[(date, QUANTITIES[kind])]
        total[0] += value
        total[1] += 1

    def records(self, today: dt.date) -> list[JsonObject]:
        days: defaultdict[str, dict[str, Any]] = defaultdict(dict)
        for (date, field), (total, count) in self.sums.items():
            days[date][field] = one_decimal(total / count)
        for (date, _hour), sources in self.steps.items():
            best = min(sources)[
                0
            ]  # the hour's best-ranked kind of source, and of those the largest count
            steps = max(v for (rank, _), v in sources.items() if rank == best)
            days[date]["steps"] = days[date].get("steps", 0) + steps
        problems = Problems()
        for night in nights_from_segments(self.segments, today, problems):
            days[night["date"]].update(night)
        first = FIRST_DAY.isoformat()
        last = (today + dt.timedelta(days=1)).isoformat()
        out = []
        for date, fields in sorted(days.items()):
            if not first <= date <= last:
                continue
            if "steps" in fields:
                fields["steps"] = round(fields["steps"])
            out.append({"date": date, **fields})
        return out


def local_day_hour(text: str) -> tuple[str, int]:
    """The local date (ISO) and hour of an export's date, read from its text as `_moment` would
    read them (the same dates refused), without making datetimes: most records need no more."""
    if TIME_NOW_STRICT.fullmatch(text):
        return _day(text[:10]), int(text[11:13])
    if TIME_IOS8_STRICT.fullmatch(text):
        return _day(f"{text[:4]}-{text[4:6]}-{text[6:8]}"), int(text[8:10])
    raise ValueError("not an export date")


@functools.lru_cache(maxsize=4096)
def _day(text: str) -> str:
    """A real calendar date (a few thousand in an export, each checked once)."""
    return dt.date.fromisoformat(text).isoformat()


def _moment(text: str) -> Moment:
    """The instant and the local wall-clock time of an export's date, as every iOS wrote them:
    '2024-03-14 07:31:00 -0700' (iOS 9 on), '20121114171900+0100' (iOS 8); ValueError else."""
    if TIME_IOS8.fullmatch(text):
        local = dt.datetime.strptime(text, "%Y%m%d%H%M%S%z")
    elif TIME_NOW.fullmatch(text):
        local = dt.datetime.fromisoformat(text[:19] + text[20:] if text[19:20] == " " else text)
    else:
        raise ValueError("not an export date")
    if local.tzinfo is None:
        raise ValueError("no UTC offset")
    return Moment(local.astimezone(dt.UTC), local)


def in_unit(kind: str, value: float, unit: str) -> float:
    """The value in the unit health.json keeps; ValueError for a unit this importer cannot read."""
    factor = EXPORT_UNITS[kind].get(unit)
    if factor is None:
        raise ValueError(f"unit {unit!r}")
    value *= factor
    if kind == "HKQuantityTypeIdentifierOxygenSaturation" and value <= 1:
        value *= 100  # a fraction, as the Health app writes it with unit %
    return value


def export_kind(path: Path) -> str | None:
    """ "zip" or "xml" for the Health app's export.zip / export.xml, told apart from a JSON payload
    by its first bytes; None for anything else (or a file that cannot be read: its reader says why).
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return None
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return "xml" if head.startswith(b"<") else None


def open_export(path: Path) -> tuple[IO[bytes], int]:
    """export.xml as a binary stream, from the zip the Health app makes or the bare file."""
    path = Path(path)
    try:
        zipped = export_kind(path) == "zip"
        if zipped and not zipfile.is_zipfile(path):
            raise zipfile.BadZipFile("its end is missing: truncated while copying?")
        if zipped:
            archive = zipfile.ZipFile(path)
            info = _export_member(archive, path)
            return archive.open(info), info.file_size
        return open(path, "rb"), path.stat().st_size
    except OSError as exc:
        raise DashboardError(f"cannot read {path}: {exc.strerror or exc}") from None
    except zipfile.BadZipFile as exc:
        raise DashboardError(
            f"{path} is a damaged zip ({exc}); export again from the Health app"
        ) from None


@dataclass(frozen=True)
class Imported:
    """What an export held: day records, and the records left out (unreadable, or duplicates)."""

    days: list[JsonObject]
    skipped: int  # a date, value or unit that cannot be read
    duplicates: int  # exact copies of a record already read


def _export_member(archive: zipfile.ZipFile, path: Path) -> zipfile.ZipInfo:
    """Apple's apple_health_export/export.xml; a lone export.xml elsewhere; never a guess among
    several. An encrypted member or a compression Python cannot read is one line saying what to do.
    """
    names = [n for n in archive.namelist() if n.endswith("/export.xml") or n == "export.xml"]
    if XML_NAME in names:
        name = XML_NAME
    elif len(names) == 1:
        name = names[0]
    elif names:
        raise DashboardError(
            f"{path} holds {len(names)} export.xml files ({', '.join(sorted(names)[:3])}) and none "
            f"at {XML_NAME}: give the one to import as export.xml"
        )
    else:
        raise DashboardError(f"{path} holds no export.xml: is it the Health app's export.zip?")
    info = archive.getinfo(name)
    if info.flag_bits & 0x1:
        raise DashboardError(
            f"{path} is password-protected: unzip it yourself and give its export.xml instead"
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        method = {9: "Deflate64, as Windows writes large zips"}.get(info.compress_type, "")
        raise DashboardError(
            f"{path} is compressed with method {info.compress_type}"
            f"{f' ({method})' if method else ''}, which cannot be read here: unzip it with "
            "another tool (7-Zip, unzip, the Files app) and give its export.xml instead"
        )
    return info


def read_export(
    path: Path, today: dt.date, progress: Callable[[int, int], None] | None = None
) -> Imported:
    """Stream an export → its day records and what was left out."""
    reader = ExportReader()
    parser = expat.ParserCreate()
    parser.StartElementHandler = reader.start
    stream, size = open_export(path)
    done, ended, carry, run = 0, False, b"", 0
    try:
        with stream:
            while chunk := stream.read(CHUNK):
                longest, run = longest_run(chunk, run)
                if max(longest, run) > MAX_RUN:
                    raise DashboardError(
                        f"{path} holds a value of over {MAX_RUN >> 20} MB near byte {done:,}, "
                        "which no Health export has; export again from the Health app"
                    )
                kept, carry = skip_irrelevant(chunk, carry)
                parser.Parse(kept, False)
                done += len(chunk)
                if progress:
                    progress(done, size)
            parser.Parse(carry, False)
            ended = True
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        what = (
            "ends early (the export is truncated)"
            if ended
            else f"is not well-formed XML ({expat.ErrorString(exc.code)})"
        )
        raise DashboardError(
            f"{path} {what} at line {exc.lineno}; export again from the Health app"
        ) from None
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        raise DashboardError(
            f"{path} could not be read to its end ({type(exc).__name__}); "
            "export again from the Health app"
        ) from None
    if reader.root is None:
        raise DashboardError(f"{path} is empty")
    return Imported(reader.records(today), reader.problems, reader.duplicates)


def fill_missing(stored: list[JsonObject], imported: list[JsonObject]) -> list[JsonObject]:
    """The import's records reduced to the fields a stored day does not have yet.

    Days the Shortcut already pushed keep every value it sent; the export only fills gaps.
    """
    by_date = {rec["date"]: rec for rec in stored}
    out = []
    for rec in imported:
        old = by_date.get(rec["date"], {})
        new = {k: v for k, v in rec.items() if k == "date" or k not in old}
        if len(new) > 1:
            out.append(new)
    return out
