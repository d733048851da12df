"""One page per activity, site/activities/<id>.html: its summary, laps and splits, time in zones,
pace (or speed), heart rate and elevation against distance, and the masked route drawn as SVG.

An activity without a stored detail, stream or GPS gets the page with what exists — never an empty
chart. Pages share the dashboard's content-hashed assets and its strict Content-Security-Policy.
"""

from pathlib import Path

import pandas as pd

from .errors import DashboardError
from .routes import decode_route, route_svg
from .sports import RUN_CODES
from .storage import read_json_file
from .theme import SERIES
from .units import Units, format_duration, format_int, pace_ticks


def load_details(data_dir) -> dict:
    """id → stored detail document; a damaged file stops the build with one line naming it."""
    out = {}
    for path in sorted((Path(data_dir) / "details").glob("*/*.json")):
        parsed = read_json_file(path)
        doc = parsed.value if parsed else None
        if not isinstance(doc, dict) or doc.get("version") != 1 or not isinstance(doc.get("id"), str):
            raise DashboardError(f"{path} is not a version 1 activity detail; delete it and the next fetch "
                                 "will fetch it again")
        out[doc["id"]] = doc
    return out


def _series_figure(x: list, y: list, name: str, unit: str, color: str, x_unit: str, customdata=None,
                   reversed_axis=False) -> dict:
    trace = {"type": "scatter", "mode": "lines", "x": x, "y": y, "name": name, "line": {"color": color, "width": 1.5},
             "hovertemplate": f"{name}: %{{{'customdata' if customdata else 'y'}}} {unit}<extra></extra>"}
    if customdata:
        trace["customdata"] = customdata
    yaxis = {"title": {"text": unit}}
    if reversed_axis:
        yaxis["autorange"] = "reversed"
    return {"data": [trace], "layout": {"showlegend": False, "hovermode": "x unified", "yaxis": yaxis,
                                        "xaxis": {"title": {"text": x_unit}, "hoverformat": ".2f"}}}


def activity_figures(detail: dict, sport_code: int, units: Units) -> dict:
    """Pace or speed, heart rate and elevation against distance; only the streams that exist."""
    stream = detail.get("stream") or {}
    d = stream.get("d") or []
    if len(d) < 3:
        return {}
    x = [round(units.from_m(v), 3) if v is not None else None for v in d]
    figures = {}
    speed = stream.get("v")
    if speed and any(speed):
        if sport_code in RUN_CODES:
            pace = [units.pace_from_s_per_km(1000 / v) if v and v > 0.5 else None for v in speed]
            figure = _series_figure(x, [round(p) if p else None for p in pace], "Pace", units.pace,
                                    SERIES["fitness"], units.distance,
                                    [format_duration(p) if p else None for p in pace], True)
            ticks = pace_ticks([p for p in pace if p])
            figure["layout"]["yaxis"].update(tickvals=ticks, ticktext=[format_duration(t) for t in ticks])
            figures["pace"] = figure
        else:
            kmh = [round(units.from_m(v * 3600), 1) if v is not None else None for v in speed]
            figures["speed"] = _series_figure(x, kmh, "Speed", f"{units.distance}/h", SERIES["fitness"],
                                              units.distance)
    if stream.get("hr") and any(stream["hr"]):
        figures["heart-rate"] = _series_figure(x, stream["hr"], "Heart rate", "bpm", SERIES["fatigue"],
                                               units.distance)
    if stream.get("alt") and any(v is not None for v in stream["alt"]):
        alt = [round(units.elevation_from_m(v), 1) if v is not None else None for v in stream["alt"]]
        figures["elevation"] = _series_figure(x, alt, "Elevation", units.elevation, SERIES["form"], units.distance)
    return figures


def page_context(row: pd.Series, detail: dict | None, units: Units, efforts: dict) -> dict:
    """Everything the activity page places, formatted."""
    detail = detail or {}
    distance = row["distance_m"] if pd.notna(row["distance_m"]) and row["distance_m"] > 0 else None
    moving = row["moving_s"] if pd.notna(row["moving_s"]) else None
    facts = [("Distance", units.distance_text(distance, 2) if distance else None),
             ("Moving time", format_duration(moving) if moving else None)]
    if distance and moving:
        facts.append(("Pace", units.pace_text(moving / (distance / 1000))) if row["sport_code"] in RUN_CODES
                     else ("Speed", f"{units.from_m(distance) / (moving / 3600):.1f} {units.distance}/h"))
    facts += [("Ascent", units.elevation_text(row["ascent_m"]) if pd.notna(row["ascent_m"]) else None),
              ("Avg heart rate", f"{int(row['avg_hr'])} bpm" if pd.notna(row["avg_hr"]) else None),
              ("Training load", format_int(row["training_load"]) if pd.notna(row["training_load"]) else None)]
    summary = detail.get("summary", {})
    for key, label in (("aerobic_effect", "Aerobic effect"), ("anaerobic_effect", "Anaerobic effect"),
                       ("avg_power_w", "Avg power")):
        if key in summary:
            facts.append((label, f"{summary[key]} W" if key == "avg_power_w" else str(summary[key])))
    weather = detail.get("weather", {})
    if "temperature_c" in weather:
        facts.append(("Weather", f"{weather['temperature_c']} °C" + (f", {weather['humidity_pct']} % humidity"
                                                                     if "humidity_pct" in weather else "")))
    unit = "mi" if units.imperial else "km"
    splits = [{"n": i + 1, "time": format_duration(s)} for i, s in enumerate(detail.get("splits_s", {}).get(unit, []))]
    laps = [{"n": i + 1, "distance": units.distance_text(lap.get("distance_m"), 2),
             "time": format_duration(lap.get("time_s")), "hr": lap.get("avg_hr", "–")}
            for i, lap in enumerate(detail.get("laps", []))]
    zones = detail.get("hr_zones", [])
    total = sum(z.get("time_s", 0) for z in zones) or 1
    zone_rows = [{"zone": z.get("zone"), "range": f"{z.get('low')}–{z.get('high')} bpm",
                  "time": format_duration(z.get("time_s", 0)), "pct": round(100 * z.get("time_s", 0) / total)}
                 for z in zones]
    route = route_svg(decode_route(detail["route"])) if detail.get("route") else None
    return {"row": row, "facts": [(k, v) for k, v in facts if v], "splits": splits, "laps": laps,
            "zones": zone_rows, "route": route, "unit": unit,
            "efforts": [{"name": k, "time": format_duration(v)} for k, v in efforts.items()],
            "date": row["date"].strftime("%a %d %b %Y"),
            "start": row["start_local"][11:16] if pd.notna(row["start_local"]) else ""}


def render_pages(acts: pd.DataFrame, details: dict, depth, units: Units, env, page_data: dict, context: dict):
    """('activities/<id>.html', bytes) for every activity, one at a time; `depth` (depth.Depth) holds the
    runs' best efforts, `page_data` and `context` are shared by all."""
    template = env.get_template("activity.html")
    for _, row in acts.iterrows():
        detail = details.get(row["id"])
        figures = activity_figures(detail, int(row["sport_code"]), units) if detail else {}
        data = {**page_data, "figures": {key: {"all": fig} for key, fig in figures.items()}}
        efforts = depth.of_run(row["id"]) if row["sport_code"] in RUN_CODES and detail else {}
        page = template.render(a=page_context(row, detail, units, efforts), figures=list(figures), page_data=data,
                               units=units, **context)
        yield f"activities/{row['id']}.html", page.encode("utf-8")
