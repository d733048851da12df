"""A still SVG of a chart's opening window, drawn into the page's HTML so that every chart of the
opening view reads before plotly.js has arrived; the interactive chart replaces it when drawn.

What the figures of the opening view hold is drawn, on their own y axes (stacked domains, a
reversed axis stays reversed, a fixed range is kept): lines, the fills between them (bands),
markers, and bars — a day's, or a week's or month's (`xperiod`). Coordinates are whole units of
a 560 × 240 box: a still is a picture, its numbers are the chart's and its words'.
"""

import datetime as dt
from dataclasses import dataclass

from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.site.charts.traces import DAY_MS

WIDTH, HEIGHT, LEFT, BOTTOM = 560, 240, 40, 22
TOP, RIGHT = 4, 4
BAND_POINTS = 130


@dataclass
class Series:
    """One trace's points inside the window: (day offset from the window's start, value), a
    gap's value None (a line breaks there, as Plotly's does)."""

    trace: JsonObject
    steps: list[tuple[float, float | None]]
    axis: str

    @property
    def points(self) -> list[tuple[float, float]]:
        return [(day, value) for day, value in self.steps if value is not None]


def prerender(figure: JsonObject) -> JsonObject | None:
    """{'marks': [{'d', 'fill', 'stroke', 'width', 'dash', 'round'}], 'labels': [...], ...}
    or None when the figure has no date window or nothing in it."""
    layout = figure.get("layout", {})
    window = (layout.get("xaxis") or {}).get("range")
    if not window:
        return None
    start = dt.date.fromisoformat(window[0][:10])
    span = max(1, (dt.date.fromisoformat(window[1][:10]) - start).days)
    shown = [
        s
        for s in (series_of(t, start, span) for t in figure.get("data", []) if is_shown(t))
        if s is not None
    ]
    if not any(s.points for s in shown):
        return None
    scales = {axis: Scale.of(layout, axis, shown) for axis in dict.fromkeys(s.axis for s in shown)}

    def x(day: float) -> int:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * day / span)

    marks = []
    previous: Series | None = None
    for s in shown:
        scale = scales[s.axis]
        if s.trace.get("type") == "bar":
            marks.append(bars(s, scale, x, span))
        elif s.trace.get("fill") == "tonexty" and previous is not None:
            marks.append(band(previous, s, scale, x))
        if s.trace.get("type") != "bar" and is_line(s.trace):
            marks.append(line(s, scale, x))
        if s.trace.get("type") != "bar" and "markers" in s.trace.get("mode", ""):
            marks.append(dots(s, scale, x))
        previous = s
    last = start + dt.timedelta(days=span - 1)
    labels = [label for scale in scales.values() for label in scale.labels()]
    labels += [
        {"x": LEFT, "y": HEIGHT - 4, "text": f"{start:%d %b %Y}", "end": False},
        {"x": WIDTH - RIGHT, "y": HEIGHT - 4, "text": f"{last:%d %b %Y}", "end": True},
    ]
    return {
        "marks": [m for m in marks if m["d"]],
        "labels": [placed(label) for label in labels],
        "width": WIDTH,
        "height": HEIGHT,
    }


def placed(label: JsonObject) -> JsonObject:
    """A label as the page places it over the stretched drawing: its baseline's point in % of the
    box, so its text keeps its 12 px however wide the chart is."""
    left = round(100 * label["x"] / WIDTH, 1)
    return {
        "text": label["text"],
        "top": round(100 * label["y"] / HEIGHT, 1),
        "left": left,
        "right": round(100 - left, 1),
        "end": label["end"],
    }


def is_shown(trace: JsonObject) -> bool:
    return trace.get("visible", True) is True and bool(trace.get("y"))


def is_line(trace: JsonObject) -> bool:
    """A drawn line: a band's edge (width 0) is shading, not a line."""
    return "lines" in trace.get("mode", "lines") and (trace.get("line") or {}).get("width", 2) > 0


def series_of(trace: JsonObject, start: dt.date, span: int) -> Series | None:
    """The trace's points from x0 + dx (daily) or its dates, kept inside the window (a period
    bar by its middle)."""
    ys = trace["y"]
    if "x0" in trace:
        first = (dt.date.fromisoformat(trace["x0"][:10]) - start).days
        step = trace.get("dx", DAY_MS) / DAY_MS
        days = [first + i * step for i in range(len(ys))]
    elif trace.get("x") and all(isinstance(v, str) for v in trace["x"]):
        days = [day_offset(v, start) for v in trace["x"]]
    else:
        return None
    half = period_days(trace) / 2 if trace.get("xperiod") else 0
    points = [
        (d + half, None if y is None else float(y))
        for d, y in zip(days, ys, strict=True)
        if 0 <= d + half <= span
    ]
    axis = "y" + str(trace.get("yaxis", "y"))[1:]
    return Series(trace, points, axis)


def day_offset(value: str, start: dt.date) -> float:
    moment = dt.datetime.fromisoformat(value.replace(" ", "T"))
    return (moment - dt.datetime.combine(start, dt.time())).total_seconds() / 86_400


def period_days(trace: JsonObject) -> float:
    """A period bar's width in days: a week, or a month ('M1') taken as 30.4."""
    period = trace.get("xperiod")
    return period / DAY_MS if isinstance(period, (int, float)) else 30.4


@dataclass
class Scale:
    """One y axis: its value range and where its domain sits in the box."""

    low: float
    high: float
    top: float
    bottom: float
    reversed: bool
    title: str
    ticks: list[tuple[float, str]]

    @classmethod
    def of(cls, layout: JsonObject, axis: str, shown: list[Series]) -> "Scale":
        spec = layout.get("yaxis" + axis[1:]) or {}
        values = [v for s in shown if s.axis == axis for _, v in s.points]
        if any(s.trace.get("type") == "bar" for s in shown if s.axis == axis):
            values.append(0.0)  # bars stand on zero
        low, high = spec["range"] if spec.get("range") else (min(values), max(values))
        low, high = float(min(low, high)), float(max(low, high))
        high = high if high > low else low + 1
        d0, d1 = spec.get("domain", [0, 1])
        area = HEIGHT - BOTTOM - TOP
        ticks = list(zip(spec.get("tickvals") or [], spec.get("ticktext") or [], strict=False))
        return cls(
            low,
            high,
            TOP + area * (1 - d1),
            TOP + area * (1 - d0),
            spec.get("autorange") == "reversed",
            str((spec.get("title") or {}).get("text", "")),
            [(float(v), str(t)) for v, t in ticks if low <= v <= high],
        )

    def y(self, value: float) -> int:
        share = (value - self.low) / (self.high - self.low)
        if self.reversed:
            share = 1 - share
        return round(self.bottom - (self.bottom - self.top) * share)

    def labels(self) -> list[JsonObject]:
        """The axis's extremes (its own tick words when it has them), the upper one with the
        axis's title."""
        if self.ticks:
            ends = [self.ticks[0], self.ticks[-1]]
        else:
            ends = [(self.low, axis_number(self.low)), (self.high, axis_number(self.high))]
        upper, lower = sorted(ends, key=lambda end: self.y(end[0]))
        return [
            {
                "x": 2,
                "y": self.y(upper[0]) + 12,
                "text": f"{upper[1]} {self.title}".strip(),
                "end": False,
            },
            {"x": 2, "y": self.y(lower[0]) - 2, "text": lower[1], "end": False},
        ]


def axis_number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:.1f}"


def style(trace: JsonObject, **mark) -> JsonObject:
    line = trace.get("line") or {}
    return {
        "fill": "none",
        "stroke": "none",
        "width": line.get("width", 2),
        "dash": "4 3" if line.get("dash") in ("dot", "dash") else "",
        "round": False,
        **mark,
    }


def line(s: Series, scale: Scale, x) -> JsonObject:
    """A polyline, broken at the trace's gaps."""
    parts, head = [], "M"
    for day, value in s.steps:
        if value is None:
            head = "M"
            continue
        parts.append(f"{head}{x(day)} {scale.y(value)}")
        head = ""
    color = (s.trace.get("line") or {}).get("color", "currentColor")
    return style(s.trace, d=" ".join(parts), stroke=color)


def band(lower: Series, upper: Series, scale: Scale, x) -> JsonObject:
    """The area between a fill's trace and the one before it (both daily, the same days)."""
    below = dict(lower.points)
    pairs = [(d, v, below[d]) for d, v in upper.points if d in below]
    step = -(-len(pairs) // BAND_POINTS)  # a band is smooth shading: a point every few px
    pairs = pairs[::step] + pairs[-1:] if pairs else pairs
    if not pairs:
        return style(upper.trace, d="")
    forth = " ".join(f"{x(d)} {scale.y(v)}" for d, v, _ in pairs)
    back = " ".join(f"{x(d)} {scale.y(w)}" for d, _, w in reversed(pairs))
    return style(upper.trace, d=f"M{forth} {back}Z", fill=upper.trace.get("fillcolor", "#8884"))


def dots(s: Series, scale: Scale, x) -> JsonObject:
    """Markers as zero-length round-capped strokes: one short path for hundreds of dots."""
    marker = s.trace.get("marker") or {}
    d = "".join(f"M{x(day)} {scale.y(value)}h0" for day, value in s.points)
    return style(
        s.trace,
        d=d,
        stroke=marker.get("color", "currentColor"),
        width=marker.get("size", 6),
        dash="",
        round=True,
    )


def bars(s: Series, scale: Scale, x, span: int) -> JsonObject:
    """Each bar a closed rectangle from zero, 80 % of its day or period wide."""
    width = (period_days(s.trace) if s.trace.get("xperiod") else 1) * 0.8
    base = scale.y(max(scale.low, 0.0))
    parts = []
    for day, value in s.points:
        left, right = x(max(0.0, day - width / 2)), x(min(float(span), day + width / 2))
        top = scale.y(value)
        parts.append(f"M{left} {base}V{top}H{max(right, left + 1)}V{base}Z")
    color = (s.trace.get("marker") or {}).get("color", "currentColor")
    return style(s.trace, d="".join(parts), fill=color if isinstance(color, str) else "#888")
