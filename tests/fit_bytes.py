"""FIT files written byte by byte as the protocol describes them, for what fit-tool does not write:
compressed-timestamp headers, big-endian definitions, developer fields, hr messages with packed
12-bit event times — the way older Garmin watches and chest straps write them."""

import struct
from dataclasses import dataclass, field

from garmin_fit_sdk.crc_calculator import CrcCalculator

FIT_EPOCH_S = 631_065_600  # 1989-12-31T00:00:00Z in Unix seconds
# name → (base type byte, struct code)
TYPES = {
    "u1": (0x02, "B"),
    "u2": (0x84, "H"),
    "u4": (0x86, "I"),
    "i4": (0x85, "i"),
    "byte": (0x0D, "B"),
}


@dataclass(frozen=True)
class Message:
    """A local message type: its global number and fields (number, type, count)."""

    local: int
    global_num: int
    fields: tuple[tuple[int, str, int], ...]
    big_endian: bool = False
    developer: tuple[tuple[int, int, int], ...] = field(default=())  # (number, size, index)

    def definition(self) -> bytes:
        order = ">" if self.big_endian else "<"
        header = 0x40 | (0x20 if self.developer else 0) | self.local
        out = struct.pack(f"{order}BBBHB", header, 0, int(self.big_endian), self.global_num, 0)
        out = out[:-1] + bytes([len(self.fields)])
        for number, kind, count in self.fields:
            out += bytes([number, struct.calcsize(TYPES[kind][1]) * count, TYPES[kind][0]])
        if self.developer:
            out += bytes([len(self.developer)])
            for number, size, index in self.developer:
                out += bytes([number, size, index])
        return out

    def data(self, values: dict, developer: bytes = b"", time_offset: int | None = None) -> bytes:
        """A data message; a value left out is written as the type's invalid value; with
        `time_offset` the header is a compressed-timestamp one (local types 0–3 only)."""
        order = ">" if self.big_endian else "<"
        out = (
            bytes([0x80 | self.local << 5 | time_offset])
            if time_offset is not None
            else bytes([self.local])
        )
        for number, kind, count in self.fields:
            code = TYPES[kind][1]
            invalid = {"B": 0xFF, "H": 0xFFFF, "I": 0xFFFF_FFFF, "i": 0x7FFF_FFFF}[code]
            value = values.get(number, [invalid] * count)
            items = value if isinstance(value, (list, tuple, bytes)) else [value]
            out += struct.pack(f"{order}{count}{code}", *items)
        size = sum(size for _, size, _ in self.developer)
        return out + developer.ljust(size, b"\0")


def fit_file(messages: bytes, header_size: int = 14) -> bytes:
    """`messages` with a header (its CRC computed) and the file CRC."""
    header = bytes([header_size, 0x20]) + struct.pack("<HI", 2132, len(messages)) + b".FIT"
    if header_size == 14:
        header += struct.pack("<H", CrcCalculator.calculate_crc(header, 0, 12))
    body = header + messages
    return body + struct.pack("<H", CrcCalculator.calculate_crc(body, 0, len(body)))


def pack_12(values: list[int]) -> list[int]:
    """12-bit values packed little-endian into bytes, as event_timestamp_12 carries them."""
    bits = sum((v & 0xFFF) << (12 * i) for i, v in enumerate(values))
    return list(bits.to_bytes(len(values) * 12 // 8, "little"))
