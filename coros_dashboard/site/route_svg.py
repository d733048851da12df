"""Routes as drawn: one SVG polyline per stored segment, in a box, north up; and the way back from
drawn points to coordinates, for the privacy gate that checks what the pages really draw."""

from dataclasses import dataclass

import numpy as np

from coros_dashboard.jsontypes import JsonObject

ROUTE_BOX = 320
PAD = 8
MIN_SCALE_X = 1e-6  # cos(latitude) of a route whose mean is a pole


@dataclass(frozen=True)
class Frame:
    """How coordinates became SVG points: the box's north-west corner and its scale."""

    west: float
    north: float
    scale_x: float  # cos(latitude): metres kept square
    span: float  # degrees across the larger side
    size: float  # pixels across the larger side


def drawable(segments: list[np.ndarray]) -> list[np.ndarray]:
    """The segments a map draws: those of two points or more (a single point is no line), as
    (lat, lon) rows with every longitude brought within 180° of the route's first, so that a route
    across the antimeridian is drawn whole rather than across the world."""
    pieces = [np.asarray(s, dtype=float).reshape(-1, 2) for s in segments]
    pieces = [p.copy() for p in pieces if len(p) >= 2]
    if pieces:
        ref = pieces[0][0, 1]
        for p in pieces:
            p[:, 1] = ref + (p[:, 1] - ref + 180) % 360 - 180
    return pieces


def route_svg(segments: list[np.ndarray], box: int = ROUTE_BOX) -> JsonObject | None:
    """The route's drawable segments projected into a box (north up, metres kept square) as SVG
    points in tenths of a pixel: whole numbers, written fast and short; a gap stays a gap."""
    pieces = drawable(segments)
    if not pieces:
        return None
    points = np.concatenate(pieces)
    lat, lon = points[:, 0], points[:, 1]
    west, north = lon.min(), lat.max()
    scale_x = max(MIN_SCALE_X, float(np.cos(np.radians(lat.mean()))))  # round the pole too
    width, height = (lon.max() - west) * scale_x, north - lat.min()
    span = max(width, height) or 1e-9
    frame = Frame(float(west), float(north), float(scale_x), float(span), box - 2 * PAD)
    return {
        "lines": [_svg_points(p, frame) for p in pieces],
        "width": round(2 * PAD + width / span * frame.size),
        "height": round(2 * PAD + height / span * frame.size),
        "frame": frame,
    }


def _svg_points(points: np.ndarray, frame: Frame) -> str:
    x = PAD + (points[:, 1] - frame.west) * frame.scale_x / frame.span * frame.size
    y = PAD + (frame.north - points[:, 0]) / frame.span * frame.size
    xy = np.column_stack((x, y))
    return ",".join(map(str, np.rint(xy * 10).astype(np.int64).ravel().tolist()))


def coordinates(svg_points: str, frame: Frame) -> np.ndarray:
    """(lat, lon) rows of a drawn polyline's points: the inverse of the projection, to within the
    tenth of a pixel the points are rounded to."""
    numbers = np.fromstring(svg_points, dtype=np.int64, sep=",") if svg_points else np.empty(0)
    xy = numbers.astype(float).reshape(-1, 2) / 10
    lon = frame.west + (xy[:, 0] - PAD) * frame.span / frame.size / frame.scale_x
    lat = frame.north - (xy[:, 1] - PAD) * frame.span / frame.size
    return np.column_stack((lat, lon))
