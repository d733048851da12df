"""From the activity details: best-effort progression, the mean-maximal pace curve and time in
heart-rate zones per week (easy, moderate, hard)."""

import pandas as pd

from coros_dashboard.site.charts import Empty, Plot, chart
from coros_dashboard.site.charts.traces import figure, hover, iso, period_bars, values
from coros_dashboard.site.depth import CURVE_ALL, RUN_VIEWS, progression, zones_per_week
from coros_dashboard.site.theme import SERIES
from coros_dashboard.site.units import PACE_AXIS_FORMAT, format_duration, format_hm

NO_DETAILS = (
    "No activity details yet: the fetch stores them a batch a day "
    "(see the README: Activity details)."
)


@chart(
    "depth",
    "efforts-progression",
    "Best efforts as they improved (runs)",
    fold=True,
    window="All",
    per_view=True,
)
def efforts_progression(m, view):
    if m.depth is None or m.depth.efforts.empty:
        return Empty(NO_DETAILS)
    if view.key not in RUN_VIEWS:
        return Empty("Best efforts are for runs.")
    traces, dates = [], pd.DatetimeIndex([])
    for name in ("5K", "10K", "Half marathon"):
        steps = progression(m.depth.efforts, name)
        if steps.empty:
            continue
        x = [iso(d) for d in steps.index] + [iso(m.today)]
        y = list(steps.values) + [steps.values[-1]]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "line": {"shape": "hv"},
                "name": name,
                "x": x,
                "y": values(pd.Series(y) / 60, 2),
                "customdata": [format_duration(v) for v in y],
                "hovertemplate": hover(f"Best {name}", "%{customdata}"),
            }
        )
        dates = dates.union(steps.index)
    if not traces:
        return Empty("No run long enough for a 5K best effort yet.")
    return Plot(
        figure(
            traces, hovermode="x unified", yaxis={"type": "log", "title": {"text": "minutes (log)"}}
        ),
        dates,
        note=m.depth.coverage,
    )


LOG_TICKS = (1, 2, 5, 10, 20, 30, 60, 120, 240, 480)


@chart("depth", "pace-curve", "Best pace for every duration (runs)", per_view=True, fold=True)
def pace_curve(m, view):
    if m.depth is None or not m.depth.curve.get(CURVE_ALL):
        return Empty(NO_DETAILS)
    if view.key not in RUN_VIEWS:
        return Empty("Best paces are for runs.")
    u = m.units
    traces = []
    for label, curve in m.depth.curve.items():
        if not curve:
            continue
        seconds = sorted(curve)
        pace = [u.pace_from_s_per_km(s / (curve[s] / 1000)) for s in seconds]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": label,
                "x": [s / 60 for s in seconds],
                "y": [
                    1000 * round(p) for p in pace
                ],  # milliseconds on a date axis: Plotly writes m:ss
                "hovertemplate": f"{label}: %{{x}} min at %{{y|{PACE_AXIS_FORMAT}}} {u.pace}"
                "<extra></extra>",
            }
        )
    return Plot(
        figure(
            traces,
            hovermode="closest",
            xaxis={
                "type": "log",
                "title": {"text": "minutes"},
                "hoverformat": ".3~g",
                # labelled ticks of their own: a log axis's in-between labels are drawn at 9 px
                "tickvals": LOG_TICKS,
                "ticktext": [f"{t:g}" for t in LOG_TICKS],
            },
            yaxis={
                "type": "date",
                "autorange": "reversed",
                "tickformat": PACE_AXIS_FORMAT,
                "title": {"text": u.pace},
            },
        ),
        note=m.depth.coverage,
    )


@chart(
    "depth",
    "zones-weekly",
    "Time in heart-rate zones per week",
    window="3M",
    per_view=True,
    fold=True,
)
def zones_weekly(m, view):
    weeks = zones_per_week(m.depth.zones, view.key) if m.depth is not None else None
    if weeks is None or weeks.empty:
        return Empty(NO_DETAILS)
    bars = period_bars(weeks.index, "W", m.today)
    bars.pop("textposition")
    traces = []
    for band, color in (
        ("easy", SERIES["apple"]),
        ("moderate", SERIES["coros"]),
        ("hard", SERIES["fatigue"]),
    ):
        minutes = weeks[band] / 60
        traces.append(
            {
                **bars,
                "y": values(minutes / 60, 2),
                "name": band.capitalize(),
                "marker": {**bars["marker"], "color": color},
                "customdata": [format_hm(v) for v in minutes],
                "hovertemplate": hover(band.capitalize(), "%{customdata}", "h:mm"),
            }
        )
    return Plot(
        figure(
            traces,
            barmode="stack",
            hovermode="x unified",
            yaxis={"title": {"text": "hours"}},
            xaxis={"hoverformat": "week of %a %d %b %Y"},
        ),
        weeks.index,
        buttons=("3M", "1Y", "All"),
        period="W",
    )
