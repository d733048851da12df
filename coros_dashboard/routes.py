"""Routes as stored (encoded polylines) and as drawn (SVG points in a box, north up)."""

import math

ROUTE_BOX = 320


def decode_route(encoded: str) -> list:
    import polyline

    try:
        return polyline.decode(encoded, 5)
    except (ValueError, IndexError, TypeError):
        return []


def route_svg(points: list, box: int = ROUTE_BOX) -> dict | None:
    """Points of the route projected into a box (north up, metres kept square), as an SVG points string."""
    if len(points) < 2:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    west, north = min(lons), max(lats)
    scale_x = math.cos(math.radians(sum(lats) / len(lats)))
    width, height = (max(lons) - west) * scale_x, north - min(lats)
    span = max(width, height) or 1e-9
    pad = 8
    size = box - 2 * pad
    k_x, k_y = scale_x / span * size, size / span
    coords = " ".join(f"{pad + (lon - west) * k_x:.1f},{pad + (north - lat) * k_y:.1f}" for lat, lon in points)
    return {"points": coords, "width": round(2 * pad + width / span * size),
            "height": round(2 * pad + height / span * size)}
