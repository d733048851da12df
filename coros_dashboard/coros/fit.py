"""FIT activity files → samples: what the detail phase reads of a watch's recording."""

from typing import Any

from coros_dashboard.errors import DashboardError

EVERY_S = 10  # stream resolution: one point per 10 s
SEMICIRCLE = 180 / 2**31
WEEK_S = 7 * 86_400


def check_integrity(data: bytes) -> None:
    """Every file of a FIT file — a watch may chain several — whole and with its checksums right.

    The protocol lets a writer leave the header's CRC at 0 ("not computed"): such a header is
    checked by the file CRC alone, as the SDK's own reader does. (The SDK's integrity check
    compares the 0 anyway, and covers only the first of chained files.)"""
    from garmin_fit_sdk.crc_calculator import CrcCalculator

    at = 0
    while at < len(data):
        size = data[at]
        if size not in (12, 14) or len(data) < at + size or data[at + 8 : at + 12] != b".FIT":
            raise DashboardError("the FIT file is damaged: a part of it has no FIT header")
        end = at + size + int.from_bytes(data[at + 4 : at + 8], "little")
        if end + 2 > len(data):
            raise DashboardError("the FIT file is damaged or cut short")
        header_crc = int.from_bytes(data[at + 12 : at + 14], "little") if size == 14 else 0
        if header_crc and header_crc != CrcCalculator.calculate_crc(data, at, at + 12):
            raise DashboardError("the FIT file is damaged: its header checksum is wrong")
        if int.from_bytes(data[end : end + 2], "little") != CrcCalculator.calculate_crc(
            data, at, end
        ):
            raise DashboardError("the FIT file is damaged or cut short")
        at = end + 2


def parse_fit(data: bytes) -> list:
    """FIT bytes → samples {t (s from start), lat, lon, d (m), hr, v (m/s), alt (m), cad, pw (W)}; one-line
    errors."""
    # imported when a detail is fetched, not on every run
    from garmin_fit_sdk import Decoder, Stream

    if not data or not Decoder(Stream.from_byte_array(bytearray(data))).is_fit():
        raise DashboardError("the activity file is not a FIT file")
    check_integrity(data)
    # records as written: no second CRC while reading, no component or sub-field expansion and no
    # HR merging (a watch writes speed, distance and heart rate in the record itself) — twice as fast
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read(
        convert_datetimes_to_dates=False,
        convert_types_to_strings=False,
        enable_crc_check=False,
        expand_sub_fields=False,
        expand_components=False,
        merge_heart_rates=False,
    )
    if errors:
        raise DashboardError(f"the FIT file could not be read ({type(errors[0]).__name__})")
    records: list[Any] = [
        r for r in messages.get("record_mesgs", []) if isinstance(r.get("timestamp"), int)
    ]
    if not records:
        return []
    # the start is the first record near the rest: one written at the FIT epoch (1989) or in 2100
    # by a confused device must not shift every time by decades
    stamps = sorted(r["timestamp"] for r in records)
    middle = stamps[len(stamps) // 2]
    records = [r for r in records if abs(r["timestamp"] - middle) <= WEEK_S]
    start = min(r["timestamp"] for r in records)
    samples = []
    for r in records:
        lat, lon = r.get("position_lat"), r.get("position_long")
        samples.append(
            {
                "t": r["timestamp"] - start,
                "lat": lat * SEMICIRCLE if isinstance(lat, int) else None,
                "lon": lon * SEMICIRCLE if isinstance(lon, int) else None,
                "d": r.get("distance"),
                "hr": r.get("heart_rate") or None,  # 0 bpm: no sensor, not a heart rate
                "v": r.get("enhanced_speed", r.get("speed")),
                "alt": r.get("enhanced_altitude", r.get("altitude")),
                "cad": r.get("cadence"),
                "pw": r.get("power"),
            }
        )
    return samples


def downsample(samples: list, every_s: int = EVERY_S) -> list:
    """The first sample of every `every_s` seconds, and the last one."""
    out, next_t = [], 0
    for s in samples:
        if s["t"] >= next_t:
            out.append(s)
            next_t = s["t"] - s["t"] % every_s + every_s
    if samples and out[-1] is not samples[-1]:
        out.append(samples[-1])
    return out
