"""Runs on courses for the same-route benchmark and tests: a data/ of daily runs with stored
routes, all on one loop or each on a loop of its own, written directly (no FIT files)."""

import datetime as dt
import math
import shutil
from pathlib import Path

from coros_dashboard.geo import encode_route, moved_by
from coros_dashboard.store.datafiles import ACTIVITIES
from coros_dashboard.store.storage import save_json_files

HOME = (47.37, 8.54)


def loop_points(metres: float, start: tuple[float, float], bearing: float, seed: int) -> list:
    """A round loop from `start`, a point every 20 m, its centre in direction `bearing`, with a
    few metres of GPS noise (deterministic per `seed`)."""
    radius = metres / (2 * math.pi)
    centre = moved_by(start, radius, bearing)
    points = []
    for k in range(int(metres / 20) + 1):
        angle = bearing + math.pi + 2 * math.pi * k / (metres / 20)
        noise = 4 * math.sin(seed * 12.9898 + k * 78.233)
        lat, lon = moved_by(centre, radius + noise, angle)
        points.append((round(lat, 5), round(lon, 5)))
    return points


def write_courses(data: Path, count: int, today: dt.date, one_loop: bool) -> None:
    """A data/ (replaced) of `count` daily 8 km runs up to `today` with stored routes: all on one
    loop, or each on its own (a start further on each time, so that no two are the same course)."""
    shutil.rmtree(data, ignore_errors=True)
    activities, files = [], {}
    first = today - dt.timedelta(days=count)
    for i in range(count):
        day = (first + dt.timedelta(days=i)).isoformat()
        ident = f"9{i:08d}"
        start = HOME if one_loop else moved_by(HOME, 3000 * (i % 70), 2 * math.pi * i / count)
        bearing = 0.0 if one_loop else 2 * math.pi * ((i * 0.618) % 1)
        activities.append(
            {
                "id": ident,
                "date": day,
                "start_local": f"{day}T07:00:00+01:00",
                "sport_code": 100,
                "sport": "Run",
                "name": "Morning Run",
                "distance_m": 8000 + (i % 7) * 10,
                "moving_s": 2400 + (i % 13) * 5,
                "training_load": 60,
                "avg_hr": 140 + i % 9,
            }
        )
        route = encode_route(loop_points(8000, start, bearing, i))
        files[data / "details" / day[:4] / f"{ident}.json"] = {
            "version": 2,
            "id": ident,
            "date": day,
            "sport_code": 100,
            "route": [route],
        }
    files[ACTIVITIES.path(data)] = ACTIVITIES.document(activities)
    save_json_files(files)
