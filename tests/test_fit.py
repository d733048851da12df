"""FIT files as other watches write them: a header CRC left at 0, chained files, no heart-rate
sensor (written with fit-tool, an independent encoder, then shaped byte by byte as the protocol
allows); compressed timestamps, big-endian and developer fields, a chest strap's hr messages
(written byte by byte, tests/fit_bytes.py), read as fitdecode and Garmin's SDK read them."""

import io

import fitdecode
import pytest
from fit_bytes import Message, fit_file, pack_12
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.profile_type import FileType, Manufacturer
from garmin_fit_sdk import Decoder, Stream
from garmin_fit_sdk.crc_calculator import CrcCalculator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import rows

from coros_dashboard.coros import fit as fit_module
from coros_dashboard.coros.fit import KEYS, SEMICIRCLE, check_integrity, parse_fit
from coros_dashboard.errors import DashboardError

START_MS = 1_763_000_000_000


def read(data: bytes) -> list[dict]:
    return rows(parse_fit(data))


def fit(records: int = 30, hr: int | None = 140, odd: dict | None = None) -> bytes:
    """A run of `records` seconds; `odd` {index: timestamp in ms} gives some records another
    time."""
    builder = FitFileBuilder(auto_define=True)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.time_created = START_MS
    file_id.serial_number = 1
    builder.add(file_id)
    for i in range(records):
        record = RecordMessage()
        record.timestamp = (odd or {}).get(i, START_MS + i * 1000)
        record.position_lat, record.position_long = 52.5 + i * 1e-4, 13.4
        record.distance, record.speed = i * 3.0, 3.0
        if hr is not None:
            record.heart_rate = hr
        builder.add(record)
    return builder.build().to_bytes()


def with_14_byte_header(data: bytes, header_crc: int | None) -> bytes:
    """fit-tool's 12-byte header rewritten as the 14-byte one most watches write, its CRC given
    (0: "not computed") or computed, and the file CRC computed again over the new bytes."""
    assert data[0] == 12
    header = bytes([14]) + data[1:12]
    crc = CrcCalculator.calculate_crc(header, 0, 12) if header_crc is None else header_crc
    body = header + crc.to_bytes(2, "little") + data[12:-2]
    return body + CrcCalculator.calculate_crc(body, 0, len(body)).to_bytes(2, "little")


@pytest.mark.parametrize("header_crc", [None, 0], ids=["computed", "left at 0"])
def test_a_14_byte_header_with_its_crc_computed_or_left_at_zero_is_read(header_crc):
    # 0 is "not computed", as a Forerunner 110 run or an Edge 800 ride has it
    samples = read(with_14_byte_header(fit(), header_crc))
    assert len(samples) == 30 and samples[-1]["t"] == 29 and samples[0]["hr"] == 140


def test_a_wrong_header_crc_is_still_damage():
    data = with_14_byte_header(fit(), 0x1234)
    with pytest.raises(DashboardError, match="header checksum"):
        check_integrity(data)


def test_chained_files_are_checked_to_the_last():
    good = fit()
    assert len(parse_fit(good + good)) == 60  # both files' records
    broken = bytearray(fit(10))
    broken[-1] ^= 0xFF  # the second file's CRC is wrong
    with pytest.raises(DashboardError, match="damaged"):
        parse_fit(good + bytes(broken))
    with pytest.raises(DashboardError, match="cut short"):
        parse_fit(good + fit(10)[:-5])


def test_heart_rate_zero_is_not_measured():
    samples = read(fit(hr=0))  # a ride without a sensor
    assert samples and all(s["hr"] is None for s in samples)


def test_a_record_at_the_fit_epoch_or_in_2100_does_not_shift_the_run():
    fit_epoch_ms, year_2100_ms = 631_065_600_000, 4_102_444_800_000
    samples = read(fit(odd={0: fit_epoch_ms, 15: year_2100_ms}))
    assert [s["t"] for s in samples] == [i - 1 for i in range(1, 30) if i != 15]  # from record 1


# --- byte by byte: what fit-tool does not write -------------------------------------------------

T0 = 1_100_000_000  # FIT seconds: 2024-11-08
FILE_ID = Message(0, 0, ((0, "u1", 1), (4, "u4", 1)))  # type, time_created
FULL = Message(1, 20, ((253, "u4", 1), (5, "u4", 1), (3, "u1", 1)))  # timestamp, distance, hr
SHORT = Message(2, 20, ((5, "u4", 1), (3, "u1", 1)))  # no timestamp: its header has the time


def compressed_run(seconds: int = 3_600) -> bytes:
    """A run as a Forerunner 405 writes it: one full timestamp, then a record a second whose time
    is the header's 5-bit offset (rolling over every 32 s), a full one now and then."""
    out = FILE_ID.definition() + FILE_ID.data({0: 4, 4: T0})
    out += FULL.definition() + SHORT.definition()
    for i in range(seconds):
        t, values = T0 + i, {5: round(i * 284.7), 3: 130 + i % 20}
        out += FULL.data({253: t, **values}) if i % 600 == 0 else SHORT.data(values, b"", t & 0x1F)
    return fit_file(out)


def fitdecode_records(data: bytes) -> list[tuple]:
    """(seconds from the first record, distance m, heart rate) as fitdecode reads them."""
    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        rows = [
            (
                m.get_value("timestamp"),
                m.get_value("distance"),
                m.get_value("heart_rate", fallback=None),
            )
            for m in reader
            if isinstance(m, fitdecode.FitDataMessage) and m.name == "record"
        ]
    return [((t - rows[0][0]).total_seconds(), d, hr) for t, d, hr in rows]


def test_compressed_timestamps_are_read_as_fitdecode_reads_them():
    data = compressed_run()
    samples = read(data)
    expected = fitdecode_records(data)
    assert len(samples) == len(expected) == 3_600
    assert [(s["t"], s["d"], s["hr"]) for s in samples] == expected
    assert samples[-1]["d"] == round(3_599 * 284.7) / 100  # a 10.25 km run, every second


def test_a_compressed_time_before_any_time_is_refused():
    data = fit_file(SHORT.definition() + SHORT.data({5: 0}, b"", 3))
    with pytest.raises(DashboardError, match="compressed time before any time"):
        parse_fit(data)


def test_big_endian_definitions_and_developer_fields_are_read_as_fitdecode_reads_them():
    # a Stryd footpod's power arrives as a developer field; some watches write big-endian
    record = Message(
        0, 20, ((253, "u4", 1), (0, "i4", 1), (1, "i4", 1), (5, "u4", 1), (7, "u2", 1)), True
    )
    with_developer = Message(1, 20, ((253, "u4", 1), (5, "u4", 1)), developer=((0, 2, 0),))
    developer_id = Message(2, 207, ((3, "u1", 1),))  # developer_data_index
    description = Message(3, 206, ((0, "u1", 1), (1, "u1", 1), (2, "u1", 1)))
    out = developer_id.definition() + developer_id.data({3: 0})
    out += description.definition() + description.data({0: 0, 1: 0, 2: 132})  # field 0: uint16
    out += record.definition() + with_developer.definition()
    lat, lon = round(52.5 / SEMICIRCLE), round(13.4 / SEMICIRCLE)
    for i in range(60):
        if i % 2:
            out += with_developer.data({253: T0 + i, 5: i * 300}, (250 + i).to_bytes(2, "little"))
        else:
            out += record.data({253: T0 + i, 0: lat + i, 1: lon, 5: i * 300, 7: 240})
    data = fit_file(out)
    samples = read(data)
    assert [(s["t"], s["d"]) for s in samples] == [(t, d) for t, d, _ in fitdecode_records(data)]
    assert samples[0]["lat"] == pytest.approx(52.5, abs=1e-6) and samples[0]["pw"] == 240
    assert samples[1]["lat"] is None and samples[1]["pw"] is None


def swim_with_chest_strap(beats: int = 400, every_s: float = 0.8, chained: bool = False) -> bytes:
    """A pool swim: records without heart rate (the watch's sensor is under water) and the strap's
    beats stored and sent afterwards as hr messages — one anchor, then 8 beats per message with
    12-bit event times in 1/1024 s; `chained`: the beats in a second file of the chain."""
    record = Message(0, 20, ((253, "u4", 1), (5, "u4", 1)))
    anchor = Message(1, 132, ((253, "u4", 1), (0, "u2", 1), (9, "u4", 1), (6, "u1", 1)))
    packed = Message(2, 132, ((10, "byte", 12), (6, "u1", 8)))
    seconds = int(beats * every_s) + 2
    records = record.definition()
    for i in range(seconds):
        records += record.data({253: T0 + i, 5: i * 80})
    start_event = 5_000_000  # the strap's own clock, 1/1024 s
    events = [start_event + round(i * every_s * 1024) for i in range(beats)]
    bpm = [120 + (i * 7) % 40 for i in range(beats)]
    strap = anchor.definition() + packed.definition()
    strap += anchor.data({253: T0, 0: 16_384, 9: events[0], 6: bpm[0]})  # at T0 + 0.5 s
    for at in range(1, beats - 7, 8):
        strap += packed.data({10: pack_12(events[at : at + 8]), 6: bpm[at : at + 8]})
    return fit_file(records) + fit_file(strap) if chained else fit_file(records + strap)


def test_heart_rate_in_hr_messages_is_merged_as_garmins_sdk_merges_it():
    data = swim_with_chest_strap()
    samples = read(data)
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read(
        merge_heart_rates=True, convert_datetimes_to_dates=False
    )
    assert not errors
    sdk = [r.get("heart_rate") for r in messages["record_mesgs"]]
    ours = [s["hr"] for s in samples]
    assert sum(hr is not None for hr in ours) >= 310  # of 322 records, the strap's ~5 minutes
    # the SDK leaves the record holding the very last beats unset; every other one agrees
    last = max(i for i, hr in enumerate(sdk) if hr is not None)
    assert ours[: last + 1] == sdk[: last + 1]
    assert all(hr is None for hr in ours[last + 2 :])


def test_records_stop_at_a_weeks_worth(monkeypatch):
    monkeypatch.setattr(fit_module, "MAX_SAMPLES", 500)
    tiny = Message(0, 20, ((5, "u4", 1),))  # 5-byte records: a header and a distance
    out = FULL.definition() + FULL.data({253: T0, 5: 0})
    out += tiny.definition() + b"".join(tiny.data({5: i}, b"", i & 0x1F) for i in range(1, 2_000))
    samples = read(fit_file(out))
    assert len(samples) == 500 and samples[-1]["t"] == 499


def test_a_chain_of_files_is_read_only_to_a_weeks_worth(monkeypatch):
    """A hostile chain of big files must not cost each file's week: the reader stops walking."""
    monkeypatch.setattr(fit_module, "MAX_SAMPLES", 500)
    walked = []
    find = fit_module.find_messages
    monkeypatch.setattr(
        fit_module, "find_messages", lambda *args: walked.append(args[-1]) or find(*args)
    )
    tiny = Message(0, 20, ((5, "u4", 1),))
    out = FULL.definition() + FULL.data({253: T0, 5: 0})
    out += tiny.definition() + b"".join(tiny.data({5: i}, b"", i & 0x1F) for i in range(1, 300))
    samples = read(fit_file(out) * 5)  # 300 records in each of five chained files
    assert len(samples) == 500 and walked == [500, 200]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_damage_behind_good_checksums_is_one_line_or_samples(data):
    """The reader walks bytes itself: whatever a file says, its answer is samples or one line."""
    body = bytearray(compressed_run(40)[14:-2] + swim_with_chest_strap(24)[14:-2])
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(body) - 1))
        body[at] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(body) // 2, len(body)))
    try:
        samples = read(fit_file(bytes(body[:cut])))
    except DashboardError as error:
        assert "\n" not in str(error)
    else:
        assert all(set(s) == set(KEYS) for s in samples)


def test_compressed_speed_and_distance_are_read_as_fitdecode_reads_them():
    """A Forerunner 305 with a foot pod: speed and distance packed in 3 bytes, the distance's 12
    bits (1/16 m) rolling over every 256 m."""
    record = Message(0, 20, ((253, "u4", 1), (8, "byte", 3)))
    out = record.definition()
    for i in range(600):
        speed, sixteenths = 320, round(i * 3.2 * 16)  # 3.2 m/s
        packed = speed | (sixteenths & 0xFFF) << 12
        out += record.data({253: T0 + i, 8: list(packed.to_bytes(3, "little"))})
    data = fit_file(out)
    samples = read(data)
    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        expected = [
            (m.get_value("distance"), m.get_value("speed"))
            for m in reader
            if isinstance(m, fitdecode.FitDataMessage) and m.name == "record"
        ]
    assert [(s["d"], s["v"]) for s in samples] == expected
    assert samples[-1]["d"] == pytest.approx(599 * 3.2, abs=0.1) and samples[-1]["v"] == 3.2


def test_heart_rate_in_a_later_file_of_the_chain_fills_the_records():
    """A watch that writes the records, then chains the strap's beats as a second file."""
    chained = swim_with_chest_strap(chained=True)
    ours = [s["hr"] for s in read(chained)]
    assert sum(hr is not None for hr in ours) >= 310  # as many as in one file
    assert ours == [s["hr"] for s in read(swim_with_chest_strap())]
    messages, errors = Decoder(Stream.from_byte_array(bytearray(chained))).read(
        merge_heart_rates=True, convert_datetimes_to_dates=False
    )
    assert not errors
    sdk = [r.get("heart_rate") for r in messages["record_mesgs"]]
    last = max(i for i, hr in enumerate(sdk) if hr is not None)
    assert ours[: last + 1] == sdk[: last + 1]
