"""Each activity's depth — laps, splits, HR zones, weather, streams and a privacy-safe route — as
one file per activity in data/details/YYYY/<id>.json, fetched after the summary sync within a
budget.

A detail that fails is retried on a later run and never half-written; it never fails the summary
sync, which is saved before any detail is fetched. The route is masked before anything is
written: the first and last stretch is trimmed and every point inside a private zone is dropped,
and the streams carry no coordinates at all. Raw FIT files are never kept in data/.
"""

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from coros_dashboard.coros.client import CorosClient, fetch_file
from coros_dashboard.coros.fit import EVERY_S, Recording, downsample, parse_fit
from coros_dashboard.errors import DashboardError
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.privacy import Privacy, masked_route
from coros_dashboard.store.datafiles import (
    DETAIL_RANGES,
    DETAIL_RETRIES,
    DETAIL_VERSION,
    MAX_LAPS,
    MAX_SAMPLES,
    MAX_ZONES,
    check_before_save,
    load_profile,
    load_records,
)
from coros_dashboard.store.storage import save_json_files
from coros_dashboard.store.stored_details import detail_path, stored_ids

DEFAULT_BUDGET = 150  # a daily run stays within minutes; a 10-year history backfills in ~3 weeks
SPLITS = {"km": 1000.0, "mi": 1609.344}
STREAM_KEYS = ("d", "hr", "v", "alt", "cad", "pw")
NUMBERS = {  # COROS detail summary field → stored field
    "aerobicEffect": "aerobic_effect",
    "anaerobicEffect": "anaerobic_effect",
    "avgPower": "avg_power_w",
    "np": "normalized_power_w",
    "avgStepLen": "avg_step_cm",
    "avgGroundTime": "avg_ground_time_ms",
    "avgVertRatio": "avg_vertical_ratio_pct",
}
WEATHER = {
    "temperature": "temperature_c",
    "bodyFeelTemp": "feels_like_c",
    "humidity": "humidity_pct",
    "windSpeed": "wind_m_per_s",
}


def splits(recording: Recording, unit_m: float) -> list[int]:
    """Seconds for each full unit (km or mile) of distance, interpolated between samples."""
    measured = ~np.isnan(recording.d)
    out, last_t, mark = [], 0.0, unit_m
    previous = None
    for t, d in zip(recording.t[measured].tolist(), recording.d[measured].tolist(), strict=True):
        while previous is not None and d >= mark > previous[1]:
            share = (mark - previous[1]) / (d - previous[1])
            at = previous[0] + share * (t - previous[0])
            out.append(round(at - last_t))
            last_t, mark = at, mark + unit_m
        previous = (t, d)
    return out


def _checked(value: object, field: str, digits: int = 1) -> int | float | None:
    """The value rounded, or None when it is not a number or outside the field's declared range."""
    number = _number(value, digits)
    return None if number is None or DETAIL_RANGES[field].problem(number) else number


def checked_samples(recording: Recording) -> Recording:
    """The samples that can be placed: time from the start within a week and always forward (a
    timestamp going back is dropped), at most MAX_SAMPLES, and each value outside its range read
    as not measured."""
    t = recording.t
    placed = ~DETAIL_RANGES["t"].outside(t)
    before = np.maximum.accumulate(np.where(placed, t, -1))  # the latest kept time up to here
    placed[1:] &= t[1:] > before[:-1]
    kept = recording.take(np.flatnonzero(placed)[:MAX_SAMPLES])
    return replace(
        kept,
        **{
            key: np.where(DETAIL_RANGES[key].outside(values), np.nan, values)
            for key in STREAM_KEYS
            if len(values := kept.column(key))
        },
    )


def _number(value: object, digits: int = 1) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    value = round(float(value), digits)
    return int(value) if value.is_integer() else value


def zones_from_stream(recording: Recording, tops: Sequence[float]) -> list[JsonObject]:
    """Time in five heart-rate zones from the samples, for an activity COROS gave no zones for.

    `tops` are the profile's zone tops in bpm (zone n runs from the top of zone n-1 to its own top,
    zone 5 upwards). A gap of over 30 s between samples is a pause, not time in a zone.
    """
    if len(tops) != 5 or list(tops) != sorted(tops):
        return []
    seconds = [0] * 5
    steps = np.diff(recording.t).tolist()
    for hr, step in zip(recording.hr[:-1].tolist(), steps, strict=True):
        if math.isnan(hr) or not 0 < step <= 30:
            continue
        seconds[next((i for i, top in enumerate(tops[:4]) if hr < top), 4)] += step
    if not any(seconds):
        return []
    return [
        {"zone": i + 1, "low": tops[i - 1] if i else None, "high": tops[i], "time_s": s}
        for i, s in enumerate(seconds)
    ]


def positions(recording: Recording) -> list[tuple[float, float] | None]:
    return [
        None if math.isnan(lat) or math.isnan(lon) else (lat, lon)
        for lat, lon in zip(recording.lat.tolist(), recording.lon.tolist(), strict=True)
    ]


def build_detail(
    record: JsonObject,
    detail: JsonObject,
    recording: Recording,
    privacy: Privacy,
    zone_tops: Sequence[float] = (),
) -> JsonObject:
    """The stored, public-safe detail of one activity; `zone_tops` (the profile's heart-rate zones)
    give the time in zones when COROS has none for it."""
    doc = {
        "version": DETAIL_VERSION,
        "id": record["id"],
        "date": record["date"],
        "sport_code": record["sport_code"],
    }
    samples = checked_samples(recording)
    summary = {
        field: v
        for source, field in NUMBERS.items()
        if (v := _checked(detail["summary"].get(source), field, 2)) is not None
    }
    weather = {
        field: v
        for source, field in WEATHER.items()
        if (v := _checked(detail["weather"].get(source), field)) is not None
    }
    laps = [
        {
            "distance_m": _checked(lap.get("distance"), "distance_m"),
            "time_s": _checked(lap.get("time"), "time_s", 0),
            "avg_hr": _checked(lap.get("avgHr"), "avg_hr", 0),
        }
        for lap in detail["laps"][:MAX_LAPS]
    ]
    zones = [
        {
            "zone": _checked(z.get("zoneIndex"), "zone", 0),
            "low": _checked(z.get("leftScope"), "low", 0),
            "high": _checked(z.get("rightScope"), "high", 0),
            "time_s": _checked(z.get("second"), "time_s", 0),
        }
        for z in detail["hr_zones"][:MAX_ZONES]
    ]
    if not zones and (zones := zones_from_stream(samples, zone_tops)):
        doc["hr_zones_from"] = "stream"
    for key, value in (
        ("summary", summary),
        ("weather", weather),
        ("laps", laps),
        ("hr_zones", zones),
    ):
        if value:
            doc[key] = (
                [{k: v for k, v in item.items() if v is not None} for item in value]
                if isinstance(value, list)
                else value
            )
    if len(samples):
        doc["splits_s"] = {unit: s for unit, m in SPLITS.items() if (s := splits(samples, m))}
        points = samples.take(downsample(samples.t))
        doc["stream"] = {
            "every_s": EVERY_S,
            "t": points.t.tolist(),
            **{
                key: [_number(v, digits) for v in values.tolist()]
                for key, digits in (
                    ("d", 0),
                    ("hr", 0),
                    ("v", 2),
                    ("alt", 1),
                    ("cad", 0),
                    ("pw", 0),
                )
                if not np.isnan(values := points.column(key)).all()
            },
        }
        segments = masked_route(positions(points), positions(samples), privacy, record["id"])
        if segments:
            from coros_dashboard.geo import encode_route

            doc["route"] = [encode_route(segment) for segment in segments]
    return doc


@dataclass
class DetailResult:
    fetched: int = 0
    failed: int = 0
    stored: int = 0
    total: int = 0
    errors: list[str] = field(default_factory=list)
    out_of_time: float = 0  # the phase's seconds, when they ran out before the budget
    waiting: int = 0  # failed before and not due again yet

    def summary(self, budget: int) -> str:
        left = self.total - self.stored
        runs = f", ~{math.ceil(left / budget)} runs to go" if left and budget else ""
        failed = (
            f", {self.failed} failed (each tried again in its turn: {self.errors[0]})"
            if self.failed
            else ""
        )
        late = (
            f", stopped when its {self.out_of_time:g} s (COROS_DETAIL_DEADLINE) were spent: "
            "the rest next run"
            if self.out_of_time
            else ""
        )
        waiting = (
            f", {self.waiting} failed earlier (tried again in their turn)" if self.waiting else ""
        )
        return (
            f"details: {self.fetched} fetched, {self.stored:,} of {self.total:,} stored"
            f"{runs}{failed}{late}{waiting}"
        )


def sync_details(
    client: CorosClient,
    data_dir: str | Path,
    activities: list[JsonObject],
    budget: int,
    privacy: Privacy,
    seconds: float = math.inf,
    today: dt.date | None = None,
) -> DetailResult:
    """Fetch the details not stored yet, newest first, at most `budget` of them and within
    `seconds`: the phase stops cleanly when its time is spent (the summary is saved already, and
    the rest waits for the next run). Each activity's requests, a dripping answer included, get at
    most a tenth of the time left, and a detail that failed waits its turn: behind every other,
    and only every 1, 2, 4 … 32 days (`retry_due`), so one that keeps failing never starves the
    rest."""
    today = today or dt.date.today()
    clock = client.clock  # one clock for the phase, each activity's share and the downloads
    deadline = clock() + seconds
    have = stored_ids(data_dir)
    profile = load_profile(data_dir)
    zone_tops = profile.get("hr_zones_max_hr") or profile.get("hr_zones_lthr") or ()
    retries = {r["id"]: r for r in load_records(DETAIL_RETRIES, data_dir)}
    missing = [a for a in reversed(activities) if a["id"] not in have]
    waiting = [a for a in missing if a["id"] in retries]
    due = sorted(
        (a for a in waiting if retry_due(retries[a["id"]], today)),
        key=lambda a: (retries[a["id"]]["tries"], retries[a["id"]]["last"]),
    )
    queue = [a for a in missing if a["id"] not in retries] + due
    result = DetailResult(stored=len(have & {a["id"] for a in activities}), total=len(activities))
    result.waiting = len(waiting) - len(due)
    failed: set[str] = set()
    waits = {a["id"] for a in missing}  # each id leaves this set once its detail is stored
    phase = f"the detail phase's {seconds:g} s (COROS_DETAIL_DEADLINE)"
    with client.phase(seconds, phase):
        for record in queue[:budget]:
            left = deadline - clock()
            if left <= 0:
                result.out_of_time = seconds
                break
            share = min(left, max(1.0, left / 10))
            try:
                with client.phase(share, f"its {share:.3g} s share of {phase}"):
                    detail = client.fetch_activity_detail(record["id"])
                    url = client.fetch_fit_url(record["id"])
                    timeout = min(client.config.timeout, share)
                    data = (
                        fetch_file(url, timeout, deadline=client.deadline, clock=clock)
                        if url
                        else b""
                    )
                samples = parse_fit(data) if data else Recording.empty()
                doc = build_detail(record, detail, samples, privacy, zone_tops)
                save_json_files({detail_path(data_dir, record): doc})
            except DashboardError as exc:  # this one waits its turn; the others go on
                failed.add(record["id"])
                result.errors.append(f"activity {record['id']}: {str(exc)[:160]}")
                continue
            except Exception as exc:  # a bug must not cost the run its summary: by type only
                failed.add(record["id"])
                result.errors.append(f"activity {record['id']}: unexpected {type(exc).__name__}")
                continue
            waits.discard(record["id"])
            result.fetched += 1
            result.stored += 1
    result.failed = len(failed)
    save_retries(data_dir, retries, failed, waits, today)
    return result


def retry_due(retry: JsonObject, today: dt.date) -> bool:
    """A detail that failed `tries` runs in a row is tried again 2^(tries-1) days after the last
    (1, 2, 4 … at most 32)."""
    wait = 2 ** min(int(retry["tries"]) - 1, 5)
    return today >= dt.date.fromisoformat(retry["last"]) + dt.timedelta(days=wait)


def save_retries(
    data_dir: str | Path,
    retries: dict[str, JsonObject],
    failed: set[str],
    waits: set[str],
    today: dt.date,
) -> None:
    """data/details/retries.json: this run's failures counted, the ids no longer waiting for a
    detail (stored now, or their activity gone) dropped; no file when nothing waits."""
    kept = {ident: r for ident, r in retries.items() if ident in waits - failed}
    for ident in failed:
        kept[ident] = {
            "id": ident,
            "tries": retries.get(ident, {}).get("tries", 0) + 1,
            "last": today.isoformat(),
        }
    records = sorted(kept.values(), key=lambda r: r["id"])
    path = DETAIL_RETRIES.path(data_dir)
    if records:
        check_before_save(DETAIL_RETRIES, records)
        save_json_files({path: DETAIL_RETRIES.document(records)})
    elif path.exists():
        save_json_files({}, remove=[path])
