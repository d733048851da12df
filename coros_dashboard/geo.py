"""Points on the Earth: great-circle distances and routes as stored (precision-5 encoded polylines)."""

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
