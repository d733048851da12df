"""Trace helpers shared by the chart modules: daily series as x0 + dx, rounded values, hover
text."""

import html
from typing import Any

import numpy as np
import pandas as pd

from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.site.units import format_hm

DAY_MS = 86_400_000
DATE_HOVER = "%a %d %b %Y"
RECENT_DAYS = 366  # bars and dots: drawing ten years of them would cost seconds on a phone


def iso(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def values(series, digits: int = 1) -> list[float | None]:
    """Rounded numbers with None for gaps (None, NA, NaN), ready for JSON; whole ones without '.0'.
    Rounded as one array: activity streams and ten-year series pass through here."""
    if isinstance(series, pd.Series):
        column = series.to_numpy(dtype="float64", na_value=np.nan)
    else:
        column = np.array(
            series if isinstance(series, (list, np.ndarray)) else list(series), dtype="float64"
        )
    column = np.round(column, digits)
    # NaN as null and a whole number without its ".0", as the page's JSON carries them
    out = column.astype(object)
    whole = (np.abs(column) < 2**53) & (column == np.floor(column))  # NaN and inf: False
    out[whole] = column[whole].astype(np.int64).tolist()
    out[np.isnan(column)] = None
    return out.tolist()


def hover(name: str, value: str = "%{y}", unit: str = "") -> str:
    """'Name: value unit' for unified hover (the date heads the label); never truncated."""
    return f"{text(name)}: {value}{' ' + unit if unit else ''}<extra></extra>"


def daily(
    series: pd.Series, name: str, digits: int = 1, unit: str = "", fmt: str = "", **style
) -> JsonObject:
    """A trace for a daily series, reindexed to every day and sent as x0 + dx."""
    series = series.asfreq("D")
    value = f"%{{y:{fmt}}}" if fmt else "%{y}"
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x0": iso(series.index[0]),
        "dx": DAY_MS,
        "y": values(series, digits),
        "hovertemplate": hover(name, value, unit),
        **style,
    }


def daily_bars(
    series: pd.Series, name: str, digits: int = 0, unit: str = "", fmt: str = "", **style
) -> JsonObject:
    trace = daily(recent(series), name, digits, unit, fmt, type="bar", **style)
    trace.pop("mode")
    return trace


def hours_minutes(series: pd.Series, name: str, **style) -> JsonObject:
    """Minutes shown as hours on the axis and h:mm in the hover."""
    trace = daily(series / 60, name, 2, **style)
    full = series.asfreq("D")
    trace["customdata"] = [None if pd.isna(v) else format_hm(v) for v in full]
    trace["hovertemplate"] = hover(name, "%{customdata}", "h:mm")
    return trace


def recent(series: pd.Series, days: int = RECENT_DAYS) -> pd.Series:
    """The last `days` days of a dated series (long views keep their lines, not every bar)."""
    return (
        series[series.index > series.index.max() - pd.Timedelta(days=days)]
        if not series.empty
        else series
    )


def figure(traces: list[JsonObject], **layout: Any) -> JsonObject:
    return {"data": traces, "layout": layout}


def text(value) -> str:
    """User text for plotly labels: escaped so that markup shows as text."""
    return html.escape(str(value), quote=False)


WEEK_MS = 7 * DAY_MS


def period_end(day: pd.Timestamp, period: str | None) -> pd.Timestamp:
    """The end (exclusive) of the bar that holds `day`: the next day, Monday or month."""
    if period == "W":
        return day + pd.Timedelta(days=7 - day.weekday())
    if period == "M":
        return (day + pd.offsets.MonthBegin(1)).normalize()
    return day + pd.Timedelta(days=1)


def period_bars(index: pd.DatetimeIndex, period: str, today: pd.Timestamp) -> JsonObject:
    """Bars that span their week (from Monday) or month; the one still running is drawn lighter."""
    return {
        "type": "bar",
        "x": [iso(d) for d in index],
        "xperiod": WEEK_MS if period == "W" else "M1",
        "xperiod0": "2000-01-03" if period == "W" else "2000-01-01",  # a Monday; a 1st
        "xperiodalignment": "middle",
        "marker": {"opacity": [0.45 if so_far else 1 for so_far in running(index, period, today)]},
        "textposition": "outside",
        "cliponaxis": False,
        "textfont": {"size": 12},  # no chart text under 12 px on a phone
    }


def running(index: pd.DatetimeIndex, period: str, today: pd.Timestamp) -> list[bool]:
    """Which periods are still running on `today` (a partial week or month)."""
    return [d <= today < period_end(d, period) for d in index]
