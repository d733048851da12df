"""Data arriving as it does in real life, for replaying mornings (the morning-replay test and
`make bench`): COROS at the fetch's cron hour with some runs failing, the Health Shortcut's push at
a random hour between 05:00 and 11:00 and missing on some days, activities at their start times."""

import datetime as dt
import random
from dataclasses import replace

import pandas as pd

from coros_dashboard.site.frames import Frames
from coros_dashboard.site.morning import local_starts

FETCH_AT = dt.time(6, 17)  # the fetch workflow's 05:17 UTC, in the athlete's CET
FETCH_FAILS, PUSH_MISSING = 0.04, 0.12
PUSH_CARRIES = 3  # days a Shortcut push sends: today's and the two before


class Arrivals:
    """When each day's data reached data/: seeded, the same every run."""

    def __init__(self, first: dt.date, last: dt.date, seed: int = 7) -> None:
        rng = random.Random(seed)
        days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        self.fetched = [d for d in days if rng.random() >= FETCH_FAILS]
        self.pushes = [
            dt.datetime.combine(d, dt.time(rng.randrange(5, 11), rng.randrange(60)))
            for d in days
            if rng.random() >= PUSH_MISSING
        ]

    def last_fetch(self, now: dt.datetime) -> dt.datetime | None:
        done = [dt.datetime.combine(d, FETCH_AT) for d in self.fetched]
        done = [t for t in done if t <= now]
        return done[-1] if done else None

    def health_days(self, now: dt.datetime) -> set[dt.date]:
        return {
            push.date() - dt.timedelta(days=k)
            for push in self.pushes
            if push <= now
            for k in range(PUSH_CARRIES)
        }


class Replay:
    """A history's data files as they stood at any moment, its arrivals given."""

    def __init__(self, frames: Frames, arrivals: Arrivals) -> None:
        self.frames, self.arrivals = frames, arrivals
        self.starts = local_starts(frames.activities)

    def at(self, now: dt.datetime) -> Frames:
        """The data files as they stood at `now`."""
        fetch = self.arrivals.last_fetch(now)
        fetched = pd.Timestamp(fetch) if fetch else pd.Timestamp.min
        frames = self.frames
        days = pd.DatetimeIndex(sorted(self.arrivals.health_days(now)))
        return replace(
            frames,
            activities=frames.activities[self.starts <= fetched].reset_index(drop=True),
            daily=frames.daily[frames.daily.index <= fetched.normalize()],
            health=frames.health[frames.health.index.isin(days)],
        )
