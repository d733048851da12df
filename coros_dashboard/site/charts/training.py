"""Training load & fitness: our fitness model first, COROS's as an overlay that never hides it;
and the projection to race day."""

import pandas as pd

from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.site import metrics
from coros_dashboard.site.charts import NO_ACTIVITIES, Empty, Plot, chart
from coros_dashboard.site.charts.traces import daily, daily_bars, figure, hover, iso, recent, values
from coros_dashboard.site.readiness import FORM_FRESH, FORM_GREY, FORM_OPTIMAL, FORM_TOP
from coros_dashboard.site.theme import SERIES


@chart("training", "fitness", "Fitness, fatigue & form", window="1Y")
def fitness(m):
    if m.fitness is None:
        return Empty(NO_ACTIVITIES)
    f = m.fitness
    traces = [
        daily(
            f["fitness"],
            "Fitness (42-day)",
            digits=0,
            fmt=".0f",
            line={"color": SERIES["fitness"], "width": 2.5},
        ),
        daily(
            f["fatigue"],
            "Fatigue (7-day)",
            digits=0,
            fmt=".0f",
            line={"color": SERIES["fatigue"], "width": 1.5},
        ),
        daily(
            f["form"],
            "Form",
            digits=0,
            fmt="+.0f",
            line={
                "color": SERIES["form"],
                "width": 2,
                "dash": "dash",
            },  # 2 px: readable, 3:1 on card
        ),
    ]
    for column, name in (("cti", "COROS CTI"), ("ati", "COROS ATI")):
        if column in m.daily and m.daily[column].notna().any():
            dash = "dash" if column == "ati" else "solid"
            traces.append(
                daily(
                    m.daily[column].dropna(),
                    name,
                    digits=0,
                    fmt=".0f",
                    visible="legendonly",
                    line={"color": SERIES["coros"], "width": 1, "dash": dash},
                )
            )
    return Plot(
        figure(
            [*form_bands(f), *traces, WARM_UP_KEY],
            yaxis={"title": {"text": "training load"}},
            hovermode="x unified",
            **warm_up_marks(f.index),
        ),
        f.index,
    )


FORM_BANDS = (  # (zone, lower edge, upper edge, fill), edges as shares of fitness
    ("fresh", FORM_FRESH, FORM_TOP, "rgba(16,185,129,0.16)"),
    ("grey zone", FORM_GREY, FORM_FRESH, "rgba(148,163,184,0.16)"),
    ("optimal", FORM_OPTIMAL, FORM_GREY, "rgba(59,130,246,0.14)"),
    ("high risk", 2 * FORM_OPTIMAL, FORM_OPTIMAL, "rgba(239,68,68,0.14)"),
)


def form_bands(f) -> list[JsonObject]:
    """The form zones the verdict names, shaded where form is drawn (after the warm-up, over the
    last year: a band is fitness times its edges, so it moves with fitness)."""
    fitness = recent(f["fitness"].where(f["form"].notna()))
    if fitness.dropna().empty:
        return []
    edge: JsonObject = {"hoverinfo": "skip", "showlegend": False, "line": {"width": 0}}
    out = [daily(fitness * FORM_TOP, "Form zone edge", 1, **edge)]
    for zone, low, _, fill in FORM_BANDS:
        out.append(
            daily(fitness * low, f"Form zone: {zone}", 1, fill="tonexty", fillcolor=fill, **edge)
        )
    for trace in out:
        trace.pop("hovertemplate")  # shading only: the hover stays with the lines
    out[1]["showlegend"] = True
    out[1]["name"] = "Form zones: fresh, grey, optimal, high risk (shaded)"
    return out


def warm_up_marks(index) -> JsonObject:
    """A shaded band over the model's warm-up weeks (form and A:C are not drawn there), named in
    the legend: a label on the chart itself would be cut wherever the window starts after it."""
    end = metrics.warm_up_end(index)
    band = {
        "type": "rect",
        "xref": "x",
        "yref": "paper",
        "x0": iso(index[0]),
        "x1": iso(end),
        "y0": 0,
        "y1": 1,
        "fillcolor": WARM_UP_FILL,
        "line": {"width": 0},
        "layer": "below",
    }
    return {"shapes": [band]}


WARM_UP_FILL = "rgba(148,163,184,0.18)"
WARM_UP_KEY: JsonObject = {  # the band's legend entry: a trace with no points
    "type": "scatter",
    "mode": "markers",
    "x": [None],
    "y": [None],
    "name": "Model warm-up (shaded)",
    "marker": {"symbol": "square", "size": 12, "color": "rgba(148,163,184,0.45)"},
    "hoverinfo": "skip",
}


@chart("training", "acwr", "Acute:chronic load ratio", window="3M", fold=True)
def load_ratio(m):
    if m.fitness is None or m.fitness["ratio"].isna().all():
        return Empty(
            NO_ACTIVITIES
            if m.fitness is None
            else "Not enough training yet: the ratio needs a few weeks."
        )
    band = {
        "type": "rect",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "y0": 0.8,
        "y1": 1.3,
        "fillcolor": "rgba(16,185,129,0.15)",
        "line": {"width": 0},
        "layer": "below",
    }
    trace = daily(
        m.fitness["ratio"],
        "Fatigue ÷ fitness",
        digits=2,
        fmt=".2f",
        line={"color": SERIES["fitness"]},
    )
    marks = warm_up_marks(m.fitness.index)
    return Plot(
        figure(
            [trace, WARM_UP_KEY],
            shapes=[band, *marks["shapes"]],
            hovermode="x unified",
            yaxis={"title": {"text": "ratio (0.8–1.3 band)"}, "range": [0, 2.5]},
        ),
        m.fitness["ratio"].dropna().index,
    )


@chart("training", "daily-load", "Daily training load", window="3M", fold=True)
def load_per_day(m):
    if m.load.empty:
        return Empty(NO_ACTIVITIES)
    trace = daily_bars(m.load, "Load", fmt=".0f", marker={"color": SERIES["fitness"]})
    return Plot(
        figure(
            [trace],
            showlegend=False,
            hovermode="x unified",
            yaxis={"title": {"text": "training load"}},
        ),
        m.load[m.load > 0].index,
        buttons=("1M", "3M", "1Y"),
    )


@chart("race", "race-projection", "Fitness & form to race day", fold=True)
def race_projection(m):
    r = m.race_day
    if r is None or r.projection is None:
        return Empty(
            "No projection: it needs a goal race in data/races.json and 6 weeks of history."
        )
    p, h = r.projection, r.history
    traces = [
        daily(h["fitness"], "Fitness (42-day)", 0, fmt=".0f", line={"color": SERIES["fitness"]}),
        daily(h["form"], "Form", 0, fmt="+.0f", line={"color": SERIES["form"], "width": 2}),
    ]
    if "form_low" in p:
        edge: JsonObject = {"line": {"width": 0}, "hoverinfo": "skip", "showlegend": False}
        traces.append(daily(p["form_low"], "Form as you usually train, low", 0, **edge))
        band = daily(
            p["form_high"],
            "Form as you usually train (10th–90th percentile)",
            0,
            fill="tonexty",
            fillcolor="rgba(133,133,133,0.25)",
            **{**edge, "showlegend": True},
        )
        low = values(p["form_low"], 0)
        band["customdata"] = low
        band["hovertemplate"] = hover(
            "Form as you usually train", "%{customdata:+.0f} to %{y:+.0f}"
        )
        band.pop("hoverinfo")
        traces.append(band)
    dashed = {"dash": "dash", "width": 2}
    traces += [
        daily(
            p["fitness"],
            "Fitness as planned",
            0,
            fmt=".0f",
            line={"color": SERIES["fitness"], **dashed},
        ),
        daily(
            p["form"], "Form as planned", 0, fmt="+.0f", line={"color": SERIES["form"], **dashed}
        ),
    ]
    race_mark = {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": iso(r.date),
        "x1": iso(r.date),
        "y0": 0,
        "y1": 1,
        "line": {"color": SERIES["fatigue"], "width": 2, "dash": "dot"},
    }
    start = h.index[0] if not h.empty else p.index[0]
    return Plot(
        figure(
            traces,
            shapes=[race_mark],
            hovermode="x unified",
            xaxis={"type": "date", "range": [iso(start), iso(r.date + pd.Timedelta(days=1))]},
            yaxis={"title": {"text": "training load (form ± 0)"}},
        ),
        None,
    )
