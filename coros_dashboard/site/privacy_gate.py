"""The build checks its own output before publishing: every route an activity page draws is read
back from the page's SVG, mapped back to coordinates and checked — each polyline is one stored
segment (no line drawn across a gap), and no drawn point or line comes into a private zone. Any
failure stops the build with one line and the old site stays."""

import re
from collections.abc import Iterable, Iterator, Mapping

import numpy as np

from coros_dashboard.errors import DashboardError
from coros_dashboard.geo import nearest_on_segments_m
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.privacy import Zone
from coros_dashboard.site.route_svg import Frame, coordinates, route_svg

ROUTE_SVG = b'<svg class="route"'
POLYLINE = re.compile(rb'<polyline [^>]*points="([0-9,]*)"')
PAGE = re.compile(r"activities/(.+)\.html")


def checked_pages(
    pages: Iterable[tuple[str, bytes]],
    routes: Mapping[str, list[np.ndarray]],
    drawings: dict[str, JsonObject | None],
    zones: tuple[Zone, ...],
) -> Iterator[tuple[str, bytes]]:
    """The pages as they are written, each checked first; `drawings` holds each page's projection
    as the page made it (taken out once used)."""
    for name, page in pages:
        match = PAGE.fullmatch(name)
        if match:
            activity = match.group(1)
            segments = routes.get(activity) or []
            drawing = drawings.pop(activity, None) or route_svg(segments)
            check_page(activity, page, segments, zones, drawing)
        yield name, page


def check_page(
    activity: str,
    page: bytes,
    segments: list[np.ndarray],
    zones: tuple[Zone, ...],
    drawing: JsonObject | None = None,
) -> None:
    """`drawing`: how the stored segments project (route_svg), when the page's maker has it."""
    start = page.find(ROUTE_SVG)
    svg = page[start : page.find(b"</svg>", start)] if start >= 0 else b""
    drawn = [m.decode() for m in POLYLINE.findall(svg)]
    drawing = drawing or route_svg(segments)
    if not drawing:
        if drawn:
            _refuse(activity, "draws a route that is not stored")
        return
    if len(drawn) != len(drawing["lines"]):
        _refuse(
            activity, f"draws {len(drawn)} line(s) for {len(drawing['lines'])} stored segment(s)"
        )
    frame: Frame = drawing["frame"]
    tolerance = 2.0 + frame.span * 111_320 / frame.size * 0.1  # 5 decimals, and a tenth of a pixel
    degrees = tolerance / 111_320  # along a meridian; a parallel's degree is shorter: stricter
    lines = [coordinates(points, frame) for points in drawn]
    for line, segment in zip(lines, segments, strict=True):
        stored = np.asarray(segment, dtype=float).reshape(-1, 2)
        if line.shape != stored.shape or float(np.abs(line - stored).max()) > degrees:
            _refuse(activity, "draws a line that is not one of its stored segments")
    every = np.concatenate(lines)
    low, high = every.min(axis=0), every.max(axis=0)
    for zone in zones:
        reach = (
            zone.radius_m / 111_320 / max(0.01, np.cos(np.radians(zone.lat)))
        )  # degrees, generous
        far = not (
            low[0] - reach <= zone.lat <= high[0] + reach
            and low[1] - reach <= zone.lon <= high[1] + reach
        )
        if far:
            continue  # the zone's circle is nowhere near this route's box
        if nearest_on_segments_m(lines, (zone.lat, zone.lon)) <= zone.radius_m - tolerance:
            _refuse(activity, "draws a point or a line inside a private zone")


def _refuse(activity: str, problem: str) -> None:
    raise DashboardError(
        f"privacy check: the page of activity {activity} {problem}; nothing was published "
        "(the previous site is kept; please report it)"
    )
