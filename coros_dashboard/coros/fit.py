"""FIT activity files → samples: what the detail phase reads of a watch's recording.

The reader walks the protocol's messages itself — normal and compressed-timestamp headers, either
byte order, developer fields stepped over, chained files — and gathers the record fields of all
messages of one definition at once with numpy. Chosen on evidence (docs/benchmarks.md): Garmin's
SDK refuses compressed timestamps and reads ~36k records/s in pure Python, fitdecode ~16k/s; this
reads the same records an order of magnitude faster. Both libraries read the tests' files as the
oracles this reader is compared with.
"""

import struct
from array import array
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from coros_dashboard.errors import DashboardError
from coros_dashboard.store.datafiles import MAX_SAMPLES

EVERY_S = 10  # stream resolution: one point per 10 s
SEMICIRCLE = 180 / 2**31
WEEK_S = 7 * 86_400
RECORD, HR = 20, 132  # global message numbers
TIMESTAMP = 253
# base type number (low 5 bits of the byte) → numpy type and the raw value meaning "invalid"
BASE_TYPES: dict[int, tuple[str, int | None]] = {
    0: ("u1", 0xFF),  # enum
    1: ("i1", 0x7F),
    2: ("u1", 0xFF),
    3: ("i2", 0x7FFF),
    4: ("u2", 0xFFFF),
    5: ("i4", 0x7FFF_FFFF),
    6: ("u4", 0xFFFF_FFFF),
    8: ("f4", None),  # invalid: all bits set, a NaN
    9: ("f8", None),
    10: ("u1", 0),  # uint8z
    11: ("u2", 0),
    12: ("u4", 0),
    13: ("u1", 0xFF),  # byte
    14: ("i8", 0x7FFF_FFFF_FFFF_FFFF),
    15: ("u8", 0xFFFF_FFFF_FFFF_FFFF),
    16: ("u8", 0),
}
# record field → (sample key, scale, offset): value = raw / scale - offset, as the profile says
RECORD_FIELDS = {
    0: ("lat", 1, 0),
    1: ("lon", 1, 0),
    2: ("alt", 5, 500),
    3: ("hr", 1, 0),
    4: ("cad", 1, 0),
    5: ("d", 100, 0),
    6: ("v", 1000, 0),
    7: ("pw", 1, 0),
    73: ("enhanced_v", 1000, 0),
    78: ("enhanced_alt", 5, 500),
}
KEYS = ("t", "lat", "lon", "d", "hr", "v", "alt", "cad", "pw")


@dataclass(frozen=True)
class Field:
    offset: int  # in the message's content
    size: int
    dtype: str  # numpy type with byte order, e.g. "<u4"
    invalid: int | None


@dataclass(frozen=True)
class Definition:
    global_num: int
    size: int  # bytes of a data message's content, developer fields included
    fields: dict[int, Field]

    def timestamp_reader(self) -> struct.Struct | None:
        f = self.fields.get(TIMESTAMP)
        if f is None or f.dtype[1:] != "u4":
            return None
        return struct.Struct(f"{f.dtype[0]}{'x' * f.offset}I")


@dataclass
class Messages:
    """Where the record and hr messages of a file start, with each one's definition and the
    timestamp its compressed header gives (-1 for a normal header)."""

    definitions: list[Definition]
    record_at: "array[int]"
    record_definition: "array[int]"
    record_header_time: "array[int]"
    hr: list[tuple[Definition, int]]


@dataclass(frozen=True)
class Recording:
    """A watch's samples as columns in the order written: `t` whole seconds from the start, and
    lat, lon (degrees), d (m), hr (bpm), v (m/s), alt (m), cad (rpm), pw (W), NaN where not
    measured. Columns keep a week at one a second in ~40 MB, where one dict per sample took GBs."""

    t: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    d: np.ndarray
    hr: np.ndarray
    v: np.ndarray
    alt: np.ndarray
    cad: np.ndarray
    pw: np.ndarray

    def __len__(self) -> int:
        return len(self.t)

    def column(self, key: str) -> np.ndarray:
        return getattr(self, key)

    def take(self, index: np.ndarray | slice) -> "Recording":
        return Recording(*(self.column(key)[index] for key in KEYS))

    @classmethod
    def empty(cls) -> "Recording":
        return cls(np.zeros(0, dtype=np.int64), *(np.zeros(0) for _ in KEYS[1:]))

    @classmethod
    def joined(cls, parts: list["Recording"]) -> "Recording":
        if len(parts) == 1:
            return parts[0]
        return cls(*(np.concatenate([p.column(key) for p in parts]) for key in KEYS))

    @classmethod
    def from_rows(cls, rows: list[dict[str, float | None]]) -> "Recording":
        """Samples given as dicts (a key left out or None: not measured), as tests and the
        emulator's streams write them."""
        t = np.array([row["t"] for row in rows], dtype=np.int64)
        return cls(
            t,
            *(
                np.array([np.nan if row.get(key) is None else row[key] for row in rows], float)
                for key in KEYS[1:]
            ),
        )


def check_integrity(data: bytes) -> list[tuple[int, int]]:
    """Every file of a FIT file — a watch may chain several — whole and with its checksums right;
    the (start, end) of each file's messages.

    The protocol lets a writer leave the header's CRC at 0 ("not computed"): such a header is
    checked by the file CRC alone, as the SDK's own reader does."""
    from fastcrc import crc16

    at, parts = 0, []
    while at < len(data):
        size = data[at]
        if size not in (12, 14) or len(data) < at + size or data[at + 8 : at + 12] != b".FIT":
            raise DashboardError("the FIT file is damaged: a part of it has no FIT header")
        end = at + size + int.from_bytes(data[at + 4 : at + 8], "little")
        if end + 2 > len(data):
            raise DashboardError("the FIT file is damaged or cut short")
        header_crc = int.from_bytes(data[at + 12 : at + 14], "little") if size == 14 else 0
        if header_crc and header_crc != crc16.arc(data[at : at + 12]):
            raise DashboardError("the FIT file is damaged: its header checksum is wrong")
        if int.from_bytes(data[end : end + 2], "little") != crc16.arc(data[at:end]):
            raise DashboardError("the FIT file is damaged or cut short")
        parts.append((at + size, end))
        at = end + 2
    return parts


def _definition(data: bytes, at: int, end: int, developer: bool) -> tuple[Definition, int]:
    """The definition message whose content starts at `at`, and where the next message starts."""
    cut = DashboardError("the FIT file could not be read (a definition is cut short)")
    if at + 5 > end or at + 5 + 3 * data[at + 4] + developer > end:
        raise cut
    order = ">" if data[at + 1] == 1 else "<"
    global_num = int.from_bytes(data[at + 2 : at + 4], "big" if order == ">" else "little")
    count, at = data[at + 4], at + 5
    fields, offset = {}, 0
    for i in range(count):
        number, size, base = data[at + 3 * i : at + 3 * i + 3]
        kind = BASE_TYPES.get(base & 0x1F)
        if kind and size and size % int(kind[0][1]) == 0:
            fields[number] = Field(offset, size, order + kind[0], kind[1])
        offset += size
    at += 3 * count
    if developer:
        dev_count = data[at]
        if at + 1 + 3 * dev_count > end:
            raise cut
        offset += sum(data[at + 2 + 3 * i] for i in range(dev_count))
        at += 1 + 3 * dev_count
    return Definition(global_num, offset, fields), at


def find_messages(data: bytes, start: int, end: int, limit: int = MAX_SAMPLES) -> Messages:
    """One pass over a file's messages: a step per message, no field read but the timestamps a
    compressed header counts from. Stops at `limit` records (at most a week at one a second), so
    a file of millions of tiny records costs no more than a week's recording."""
    found = Messages([], array("q"), array("q"), array("q"), [])
    local: dict[int, tuple[int, Definition, struct.Struct | None]] = {}
    last_time = -1
    at = start
    while at < end:
        header = data[at]
        at += 1
        if header & 0x40 and not header & 0x80:  # a definition
            definition, at = _definition(data, at, end, bool(header & 0x20))
            found.definitions.append(definition)
            local[header & 0x0F] = (
                len(found.definitions) - 1,
                definition,
                definition.timestamp_reader(),
            )
            continue
        compressed = header & 0x80
        known = local.get((header >> 5) & 0x03 if compressed else header & 0x0F)
        if known is None:
            raise DashboardError("the FIT file could not be read (a message without definition)")
        index, definition, stamp = known
        if at + definition.size > end:
            raise DashboardError("the FIT file could not be read (a message is cut short)")
        header_time = -1
        if compressed:
            if last_time < 0:
                raise DashboardError(
                    "the FIT file could not be read (a compressed time before any time)"
                )
            offset = header & 0x1F
            header_time = (last_time & ~0x1F) + offset + (0x20 if offset < last_time & 0x1F else 0)
            last_time = header_time
        elif stamp is not None:
            last_time = stamp.unpack_from(data, at)[0]
        if definition.global_num == RECORD:
            found.record_at.append(at)
            found.record_definition.append(index)
            found.record_header_time.append(header_time)
            if len(found.record_at) >= limit:
                break
        elif definition.global_num == HR:
            found.hr.append((definition, at))
        at += definition.size
    return found


def _gather(buf: np.ndarray, starts: np.ndarray, offset: int, width: int) -> np.ndarray:
    """`width` bytes at `offset` of each message starting at `starts`, one row per message."""
    return buf[starts[:, None] + np.arange(offset, offset + width)]


def _column(buf: np.ndarray, starts: np.ndarray, field: Field) -> tuple[np.ndarray, np.ndarray]:
    """The first value of `field` in each message starting at `starts`, and whether it is valid."""
    values = _gather(buf, starts, field.offset, int(field.dtype[2])).view(field.dtype).ravel()
    if field.invalid is None:
        return values, ~np.isnan(values)
    return values, values != field.invalid


def _records(data: bytes, found: Messages) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each record field as (values, valid) over the records in file order; `time` in FIT
    seconds."""
    n = len(found.record_at)
    buf = np.frombuffer(data, dtype=np.uint8)
    starts = np.frombuffer(found.record_at, dtype=np.int64)
    which = np.frombuffer(found.record_definition, dtype=np.int64)
    header_time = np.frombuffer(found.record_header_time, dtype=np.int64)
    columns = {
        key: (np.zeros(n), np.zeros(n, dtype=bool))
        for key, _, _ in [*RECORD_FIELDS.values(), ("time", 1, 0)]
    }
    for index in np.unique(which):
        definition = found.definitions[index]
        rows = np.flatnonzero(which == index)
        for number, (key, scale, offset) in [*RECORD_FIELDS.items(), (TIMESTAMP, ("time", 1, 0))]:
            field = definition.fields.get(number)
            if field is None or field.dtype[1] == "f" and key == "time":
                continue
            values, valid = _column(buf, starts[rows], field)
            target, ok = columns[key]
            target[rows] = values / scale - offset if scale != 1 or offset else values
            ok[rows] = valid
    _read_compressed_speed_distance(buf, starts, which, found.definitions, columns)
    time, ok = columns["time"]
    compressed = header_time >= 0
    time[compressed], ok[compressed] = header_time[compressed], True
    return columns


def _read_compressed_speed_distance(
    buf: np.ndarray,
    starts: np.ndarray,
    which: np.ndarray,
    definitions: list[Definition],
    columns: dict[str, tuple[np.ndarray, np.ndarray]],
) -> None:
    """Speed and distance of records that carry them packed in 3 bytes (compressed_speed_distance,
    as early Garmin watches with a foot pod write it): 12 bits of speed in 1/100 m/s and 12 bits
    of distance in 1/16 m that roll over, accumulated in file order. Records that say distance or
    speed themselves keep theirs."""
    packed = np.full((len(starts), 3), 0xFF, dtype=np.uint8)
    has = np.zeros(len(starts), dtype=bool)
    for index in np.unique(which):
        field = definitions[index].fields.get(8)
        if field is None or field.size < 3:
            continue
        rows = np.flatnonzero(which == index)
        packed[rows] = _gather(buf, starts[rows], field.offset, 3)
        has[rows] = True
    has &= ~(packed == 0xFF).all(axis=1)
    if not has.any():
        return
    b = packed[has].astype(np.int64)
    raw = (b[:, 1] >> 4) | (b[:, 2] << 4)
    metres = (raw[0] + np.concatenate([[0], np.cumsum(np.diff(raw) & 0xFFF)])) / 16
    for key, values in (("v", (b[:, 0] | (b[:, 1] & 0x0F) << 8) / 100), ("d", metres)):
        target, ok = columns[key]
        rows = np.flatnonzero(has)[~ok[has]]
        target[rows] = values[~ok[has]]
        ok[rows] = True


def _hr_values(
    data: bytes, definition: Definition, at: int, field: int, packed: bool = False
) -> list[Any]:
    """The field's valid values (an array field's every one); `packed` bytes are all kept, 0xFF
    being as good a byte as any other there."""
    f = definition.fields.get(field)
    if f is None:
        return []
    width = int(f.dtype[2])
    raw = np.frombuffer(data, dtype=f.dtype, count=f.size // width, offset=at + f.offset)
    return [int(v) for v in raw if packed or v != f.invalid]


def heart_beats(data: bytes, hr: list[tuple[Definition, int]]) -> tuple[np.ndarray, np.ndarray]:
    """A chest strap's beats from hr messages (swims, external monitors): FIT times in seconds and
    bpm, carried forward over gaps of up to 5 s in 250 ms steps, as Garmin's SDK merges them.

    An anchor message gives the time (timestamp + fractional_timestamp) of one event_timestamp;
    the following ones give event times as 12-bit deltas (event_timestamp_12), in 1/1024 s."""
    times: list[float] = []
    bpm: list[int] = []
    anchor_time = anchor_event = None
    event = 0  # the accumulated event_timestamp, 1/1024 s
    for definition, at in hr:
        beats = _hr_values(data, definition, at, 6)
        events = _hr_values(data, definition, at, 9)
        if events:
            event = events[-1]
        else:
            packed = _hr_values(data, definition, at, 10, packed=True)
            bits = int.from_bytes(bytes(packed), "little")
            for i in range(len(packed) * 8 // 12):
                chunk = (bits >> (12 * i)) & 0xFFF
                event += (chunk - event) & 0xFFF
                events.append(event)
        stamp = _hr_values(data, definition, at, TIMESTAMP)
        if stamp and len(events) == 1:
            fraction = _hr_values(data, definition, at, 0)
            anchor_time = stamp[0] + (fraction[0] / 32768 if fraction else 0)
            anchor_event = events[0] / 1024
        if anchor_time is None or anchor_event is None or len(events) != len(beats):
            continue  # beats without an anchor cannot be placed
        for raw, rate in zip(events, beats, strict=True):
            seconds = raw / 1024
            if seconds < anchor_event:
                seconds += 0x400000  # the 32-bit counter rolled over
            now = anchor_time + seconds - anchor_event
            if times:
                gap_ms, step = abs(now - times[-1]) * 1000, 1
                last_time, last_bpm = times[-1], bpm[-1]
                while gap_ms > 250 and step <= 20:
                    times.append(last_time + 0.25 * step)
                    bpm.append(last_bpm)
                    gap_ms -= 250
                    step += 1
            times.append(now)
            bpm.append(rate)
    order = np.argsort(times, kind="stable")  # a strap's clock read backwards stays in order
    return np.array(times)[order], np.array(bpm, dtype=np.int64)[order]


def merged_heart_rate(
    record_time: np.ndarray, beat_time: np.ndarray, beat_bpm: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each record's heart rate from the beats since the record before it (the rounded mean of
    those in (previous, this]; a first or repeated time looks back one second), and whether
    there were any."""
    previous = np.concatenate([[record_time[0] - 1], record_time[:-1]]).astype(float)
    previous = np.where(previous == record_time, record_time - 1, previous)
    low = np.searchsorted(beat_time, previous, side="right")
    high = np.searchsorted(beat_time, record_time, side="right")
    sums = np.concatenate([[0], np.cumsum(beat_bpm)])
    count = np.maximum(high - low, 0)
    total = np.where(count > 0, sums[np.maximum(high, low)] - sums[low], 0)
    mean = np.floor(total / np.maximum(count, 1) + 0.5).astype(np.int64)
    return mean, count > 0


def parse_fit(data: bytes) -> Recording:
    """FIT bytes → the recording (every file of a chain, one after the other); one-line errors."""
    if len(data) < 12 or data[8:12] != b".FIT":
        raise DashboardError("the activity file is not a FIT file")
    parts: list[Recording] = []
    hr: list[tuple[Definition, int]] = []  # every file's hr messages, in the chain's order
    wanted = MAX_SAMPLES  # a chain is read only until it holds a week of records
    for start, end in check_integrity(data):
        if wanted > 0:
            part, part_hr = _file_samples(data, start, end, wanted)
            parts.append(part)
            hr += part_hr
            wanted -= len(part)
    recording = Recording.joined(parts)  # t: FIT seconds
    if not len(recording):
        return recording
    if hr:  # a strap's beats may sit in a later file of the chain than the records they fill
        beat_time, beat_bpm = heart_beats(data, hr)
        if len(beat_time):
            merged, measured = merged_heart_rate(recording.t, beat_time, beat_bpm)
            hr_now = np.where(measured, merged, recording.hr)
            recording = replace(recording, hr=np.where(hr_now > 0, hr_now, np.nan))
    # the start is the first record near the rest: one written at the FIT epoch (1989) or in 2100
    # by a confused device must not shift every time by decades
    middle = np.sort(recording.t)[len(recording) // 2]
    recording = recording.take(np.abs(recording.t - middle) <= WEEK_S)
    return replace(recording, t=recording.t - recording.t.min())


def _file_samples(
    data: bytes, start: int, end: int, limit: int
) -> tuple[Recording, list[tuple[Definition, int]]]:
    """One file of a chain: its records, and its hr messages for the chain's merge."""
    try:
        found = find_messages(data, start, end, limit)
    except IndexError:
        raise DashboardError("the FIT file could not be read (a message is cut short)") from None
    if not found.record_at:
        return Recording.empty(), found.hr
    columns = _records(data, found)
    time, has_time = columns["time"]
    hr, has_hr = columns["hr"]
    columns["hr"] = (hr, has_hr & (hr > 0))  # 0 bpm: no sensor, not a heart rate
    for key in ("v", "alt"):
        enhanced, enhanced_ok = columns[f"enhanced_{key}"]
        plain, plain_ok = columns[key]
        columns[key] = (np.where(enhanced_ok, enhanced, plain), enhanced_ok | plain_ok)
    columns["lat"] = (columns["lat"][0] * SEMICIRCLE, columns["lat"][1])
    columns["lon"] = (columns["lon"][0] * SEMICIRCLE, columns["lon"][1])
    recording = Recording(
        time[has_time].astype(np.int64),
        **{
            key: np.where(ok, values, np.nan)[has_time]
            for key, (values, ok) in columns.items()
            if key in KEYS
        },
    )
    return recording, found.hr


def downsample(t: np.ndarray, every_s: int = EVERY_S) -> np.ndarray:
    """Indices of the first sample of every `every_s` seconds, and of the last one (`t` rising)."""
    if not len(t):
        return np.arange(0)
    bucket = t // every_s
    first = np.flatnonzero(np.concatenate([[True], bucket[1:] != bucket[:-1]]))
    return first if first[-1] == len(t) - 1 else np.append(first, len(t) - 1)
