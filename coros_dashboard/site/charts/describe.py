"""Every chart in words: a one-line summary of what it shows now and its data as a table.

Read from the figure itself (the same numbers and hover texts the chart draws), so the words can
never drift from the picture. Screen readers get these instead of the Plotly SVG; everyone gets the
latest values without hovering.
"""

import html
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.site.charts.traces import DAY_MS
from coros_dashboard.site.units import format_duration

TABLE_ROWS = 12
# the hover's value: its last placeholder before <extra> (an earlier one names the point), and
# the unit that follows it
_VALUE = re.compile(r"%\{(y|x|customdata|text)(?::([^}]*))?(?:\|[^}]*)?\}([^<%]*)<extra>")
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Description:
    summary: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class _Series:
    name: str
    points: dict[str, str]  # x key → display text


def plain(text: str) -> str:
    """Text as a sentence says it: Plotly's HTML (tags, entities such as "&amp;") read out."""
    return html.unescape(_TAG.sub("", text))


def _x_values(trace: JsonObject, n: int) -> list[Any]:
    if "x" in trace:
        return list(trace["x"])
    start = pd.Timestamp(trace["x0"])
    step = pd.Timedelta(milliseconds=trace.get("dx", DAY_MS))
    return [f"{start + i * step:%Y-%m-%d}" for i in range(n)]


def _text(value, trace: JsonObject, index: int, axis: str) -> str | None:
    """A point's value as its hover shows it."""
    if value is None:
        return None
    template = trace.get("hovertemplate", "")
    match = _VALUE.search(template)
    custom = trace.get("customdata")
    unit = match.group(3).strip() if match else ""
    if match and match.group(1) == "customdata" and custom and custom[index] is not None:
        return f"{custom[index]} {unit}".strip()
    labels = trace.get("text")
    if match and match.group(1) == "text" and isinstance(labels, list) and labels[index]:
        return plain(str(labels[index]).replace("<br>", " · "))
    if f"%{{{axis}|" in template:  # a pace in milliseconds on a date axis
        return f"{format_duration(value / 1000)} {unit}".strip()
    fmt = (match.group(2) or "") if match else ""
    try:
        number = format(value, fmt.replace("~", "")) if fmt else f"{value:,}"
    except (TypeError, ValueError):
        number = str(value)
    return f"{number} {unit}".strip()


def _series(figure: JsonObject) -> tuple[list[_Series], bool]:
    """The hoverable traces as (name, {x: text}); True when x is a category (horizontal bars)."""
    out, categorical = [], False
    for trace in figure.get("data", []):
        if trace.get("hoverinfo") == "skip" or trace.get("visible") == "legendonly":
            continue
        horizontal = trace.get("orientation") == "h"
        categorical = categorical or horizontal
        values = trace.get("x" if horizontal else "y") or []
        keys = trace.get("y") if horizontal else _x_values(trace, len(values))
        axis = "x" if horizontal else "y"
        points = {}
        for i, (key, value) in enumerate(zip(keys or [], values, strict=False)):
            text = _text(value, trace, i, axis)
            if text is not None:
                points[plain(key) if horizontal else key] = text
        if points:
            out.append(_Series(plain(trace.get("name") or "Value"), points))
    return out, categorical


def _date_label(key, fmt: str) -> str:
    try:
        return pd.Timestamp(key).strftime(fmt)
    except (TypeError, ValueError):
        return str(key)


def describe(figure: JsonObject, end: str = "") -> Description:
    """The latest values (up to `end`, the window's end) and the last rows of the chart's data."""
    series, categorical = _series(figure)
    if not series:
        return Description("No data to show.")
    layout = figure.get("layout", {})
    xaxis = layout.get("xaxis", {})
    if categorical:
        items = [f"{k}: {v}" for k, v in reversed(list(series[0].points.items()))]
        return Description(
            "; ".join(items),
            ["", series[0].name],
            [[k, v] for k, v in reversed(list(series[0].points.items()))],
        )
    dated = xaxis.get("type") == "date" or any(
        re.fullmatch(r"\d{4}-\d\d-\d\d", str(k)) for k in series[0].points
    )
    if not dated:  # e.g. the pace curve: minutes on a log axis
        keys = sorted({k for s in series for k in s.points}, key=float)
        title = (xaxis.get("title") or {}).get("text", "x")
        rows = [[f"{k:g} {title}"] + [s.points.get(k, "–") for s in series] for k in keys]
        first = series[0]
        ends = [
            f"{k:g} {title}: {first.points[k]}" for k in (keys[0], keys[-1]) if k in first.points
        ]
        return Description(
            f"{first.name}: " + ", ".join(ends), ["", *[s.name for s in series]], rows
        )
    fmt = xaxis.get("hoverformat") or "%a %d %b %Y"
    keys = sorted({k for s in series for k in s.points if not end or str(k) < end})
    if not keys:
        return Description("No data in this window.")
    latest = []
    for s in series:
        mine = [k for k in keys if k in s.points]
        if mine:
            latest.append((mine[-1], s.name, s.points[mine[-1]]))
    when = max(k for k, _, _ in latest)
    parts = [f"{name} {text}" for k, name, text in latest if k == when]
    summary = f"Latest, {_date_label(when, fmt)}: " + ", ".join(parts)
    older = [f"{name} {text} ({_date_label(k, fmt)})" for k, name, text in latest if k != when]
    if older:
        summary += "; " + ", ".join(older)
    rows = [
        [_date_label(k, fmt)] + [s.points.get(k, "–") for s in series]
        for k in reversed(keys[-TABLE_ROWS:])
    ]
    return Description(summary, ["", *[s.name for s in series]], rows)
