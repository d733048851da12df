"""A still SVG of a time chart's opening window, drawn into the page's HTML so the first screen
shows its charts before plotly.js has arrived; the interactive chart replaces it when drawn.

Only what is cheap and exact is drawn: the visible line traces (not a band's edges) sent as
x0 + dx, within the chart's initial x range, on a shared y scale, with the range's dates and the
y extremes as labels.
"""

import datetime as dt

from coros_dashboard.jsontypes import JsonObject

WIDTH, HEIGHT, LEFT, BOTTOM = 560, 240, 40, 22


def prerender(figure: JsonObject) -> JsonObject | None:
    """{'lines': [{'points', 'color', 'width', 'dash'}], 'labels': {...}} or None when not
    drawable."""
    layout = figure.get("layout", {})
    window = (layout.get("xaxis") or {}).get("range")
    traces = [
        t
        for t in figure.get("data", [])
        if t.get("type") == "scatter"
        and "x0" in t
        and t.get("visible", True) is True
        and "lines" in t.get("mode", "lines")
        and (t.get("line") or {}).get("width", 1) > 0  # a band's edge is shading, not a line
        and t.get("y")
    ]
    if not window or not traces:
        return None
    start, end = (dt.date.fromisoformat(d[:10]) for d in window)
    span = max(1, (end - start).days)
    series = []
    for trace in traces:
        first = dt.date.fromisoformat(trace["x0"])
        points = [
            ((first + dt.timedelta(days=i) - start).days, y)
            for i, y in enumerate(trace["y"])
            if y is not None
        ]
        points = [(d, y) for d, y in points if 0 <= d <= span]
        if points:
            series.append((trace, points))
    values = [y for _, points in series for _, y in points]
    if not values:
        return None
    low, high = min(values), max(values)
    high = high if high > low else low + 1

    def x(day):
        return round(LEFT + (WIDTH - LEFT - 4) * day / span, 1)

    def y(value):
        return round(4 + (HEIGHT - BOTTOM - 8) * (high - value) / (high - low), 1)

    lines = [
        {
            "points": " ".join(f"{x(d)},{y(v)}" for d, v in points),
            "color": (trace.get("line") or {}).get("color", "currentColor"),
            "width": (trace.get("line") or {}).get("width", 1.5),
            "dash": "4 3" if (trace.get("line") or {}).get("dash") in ("dot", "dash") else "",
        }
        for trace, points in series
    ]
    labels = {
        "high": f"{high:,.0f}" if abs(high) >= 10 else f"{high:.2f}",
        "low": f"{low:,.0f}" if abs(low) >= 10 else f"{low:.2f}",
        "start": f"{start:%d %b %Y}",
        "end": f"{end - dt.timedelta(days=1):%d %b %Y}",
    }
    return {
        "lines": lines,
        "labels": labels,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "bottom": HEIGHT - BOTTOM + 14,
    }
