"""Performance: running pace, COROS's race predictions as finish times, VO₂max, thresholds,
stamina."""

import pandas as pd

from coros_dashboard.site import metrics
from coros_dashboard.site.charts import Empty, Plot, chart
from coros_dashboard.site.charts.traces import daily, figure, hover, iso, recent, text, values
from coros_dashboard.site.model import RACE_NAMES
from coros_dashboard.site.theme import SERIES
from coros_dashboard.site.units import format_duration, pace_ticks


@chart("performance", "pace", "Running pace", window="1Y")
def pace(m):
    u = m.units
    runs = metrics.run_paces(m.acts) if not m.acts.empty else pd.DataFrame()
    if runs.empty:
        return Empty("No runs of 1 km or more yet.")
    per_unit = u.pace_from_s_per_km(runs["pace"])
    trend = u.pace_from_s_per_km(runs["trend"])
    dots = runs["date"] > runs["date"].max() - pd.Timedelta(days=3 * 365)
    amounts = [  # the hover's value, and what the chart's words and data table say
        f"{format_duration(p)} {u.pace} · {u.from_m(k * 1000):.1f} {u.distance}"
        for p, k in zip(per_unit[dots], runs["km"][dots], strict=True)
    ]
    ticks = pace_ticks(per_unit)
    traces = [
        {
            "type": "scatter",
            "mode": "markers",
            "x": [iso(d) for d in runs["date"][dots]],
            "y": values(per_unit[dots], 0),
            "name": "Run",
            "text": [text(n) for n in runs["name"][dots]],
            "customdata": amounts,
            "hovertemplate": "%{x|%a %d %b %Y} · %{text}<br>%{customdata}<extra></extra>",
            "marker": {"size": 5, "color": SERIES["form"]},
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": [iso(d) for d in runs["date"]],
            "y": values(trend, 0),
            "name": "Trend (median of 15 runs)",
            "hoverinfo": "skip",
            "line": {"color": SERIES["fitness"], "width": 2},
        },
    ]
    layout = {
        "yaxis": {
            "autorange": "reversed",
            "tickvals": ticks,
            "ticktext": [format_duration(t) for t in ticks],
            "title": {"text": f"pace ({u.pace})"},
        },
        "hovermode": "closest",
    }
    return Plot(figure(traces, **layout), pd.DatetimeIndex(runs["date"]))


MIN_RACE_DAYS = 7


@chart("performance", "races", "Race predictions (finish time)", window="All", fold=True)
def races(m):
    traces, times = [], []
    for column, name in RACE_NAMES.items():
        if column not in m.daily or m.daily[column].dropna().empty:
            continue
        series = m.daily[column].dropna()
        times.append(series)
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": [iso(d) for d in series.index],
                "y": values(series / 60, 2),
                "customdata": [format_duration(t) for t in series],
                "hovertemplate": hover(name, "%{customdata}"),
                "marker": {"size": 4},
            }
        )
    if not traces:
        return Empty(
            "COROS has no race predictions yet: they appear after a few runs with heart rate."
        )
    dates = pd.DatetimeIndex(sorted(set().union(*(s.index for s in times))))
    if len(dates) < MIN_RACE_DAYS:  # a line over a day or two says nothing: the table says it all
        return Empty(
            f"COROS's predictions are in the table until there are {MIN_RACE_DAYS} days of them "
            f"to draw (now {len(dates)})."
        )
    return Plot(
        figure(
            traces, hovermode="x unified", yaxis={"type": "log", "title": {"text": "minutes (log)"}}
        ),
        dates,
    )


@chart("performance", "vo2max", "VO₂max (COROS)", window="All", fold=True)
def vo2max(m):
    series = m.daily.get("vo2max")
    if series is None or series.dropna().empty:
        return Empty("COROS has not estimated VO₂max yet: it needs runs with heart rate.")
    trace = daily(
        series.dropna(),
        "VO₂max",
        digits=0,
        fmt=".0f",
        unit="ml/kg/min",
        connectgaps=True,
        line={"color": SERIES["fitness"]},
    )
    return Plot(figure([trace], showlegend=False, hovermode="x unified"), series.dropna().index)


THRESHOLD_JUMP_BPM = 5


def threshold_jumps(hr: pd.Series) -> pd.Series:
    """The change on each day threshold HR moved by more than THRESHOLD_JUMP_BPM from its last
    stored value."""
    changes = hr.dropna().diff()
    return changes[changes.abs() > THRESHOLD_JUMP_BPM]


@chart(
    "performance",
    "thresholds",
    "Lactate threshold: heart rate and pace (COROS)",
    fold=True,
    window="All",
)
def thresholds(m):
    u = m.units
    hr, pace_s = m.daily.get("lthr"), m.daily.get("ltsp_s_per_km")
    traces, dates = [], pd.DatetimeIndex([])
    if hr is not None and hr.notna().any():
        traces.append(
            daily(
                hr.dropna(),
                "Threshold heart rate",
                digits=0,
                fmt=".0f",
                unit="bpm",
                connectgaps=True,
                line={"color": SERIES["fatigue"]},
            )
        )
        dates = dates.union(hr.dropna().index)
        jumps = threshold_jumps(hr)
        if not jumps.empty:
            traces.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": f"Jump of more than {THRESHOLD_JUMP_BPM} bpm (watch thresholds err by "
                    "~9 bpm, Lu et al. 2025)",
                    "x": [iso(d) for d in jumps.index],
                    "y": values(hr[jumps.index], 0),
                    "customdata": [f"{v:+.0f}" for v in jumps],
                    "hovertemplate": hover("Threshold HR jump", "%{customdata}", "bpm"),
                    "marker": {"symbol": "diamond-open", "size": 11, "color": SERIES["fatigue"]},
                }
            )
    if pace_s is not None and pace_s.notna().any():
        per_unit = u.pace_from_s_per_km(pace_s.dropna())
        trace = daily(
            per_unit,
            "Threshold pace",
            digits=0,
            connectgaps=True,
            yaxis="y2",
            line={"color": SERIES["threshold"]},
        )
        trace["customdata"] = [
            None if pd.isna(v) else format_duration(v) for v in per_unit.asfreq("D")
        ]
        trace["hovertemplate"] = hover("Threshold pace", "%{customdata}", u.pace)
        traces.append(trace)
        dates = dates.union(pace_s.dropna().index)
    if not traces:
        return Empty("COROS has no lactate threshold yet: it needs runs with heart rate.")
    ticks = (
        pace_ticks(u.pace_from_s_per_km(pace_s.dropna()))
        if pace_s is not None and pace_s.notna().any()
        else []
    )
    layout = {
        "hovermode": "x unified",
        "yaxis": {"title": {"text": "bpm"}, "domain": [0.55, 1]},
        "yaxis2": {
            "domain": [0, 0.45],
            "autorange": "reversed",
            "tickvals": ticks,
            "ticktext": [format_duration(t) for t in ticks],
            "title": {"text": u.pace},
        },
    }
    return Plot(figure(traces, **layout), dates)


@chart("performance", "stamina", "Stamina level (COROS)", window="1Y", fold=True)
def stamina(m):
    series = m.daily.get("stamina_level")
    if series is None or series.dropna().empty:
        return Empty("COROS has sent no stamina level yet.")
    trace = daily(
        recent(series.dropna(), 3 * 366),
        "Stamina",
        digits=0,
        fmt=".0f",
        connectgaps=True,
        line={"color": SERIES["apple"]},
    )
    return Plot(figure([trace], showlegend=False, hovermode="x unified"), series.dropna().index)


ABILITY_SCORES = {
    "aerobic_endurance_score": ("Aerobic endurance", "fitness"),
    "threshold_capacity_score": ("Lactate threshold capacity", "threshold"),
    "anaerobic_endurance_score": ("Anaerobic endurance", "fatigue"),
    "anaerobic_capacity_score": ("Anaerobic capacity", "coros"),
}


@chart("performance", "ability", "Running ability scores (COROS)", window="1Y", fold=True)
def ability(m):
    """COROS gives today's scores only: the history is what each fetch stored."""
    traces = [
        daily(
            m.daily[column].dropna(),
            name,
            digits=0,
            fmt=".0f",
            connectgaps=True,
            mode="lines+markers",
            line={"color": SERIES[color]},
        )
        for column, (name, color) in ABILITY_SCORES.items()
        if column in m.daily and m.daily[column].notna().any()
    ]
    if not traces:
        return Empty("COROS has sent no running-ability scores yet: each fetch stores today's.")
    dates = m.daily[[c for c in ABILITY_SCORES if c in m.daily]].dropna(how="all").index
    return Plot(figure(traces, hovermode="x unified"), dates)
