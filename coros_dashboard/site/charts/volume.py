"""Volume, per sport view: weekly and monthly totals and the year-over-year race, never mixing
sports unless the view is "All sports" (and then its titles say so)."""

import calendar

import pandas as pd

from coros_dashboard.site import metrics
from coros_dashboard.site.charts import NO_ACTIVITIES, Empty, Plot, chart
from coros_dashboard.site.charts.traces import (
    figure,
    hover,
    iso,
    period_bars,
    running,
    text,
    values,
)
from coros_dashboard.site.theme import SERIES
from coros_dashboard.site.units import format_hm
from coros_dashboard.sports import group_label


def _suffix(view) -> str:
    return "all sports" if view.key == "all" else view.label


def _so_far(index: pd.DatetimeIndex, period: str, today: pd.Timestamp) -> list[str]:
    return [" (so far)" if r else "" for r in running(index, period, today)]


@chart("volume", "weekly", "Weekly volume", window="3M", per_view=True)
def weekly(m, view):
    weeks = metrics.period_totals(view.acts, "W")
    if weeks.empty:
        return Empty(NO_ACTIVITIES)
    u = m.units
    so_far = _so_far(weeks.index, "W", m.today)
    hours = weeks["moving_s"] / 3600
    time_text = [format_hm(v * 60) for v in hours]
    traces = [
        {
            **period_bars(weeks.index, "W", m.today),
            "y": values(hours, 2),
            "name": "Time",
            "yaxis": "y2",
            "text": time_text,
            "customdata": [t + f for t, f in zip(time_text, so_far, strict=True)],
            "marker": {
                **period_bars(weeks.index, "W", m.today)["marker"],
                "color": SERIES["fatigue"],
            },
            "hovertemplate": hover(f"Time, {_suffix(view)}", "%{customdata}", "h:mm"),
        }
    ]
    layout = {
        "yaxis2": {"domain": [0, 0.45], "title": {"text": "hours"}},
        "showlegend": False,
        "hovermode": "x unified",
        "xaxis": {"hoverformat": "week of %a %d %b %Y"},
        "uniformtext": {"mode": "hide", "minsize": 9},
    }
    if view.measure == "distance" or view.key == "all":
        distance = u.from_m(weeks["distance_m"])
        traces.insert(
            0,
            {
                **period_bars(weeks.index, "W", m.today),
                "y": values(distance),
                "name": "Distance",
                "text": [f"{v:,.0f}" for v in distance],
                "customdata": [
                    f"{v:,.1f} {u.distance}{f}" for v, f in zip(distance, so_far, strict=True)
                ],
                "marker": {
                    **period_bars(weeks.index, "W", m.today)["marker"],
                    "color": SERIES["fitness"],
                },
                "hovertemplate": hover(f"Distance, {_suffix(view)}", "%{customdata}"),
            },
        )
        layout["yaxis"] = {"domain": [0.55, 1], "title": {"text": u.distance}}
    else:
        traces[0]["yaxis"] = "y"
        layout.pop("yaxis2")
        layout["yaxis"] = {"title": {"text": "hours"}}
    return Plot(
        figure(traces, **layout),
        weeks.index[weeks["count"] > 0],
        buttons=("3M", "1Y", "All"),
        period="W",
    )


@chart("volume", "monthly", "Monthly distance", window="All", per_view=True, fold=True)
def monthly(m, view):
    months = metrics.period_totals(view.acts, "M")
    if months.empty or months["distance_m"].sum() <= 0:
        return Empty("No distance in this view: it has no activities with GPS or distance.")
    u = m.units
    distance = u.from_m(months["distance_m"])
    so_far = _so_far(months.index, "M", m.today)
    trace = {
        **period_bars(months.index, "M", m.today),
        "y": values(distance),
        "name": "Distance",
        "text": [f"{v:,.0f}" for v in distance],
        "customdata": [f"{v:,.1f} {u.distance}{f}" for v, f in zip(distance, so_far, strict=True)],
        "hovertemplate": hover(f"Distance, {_suffix(view)}", "%{customdata}"),
    }
    trace["marker"] = {**trace["marker"], "color": SERIES["fitness"]}
    return Plot(
        figure(
            [trace],
            showlegend=False,
            hovermode="x unified",
            xaxis={"hoverformat": "%B %Y"},
            yaxis={"title": {"text": u.distance}},
            uniformtext={"mode": "hide", "minsize": 9},
        ),
        months.index,
        buttons=("1Y", "All"),
        period="M",
    )


@chart("volume", "year-over-year", "Cumulative distance by year", per_view=True, fold=True)
def year_over_year(m, view):
    by_year = metrics.cumulative_by_year(view.acts)
    if not by_year or all(s.max() <= 0 for s in by_year.values()):
        return Empty("No distance in this view: it has no activities with GPS or distance.")
    u = m.units
    traces = []
    start = m.acts["date"].min()  # the history's first day: no line (not 0 km) before it
    for year, cumulative in sorted(by_year.items()):
        current = year == m.today.year
        last_day = m.today.day_of_year if current else 365 + calendar.isleap(year)
        first_day = start.day_of_year if year == start.year else 1
        full = cumulative.reindex(range(first_day, last_day + 1)).ffill().fillna(0)
        weekly_points = (
            full.iloc[::7] if len(full) % 7 == 1 else pd.concat([full.iloc[::7], full.iloc[-1:]])
        )
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": str(year),
                "x": [  # one shared (leap) year: 1 March stays 1 March
                    iso((pd.Timestamp(year, 1, 1) + pd.Timedelta(days=d - 1)).replace(year=2000))
                    for d in weekly_points.index
                ],
                "y": values(u.from_m(weekly_points), 0),
                "hovertemplate": hover(str(year), "%{y:,.0f}", u.distance),
                "line": {"width": 3 if current else 1.5},
                "opacity": 1 if current else 0.6,
            }
        )
    return Plot(
        figure(
            traces,
            hovermode="x unified",
            yaxis={"title": {"text": u.distance}},
            xaxis={"type": "date", "tickformat": "%b", "hoverformat": "%d %b"},
        )
    )


@chart("volume", "by-sport", "Time by sport (all sports, last 365 days)", fold=True)
def time_by_sport(m):
    """Hours per sport view (Run holds trail and track runs, as the views do)."""
    recent = (
        m.acts[m.acts["date"] > m.today - pd.Timedelta(days=365)] if not m.acts.empty else m.acts
    )
    if recent.empty:
        return Empty("No activities in the last 365 days.")
    hours = (recent.groupby("group")["moving_s"].sum() / 3600).sort_values()
    labels = [group_label(g) for g in hours.index]
    trace = {
        "type": "bar",
        "orientation": "h",
        "x": values(hours),
        "y": [text(label) for label in labels],
        "text": [format_hm(h * 60) for h in hours],
        "textposition": "auto",
        "customdata": [format_hm(h * 60) for h in hours],
        "marker": {"color": SERIES["fitness"]},
        "hovertemplate": "%{y}: %{customdata} h:mm<extra></extra>",
    }
    return Plot(
        figure(
            [trace],
            showlegend=False,
            xaxis={"title": {"text": "hours"}},
            height=max(220, 50 + 22 * len(hours)),
        )
    )
