"""Routes as drawn: SVG points in a box, north up."""

import numpy as np

ROUTE_BOX = 320


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
    xy = np.column_stack(
        (pad + (lon - west) * scale_x / span * size, pad + (north - lat) / span * size)
    )
    return {
        "points": ",".join(map(str, np.rint(xy * 10).astype(np.int64).ravel().tolist())),
        "width": round(2 * pad + width / span * size),
        "height": round(2 * pad + height / span * size),
    }
