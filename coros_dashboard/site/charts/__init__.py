"""The dashboard's charts: small pure functions `model → Plot` (or `Empty`), registered in page
order.

Adding a chart is one function and one decorator line in its section's module:

    @chart("health", "spo2", "Blood oxygen, SpO₂", window="3M")
    def spo2(m: Model) -> Plot | Empty:
        ...

`window` is where a time chart opens ("1M", "3M", "1Y" or "All"); its title says so and the range
buttons move from there. `per_view=True` charts take (model, view) and are drawn once per sport
view. Colours and fonts come from the light and dark templates in `theme.py`, so a figure holds
data and chart-specific layout only.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.site.charts.describe import Description, describe
from coros_dashboard.site.charts.prerender import prerender
from coros_dashboard.site.charts.traces import period_end
from coros_dashboard.site.model import WINDOW_WORDS, WINDOWS

SECTIONS = {
    "race": "Race day",
    "training": "Training load & fitness",
    "volume": "Volume",
    "performance": "Performance",
    "depth": "Best efforts & zones",
    "health": "Health",
}
REGISTRY: list["Spec"] = []


@dataclass
class Plot:
    """A figure and the dates its data covers (time charts), so the page can open on a window."""

    figure: JsonObject
    dates: pd.DatetimeIndex | None = None
    buttons: tuple[str, ...] = ("1M", "3M", "1Y", "All")
    period: str | None = None  # "W" or "M": bars span a week or month, the window ends with today's
    note: str = ""  # shown under the title, e.g. what the chart's data covers


NO_ACTIVITIES = (
    "No activities yet: run the fetch workflow (or fetch_coros.py) to load your COROS history."
)


@dataclass
class Empty:
    message: str
    link_guide: bool = field(default=False, kw_only=True)  # to the iOS Shortcut guide


@dataclass(frozen=True)
class Spec:
    section: str
    id: str
    title: str
    draw: Callable[..., Plot | Empty]
    window: str | None = None
    per_view: bool = False
    fold: bool = False  # a secondary chart: behind "more" so a phone's page stays short


@dataclass
class Rendered:
    """A chart as the page places it: title with its window, one figure per view, or an empty
    state."""

    spec: Spec
    title: str
    # view key → figure ("all" when not per view)
    figures: dict[str, JsonObject] = field(default_factory=dict)
    empty: Empty | None = None
    notes: dict[str, str] = field(default_factory=dict)  # view key → "no data in this window" note
    buttons: tuple[str, ...] = ()
    end: str = ""  # the date the window buttons count back from
    # an SVG of the opening view's window, in the HTML (every chart not folded)
    still: JsonObject | None = None
    # view key → Description: the chart in words
    words: dict[str, Description] = field(default_factory=dict)

    @property
    def window_words(self) -> str:
        """'last 3 months': the window the chart opens on (the range buttons change it)."""
        return WINDOW_WORDS[self.spec.window] if self.spec.window else ""


def chart(
    section: str,
    chart_id: str,
    title: str,
    window: str | None = None,
    per_view: bool = False,
    fold: bool = False,
):
    def register(draw):
        REGISTRY.append(Spec(section, chart_id, title, draw, window, per_view, fold))
        return draw

    return register


def build_charts(model) -> list[Rendered]:
    """Every registered chart drawn from the model, in registry order."""
    out: list[Rendered] = []
    for spec in REGISTRY:
        title = f"{spec.title} ({WINDOW_WORDS[spec.window]})" if spec.window else spec.title
        rendered = Rendered(spec, title)
        views = model.views if spec.per_view else [None]
        for view in views:
            result = spec.draw(model, view) if spec.per_view else spec.draw(model)
            if isinstance(result, Empty):
                if view is None or view.key == "all":
                    rendered.empty = result
                continue
            key = view.key if view else "all"
            note, end = open_window(result, spec.window, model.today)
            note = " ".join(n for n in (result.note, note) if n)
            if note:
                rendered.notes[key] = note
            rendered.end = rendered.end or end
            rendered.buttons = result.buttons if spec.window else ()
            rendered.figures[key] = result.figure
            rendered.words[key] = describe(result.figure, end)
        if rendered.figures:
            rendered.empty = None
            opening = rendered.figures.get(model.default_view if spec.per_view else "all")
            if opening and not spec.fold:
                rendered.still = prerender(opening)
        out.append(rendered)
    return out


def open_window(plot: Plot, window: str | None, today: pd.Timestamp) -> tuple[str, str]:
    """Set the x range the chart opens on; (a note when that window has no data, the window's
    end)."""
    if not window or plot.dates is None or len(plot.dates) == 0:
        return "", ""
    dates = pd.DatetimeIndex(plot.dates)
    end = period_end(today, plot.period)
    note = ""
    if window != "All":
        start = end - pd.Timedelta(days=WINDOWS[window])
        if not ((dates >= start) & (dates < end)).any():
            last = dates.max()
            end = period_end(last, plot.period)
            note = (
                f"No data in the {WINDOW_WORDS[window]}: showing the "
                f"{WINDOW_WORDS[window].replace('last ', '')} "
                f"up to {last:%d %b %Y}, the latest with data."
            )
        start = end - pd.Timedelta(days=WINDOWS[window])
    else:
        start = dates.min()
    xaxis = plot.figure.setdefault("layout", {}).setdefault("xaxis", {})
    xaxis.update({"type": "date", "range": [f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}"]})
    return note, f"{end:%Y-%m-%d}"


# the section modules register their charts, in page order, when the package is imported
from coros_dashboard.site.charts import (  # noqa: E402, F401, I001
    training,
    volume,
    performance,
    bests,
    health,
)
