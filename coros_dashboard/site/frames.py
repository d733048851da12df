"""data/*.json → pandas frames for the site (each stage runs alone on saved JSON)."""

from dataclasses import dataclass, field

import pandas as pd

from coros_dashboard.errors import DashboardError
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.store.datafiles import (
    ACTIVITIES,
    DAILY,
    HEALTH,
    PLAN,
    RACES,
    load_profile,
    load_records,
)

ACTIVITY_COLUMNS = {
    "id": "string",
    "date": "datetime64[ns]",
    "sport": "string",
    "sport_code": "Int64",
    "name": "string",
    "start_local": "string",
    "distance_m": "float64",
    "moving_s": "float64",
    "elapsed_s": "float64",
    "training_load": "float64",
    "avg_hr": "float64",
    "ascent_m": "float64",
    "avg_pace_s_per_km": "float64",
    "device": "string",
}


@dataclass
class Frames:
    activities: pd.DataFrame  # one row per activity, `date` = local calendar day
    daily: pd.DataFrame  # COROS metrics, indexed by date
    health: pd.DataFrame  # Apple Health metrics, indexed by date
    profile: JsonObject
    # planned workouts, as plan.json holds them
    plan: list[JsonObject] = field(default_factory=list)
    races: list[JsonObject] = field(default_factory=list)  # races.json's, as the owner lists them
    races_problem: str = ""  # why races.json was left out: the race section only, never the site


def load_frames(data_dir) -> Frames:
    acts = pd.DataFrame(load_records(ACTIVITIES, data_dir))
    for column, dtype in ACTIVITY_COLUMNS.items():
        if column not in acts:
            acts[column] = pd.Series(dtype=dtype)
    acts["date"] = pd.to_datetime(acts["date"], format="%Y-%m-%d")
    acts = acts.astype({c: t for c, t in ACTIVITY_COLUMNS.items() if c != "date"})
    acts = acts.sort_values(["date", "start_local"], kind="stable").reset_index(drop=True)
    return Frames(
        acts,
        _dated(load_records(DAILY, data_dir)),
        _dated(load_records(HEALTH, data_dir)),
        load_profile(data_dir),
        load_records(PLAN, data_dir),
        *load_races(data_dir),
    )


def load_races(data_dir) -> tuple[list[JsonObject], str]:
    """races.json's races, or none and why: a file the owner edits by hand costs the race section
    until it is fixed, never the day's site."""
    try:
        return load_records(RACES, data_dir), ""
    except DashboardError as error:
        return [], str(error)


def _dated(records: list[JsonObject]) -> pd.DataFrame:
    frame = pd.DataFrame(records)
    if frame.empty:
        return pd.DataFrame(index=pd.DatetimeIndex([], name="date"))
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    return frame.set_index("date").sort_index()
