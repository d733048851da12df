"""Activity detail and FIT files for the emulator's synthetic athlete.

Every activity with distance gets a GPS track — a loop around a point a few km from home (or from
the city of a trip), starting and ending at that point; a run from home of one of the athlete's
regular courses' distance (`COURSES`) follows that course, some the other way round — with heart
rate, speed, altitude and cadence every 10 s (and power on rides); indoor, pool and strength
sessions get the same streams without positions.
Everything is derived from the list item and its labelId, so it is the same on every request.
"""

import functools
import hashlib
import math
import os
import random
from dataclasses import dataclass
from pathlib import Path

from coros_dashboard import settings
from coros_dashboard.sports import INDOOR_CODES

CITIES = {
    "Tokyo": (35.6812, 139.7671),
    "New York": (40.7829, -73.9654),
    "Bengaluru": (12.9716, 77.5946),
    "Sydney": (-33.8688, 151.2093),
    "Boulder": (40.0150, -105.2705),
}
HOME = (52.5200, 13.4050)
POWER = {200, 201, 203, 204}  # rides with a power meter
FIT_FORMAT = 3  # part of every cached file's key: change it when the files written change
STEP_S = 10  # the emulator's spacing (watches record every 1 s: the benchmark writes those)


@dataclass(frozen=True)
class Course:
    """A route the athlete runs again and again from home: a loop, or out and back along a line."""

    metres: float
    bearing: float  # of its start from home, and the direction it sets off in (radians)
    shape: str  # "loop" or "out-and-back"


COURSES = (
    Course(8000, 1.1, "loop"),
    Course(9000, 2.0, "out-and-back"),
    Course(10000, 3.9, "loop"),
    Course(12000, 5.0, "loop"),
    Course(14000, 0.6, "loop"),
    Course(16000, 4.4, "loop"),
)
COURSE_SHARE = 0.05  # a run at home within 5 % of a course's distance follows it
REVERSED_SHARE = 0.25  # of the runs on a loop, run the other way round


def course_of(item) -> tuple[Course, bool] | None:
    """The course a run from home follows, and whether the other way round; None for any other."""
    distance = float(item.get("distance") or 0)
    if int(item["sportType"]) != 100 or distance <= 0:
        return None
    if any(str(item.get("name", "")).startswith(city) for city in CITIES):
        return None
    for course in COURSES:
        if abs(distance - course.metres) <= COURSE_SHARE * course.metres:
            return course, random.Random(f"{item['labelId']} way").random() < REVERSED_SHARE
    return None


def _moved(origin: tuple, metres: float, bearing: float) -> tuple:
    lat, lon = origin
    return (
        lat + metres * math.cos(bearing) / 111_200,
        lon + metres * math.sin(bearing) / (111_200 * math.cos(math.radians(lat))),
    )


def course_point(course: Course, share: float, backwards: bool) -> tuple:
    """Where on the course the runner is after `share` of it (0 → start, 1 → finish)."""
    start = _moved(HOME, 800, course.bearing)
    share = 1 - share if backwards and course.shape == "loop" else share
    if course.shape == "out-and-back":
        out = course.metres / 2 * (share if share <= 0.5 else 1 - share) * 2
        side = 0 if share <= 0.5 else 8  # back on the other side of the road
        return _moved(_moved(start, out, course.bearing), side, course.bearing + math.pi / 2)
    radius = course.metres / (2 * math.pi)
    centre = _moved(start, radius, course.bearing)
    return _moved(centre, radius, course.bearing + math.pi + 2 * math.pi * share)


def _rng(item) -> random.Random:
    return random.Random(str(item["labelId"]))


def start_point(item) -> tuple:
    """Where the activity starts and ends: near home, or near the trip's city."""
    rng = _rng(item)
    lat, lon = next(
        (p for city, p in CITIES.items() if str(item.get("name", "")).startswith(city)), HOME
    )
    bearing, km = rng.uniform(0, 2 * math.pi), rng.uniform(0.3, 1.5)
    return (
        lat + km / 111.2 * math.cos(bearing),
        lon + km / (111.2 * math.cos(math.radians(lat))) * math.sin(bearing),
    )


def stream(item, step_s: int = STEP_S) -> list:
    """[(seconds, lat, lon, metres, hr, speed m/s, altitude m, cadence)], lat/lon None without
    GPS."""
    rng = _rng(item)
    seconds = int(item.get("workoutTime") or 0)
    distance = float(item.get("distance") or 0)
    if seconds <= 0:
        return []
    gps = distance > 0 and int(item["sportType"]) not in INDOOR_CODES
    lat0, lon0 = start_point(item)
    radius = distance / (2 * math.pi) if distance > 0 else 0
    heading = rng.uniform(0, 2 * math.pi)
    centre = (
        lat0 + radius * math.cos(heading) / 111_200,
        lon0 + radius * math.sin(heading) / (111_200 * math.cos(math.radians(lat0))),
    )
    course = course_of(item) if gps else None
    avg_hr = int(item.get("avgHr") or 140)
    cadence = int(item.get("avgCadence") or 0)
    out, metres = [], 0.0
    base_speed = distance / seconds if seconds else 0
    for t in range(0, seconds + 1, step_s):
        speed = max(0.0, base_speed * (1 + 0.08 * math.sin(t / 97) + rng.uniform(-0.03, 0.03)))
        if t:
            metres = min(distance, metres + speed * step_s) if distance else 0.0
        angle = heading + math.pi + 2 * math.pi * (metres / distance if distance else 0)
        lat = lon = None
        if gps and course:
            share = metres / distance
            lat, lon = course_point(course[0], share, course[1])
            lat += rng.uniform(-4, 4) / 111_200  # GPS wanders a few metres
            lon += rng.uniform(-4, 4) / (111_200 * math.cos(math.radians(lat0)))
        elif gps:
            lat = centre[0] + radius * math.cos(angle) / 111_200
            lon = centre[1] + radius * math.sin(angle) / (
                111_200 * math.cos(math.radians(centre[0]))
            )
        hr = int(avg_hr + 8 * math.sin(t / 240) + rng.uniform(-3, 3))
        altitude = 40 + 15 * math.sin(metres / 800)
        out.append(
            (t, lat, lon, round(metres, 1), hr, round(speed, 3), round(altitude, 1), cadence)
        )
    return out


def detail(item) -> dict:
    """The `activity/detail/query` answer: summary extras, laps per km, HR zones, weather."""
    rng = _rng(item)
    points = stream(item)
    laps, last_t, last_d, index = [], 0, 0.0, 1
    for t, _, _, d, hr, *_ in points:
        if d - last_d >= 1000 or (t == points[-1][0] and d > last_d):
            laps.append(
                {
                    "lapIndex": index,
                    "distance": round(d - last_d, 1),
                    "time": t - last_t,
                    "avgHr": hr,
                    "avgPace": round((t - last_t) / ((d - last_d) / 1000)) if d > last_d else 0,
                }
            )
            index, last_t, last_d = index + 1, t, d
    bounds = [100, 120, 140, 155, 170, 190]
    seconds = [0] * 5
    for _, _, _, _, hr, *_ in points:
        zone = max(0, min(4, sum(1 for b in bounds[1:-1] if hr >= b)))
        seconds[zone] += STEP_S
    total = sum(seconds) or 1
    zones = [
        {
            "zoneIndex": i + 1,
            "leftScope": bounds[i],
            "rightScope": bounds[i + 1],
            "second": s,
            "percent": round(100 * s / total),
        }
        for i, s in enumerate(seconds)
    ]
    summary = {
        "name": item.get("name"),
        "sportType": item["sportType"],
        "startTimestamp": item.get("startTime"),
        "distance": item.get("distance"),
        "workoutTime": item.get("workoutTime"),
        "avgHr": item.get("avgHr"),
        "maxHr": item.get("maxHr"),
        "aerobicEffect": round(rng.uniform(2.0, 4.2), 1),
        "anaerobicEffect": round(rng.uniform(0.2, 2.5), 1),
    }
    if int(item["sportType"]) in (100, 101, 102, 103):
        summary.update(
            avgStepLen=round(rng.uniform(95, 125)),
            avgGroundTime=rng.randint(220, 280),
            avgVertRatio=round(rng.uniform(6.5, 9.5), 1),
        )
    if int(item["sportType"]) in (200, 201, 203, 204):
        summary.update(avgPower=rng.randint(160, 240), np=rng.randint(170, 260))
    return {
        "summary": summary,
        "lapList": [{"lapItemList": laps}],
        "zoneList": [{"type": 1, "zoneItemList": zones}],
        "weather": {
            "temperature": rng.randint(-2, 28),
            "bodyFeelTemp": rng.randint(-5, 30),
            "humidity": rng.randint(30, 95),
            "windSpeed": round(rng.uniform(0, 9), 1),
        },
    }


def fit_file(item, step_s: int = STEP_S) -> bytes:
    """The activity as a FIT file (fit-tool writes it, an encoder independent of the project's
    reader).

    Encoding is slow in pure Python, so files are kept per process and, when EMULATOR_FIT_CACHE
    names a folder (the tests' parallel workers share one), on disk.
    """
    fields = (
        "labelId",
        "sportType",
        "startTime",
        "workoutTime",
        "distance",
        "avgHr",
        "avgCadence",
        "name",
    )
    key = (*((k, item.get(k)) for k in fields), ("step_s", step_s), ("format", FIT_FORMAT))
    folder = settings.EMULATOR_FIT_CACHE.read()
    if not folder:
        return _fit_file(key)
    path = Path(folder) / (hashlib.sha256(repr(key).encode()).hexdigest()[:24] + ".fit")
    if path.exists():
        return path.read_bytes()
    data = _fit_file(key)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return data


@functools.lru_cache(maxsize=4096)
def _fit_file(key: tuple) -> bytes:
    """Encoding is slow in pure Python: the same activity is written once per process."""
    item = dict(key)
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer

    start_ms = int(item["startTime"]) * 1000
    builder = FitFileBuilder(auto_define=True)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.time_created = start_ms
    file_id.serial_number = 1
    builder.add(file_id)
    records = []
    for t, lat, lon, metres, hr, speed, altitude, cadence in stream(item, item["step_s"]):
        record = RecordMessage()
        record.timestamp = start_ms + t * 1000
        if lat is not None:
            record.position_lat, record.position_long = lat, lon
        record.distance, record.heart_rate, record.speed, record.altitude = (
            metres,
            hr,
            speed,
            altitude,
        )
        # a power meter: air drag and rolling resistance at that speed
        if int(item["sportType"]) in POWER:
            record.power = round(0.5 * 1.2 * 0.32 * speed**3 + 0.004 * 80 * 9.81 * speed)
        if cadence:
            record.cadence = min(255, cadence // 2 if cadence > 120 else cadence)
        records.append(record)
    builder.add_all(records)
    return builder.build().to_bytes()
