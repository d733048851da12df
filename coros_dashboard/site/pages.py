"""One page per activity, site/activities/<id>.html: its summary, laps and splits, time in zones,
pace (or speed), heart rate and elevation against distance, and the masked route drawn as SVG.

An activity without a stored detail, stream or GPS gets the page with what exists — never an empty
chart. Pages share the dashboard's content-hashed assets and its strict Content-Security-Policy.
"""

import bisect
import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.site.archive import activity_row, neighbours, pace_or_speed
from coros_dashboard.site.charts.describe import Description, describe
from coros_dashboard.site.charts.traces import values
from coros_dashboard.site.links import activity_page
from coros_dashboard.site.privacy_gate import SitePage
from coros_dashboard.site.route_svg import route_svg
from coros_dashboard.site.same_route import (
    LENGTH_SHARE,
    MATCH_M,
    SIMILAR_SHARE,
    Peers,
    resampled,
)
from coros_dashboard.site.theme import SERIES
from coros_dashboard.site.units import (
    PACE_AXIS_FORMAT,
    Units,
    format_count,
    format_duration,
    format_effect,
    format_int,
)
from coros_dashboard.sports import (
    INDOOR_CODES,
    PACE_GROUPS,
    RUN_CODES,
    group_label,
    sport_group,
)

MAX_POINTS = 1000
RIDE_SPLIT_UNITS = 5  # a ride's splits are per 5 km or 5 mi


def _series_figure(
    y: list[float | None],
    name: str,
    unit: str,
    color: str,
    x_unit: str,
    hover: str = "%{y}",
    yaxis: JsonObject | None = None,
) -> JsonObject:
    trace = {
        "type": "scatter",
        "mode": "lines",
        "y": y,
        "name": name,
        "line": {"color": color, "width": 1.5},
        "hovertemplate": f"{name}: {hover} {unit}<extra></extra>",
    }
    return {
        "data": [trace],
        "layout": {
            "showlegend": False,
            "hovermode": "x unified",
            "yaxis": {"title": {"text": unit}, **(yaxis or {})},
            "xaxis": {"title": {"text": x_unit}, "hoverformat": ".2f"},
        },
    }


WORD_ROWS = 40  # a by-distance chart's data table: a row every whole unit, at most this many


def distance_words(figure: JsonObject, x: list[float | None]) -> Description:
    """A by-distance chart in words, as the dashboard's charts have them: its value at every whole
    km (or mile; every tenth on a short activity), at most WORD_ROWS rows, and its lowest and
    highest of those, read from the figure itself."""
    trace = figure["data"][0]
    ys = trace["y"]
    known = [(d, i) for i, d in enumerate(x) if d is not None and ys[i] is not None]
    if not known:
        return Description("No data to show.")
    span = known[-1][0]
    tenth = 0.1 if span < 2 else 1.0
    step = tenth * max(1, math.ceil(span / tenth / WORD_ROWS))
    marks = [round(step * k, 1) for k in range(1, int(span / step + 1e-9) + 1)] or [round(span, 1)]
    at = [d for d, _ in known]
    picks = [known[min(bisect.bisect_left(at, m), len(known) - 1)][1] for m in marks]
    thin = {**trace, "x": marks, "y": [ys[i] for i in picks]}
    words = describe({**figure, "data": [thin]})
    unit = ((figure["layout"].get("xaxis") or {}).get("title") or {}).get("text", "")
    order = sorted(range(len(marks)), key=lambda k: ys[picks[k]])
    low, high = order[0], order[-1]
    name = trace.get("name") or "Value"
    summary = (
        f"{name}, at each {'tenth of a ' if tenth < 1 else ''}{unit}: from "
        f"{words.rows[low][1]} at {marks[low]:g} {unit} to {words.rows[high][1]} at "
        f"{marks[high]:g} {unit}"
    )
    return replace(words, summary=summary)


def _pace_axis(pace: np.ndarray) -> JsonObject:
    """Slowest to fastest within the 1st–99th percentile, so a stop does not flatten the run."""
    measured = pace[~np.isnan(pace)]
    if not len(measured):
        return {"autorange": "reversed"}
    low, high = np.percentile(measured, [1, 99])
    pad = max(5.0, (high - low) * 0.05)
    return {
        "type": "date",
        "range": [1000 * (high + pad), 1000 * max(0.0, low - pad)],
        "tickformat": PACE_AXIS_FORMAT,
    }


def shown(stream: JsonObject, limit: int = MAX_POINTS) -> JsonObject:
    """The stream thinned to at most about `limit` samples (every k-th, and the last): a chart is
    never wider than that many pixels, and fewer points draw sooner."""
    n = len(stream.get("d") or [])
    if n <= limit:
        return stream
    keep = list(range(0, n, -(-n // limit)))
    keep += [n - 1] if keep[-1] != n - 1 else []
    return {
        key: [values[i] for i in keep] if isinstance(values, list) and len(values) == n else values
        for key, values in stream.items()
    }


def activity_figures(
    detail: JsonObject, sport_code: int, units: Units
) -> tuple[list[float | None], dict[str, JsonObject]]:
    """Pace or speed, power, heart rate and elevation against distance; only the streams that exist.
    The distance column is returned once, apart from the figures: every trace of the page shares it.
    """
    stream = shown(detail.get("stream") or {})
    d = stream.get("d") or []
    if len(d) < 3:
        return [], {}
    x = values(np.array(d, dtype=float) * units.from_m(1), 3)
    figures = {}
    speed = stream.get("v")
    if speed and any(speed):
        v = np.round(np.array(speed, dtype=float), 2)
        # pace as milliseconds on a date axis: Plotly then writes it m:ss
        if sport_code in RUN_CODES:
            with np.errstate(divide="ignore", invalid="ignore"):
                pace = np.where(v > 0.5, np.round(units.pace_from_s_per_km(1000 / v)), np.nan)
            figures["pace"] = _series_figure(
                values(pace * 1000, 0),
                "Pace",
                units.pace,
                SERIES["fitness"],
                units.distance,
                f"%{{y|{PACE_AXIS_FORMAT}}}",
                _pace_axis(pace),
            )
        else:
            figures["speed"] = _series_figure(
                values(v * units.from_m(3600), 1),
                "Speed",
                f"{units.distance}/h",
                SERIES["fitness"],
                units.distance,
            )
    if stream.get("pw") and any(stream["pw"]):
        figures["power"] = _series_figure(
            stream["pw"], "Power", "W", SERIES["coros"], units.distance
        )
    if stream.get("hr") and any(stream["hr"]):
        figures["heart-rate"] = _series_figure(
            stream["hr"], "Heart rate", "bpm", SERIES["fatigue"], units.distance
        )
    if stream.get("alt") and any(v is not None for v in stream["alt"]):
        alt = values(np.array(stream["alt"], dtype=float) * units.elevation_from_m(1), 1)
        figures["elevation"] = _series_figure(
            alt, "Elevation", units.elevation, SERIES["form"], units.distance
        )
    return x, figures


def split_rows(seconds: list[int], every: int = 1) -> list[JsonObject]:
    """Rows of the splits table: each `every` whole units (km or mi) as one split, numbered by the
    distance at its end; a ride's 89 one-km splits read better as 17 five-km ones."""
    return [
        {"n": (i + 1) * every, "time": format_duration(sum(seconds[i * every : (i + 1) * every]))}
        for i in range(len(seconds) // every)
    ]


def split_heart_rates(stream: JsonObject, unit_m: float, every: int = 1) -> list[int | str]:
    """The mean heart rate of each split (`every` units of `unit_m`), from the stored stream's
    samples between its ends; "–" where no sample has a heart rate."""
    d, hr = stream.get("d") or [], stream.get("hr") or []
    if not d or len(hr) != len(d):
        return []
    distance = np.array([np.nan if v is None else v for v in d], dtype=float)
    rate = np.array([np.nan if v is None else v for v in hr], dtype=float)
    span = unit_m * every
    last = int(np.nanmax(distance) // span) if np.isfinite(distance).any() else 0
    out: list[int | str] = []
    for k in range(last):
        inside = (distance > k * span) & (distance <= (k + 1) * span) & ~np.isnan(rate)
        out.append(int(round(float(rate[inside].mean()))) if inside.any() else "–")
    return out


def page_context(
    row,
    detail: JsonObject | None,
    units: Units,
    efforts: dict[str, float],
    route: JsonObject | None = None,
) -> JsonObject:
    """Everything the activity page places, formatted."""
    detail = detail or {}
    distance = row["distance_m"] if pd.notna(row["distance_m"]) and row["distance_m"] > 0 else None
    moving = row["moving_s"] if pd.notna(row["moving_s"]) else None
    facts = [
        ("Distance", units.distance_text(distance, 2) if distance else None),
        ("Moving time", format_duration(moving) if moving else None),
    ]
    if distance and moving:
        facts.append(
            ("Pace", units.pace_text(moving / (distance / 1000)))
            if row["sport_code"] in RUN_CODES
            else ("Speed", units.speed_text(distance, moving))
        )
    facts += [
        ("Ascent", units.elevation_text(row["ascent_m"]) if pd.notna(row["ascent_m"]) else None),
        ("Avg heart rate", f"{int(row['avg_hr'])} bpm" if pd.notna(row["avg_hr"]) else None),
        (
            "Training load",
            format_int(row["training_load"]) if pd.notna(row["training_load"]) else None,
        ),
    ]
    summary = detail.get("summary", {})
    for key, label in (
        ("aerobic_effect", "Aerobic effect"),
        ("anaerobic_effect", "Anaerobic effect"),
        ("avg_power_w", "Avg power"),
    ):
        if key in summary:
            facts.append(
                (
                    label,
                    f"{format_int(summary[key])} W"
                    if key == "avg_power_w"
                    else format_effect(summary[key]),
                )
            )
    weather = detail.get("weather", {})
    if "temperature_c" in weather:
        facts.append(
            (
                "Weather",
                units.temperature_text(weather["temperature_c"])
                + (
                    f", {format_int(weather['humidity_pct'])} % humidity"
                    if "humidity_pct" in weather
                    else ""
                ),
            )
        )
    unit = "mi" if units.imperial else "km"
    group = sport_group(int(row["sport_code"]))
    every = RIDE_SPLIT_UNITS if group == "ride" else 1
    split_hr = split_heart_rates(detail.get("stream") or {}, units.unit_m, every)
    splits = [
        {**split, "hr": split_hr[i] if i < len(split_hr) else "–"}
        for i, split in enumerate(split_rows(detail.get("splits_s", {}).get(unit, []), every))
    ]
    laps = [
        {
            "n": i + 1,
            "distance": units.distance_text(lap.get("distance_m"), 2),
            "time": format_duration(lap.get("time_s")),
            "pace": pace_or_speed(group, lap.get("distance_m"), lap.get("time_s"), units),
            "hr": lap.get("avg_hr", "–"),
        }
        for i, lap in enumerate(detail.get("laps", []))
    ]
    zones = detail.get("hr_zones", [])
    total = sum(z.get("time_s", 0) for z in zones) or 1
    zone_rows = [
        {
            "zone": z.get("zone"),
            "range": f"{z['low']}–{z.get('high')} bpm"
            if "low" in z
            else f"below {z.get('high')} bpm",
            "time": format_duration(z.get("time_s", 0)),
            "pct": round(100 * z.get("time_s", 0) / total),
        }
        for z in zones
    ]
    return {
        "row": row,
        "facts": [(k, v) for k, v in facts if v],
        "splits": splits,
        "split": f"{every} {unit}" if every > 1 else unit,
        "laps": laps,
        "measure": {"ride": "Speed", "swim": "/100 m"}.get(group, "Pace"),
        "zones": zone_rows,
        "route": route,
        "unit": unit,
        "efforts": [{"name": k, "time": format_duration(v)} for k, v in efforts.items()],
        "date": row["date"].strftime("%a %d %b %Y"),
        "indoor": row["sport_code"] in INDOOR_CODES,
        "view_label": group_label(sport_group(int(row["sport_code"]))).lower(),
        "start": row["start_local"][11:16] if pd.notna(row["start_local"]) else "",
    }


PEER_WORDS = {
    "run": ("run", "runs"),
    "ride": ("ride", "rides"),
    "swim": ("swim", "swims"),
    "other": ("activity", "activities"),
}
PEER_ROWS = 10  # the table lists the activities on the route nearest in date …
CHART_NEAREST = 30  # … the chart the nearest in date …
CHART_FASTEST = 5  # … and the fastest ever: a page's size never grows with its route


def peer_figure(
    points: list[JsonObject], this: JsonObject, pace: str | None, units: Units
) -> JsonObject:
    """Pace (or speed) and heart rate by date on this route: progress on a regular loop at a glance,
    this activity highlighted."""

    def trace(rows, name, color, size):
        y = [r["y"] for r in rows]
        return {
            "type": "scatter",
            "mode": "markers",
            "x": [r["date"] for r in rows],
            "y": y,
            "name": name,
            "marker": {"color": color, "size": size},
            "hovertemplate": f"%{{x|%d %b %Y}}: %{{y{'|' + PACE_AXIS_FORMAT if pace else ''}}}"
            f" {pace or units.distance + '/h'}<extra>{name}</extra>",
        }

    hr = [r for r in [*points, this] if r["hr"]]
    data = [
        trace([r for r in points if r["y"] is not None], "Others", SERIES["fitness"], 7),
        trace([this] if this["y"] is not None else [], "This one", SERIES["fatigue"], 12),
    ]
    if hr:
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [r["date"] for r in hr],
                "y": [r["hr"] for r in hr],
                "yaxis": "y2",
                "name": "Avg HR",
                "marker": {"color": SERIES["form"], "size": 5, "symbol": "diamond"},
                "hovertemplate": "%{x|%d %b %Y}: %{y} bpm<extra>Avg HR</extra>",
            }
        )
    unit = pace or f"{units.distance}/h"
    yaxis: JsonObject = {"title": {"text": unit}}
    if pace:
        yaxis.update(type="date", tickformat=PACE_AXIS_FORMAT, autorange="reversed")
    return {
        "data": data,
        "layout": {
            "showlegend": True,
            "legend": {"orientation": "h", "y": 1.15},
            "yaxis": yaxis,
            "yaxis2": {
                "title": {"text": "bpm"},
                "overlaying": "y",
                "side": "right",
                "showgrid": False,
                "tickformat": "d",
                "tick0": 0,
                "dtick": 10,  # round numbers: 140, 150, 160
            },
            "xaxis": {"type": "date"},
        },
    }


def pace_unit(group: str, units: Units) -> str | None:
    """Runs and walks read a pace per km (or mile), swims per 100 m; None: everything else a
    speed."""
    if group in PACE_GROUPS:
        return units.pace
    return "/100 m" if group == "swim" else None


def nearest_in_date(peers: Peers, me: str, by_id: dict[str, JsonObject], count: int) -> list[str]:
    """The `count` others nearest in date to `me`, nearest first: outward from its place in the
    oldest-first list, so a page costs `count` steps however long its route's history."""
    ids, at = peers.ids, peers.position[me]
    day = by_id[me]["date"]
    before, after = at - 1, at + 1
    out: list[str] = []
    while len(out) < count and (before >= 0 or after < len(ids)):
        take_after = before < 0 or (
            after < len(ids)
            and abs((by_id[ids[after]]["date"] - day).days)
            < abs((by_id[ids[before]]["date"] - day).days)
        )
        if take_after:
            out.append(ids[after])
            after += 1
        else:
            out.append(ids[before])
            before -= 1
    return out


def fastest_on(
    peers: Peers,
    me: str,
    cache: dict[Any, Any],
    rank: Callable[[str], float | None],
    key: object,
) -> list[str]:
    """The CHART_FASTEST others fastest on the route (`rank`: lower is faster, None unmeasured),
    found once per route and `key` (the unit) and shared by its pages."""
    found = ("fastest", id(peers.ids), key)
    if found not in cache:
        ranked = [(r, i) for i in peers.ids if (r := rank(i)) is not None]
        cache[found] = [i for _, i in sorted(ranked)[: CHART_FASTEST + 1]]
    return [i for i in cache[found] if i != me][:CHART_FASTEST]


def peer_context(
    row: JsonObject,
    peers: Peers | None,
    by_id: dict[str, JsonObject],
    units: Units,
    cache: dict[tuple[str, str | None], JsonObject] | None = None,
) -> JsonObject | None:
    """The "same route" (or "similar") section of an activity page: words, table and chart.
    `cache` keeps each activity's chart point between pages (one activity is on many routes'
    charts)."""
    if not peers or not peers.others:
        return None
    group = sport_group(int(row["sport_code"]))
    pace = pace_unit(group, units)
    cache = {} if cache is None else cache

    def point(a: JsonObject, reversed_: bool = False) -> JsonObject:
        key = (a["id"], pace)
        if key not in cache:
            cache[key] = measure(a)
        return {**cache[key], "reversed": reversed_}

    def listed(activity_id: str) -> JsonObject:
        key = ("row", activity_id)
        if key not in cache:
            cache[key] = activity_row(by_id[activity_id], units)
        return cache[key]

    def measure(a: JsonObject) -> JsonObject:
        """What the chart needs of an activity."""
        measured = pd.notna(a["distance_m"]) and a["distance_m"] > 0 and pd.notna(a["moving_s"])
        y = None
        if measured and a["moving_s"] > 0:
            if group == "swim":
                y = round(a["moving_s"] / (a["distance_m"] / 100)) * 1000
            elif pace:
                y = round(units.pace_from_s_per_km(a["moving_s"] / (a["distance_m"] / 1000))) * 1000
            else:
                y = round(float(units.from_m(a["distance_m"]) / (a["moving_s"] / 3600)), 1)
        return {
            "id": a["id"],
            "day": a["date"],
            "date": a["date"].strftime("%Y-%m-%d"),
            "y": y,
            "hr": int(a["avg_hr"]) if pd.notna(a["avg_hr"]) and a["avg_hr"] > 0 else None,
        }

    me = row["id"]
    nearest = [
        point(by_id[i], peers.reversed_between(me, i))
        for i in nearest_in_date(peers, me, by_id, max(PEER_ROWS, CHART_NEAREST))
    ]

    sign = 1 if pace or group == "swim" else -1  # lower is faster: a pace as it is, a speed negated

    def rank(ident: str) -> float | None:
        y = point(by_id[ident])["y"]
        return None if y is None else sign * y

    fastest = [
        point(by_id[i], peers.reversed_between(me, i))
        for i in fastest_on(peers, me, cache, rank, pace)
    ]
    total = peers.others
    charted = {r["id"]: r for r in [*nearest[:CHART_NEAREST], *fastest]}
    others = sorted(charted.values(), key=lambda r: r["day"])
    this = point(row)
    table = [  # only the rows listed are formatted, each once for all pages; this one marked
        {**listed(r["id"]), "reversed": r["reversed"], "hr": r["hr"], "this": r["id"] == me}
        for r in sorted([*nearest[:PEER_ROWS], this], key=lambda r: r["day"], reverse=True)
    ]
    one, many = PEER_WORDS.get(group, PEER_WORDS["other"])
    backwards = sum(peers.reversed_between(me, i) for i in peers.ids)
    if peers.kind == "route":
        title = format_count(total, f"other {one}", f"other {many}") + " on this route"
        note = (
            (f"{backwards} of them the other way round (marked ↺). " if backwards else "")
            + f"Same route: distance within ±{LENGTH_SHARE * 100:g} % of the route's first "
            f"{one} and every point within {MATCH_M:.0f} m of its line."
        )
    else:
        title = format_count(total, f"similar {one}", f"similar {many}")
        note = f"No route to compare: the same sport, distance within ±{SIMILAR_SHARE * 100:g} %."
    if len(table) - 1 < total:
        note += f" The {len(table) - 1} nearest in date are listed"
        note += (
            "; the chart has all of them."
            if len(others) == total
            else f"; the chart has the {min(CHART_NEAREST, total)} nearest and the "
            f"{len(fastest)} fastest of all {total}."
        )
    others = [{k: v for k, v in r.items() if k != "day"} for r in others]
    this = {k: v for k, v in this.items() if k != "day"}
    return {
        "title": title,
        "measure": "Pace" if pace else "Speed",
        "note": note,
        "rows": table,
        "figure": peer_figure(others, this, pace, units),
    }


def no_peers(row: JsonObject, detail: JsonObject | None, segments) -> str:
    """Why an activity page has no same-route section: "no match" told apart from "no feature"."""
    group = sport_group(int(row["sport_code"]))
    one = PEER_WORDS.get(group, PEER_WORDS["other"])[0]
    if segments:
        if resampled(segments) is None:
            return "Its route is too short to compare with others."
        return f"No other {one} on this route yet."
    if row["sport_code"] in INDOOR_CODES:
        return f"No similar {one} yet (the same sport, distance within ±{SIMILAR_SHARE * 100:g} %)."
    if detail is None:
        return "Its route is not stored yet (details come a few at a time): not compared yet."
    return "No GPS route to compare with others."


def render_pages(
    acts: pd.DataFrame,
    details,
    depth,
    units: Units,
    env,
    page_data: JsonObject,
    context: JsonObject,
    drawings: dict[str, JsonObject | None],
    peers: JsonObject | None = None,
    planned: JsonObject | None = None,
):
    """An SitePage (id, 'activities/<page>', bytes) for every activity, one at a time, each
    detail read as its page is made; `depth` (depth.Depth) holds the runs' best efforts and the
    decoded routes, `page_data` and `context` are shared by all. Each route as drawn goes into
    `drawings` (id → route_svg), for the privacy check of the page."""
    template = env.get_template("activity.html")
    ways = neighbours(acts)
    records = acts.to_dict("records")
    by_id = {a["id"]: a for a in records}
    points: dict[tuple[str, str | None], JsonObject] = {}  # peer_context's cache
    for row in records:
        detail = details.get(row["id"])
        x, figures = activity_figures(detail, int(row["sport_code"]), units) if detail else ([], {})
        data = {**page_data, "x": x, "figures": {key: {"all": fig} for key, fig in figures.items()}}
        efforts = depth.of_run(row["id"]) if row["sport_code"] in RUN_CODES and detail else {}
        segments = depth.routes.get(row["id"]) if depth else None
        drawing = drawings[row["id"]] = route_svg(segments) if segments else None
        a = page_context(row, detail, units, efforts, drawing)
        a["peers"] = peer_context(row, (peers or {}).get(row["id"]), by_id, units, points)
        a["no_peers"] = None if a["peers"] else no_peers(row, detail, segments)
        a["planned"] = (planned or {}).get(row["id"])  # the workout it fulfilled, if planned
        if a["peers"]:
            data["figures"]["peers"] = {"all": a["peers"]["figure"]}
        words = {key: distance_words(fig, x) for key, fig in figures.items()}
        page = template.render(
            a=a,
            ways=ways[row["id"]],
            figures=list(figures),
            words=words,
            page_data=data,
            units=units,
            **context,
        )
        yield SitePage(row["id"], f"activities/{activity_page(row['id'])}", page.encode("utf-8"))
