"""FIT files as other watches write them: a header CRC left at 0, chained files, no heart-rate sensor.
Written with fit-tool (an independent encoder), then shaped byte by byte as the protocol allows."""

import pytest
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.profile_type import FileType, Manufacturer
from garmin_fit_sdk.crc_calculator import CrcCalculator

from coros_dashboard.coros.fit import check_integrity, parse_fit
from coros_dashboard.errors import DashboardError

START_MS = 1_763_000_000_000


def fit(records: int = 30, hr: int | None = 140, odd: dict | None = None) -> bytes:
    """A run of `records` seconds; `odd` {index: timestamp in ms} gives some records another time."""
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
    samples = parse_fit(with_14_byte_header(fit(), header_crc))
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
    samples = parse_fit(fit(hr=0))  # a ride without a sensor
    assert samples and all(s["hr"] is None for s in samples)


def test_a_record_at_the_fit_epoch_or_in_2100_does_not_shift_the_run():
    fit_epoch_ms, year_2100_ms = 631_065_600_000, 4_102_444_800_000
    samples = parse_fit(fit(odd={0: fit_epoch_ms, 15: year_2100_ms}))
    assert [s["t"] for s in samples] == [i - 1 for i in range(1, 30) if i != 15]  # from record 1
