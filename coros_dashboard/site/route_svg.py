"""Routes as drawn: one SVG polyline per stored segment, in a box, north up; and the way back from
drawn points to coordinates, for the privacy gate that checks what the pages really draw."""

from dataclasses import dataclass

import numpy as np

from coros_dashboard.jsontypes import JsonObject

ROUTE_BOX = 320
PAD = 8


@dataclass(frozen=True)
class Frame:
    """How coordinates became SVG points: the box's north-west corner and its scale."""

    west: float
    north: float
    scale_x: float  # cos(latitude): metres kept square
    span: float  # degrees across the larger side
    size: float  # pixels across the larger side


def route_svg(segments: list[np.ndarray], box: int = ROUTE_BOX) -> JsonObject | None:
    """The route's segments projected into a box (north up, metres kept square) as SVG points in
    tenths of a pixel: whole numbers, written fast and short; a gap stays a gap."""
    pieces = [np.asarray(s, dtype=float).reshape(-1, 2) for s in segments]
    pieces = [p for p in pieces if len(p) >= 2]
    if not pieces:
        return None
    points = np.concatenate(pieces)
    lat, lon = points[:, 0], points[:, 1]
    west, north = lon.min(), lat.max()
    scale_x = np.cos(np.radians(lat.mean()))
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
