"""Points on the Earth: great-circle distances and routes as stored (precision-5 encoded
polylines)."""

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

EARTH_M = 6_371_000
NO_ROUTE = np.empty((0, 2))


def metres_between(a: Any, b: Any) -> Any:
    """Great-circle distance in metres between (lat, lon) points; either may be an array of them."""
    a, b = np.radians(np.asarray(a, dtype=float)), np.radians(np.asarray(b, dtype=float))
    lat1, lon1, lat2, lon2 = a[..., 0], a[..., 1], b[..., 0], b[..., 1]
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_M * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def moved_by(point: tuple[float, float], metres: float, bearing: float) -> tuple[float, float]:
    """The point `metres` away in direction `bearing` (radians from north), on a sphere."""
    lat, lon = math.radians(point[0]), math.radians(point[1])
    d = metres / EARTH_M
    lat2 = math.asin(math.sin(lat) * math.cos(d) + math.cos(lat) * math.sin(d) * math.cos(bearing))
    lon2 = lon + math.atan2(
        math.sin(bearing) * math.sin(d) * math.cos(lat),
        math.cos(d) - math.sin(lat) * math.sin(lat2),
    )
    return math.degrees(lat2), (math.degrees(lon2) + 540) % 360 - 180


def encode_route(points: Iterable[Sequence[float]]) -> str:
    """(lat, lon) points as a precision-5 encoded polyline, the stored form of a route."""
    import polyline  # only where a route is written

    return polyline.encode([(p[0], p[1]) for p in points], 5)


def decode_route(encoded: str) -> np.ndarray:
    """(lat, lon) rows of a precision-5 encoded polyline; an empty array when it is not one.

    The `polyline` package encodes routes at fetch time; decoding every route at build time is the
    build's hot loop, so it is done here in a few vectorised numpy steps (tests hold it equal to the
    package's decoder).
    """
    try:
        codes = np.frombuffer(encoded.encode("ascii"), dtype=np.uint8).astype(np.int64) - 63
    except (AttributeError, UnicodeEncodeError):
        return NO_ROUTE
    if codes.size == 0 or codes.min() < 0 or codes.max() > 63 or codes[-1] >= 0x20:
        return NO_ROUTE
    ends = np.flatnonzero(
        codes < 0x20
    )  # the last 5-bit chunk of each number has no continuation bit
    if ends.size % 2:
        return NO_ROUTE
    starts = np.concatenate(([0], ends[:-1] + 1))
    number = np.repeat(np.arange(ends.size), ends - starts + 1)
    shift = 5 * (np.arange(codes.size) - starts[number])
    if shift.max() > 30:
        return NO_ROUTE
    values = np.bincount(number, weights=(codes & 0x1F) << shift).astype(
        np.int64
    )  # exact below 2**53
    deltas = np.where(values & 1, ~(values >> 1), values >> 1)
    return np.cumsum(deltas.reshape(-1, 2), axis=0) / 1e5


def split_at_jumps(points: Any, max_step_m: float) -> list[Any]:
    """A route as stored before it was kept in segments (format 1): split wherever consecutive
    points are further apart than `max_step_m`, where points were removed."""
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(points) < 2:
        return []
    steps = metres_between(points[:-1], points[1:])
    pieces = np.split(points, np.flatnonzero(steps > max_step_m) + 1)
    return [piece for piece in pieces if len(piece) >= 2]


def nearest_on_segments_m(segments: list[Any], centre: Sequence[float]) -> float:
    """The least distance in metres from `centre` to any point of any drawn line (every point and
    every straight piece between consecutive points), in a local flat projection around `centre`
    (longitudes the short way round): exact enough at the few kilometres a privacy zone spans."""
    lat0, lon0 = float(centre[0]), float(centre[1])
    scale = np.array([EARTH_M * np.pi / 180, EARTH_M * np.pi / 180 * np.cos(np.radians(lat0))])
    best = np.inf
    for segment in segments:
        xy = np.asarray(segment, dtype=float).reshape(-1, 2) - (lat0, lon0)
        xy[:, 1] = (xy[:, 1] + 180) % 360 - 180  # across the antimeridian, the short way
        xy *= scale
        if len(xy) == 1:
            best = min(best, float(np.hypot(*xy[0])))
            continue
        a, b = xy[:-1], xy[1:]
        ab = b - a
        length2 = np.einsum("ij,ij->i", ab, ab)
        t = np.clip(
            np.divide(
                -np.einsum("ij,ij->i", a, ab), length2, where=length2 > 0, out=np.zeros(len(a))
            ),
            0,
            1,
        )
        nearest = a + ab * t[:, None]
        best = min(best, float(np.hypot(nearest[:, 0], nearest[:, 1]).min()))
    return best
