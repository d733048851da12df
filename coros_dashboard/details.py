"""Each activity's depth — laps, splits, HR zones, weather, streams and a privacy-safe route — as one
file per activity in data/details/YYYY/<id>.json, fetched after the summary sync within a budget.

A detail that fails is retried on a later run and never half-written; it never fails the summary
sync, which is saved before any detail is fetched. The route is masked before anything is
written: the first and last stretch is trimmed and every point inside a private zone is dropped,
and the streams carry no coordinates at all. Raw FIT files are never kept in data/.
"""

import itertools
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .coros_client import CorosClient, fetch_file
from .datafiles import load_profile
from .errors import DashboardError
from .storage import read_json_file, save_json_files

VERSION = 1
DEFAULT_BUDGET = 150  # a daily run stays within minutes; a 10-year history backfills in ~3 weeks
DEFAULT_TRIM_M = 300
EVERY_S = 10  # stream resolution: one point per 10 s
SEMICIRCLE = 180 / 2 ** 31
FIT_EPOCH = 631065600  # 1989-12-31T00:00:00Z in Unix seconds
EARTH_M = 6_371_000
SPLITS = {"km": 1000.0, "mi": 1609.344}
NUMBERS = {  # COROS detail summary field → stored field
    "aerobicEffect": "aerobic_effect", "anaerobicEffect": "anaerobic_effect", "avgPower": "avg_power_w",
    "np": "normalized_power_w", "avgStepLen": "avg_step_cm", "avgGroundTime": "avg_ground_time_ms",
    "avgVertRatio": "avg_vertical_ratio_pct",
}
WEATHER = {"temperature": "temperature_c", "bodyFeelTemp": "feels_like_c", "humidity": "humidity_pct",
           "windSpeed": "wind_m_per_s"}


@dataclass(frozen=True)
class Privacy:
    """Where routes must not show: circles (lat, lon, radius m), and metres cut from each end."""

    zones: tuple = ()
    trim_m: float = DEFAULT_TRIM_M


def privacy_from_env(env=None) -> Privacy:
    """PRIVACY_ZONES='lat,lon,radius_m;…' (a repository secret, never a committed file), PRIVACY_TRIM_M."""
    env = os.environ if env is None else env
    zones = []
    for part in filter(None, (p.strip() for p in (env.get("PRIVACY_ZONES") or "").split(";"))):
        try:
            lat, lon, radius = (float(x) for x in part.split(","))
        except ValueError:
            raise DashboardError("PRIVACY_ZONES must be 'lat,lon,radius_m' items separated by ';' "
                                 "(the value is not shown)") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < radius <= 100_000):
            raise DashboardError("PRIVACY_ZONES has a zone outside the map or a radius not in 1…100000 m")
        zones.append((lat, lon, radius))
    try:
        trim = float(env.get("PRIVACY_TRIM_M") or DEFAULT_TRIM_M)
    except ValueError:
        trim = -1
    if not 0 <= trim <= 5000:
        raise DashboardError("PRIVACY_TRIM_M must be metres between 0 and 5000")
    return Privacy(tuple(zones), trim)


def metres_between(a, b):
    """Great-circle distance in metres between (lat, lon) points; either may be an array of them."""
    import numpy as np  # here and below: a fetch with nothing to mask starts without numpy

    a, b = np.radians(np.asarray(a, dtype=float)), np.radians(np.asarray(b, dtype=float))
    lat1, lon1, lat2, lon2 = a[..., 0], a[..., 1], b[..., 0], b[..., 1]
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_M * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def outside_zones(points, zones):
    """True for each (lat, lon) row outside every private zone."""
    import numpy as np

    keep = np.ones(len(points), dtype=bool)
    for lat, lon, radius in zones:
        keep &= metres_between(points, (lat, lon)) > radius
    return keep


def detail_path(data_dir, record: dict) -> Path:
    return Path(data_dir) / "details" / record["date"][:4] / f"{record['id']}.json"


def stored_ids(data_dir) -> set:
    return set(StoredDetails(data_dir))


class StoredDetails(Mapping):
    """id → stored detail document, read from its file on each access: ten years of details (about
    100 MB of JSON, four times that as Python objects) are never all held at once."""

    def __init__(self, data_dir):
        self.paths = {p.stem: p for p in sorted((Path(data_dir) / "details").glob("*/*.json"))}

    def __getitem__(self, activity_id: str) -> dict:
        return load_detail(self.paths[activity_id])

    def __iter__(self):
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


def load_detail(path: Path) -> dict:
    """One stored detail; a damaged file stops the build with one line naming it."""
    parsed = read_json_file(path)
    doc = parsed.value if parsed else None
    if not isinstance(doc, dict) or doc.get("version") != VERSION or doc.get("id") != path.stem:
        raise DashboardError(f"{path} is not a version {VERSION} activity detail; delete it and the next fetch "
                             "will fetch it again")
    return doc


def parse_fit(data: bytes) -> list:
    """FIT bytes → samples {t (s from start), lat, lon, d (m), hr, v (m/s), alt (m), cad, pw (W)}; one-line
    errors."""
    from garmin_fit_sdk import Decoder, Stream  # imported when a detail is fetched, not on every run

    if not data or not Decoder(Stream.from_byte_array(bytearray(data))).is_fit():
        raise DashboardError("the activity file is not a FIT file")
    if not Decoder(Stream.from_byte_array(bytearray(data))).check_integrity():  # one CRC pass over the bytes
        raise DashboardError("the FIT file is damaged or cut short")
    # records as written: no second CRC while reading, no component or sub-field expansion and no
    # HR merging (a watch writes speed, distance and heart rate in the record itself) — twice as fast
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read(
        convert_datetimes_to_dates=False, convert_types_to_strings=False, enable_crc_check=False,
        expand_sub_fields=False, expand_components=False, merge_heart_rates=False)
    if errors:
        raise DashboardError(f"the FIT file could not be read ({type(errors[0]).__name__})")
    records = [r for r in messages.get("record_mesgs", []) if isinstance(r.get("timestamp"), int)]
    if not records:
        return []
    start = records[0]["timestamp"]
    samples = []
    for r in records:
        lat, lon = r.get("position_lat"), r.get("position_long")
        samples.append({
            "t": r["timestamp"] - start,
            "lat": lat * SEMICIRCLE if isinstance(lat, int) else None,
            "lon": lon * SEMICIRCLE if isinstance(lon, int) else None,
            "d": r.get("distance"), "hr": r.get("heart_rate"),
            "v": r.get("enhanced_speed", r.get("speed")), "alt": r.get("enhanced_altitude", r.get("altitude")),
            "cad": r.get("cadence"), "pw": r.get("power"),
        })
    return samples


def downsample(samples: list, every_s: int = EVERY_S) -> list:
    """The first sample of every `every_s` seconds, and the last one."""
    out, next_t = [], 0
    for s in samples:
        if s["t"] >= next_t:
            out.append(s)
            next_t = s["t"] - s["t"] % every_s + every_s
    if samples and out[-1] is not samples[-1]:
        out.append(samples[-1])
    return out


def masked_route(samples: list, privacy: Privacy) -> list:
    """The (lat, lon) points safe to publish: not within trim_m of the start or finish, none in a zone.

    Points are rounded as the stored polyline keeps them (5 decimals) before they are checked, so
    masking a stored route again with the same zones changes nothing.
    """
    import numpy as np

    points = np.round(np.array([(s["lat"], s["lon"]) for s in samples
                                if s["lat"] is not None and s["lon"] is not None], dtype=float).reshape(-1, 2), 5)
    if len(points) < 2:
        return []
    keep = (outside_zones(points, privacy.zones) & (metres_between(points, points[0]) > privacy.trim_m)
            & (metres_between(points, points[-1]) > privacy.trim_m))
    return [tuple(p) for p in points[keep].tolist()]


def remask_stored(data_dir, privacy: Privacy, warnings: list) -> int:
    """Apply the current private zones to every stored route, so a zone added later also reaches the
    routes fetched before it; returns how many files changed. A damaged file is left for the build
    to report (a warning here). A longer trim needs the original start and finish, which are not
    stored: see the README."""
    if not privacy.zones:
        return 0
    import polyline

    from .routes import decode_route

    changed = {}
    for path in StoredDetails(data_dir).paths.values():
        try:
            doc = load_detail(path)
        except DashboardError as exc:
            warnings.append(f"{exc}; its route was not masked again")
            continue
        if not doc.get("route"):
            continue
        points = decode_route(doc["route"])
        keep = outside_zones(points, privacy.zones)
        if keep.all():
            continue
        changed[path] = {key: value for key, value in doc.items() if key != "route"}
        if keep.sum() >= 2:
            changed[path]["route"] = polyline.encode(points[keep].tolist(), 5)
    save_json_files(changed)
    return len(changed)


def splits(samples: list, unit_m: float) -> list:
    """Seconds for each full unit (km or mile) of distance, interpolated between samples."""
    out, last_t, mark = [], 0.0, unit_m
    previous = None
    for s in samples:
        if s["d"] is None:
            continue
        while previous is not None and s["d"] >= mark > previous["d"]:
            share = (mark - previous["d"]) / (s["d"] - previous["d"])
            at = previous["t"] + share * (s["t"] - previous["t"])
            out.append(round(at - last_t))
            last_t, mark = at, mark + unit_m
        previous = s
    return out


def _number(value, digits: int = 1):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    value = round(float(value), digits)
    return int(value) if value.is_integer() else value


def zones_from_stream(samples: list, tops: list) -> list:
    """Time in five heart-rate zones from the samples, for an activity COROS gave no zones for.

    `tops` are the profile's zone tops in bpm (zone n runs from the top of zone n-1 to its own top,
    zone 5 upwards). A gap of over 30 s between samples is a pause, not time in a zone.
    """
    if len(tops) != 5 or list(tops) != sorted(tops):
        return []
    seconds = [0] * 5
    for sample, following in itertools.pairwise(samples):
        step = following["t"] - sample["t"]
        if sample["hr"] is None or not 0 < step <= 30:
            continue
        seconds[next((i for i, top in enumerate(tops[:4]) if sample["hr"] < top), 4)] += step
    if not any(seconds):
        return []
    return [{"zone": i + 1, "low": tops[i - 1] if i else None, "high": tops[i], "time_s": s}
            for i, s in enumerate(seconds)]


def build_detail(record: dict, detail: dict, samples: list, privacy: Privacy, zone_tops: list = ()) -> dict:
    """The stored, public-safe detail of one activity; `zone_tops` (the profile's heart-rate zones)
    give the time in zones when COROS has none for it."""
    doc = {"version": VERSION, "id": record["id"], "date": record["date"], "sport_code": record["sport_code"]}
    summary = {field: v for source, field in NUMBERS.items()
               if (v := _number(detail["summary"].get(source), 2)) is not None}
    weather = {field: v for source, field in WEATHER.items()
               if (v := _number(detail["weather"].get(source))) is not None}
    laps = [{"distance_m": _number(lap.get("distance")), "time_s": _number(lap.get("time"), 0),
             "avg_hr": _number(lap.get("avgHr"), 0)} for lap in detail["laps"]]
    zones = [{"zone": _number(z.get("zoneIndex"), 0), "low": _number(z.get("leftScope"), 0),
              "high": _number(z.get("rightScope"), 0), "time_s": _number(z.get("second"), 0)}
             for z in detail["hr_zones"]]
    if not zones and (zones := zones_from_stream(samples, zone_tops)):
        doc["hr_zones_from"] = "stream"
    for key, value in (("summary", summary), ("weather", weather), ("laps", laps), ("hr_zones", zones)):
        if value:
            doc[key] = [{k: v for k, v in item.items() if v is not None} for item in value] \
                if isinstance(value, list) else value
    if samples:
        doc["splits_s"] = {unit: s for unit, m in SPLITS.items() if (s := splits(samples, m))}
        points = downsample(samples)
        doc["stream"] = {"every_s": EVERY_S, "t": [p["t"] for p in points],
                         **{key: [_number(p[key], digits) for p in points]
                            for key, digits in (("d", 0), ("hr", 0), ("v", 2), ("alt", 1), ("cad", 0), ("pw", 0))
                            if any(p[key] is not None for p in points)}}
        route = masked_route(points, privacy)
        if route:
            import polyline

            doc["route"] = polyline.encode(route, 5)
    return doc


@dataclass
class DetailResult:
    fetched: int = 0
    failed: int = 0
    stored: int = 0
    total: int = 0
    errors: list = field(default_factory=list)

    def summary(self, budget: int) -> str:
        left = self.total - self.stored
        runs = f", ~{math.ceil(left / budget)} runs to go" if left and budget else ""
        failed = f", {self.failed} failed (retried next run: {self.errors[0]})" if self.failed else ""
        return f"details: {self.fetched} fetched, {self.stored:,} of {self.total:,} stored{runs}{failed}"


def sync_details(client: CorosClient, data_dir, activities: list, budget: int, privacy: Privacy,
                 fetch=fetch_file) -> DetailResult:
    """Fetch the details not stored yet, newest first, at most `budget` of them."""
    have = stored_ids(data_dir)
    profile = load_profile(data_dir)
    zone_tops = profile.get("hr_zones_max_hr") or profile.get("hr_zones_lthr") or ()
    missing = [a for a in reversed(activities) if a["id"] not in have]
    result = DetailResult(stored=len(have & {a["id"] for a in activities}), total=len(activities))
    for record in missing[:budget]:
        try:
            detail = client.fetch_activity_detail(record["id"])
            url = client.fetch_fit_url(record["id"])
            samples = parse_fit(fetch(url, client.config.timeout)) if url else []
            doc = build_detail(record, detail, samples, privacy, zone_tops)
            save_json_files({detail_path(data_dir, record): doc})
        except DashboardError as exc:  # this one waits for a later run; the others go on
            result.failed += 1
            result.errors.append(f"activity {record['id']}: {str(exc)[:160]}")
            continue
        except Exception as exc:  # a bug must not cost the run its summary data: reported by type only
            result.failed += 1
            result.errors.append(f"activity {record['id']}: unexpected {type(exc).__name__}")
            continue
        result.fetched += 1
        result.stored += 1
    return result

