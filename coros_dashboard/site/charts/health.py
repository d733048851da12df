"""Health: resting heart rate, HRV against its baseline, sleep, SpO₂ and steps."""

import pandas as pd

from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.site import metrics
from coros_dashboard.site.charts import Empty, Plot, chart
from coros_dashboard.site.charts.traces import (
    daily,
    daily_bars,
    figure,
    hours_minutes,
    hover,
    recent,
)
from coros_dashboard.site.theme import SERIES

NO_HEALTH = "No Apple Health data yet: set up the iOS Shortcut to send it."


def _missing(m, what: str) -> Empty:
    """The empty state names what is missing: no health data at all, or just this metric."""
    if m.health.empty:
        return Empty(NO_HEALTH, link_guide=True)
    return Empty(
        f"Apple Health data has no {what} yet: add it to the iOS Shortcut.", link_guide=True
    )


@chart("health", "resting-hr", "Resting heart rate", window="3M", fold=True)
def resting_hr(m):
    traces, dates = [], pd.DatetimeIndex([])
    for frame, name, color in (
        (m.daily, "COROS", SERIES["coros"]),
        (m.health, "Apple Health", SERIES["apple"]),
    ):
        series = frame.get("resting_hr")
        if series is not None and series.notna().any():
            traces.append(
                daily(
                    series.dropna(),
                    f"{name}",
                    digits=0,
                    fmt=".0f",
                    unit="bpm",
                    line={"color": color, "width": 1.5},
                )
            )
            dates = dates.union(series.dropna().index)
    if not traces:
        return Empty("No resting heart rate yet from COROS or Apple Health.", link_guide=True)
    return Plot(figure(traces, hovermode="x unified", yaxis={"title": {"text": "bpm"}}), dates)


def _hrv(series: pd.Series, color: str, unit: str) -> Plot:
    """Nights, their 7-day mean and the normal range the readiness verdict uses (ln HRV)."""
    frame = metrics.rolling_baseline(series)
    band: JsonObject = {"showlegend": False, "line": {"width": 0}}
    low = daily(frame["low"], "Normal range, low", 0, hoverinfo="skip", **band)
    low.pop("hovertemplate")  # the range is said once, by the band's upper edge
    high = daily(
        frame["high"], "Normal range", 0, fill="tonexty", fillcolor="rgba(148,163,184,0.25)", **band
    )
    high["customdata"] = [
        None if pd.isna(lo) or pd.isna(hi) else f"{lo:.0f}–{hi:.0f}"
        for lo, hi in zip(frame["low"].asfreq("D"), frame["high"].asfreq("D"), strict=True)
    ]
    high["hovertemplate"] = hover("Normal range", "%{customdata}", "ms")
    traces = [
        low,
        high,
        daily(
            frame["base"],
            "Normal (60-day mean)",
            digits=0,
            fmt=".0f",
            unit="ms",
            line={"color": SERIES["form"], "width": 1, "dash": "dot"},
        ),
        daily(
            recent(frame["value"]),
            f"Night ({unit})",
            digits=0,
            fmt=".0f",
            unit="ms",
            mode="markers",
            marker={"size": 4, "color": color},
        ),
        daily(
            frame["mean"],
            "7-day mean",
            digits=0,
            fmt=".0f",
            unit="ms",
            line={"color": color, "width": 2},
        ),
    ]
    return Plot(
        figure(traces, hovermode="x unified", yaxis={"title": {"text": "ms"}}),
        series.dropna().index,
    )


@chart("health", "hrv-coros", "Sleep HRV, COROS (rMSSD)", window="3M")
def hrv_coros(m):
    series = m.daily.get("sleep_hrv_ms")
    if series is None or series.dropna().empty:
        return Empty(
            "No sleep HRV from COROS yet: it needs a few nights wearing a watch that measures it."
        )
    return _hrv(series, SERIES["coros"], "rMSSD")


@chart("health", "hrv-apple", "HRV, Apple Watch (SDNN)", window="3M", fold=True)
def hrv_apple(m):
    series = m.health.get("hrv_ms")
    if series is None or series.dropna().empty:
        return _missing(m, "HRV")
    return _hrv(series, SERIES["apple"], "SDNN")


@chart("health", "sleep-duration", "Sleep per night", window="3M")
def sleep_duration(m):
    nights = m.nights
    if nights.empty:
        return _missing(m, "sleep")
    bars = hours_minutes(
        recent(nights["total_min"]), "Asleep", type="bar", marker={"color": SERIES["core"]}
    )
    bars.pop("mode")
    mean = hours_minutes(
        recent(metrics.seven_night_mean(nights["total_min"])),
        "7-night mean",
        line={"color": SERIES["fatigue"], "width": 2},
    )
    return Plot(
        figure([bars, mean], hovermode="x unified", yaxis={"title": {"text": "hours"}}),
        nights.index,
        buttons=("1M", "3M", "1Y"),
    )


@chart("health", "sleep-stages", "Sleep stages", window="1M", fold=True)
def sleep_stages(m):
    nights = m.nights
    stages = [
        s
        for s in ("deep", "core", "rem", "awake")
        if f"sleep_{s}_min" in nights and nights[f"sleep_{s}_min"].notna().any()
    ]
    if nights.empty or not stages:
        return _missing(m, "sleep stages (they need an Apple Watch worn overnight)")
    traces = []
    for stage in stages:
        trace = hours_minutes(
            recent(nights[f"sleep_{stage}_min"]),
            "REM" if stage == "rem" else stage.capitalize(),
            type="bar",
            marker={"color": SERIES[stage]},
        )
        trace.pop("mode")
        traces.append(trace)
    dates = nights[[f"sleep_{s}_min" for s in stages]].dropna(how="all").index
    return Plot(
        figure(traces, barmode="stack", hovermode="x unified", yaxis={"title": {"text": "hours"}}),
        dates,
        buttons=("1M", "3M", "1Y"),
    )


@chart("health", "spo2", "Blood oxygen, SpO₂", window="3M", fold=True)
def spo2(m):
    series = m.health.get("spo2_pct")
    if series is None or series.dropna().empty:
        return _missing(m, "blood oxygen")
    trace = daily(
        series.dropna(), "SpO₂", fmt=".1f", unit="%", line={"color": SERIES["apple"], "width": 1.5}
    )
    return Plot(
        figure(
            [trace],
            showlegend=False,
            hovermode="x unified",
            yaxis={"range": [85, 100.5], "title": {"text": "%"}},
        ),
        series.dropna().index,
    )


@chart("health", "steps", "Daily steps", window="3M", fold=True)
def steps(m):
    series = m.health.get("steps")
    if series is None or series.dropna().empty:
        return _missing(m, "steps")
    series = series.dropna()
    bars = daily_bars(series, "Steps", fmt=",.0f", marker={"color": SERIES["apple"]})
    mean = daily(
        recent(series.asfreq("D").rolling(7, min_periods=3).mean()),
        "7-day mean",
        digits=0,
        fmt=",.0f",
        line={"color": SERIES["fitness"], "width": 2},
    )
    return Plot(
        figure([bars, mean], hovermode="x unified", yaxis={"title": {"text": "steps"}}),
        series.index,
        buttons=("1M", "3M", "1Y"),
    )
