"""data/*.json → pandas frames for the site (each stage runs alone on saved JSON)."""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import DashboardError
from .storage import FORMAT_VERSION, load_data_file, load_json

ACTIVITY_COLUMNS = {
    "id": "string", "date": "datetime64[ns]", "sport": "string", "sport_code": "Int64", "name": "string",
    "start_local": "string", "distance_m": "float64", "moving_s": "float64", "elapsed_s": "float64",
    "training_load": "float64", "avg_hr": "float64", "ascent_m": "float64",
    "avg_pace_s_per_km": "float64", "device": "string",
}


@dataclass
class Frames:
    activities: pd.DataFrame  # one row per activity, `date` = local calendar day
    daily: pd.DataFrame  # COROS metrics, indexed by date
    health: pd.DataFrame  # Apple Health metrics, indexed by date
    profile: dict


def load_frames(data_dir) -> Frames:
    data_dir = Path(data_dir)
    acts = pd.DataFrame(load_data_file(data_dir / "activities.json", "activities"))
    for column, dtype in ACTIVITY_COLUMNS.items():
        if column not in acts:
            acts[column] = pd.Series(dtype=dtype)
    acts["date"] = pd.to_datetime(acts["date"], format="%Y-%m-%d")
    acts = acts.astype({c: t for c, t in ACTIVITY_COLUMNS.items() if c != "date"})
    acts = acts.sort_values(["date", "start_local"], kind="stable").reset_index(drop=True)
    profile = load_json(data_dir / "profile.json") or {}
    if profile and profile.get("version") != FORMAT_VERSION:
        raise DashboardError(f"{data_dir / 'profile.json'} is format version {profile.get('version')!r}, "
                             f"this code reads version {FORMAT_VERSION}; update the code or restore the file")
    return Frames(acts, _dated(data_dir / "daily.json"), _dated(data_dir / "health.json"), profile)


def _dated(path: Path) -> pd.DataFrame:
    frame = pd.DataFrame(load_data_file(path, "days"))
    if frame.empty:
        return pd.DataFrame(index=pd.DatetimeIndex([], name="date"))
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    return frame.set_index("date").sort_index()
