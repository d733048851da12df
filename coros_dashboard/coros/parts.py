"""The parts of a fetch run, and the one place that decides which of them the day's sync needs.

A required part that fails stops the run and writes nothing (all or nothing, as ever). An optional
part that fails — an HTTP error, a bad shape, a value out of range, its own deadline, even a bug —
keeps its stored data as it was and becomes one warning; the run saves the rest and exits 0.
"""

import enum
from collections.abc import Callable
from typing import TypeVar

from coros_dashboard.coros.client import CorosShapeError
from coros_dashboard.errors import DashboardError, Problems, where

T = TypeVar("T")


class Part(enum.Enum):
    ACTIVITIES = "activities"
    DAILY = "daily metrics"
    PLAN = "training plan"
    DASHBOARD = "dashboard summary"
    DETAILS = "activity details"


KEPT = {  # the optional parts, and what a failure of each leaves as it was
    Part.PLAN: "the stored plan is kept",
    Part.DASHBOARD: "race predictions and HRV nights wait for the next run",
    Part.DETAILS: "the stored details are kept and the rest wait for the next run",
}
REQUIRED = {part: part not in KEPT for part in Part}  # the day's sync: all or nothing


def attempt(part: Part, action: Callable[[], T], fallback: T, warnings: Problems) -> T:
    """`action()`; for an optional part, `fallback` and a warning when it fails."""
    if REQUIRED[part]:
        return action()
    try:
        return action()
    except CorosShapeError as exc:  # the part's data is kept: "nothing was written" is not true
        why = f"{exc.detail} (the API may have changed: please report it)"
    except DashboardError as exc:
        why = str(exc)
    except Exception as exc:  # a bug in an extra must not cost the day: reported by type and place
        why = f"unexpected {type(exc).__name__} at {where(exc)} (please report it)"
    warnings.add(f"{part.value} skipped: {why}; {KEPT[part]}")
    return fallback
