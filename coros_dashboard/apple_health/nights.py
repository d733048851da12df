"""Sleep segments → nights: dated by the day a night ends, stages as the union of their intervals
across sources, In Bed kept apart, naps apart. Shared by Shortcut pushes and Health exports."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from coros_dashboard.apple_health.values import check_date, one_decimal
from coros_dashboard.errors import Problems, quote
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.store.datafiles import SLEEP_STAGES

ASLEEP = ("deep", "core", "rem", "unspecified")
STAGED = ("deep", "core", "rem")
STAGE_ALIASES = {
    "deep": "deep",
    "core": "core",
    "light": "core",
    "rem": "rem",
    "awake": "awake",
    "in bed": "in_bed",
    "inbed": "in_bed",
    "in_bed": "in_bed",
    "asleep": "unspecified",
    "unspecified": "unspecified",
    "asleep (unspecified)": "unspecified",
}
NIGHT_GAP = dt.timedelta(hours=3)  # segments further apart than this are separate sleeps


@dataclass(frozen=True)
class Moment:
    """A sample's time: the instant (to order and measure) and the phone's wall clock (to date)."""

    utc: dt.datetime
    local: dt.datetime


@dataclass(frozen=True)
class Segment:
    """One sleep sample: a stage from start to end."""

    start: Moment
    end: Moment
    stage: str


def parse_time(text: object) -> Moment | None:
    """An ISO 8601 or 'yyyy-MM-dd HH:mm:ss Z' time → (UTC instant, local wall-clock time)."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    for parse in (
        dt.datetime.fromisoformat,
        lambda t: dt.datetime.strptime(t, "%Y-%m-%d %H:%M:%S %z"),
    ):
        try:
            moment = parse(text)
        except ValueError:
            continue
        if moment.tzinfo is None:  # no offset: the phone's own wall clock
            return Moment(moment.replace(tzinfo=dt.UTC), moment)
        return Moment(moment.astimezone(dt.UTC), moment)
    return None


def check_time(value: object, where: str, problems: Problems) -> str | None:
    if value in (None, ""):
        return None
    parsed = parse_time(value)
    if parsed is None:
        problems.add(
            f"{where} {quote(value)} is not a date-time (ISO 8601, e.g. 2026-11-21T23:10:00+01:00)"
        )
        return None
    return parsed.local.isoformat()


RawSegment = tuple[str, object]
"""A sleep segment as a payload sent it, with where it was in the payload."""


def nights_from_raw(
    segments: list[RawSegment], today: dt.date, problems: Problems
) -> list[JsonObject]:
    """Raw sleep segments → one record per night, dated by the day the night ends (wake date).

    Overlapping samples of one stage (two sources) are counted once, and In Bed (written by the
    iPhone) is kept apart from the stages (written by the Watch), never added to them.
    """
    parsed: list[Segment] = []
    for here, seg in segments:
        if not isinstance(seg, dict):
            problems.add(f"{here} must be an object with stage, start and end")
            continue
        for key in sorted(
            set(seg) - {"stage", "start", "end", "source", "value", "startDate", "endDate", "qty"}
        ):
            problems.add(f"{here}: unknown field {quote(key)}")
        raw_stage = seg.get("stage", seg.get("value"))
        stage = STAGE_ALIASES.get(str(raw_stage).strip().lower()) if raw_stage is not None else None
        start, end = (
            parse_time(seg.get("start", seg.get("startDate"))),
            parse_time(seg.get("end", seg.get("endDate"))),
        )
        if stage is None:
            problems.add(
                f"{here}: stage {quote(raw_stage)} is not one of {', '.join(STAGE_ALIASES)}"
            )
        if start is None or end is None:
            problems.add(f"{here}: start and end must be date-times (ISO 8601)")
        elif not dt.timedelta(0) < end.utc - start.utc <= dt.timedelta(hours=24):
            problems.add(f"{here}: end must be after start and at most 24 h later")
        elif stage:
            parsed.append(Segment(start, end, stage))
    return nights_from_segments(parsed, today, problems)


def nights_from_segments(
    parsed: list[Segment], today: dt.date, problems: Problems
) -> list[JsonObject]:
    """Sleep segments → night records by wake date, naps apart."""
    sleeps = defaultdict(list)  # wake date → the separate sleeps that ended on it
    for cluster in _clusters(sorted(parsed, key=lambda s: s.start.utc)):
        wake = max(cluster, key=lambda s: s.end.utc).end
        sleeps[wake.local.date().isoformat()].append(cluster)
    records = []
    for date, clusters in sorted(sleeps.items()):
        record: JsonObject = {"date": check_date(date, today, "sleep", problems)}
        segs = max(clusters, key=_sleep_size)  # the night; the other sleeps of the day are naps
        naps = [cluster for cluster in clusters if cluster is not segs]
        if naps:
            record["sleep_nap_min"] = one_decimal(
                sum(_sleep_size(nap)[0] or _sleep_size(nap)[1] for nap in naps)
            )
        staged = any(s.stage in STAGED for s in segs)  # a Watch that tells the stages apart
        for stage in SLEEP_STAGES:
            minutes = _union_minutes([s for s in segs if s.stage == stage])
            if minutes or (
                staged and stage in STAGED
            ):  # no deep sleep that night is 0, not unknown
                record[f"sleep_{stage}_min"] = minutes
        asleep = _union_minutes([s for s in segs if s.stage in ASLEEP])
        if asleep:
            record["sleep_asleep_min"] = asleep
        record["sleep_start"] = min(segs, key=lambda s: s.start.utc).start.local.isoformat()
        record["sleep_end"] = max(segs, key=lambda s: s.end.utc).end.local.isoformat()
        if record["date"]:
            records.append(record)
    return records


def _sleep_size(segments: list[Segment]) -> tuple[float, float]:
    """(minutes asleep, minutes in bed) of one sleep: what makes the main sleep of a day."""
    return (
        _union_minutes([s for s in segments if s.stage in ASLEEP]),
        _union_minutes([s for s in segments if s.stage == "in_bed"]),
    )


def _clusters(segments: list[Segment]) -> list[list[Segment]]:
    clusters: list[list[Segment]] = []
    end: dt.datetime | None = None
    for seg in segments:
        if end is None or seg.start.utc > end + NIGHT_GAP:
            clusters.append([])
        clusters[-1].append(seg)
        end = seg.end.utc if end is None else max(end, seg.end.utc)
    return clusters


def _union_minutes(segments: list[Segment]) -> int | float:
    total, current = dt.timedelta(0), None
    for start, end in sorted((s.start.utc, s.end.utc) for s in segments):
        if current and start <= current[1]:
            current[1] = max(current[1], end)
            continue
        if current:
            total += current[1] - current[0]
        current = [start, end]
    if current:
        total += current[1] - current[0]
    return one_decimal(total.total_seconds() / 60)
