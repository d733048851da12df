"""The site as a phone app: a web app manifest, its icons and a service worker.

- Installable: `manifest.webmanifest` (the dashboard's title, standalone, both schemes' colours)
  and icons at 180, 192 and 512 px plus a maskable 512 px one, drawn here from one description
  (numpy into PNG): the same bytes on every build.
- Offline and cheap on a repeat visit: `sw.js` (written out from `templates/sw.js`) keeps the
  content-hashed assets cache-first, and fetches pages network-first with a 3 s timeout, falling
  back to the copy it kept, which the page then says is offline. A hand-written worker of ~60
  lines rather than Workbox: the build runs in Python where Node is not guaranteed (`make demo`
  needs none), and the two strategies it needs are a few lines each.
"""

import hashlib
import json
import struct
import zlib

import numpy as np

from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.site.theme import PALETTE

ICON_SIZES = (180, 192, 512)
MASKABLE = 512


def png(pixels: np.ndarray) -> bytes:
    """RGB(A) pixels (height × width × channels, uint8) as a PNG, deterministically."""
    height, width, channels = pixels.shape
    rows = pixels.reshape(height, width * channels)
    raw = np.hstack([np.zeros((height, 1), np.uint8), rows]).tobytes()  # filter 0 on every row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    colour = {3: 2, 4: 6}[channels]
    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


PULSE = np.array(  # the mark: a heartbeat across the tile, in tile coordinates 0…1
    [(0.16, 0.56), (0.36, 0.56), (0.44, 0.34), (0.54, 0.74), (0.62, 0.48), (0.68, 0.56),
     (0.84, 0.56)]
)  # fmt: skip


def icon(size: int, maskable: bool = False) -> bytes:
    """The app's icon: a heartbeat line on the accent colour. Maskable: full bleed, the mark kept
    inside the central 80 % a launcher may crop to; else a rounded tile."""
    scale = 0.8 if maskable else 1.0
    y, x = (np.mgrid[0:size, 0:size] + 0.5) / size
    mark_x, mark_y = (x - 0.5) / scale + 0.5, (y - 0.5) / scale + 0.5
    distance = np.full(x.shape, np.inf)
    for (ax, ay), (bx, by) in zip(PULSE[:-1], PULSE[1:], strict=True):
        dx, dy = bx - ax, by - ay
        t = np.clip(((mark_x - ax) * dx + (mark_y - ay) * dy) / (dx * dx + dy * dy), 0, 1)
        distance = np.minimum(distance, np.hypot(mark_x - ax - t * dx, mark_y - ay - t * dy))
    half = 0.045  # the line's half width, in tile units
    line = np.clip((half - distance) * size * scale + 0.5, 0, 1)[..., None]
    tile = np.ones(x.shape)
    if not maskable:  # a rounded square, its corners anti-aliased
        r = 0.22
        cx, cy = np.clip(x, r, 1 - r), np.clip(y, r, 1 - r)
        tile = np.clip((r - np.hypot(x - cx, y - cy)) * size + 0.5, 0, 1)
    accent, white = _rgb(str(PALETTE["light"]["accent"])), np.array([255.0, 255.0, 255.0])
    rgb = accent * (1 - line) + white * line
    alpha = tile[..., None] * 255
    return png(np.concatenate([rgb, alpha], axis=2).round().astype(np.uint8))


def icon_files() -> dict[str, bytes]:
    files = {f"icons/icon-{s}.png": icon(s) for s in ICON_SIZES}
    files[f"icons/maskable-{MASKABLE}.png"] = icon(MASKABLE, maskable=True)
    return files


def manifest(title: str) -> bytes:
    """The web app manifest: what "Add to Home Screen" installs."""
    light = PALETTE["light"]
    doc: JsonObject = {
        "name": title,
        "short_name": title if len(title) <= 12 else "Training",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": light["bg"],
        "theme_color": light["bg"],
        "icons": [
            *(
                {"src": f"icons/icon-{s}.png", "sizes": f"{s}x{s}", "type": "image/png"}
                for s in ICON_SIZES
            ),
            {
                "src": f"icons/maskable-{MASKABLE}.png",
                "sizes": f"{MASKABLE}x{MASKABLE}",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def worker(template: str, assets: list[str]) -> bytes:
    """sw.js for this build: its version names the build's assets, so a new deploy is a new
    worker, which the browser installs on the next visit."""
    version = hashlib.sha256("\n".join(sorted(assets)).encode()).hexdigest()[:12]
    return template.replace("{{ version }}", version).encode("utf-8")
