"""The build checks its own output before publishing: every route an activity page draws is read
back from the page's SVG, mapped back to coordinates and checked — each polyline is one stored
segment (no line drawn across a gap), and no drawn point or line comes into a private zone. All
in metres, on a local projection at the route's latitude (valid to the poles and across the
antimeridian).

The gate is fail-closed for the route, not for the site: a page that fails it is published without
its map (the route is left off, with a build warning naming the activity), and the check is made
again on what is published."""

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

import numpy as np

from coros_dashboard.errors import DashboardError, Problems
from coros_dashboard.geo import EARTH_M, nearest_on_segments_m
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.privacy import Zone
from coros_dashboard.site.route_svg import Frame, coordinates, drawable, route_svg

ROUTE_SVG = b'<svg class="route"'
POLYLINE = re.compile(rb'<polyline [^>]*points="([0-9,]*)"')
WITHHELD = (
    b'<p class="route-withheld">The map is not shown: the privacy check could not confirm '
    b"this route.</p>"
)
M_PER_DEGREE = EARTH_M * np.pi / 180
STORED_M = 2.0  # stored coordinates have 5 decimals: about a metre


class SitePage(NamedTuple):
    ident: str  # the activity's id
    path: str  # where the page is written in the site
    page: bytes


class RouteRefused(DashboardError):
    """A page draws something the gate cannot confirm."""


def checked_pages(
    pages: Iterable[SitePage],
    routes: Mapping[str, list[np.ndarray]],
    drawings: dict[str, JsonObject | None],
    zones: tuple[Zone, ...],
    warnings: Problems,
) -> Iterator[tuple[str, bytes]]:
    """The pages as they are written, each checked first; `drawings` holds each page's projection
    as the page made it (taken out once used). A page that fails loses its map and adds a
    warning; what is then written is checked again (no route at all), so nothing unchecked is
    ever published."""
    for ident, path, page in pages:
        segments = routes.get(ident) or []
        drawing = drawings.pop(ident, None) or route_svg(segments)
        try:
            check_page(ident, page, segments, zones, drawing)
        except RouteRefused as exc:
            warnings.add(f"{exc}; its map was left off the site")
            page = without_route(page)
            check_page(ident, page, [], zones, None)
        yield path, page


def without_route(page: bytes) -> bytes:
    start = page.find(ROUTE_SVG)
    if start < 0:
        return page
    end = page.index(b"</svg>", start) + len(b"</svg>")
    return page[:start] + WITHHELD + page[end:]


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
    stored = drawable(segments)
    if len(drawn) != len(stored):
        _refuse(activity, f"draws {len(drawn)} line(s) for {len(stored)} stored segment(s)")
    frame: Frame = drawing["frame"]
    tolerance = STORED_M + frame.span * M_PER_DEGREE / frame.size * 0.1  # a tenth of a pixel
    lines = [coordinates(points, frame) for points in drawn]
    for line, segment in zip(lines, stored, strict=True):
        if line.shape != segment.shape or _off_m(line, segment, frame) > tolerance:
            _refuse(activity, "draws a line that is not one of its stored segments")
    every = np.concatenate(lines)
    low, high = every[:, 0].min(), every[:, 0].max()
    for zone in zones:
        reach = zone.radius_m / M_PER_DEGREE  # degrees of latitude: a meridian's are all equal
        if not low - reach <= zone.lat <= high + reach:
            continue  # the zone's circle is north or south of this whole route
        if nearest_on_segments_m(lines, (zone.lat, zone.lon)) <= zone.radius_m - tolerance:
            _refuse(activity, "draws a point or a line inside a private zone")


def _off_m(line: np.ndarray, stored: np.ndarray, frame: Frame) -> float:
    """The largest distance in metres between drawn and stored points, east-west measured as the
    projection measures it (a degree of longitude shrinks with latitude) and modulo 360°."""
    dlat = line[:, 0] - stored[:, 0]
    dlon = (line[:, 1] - stored[:, 1] + 180) % 360 - 180
    return float(np.hypot(dlat, dlon * frame.scale_x).max()) * M_PER_DEGREE


def _refuse(activity: str, problem: str) -> None:
    raise RouteRefused(f"privacy check: the page of activity {activity} {problem}")
