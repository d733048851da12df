"""Routes as stored (encoded polylines) and as drawn (SVG points in a box, north up)."""

import numpy as np

ROUTE_BOX = 320
NO_ROUTE = np.empty((0, 2))


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
    ends = np.flatnonzero(codes < 0x20)  # the last 5-bit chunk of each number has no continuation bit
    if ends.size % 2:
        return NO_ROUTE
    starts = np.concatenate(([0], ends[:-1] + 1))
    number = np.repeat(np.arange(ends.size), ends - starts + 1)
    shift = 5 * (np.arange(codes.size) - starts[number])
    if shift.max() > 30:
        return NO_ROUTE
    values = np.bincount(number, weights=(codes & 0x1F) << shift).astype(np.int64)  # exact below 2**53
    deltas = np.where(values & 1, ~(values >> 1), values >> 1)
    return np.cumsum(deltas.reshape(-1, 2), axis=0) / 1e5


def route_svg(points: np.ndarray, box: int = ROUTE_BOX) -> dict | None:
    """The route projected into a box (north up, metres kept square) as SVG points in tenths of a
    pixel: whole numbers, written fast and short."""
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(points) < 2:
        return None
    lat, lon = points[:, 0], points[:, 1]
    west, north = lon.min(), lat.max()
    scale_x = np.cos(np.radians(lat.mean()))
    width, height = (lon.max() - west) * scale_x, north - lat.min()
    span = max(width, height) or 1e-9
    pad = 8
    size = box - 2 * pad
    xy = np.column_stack((pad + (lon - west) * scale_x / span * size, pad + (north - lat) / span * size))
    return {"points": ",".join(map(str, np.rint(xy * 10).astype(np.int64).ravel().tolist())),
            "width": round(2 * pad + width / span * size), "height": round(2 * pad + height / span * size)}
