"""Every activity findable: the archive's rows and columns, and each activity's neighbours.

The archive page (`site/activities/index.html`) renders its first page as HTML and carries every
activity as one column-oriented JSON (a list per field, texts formatted here, numbers for filters
and sorting), which `archive.js` filters, sorts and pages in the browser.
"""

from dataclasses import dataclass

import pandas as pd

from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.site.links import activity_page, page_stem
from coros_dashboard.site.units import Units, format_duration, format_int
from coros_dashboard.sports import GROUPS, OTHER, PACE_GROUPS, group_label

VIEW_KEYS = ["all", *GROUPS, OTHER]
FIRST_PAGE = 50  # rows rendered as HTML; the rest are drawn from the columns on demand


def pace_or_speed(group: str, distance, moving_s, units: Units) -> str:
    """What each sport reads: pace for runs and walks, km/h for rides, per 100 m for swims."""
    if not distance or pd.isna(moving_s) or not moving_s:
        return "–"
    if group == "ride":
        return units.speed_text(distance, moving_s)
    if group == "swim":
        return units.swim_pace_text(distance, moving_s)
    if group in PACE_GROUPS:
        return units.pace_text(moving_s / (distance / 1000))
    return "–"


def display_name(name, sport) -> str:
    """An activity's name as the lists show it: COROS's, else its sport."""
    return name if pd.notna(name) and name else sport


def activity_row(a: JsonObject, units: Units) -> JsonObject:
    """One activity as the lists show it: every value formatted."""
    distance = a["distance_m"] if pd.notna(a["distance_m"]) and a["distance_m"] > 0 else None
    return {
        "id": a["id"],
        "date": a["date"].strftime("%Y-%m-%d"),
        "weekday": a["date"].strftime("%a"),
        "day_month": a["date"].strftime("%d %b"),
        "sport": a["sport"],
        "name": display_name(a["name"], a["sport"]),
        "distance": units.distance_text(distance, 2) if distance else "–",
        "time": format_duration(a["moving_s"]),
        "pace": pace_or_speed(a["group"], distance, a["moving_s"], units),
        "pace_label": "Speed" if a["group"] == "ride" else "Pace",  # a phone card's label
        "load": format_int(a["training_load"]),
        "hr": f"{int(a['avg_hr'])} bpm" if pd.notna(a["avg_hr"]) and a["avg_hr"] > 0 else "–",
    }


def archive_rows(acts: pd.DataFrame, units: Units, limit: int | None = None) -> list[JsonObject]:
    """Formatted rows, newest first."""
    newest = acts.iloc[::-1]
    if limit is not None:
        newest = newest.head(limit)
    return [activity_row(a, units) for a in newest.to_dict("records")]


def archive_columns(acts: pd.DataFrame, units: Units) -> JsonObject:
    """Every activity, newest first, as lists: `day` counts days from `start`; `view` indexes
    `views`; `m` (metres) and `s` (moving seconds) sort and filter, `unit_m` turns the distance
    filter's km or miles into metres; the texts are as shown."""
    rows = archive_rows(acts, units)
    newest = acts.iloc[::-1]
    start = acts["date"].min() if not acts.empty else None
    columns: JsonObject = {
        "start": start.strftime("%Y-%m-%d") if start is not None else None,
        "views": VIEW_KEYS,
        "unit_m": round(1 / units.from_m(1), 3),
        "day": [int(d) for d in (newest["date"] - start).dt.days] if start is not None else [],
        "view": [VIEW_KEYS.index(g) for g in newest["group"]],
        "m": [int(round(d)) if pd.notna(d) and d > 0 else 0 for d in newest["distance_m"]],
        "s": [int(round(s)) if pd.notna(s) and s > 0 else 0 for s in newest["moving_s"]],
    }
    columns["page"] = [page_stem(row["id"]) for row in rows]
    for key in ("name", "sport", "distance", "time", "pace", "load", "hr"):
        columns[key] = [row[key] for row in rows]
    return columns


def view_choices(acts: pd.DataFrame) -> list[tuple[str, str]]:
    """(key, label) of the sport views that have activities, "all" first."""
    present = set(acts["group"])
    return [(key, group_label(key)) for key in VIEW_KEYS if key == "all" or key in present]


@dataclass(frozen=True)
class Link:
    href: str
    label: str


@dataclass(frozen=True)
class Neighbours:
    """An activity page's ways on: the activities before and after it, overall and in its sport
    view, and the archive at its month."""

    previous: Link | None
    next: Link | None
    previous_same: Link | None
    next_same: Link | None
    month: Link


def _link(a: JsonObject) -> Link:
    return Link(
        activity_page(a["id"]), f"{display_name(a['name'], a['sport'])}, {a['date']:%a %d %b %Y}"
    )


def neighbours(acts: pd.DataFrame) -> dict[str, Neighbours]:
    """Activity id → its Neighbours, in the order the activities happened."""
    records = acts.to_dict("records")
    last_of_view: dict[str, int] = {}
    same_before: list[int | None] = []
    for i, a in enumerate(records):
        same_before.append(last_of_view.get(a["group"]))
        last_of_view[a["group"]] = i
    same_after: list[int | None] = [None] * len(records)
    for i, before in enumerate(same_before):
        if before is not None:
            same_after[before] = i
    out = {}
    for i, a in enumerate(records):
        out[a["id"]] = Neighbours(
            _link(records[i - 1]) if i > 0 else None,
            _link(records[i + 1]) if i + 1 < len(records) else None,
            _link(records[same_before[i]]) if same_before[i] is not None else None,
            _link(records[same_after[i]]) if same_after[i] is not None else None,
            Link(
                f"index.html?year={a['date'].year}&month={a['date'].month}",
                f"{a['date']:%B %Y}",
            ),
        )
    return out
