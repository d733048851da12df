"""The morning replay's cost: the first screen built at 07:00 on each morning of a year, from the
data as it had arrived by then (what `make test`'s replay does, on a 10-year history)."""

import datetime as dt
import time
from pathlib import Path

import pandas as pd

from benchmarks.common import TODAY
from coros_dashboard.emulator.mornings import Arrivals, Replay
from coros_dashboard.site.frames import load_frames
from coros_dashboard.site.model import build_today
from coros_dashboard.site.units import Units

MORNINGS = 365


def bench_mornings(data: Path) -> float:
    """Seconds per replayed morning (cutting the data to what had arrived, and the Today model)."""
    frames = load_frames(data)
    first = TODAY - dt.timedelta(days=MORNINGS - 1)
    replay = Replay(frames, Arrivals(first - dt.timedelta(days=14), TODAY))
    units = Units("metric")
    started = time.perf_counter()
    for offset in range(MORNINGS):
        now = dt.datetime.combine(first + dt.timedelta(days=offset), dt.time(7, 0))
        build_today(replay.at(now), units, pd.Timestamp(now))
    return (time.perf_counter() - started) / MORNINGS
