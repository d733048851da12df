"""What the dashboard derives from the stored activity details: best efforts and their progression,
a mean-maximal pace curve, time in heart-rate zones per week, the route heatmap and the Eddington
number. Built once per build, from `data/details/` and the activities.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coros_dashboard.geo import decode_route
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.site.efforts import EFFORTS, best_efforts, best_paces, eddington
from coros_dashboard.site.metrics import monday_of
from coros_dashboard.site.units import Units, format_duration
from coros_dashboard.sports import RUN_CODES

RUN_VIEWS = ("all", "run")  # the sport views that show the runs' best efforts and pace curve
CURVE_S = [60, 120, 300, 600, 1200, 1800, 3600, 5400, 7200]
HEAT_CELLS = 160


@dataclass
class Depth:
    efforts: pd.DataFrame  # one row per (run, effort): id, date, effort, seconds
    # formatted rows: effort, best, date, id, year best
    table: list[JsonObject] = field(default_factory=list)
    # "all time" / year → {seconds: metres}
    curve: dict[str, dict[int, float]] = field(default_factory=dict)
    # one row per activity with zones: week, group, easy / moderate / hard s
    zones: pd.DataFrame | None = None
    # view key ("all", "run", …) → its routes' heatmap
    heatmaps: dict[str, JsonObject] = field(default_factory=dict)
    # view key → {"Run" / "Ride": number}
    eddington: dict[str, dict[str, int]] = field(default_factory=dict)
    # activity id → {effort name: seconds}, for its page
    by_run: dict[str, dict[str, float]] = field(default_factory=dict)
    # activity id → the route's segments (arrays of lat, lon rows), for its page
    routes: dict[str, list[np.ndarray]] = field(default_factory=dict)

    coverage: str = ""  # which runs the efforts and the curve come from, e.g. "10 of 1,288 runs"

    def of_run(self, activity_id: str) -> dict[str, float]:
        return self.by_run.get(activity_id, {})


def build_depth(acts: pd.DataFrame, details, units: Units, today: pd.Timestamp) -> Depth:
    """One pass over the activities, reading each stored detail once (`details` maps id → document
    and may read it from disk on each access: ten years of details are not held in memory)."""
    rows: list[JsonObject] = []
    zone_rows: list[JsonObject] = []
    curve_all: dict[int, float] = {}
    curve_year: dict[int, float] = {}
    by_run: dict[str, dict[str, float]] = {}
    routes: dict[str, list[np.ndarray]] = {}
    for act in acts.itertuples() if not acts.empty and details else ():
        doc = details.get(act.id)
        if not doc:
            continue
        segments = [s for s in map(decode_route, doc.get("route") or []) if len(s)]
        if segments:
            routes[act.id] = segments
        if zones := zone_split(doc.get("hr_zones") or []):
            zone_rows.append(
                {
                    "week": monday_of(act.date),
                    "group": act.group,
                    **zones,
                }
            )
        stream = doc.get("stream") or {}
        t, d = stream.get("t") or [], stream.get("d") or []
        if act.sport_code not in RUN_CODES or len(t) < 3 or len(t) != len(d):
            continue
        by_run[act.id] = best_efforts(stream)
        rows += [
            {"id": act.id, "date": act.date, "effort": name, "seconds": seconds, "name": act.name}
            for name, seconds in by_run[act.id].items()
        ]
        for seconds, metres in best_paces(t, d, CURVE_S).items():
            curve_all[seconds] = max(curve_all.get(seconds, 0), metres)
            if act.date.year == today.year:
                curve_year[seconds] = max(curve_year.get(seconds, 0), metres)
    efforts = pd.DataFrame(rows, columns=["id", "date", "effort", "seconds", "name"])
    zone_frame = pd.DataFrame(zone_rows) if zone_rows else None
    runs = int(acts["sport_code"].isin(RUN_CODES).sum()) if not acts.empty else 0
    return Depth(
        efforts,
        effort_table(efforts, today),
        {CURVE_ALL: curve_all, str(today.year): curve_year},
        zone_frame,
        view_heatmaps(acts, routes),
        eddington_numbers(acts, units),
        by_run,
        routes,
        coverage_text(len(by_run), runs),
    )


CURVE_ALL = "All runs with details"


def coverage_text(measured: int, runs: int) -> str:
    """'From 10 of 1,288 runs (those with details)': best efforts never claim more than they saw."""
    if measured >= runs:
        return f"From all {runs:,} runs."
    return f"From {measured:,} of {runs:,} runs: those with details so far."


def effort_table(efforts: pd.DataFrame, today: pd.Timestamp) -> list[JsonObject]:
    out = []
    for name in EFFORTS:
        mine = efforts[efforts["effort"] == name]
        if mine.empty:
            continue
        best = mine.loc[mine["seconds"].idxmin()]
        year = mine[mine["date"].dt.year == today.year]
        year_best = year.loc[year["seconds"].idxmin()] if not year.empty else None
        out.append(
            {
                "effort": name,
                "time": format_duration(best["seconds"]),
                "date": f"{best['date']:%Y-%m-%d}",
                "id": best["id"],
                "year_time": format_duration(year_best["seconds"])
                if year_best is not None
                else "–",
                "year_id": year_best["id"] if year_best is not None else None,
            }
        )
    return out


def progression(efforts: pd.DataFrame, name: str) -> pd.Series:
    """The best time of `name` as of each date it improved."""
    mine = efforts[efforts["effort"] == name].sort_values("date")
    if mine.empty:
        return pd.Series(dtype="float64")
    best = mine.set_index("date")["seconds"].cummin()
    return best[best.diff().fillna(-1) < 0]


def _band(zone: int) -> str:
    if zone <= 2:
        return "easy"
    return "moderate" if zone == 3 else "hard"


def zone_split(zones: list[JsonObject]) -> dict[str, float]:
    """Seconds in easy (zones 1–2), moderate (3) and hard (4–5) heart rate."""
    split: dict[str, float] = {"easy": 0, "moderate": 0, "hard": 0}
    for z in zones:
        split[_band(z.get("zone", 0))] += z.get("time_s", 0)
    return split if any(split.values()) else {}


def zones_per_week(zones: pd.DataFrame | None, view_key: str) -> pd.DataFrame | None:
    """Easy / moderate / hard seconds per ISO week (the Monday) of one sport view's activities."""
    if zones is None:
        return None
    mine = zones if view_key == "all" else zones[zones["group"] == view_key]
    return mine.drop(columns="group").groupby("week").sum().sort_index() if not mine.empty else None


def view_heatmaps(acts: pd.DataFrame, routes: dict[str, list[np.ndarray]]) -> dict[str, JsonObject]:
    """A heatmap of all routes, and one per sport group that has routes."""
    if not routes:
        return {}
    groups = acts.set_index("id")["group"]
    points = {activity_id: np.concatenate(segments) for activity_id, segments in routes.items()}
    by_view = {"all": list(points.values())}
    for activity_id, route in points.items():
        by_view.setdefault(groups.get(activity_id), []).append(route)
    return {key: grid for key, chosen in by_view.items() if key and (grid := heatmap(chosen))}


def heatmap(routes: list[np.ndarray]) -> JsonObject | None:
    """Route points counted on a grid around where most routes are: an SVG of shaded cells."""
    if not routes:
        return None
    mids = np.array([r[len(r) // 2] for r in routes])
    centre = np.median(mids, axis=0)
    half_lat = 0.12
    half_lon = half_lat / max(0.2, math.cos(math.radians(centre[0])))
    points = np.concatenate(routes)
    counts, _, _ = np.histogram2d(
        centre[0] + half_lat - points[:, 0],
        points[:, 1] - centre[1] + half_lon,
        bins=HEAT_CELLS,
        range=[[0, 2 * half_lat], [0, 2 * half_lon]],
    )
    ys, xs = np.nonzero(counts)
    if not len(xs):
        return None
    shade = np.round(0.25 + 0.75 * np.log1p(counts[ys, xs]) / np.log1p(counts.max()), 2)
    cells = sorted(zip(xs.tolist(), ys.tolist(), shade.tolist(), strict=True))
    return {
        "cells": [{"x": x, "y": y, "o": o} for x, y, o in cells],
        "size": HEAT_CELLS,
        "routes": len(routes),
    }


def eddington_numbers(acts: pd.DataFrame, units: Units) -> dict[str, dict[str, int]]:
    """Eddington numbers for runs and rides in the display unit (E days of at least E km or mi), by
    view: {"all": {"Run": 41, "Ride": 63}, "run": {"Run": 41}, "ride": {"Ride": 63}}."""
    out: dict[str, dict[str, int]] = {}
    if acts.empty:
        return out
    groups = acts["group"]
    for key, label in (("run", "Run"), ("ride", "Ride")):
        chosen = acts[groups == key]
        if chosen.empty:
            continue
        per_day = chosen.groupby("date")["distance_m"].sum()
        number = eddington([units.from_m(v) for v in per_day if v > 0])
        if number:
            out[key] = {label: number}
            out.setdefault("all", {})[label] = number
    return out
