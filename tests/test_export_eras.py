"""Health exports as phones of every era wrote them, and the archives people actually send:
iOS 8 dates and numeric sleep values, units, duplicates, two export.xml, encrypted and Deflate64
zips, impossible dates and numbers. Built by hand from the formats, not by our own writer."""

import datetime as dt
import json
import struct
import zipfile

import pytest
from support import run_in_process, snapshot

from coros_dashboard.apple_health.export import read_export

TODAY = dt.date(2026, 11, 22)
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n'


def record(
    kind: str,
    value: str,
    start: str,
    end: str | None = None,
    unit: str = "count",
    source: str = "Ana’s iPhone",
) -> str:
    unit_attr = f' unit="{unit}"' if unit else ""
    return (
        f' <Record type="HKQuantityTypeIdentifier{kind}" sourceName="{source}"{unit_attr} '
        f'startDate="{start}" endDate="{end or start}" value="{value}"/>\n'
    )


def sleep(value: str, start: str, end: str, source: str = "Ana’s iPhone") -> str:
    return (
        f' <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="{source}" '
        f'startDate="{start}" endDate="{end}" value="{value}"/>\n'
    )


def export(tmp_path, *records: str, name: str = "export.xml"):
    path = tmp_path / name
    path.write_text(HEAD + "".join(records) + "</HealthData>\n", encoding="utf-8")
    return path


def test_an_ios_8_export_is_read_with_real_dates(tmp_path):
    path = export(
        tmp_path,
        record("StepCount", "1500", "20121114171900+0100", "20121114172900+0100"),
        record("RestingHeartRate", "52", "20121114080000+0100", unit="count/min"),
        sleep("0", "20121113223000+0100", "20121114063000+0100"),  # in bed
        sleep("1", "20121113230000+0100", "20121114060000+0100"),  # asleep
    )
    read = read_export(path, TODAY)
    assert read.skipped == 0 and [d["date"] for d in read.days] == ["2012-11-14"]
    (day,) = read.days
    assert day["steps"] == 1500 and day["resting_hr"] == 52
    assert day["sleep_unspecified_min"] == 420 and day["sleep_in_bed_min"] == 480
    data = tmp_path / "data"
    assert run_in_process("receive_health_data.py", path, "--data-dir", data).returncode == 0
    site = run_in_process("build_site.py", "--data-dir", data, "--site-dir", tmp_path / "site")
    assert site.returncode == 0, site.stderr  # the stored dates build, every run after


def test_a_stored_date_that_is_not_yyyy_mm_dd_is_refused_on_load(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "health.json").write_text(json.dumps({"version": 1, "days": [{"date": "2012111417"}]}))
    result = run_in_process("build_site.py", "--data-dir", data, "--site-dir", tmp_path / "site")
    assert result.returncode == 1 and "must be a date YYYY-MM-DD, not '2012111417'" in result.stderr
    assert "unexpected" not in result.stderr


def test_units_are_converted_or_the_record_refused(tmp_path):
    path = export(
        tmp_path,
        record("RestingHeartRate", "0.9", "2024-03-14 08:00:00 -0700", unit="count/s"),  # 54 bpm
        record("HeartRateVariabilitySDNN", "0.048", "2024-03-14 03:00:00 -0700", unit="s"),  # 48 ms
        record("StepCount", "120", "2024-03-14 09:00:00 -0700", unit="kcal"),
        record("OxygenSaturation", "97", "2024-03-14 04:00:00 -0700", unit="count"),
        record("StepCount", "500", "2024-03-14 10:00:00 -0700"),
    )
    read = read_export(path, TODAY)
    (day,) = read.days
    assert day["resting_hr"] == 54 and day["hrv_ms"] == 48 and day["steps"] == 500
    assert "spo2_pct" not in day and read.skipped == 2


def test_exact_duplicates_count_once(tmp_path):
    steps = record("StepCount", "1500", "2024-03-14 09:00:00 -0700", "2024-03-14 09:30:00 -0700")
    night = sleep(
        "HKCategoryValueSleepAnalysisAsleepCore",
        "2024-03-13 23:00:00 -0700",
        "2024-03-14 06:00:00 -0700",
        "Ana’s Apple Watch",
    )
    read = read_export(export(tmp_path, steps, steps, night, night), TODAY)
    (day,) = read.days
    assert day["steps"] == 1500 and day["sleep_core_min"] == 420 and read.duplicates == 2


@pytest.mark.parametrize(
    "bad",
    [
        record("StepCount", "100", "2025-02-29 09:00:00 -0700"),  # no such day
        record("StepCount", "NaN", "2024-03-14 09:00:00 -0700"),
        record("StepCount", "1e999", "2024-03-14 09:00:00 -0700"),
        record("StepCount", "100", "yesterday"),
    ],
)
def test_an_impossible_record_is_skipped_with_the_rest_read(tmp_path, bad):
    path = export(tmp_path, bad, record("StepCount", "700", "2024-03-14 10:00:00 -0700"))
    data = tmp_path / "data"
    result = run_in_process("receive_health_data.py", path, "--data-dir", data)
    assert result.returncode == 0, result.stderr
    assert "1 record(s) with a date, value or unit that cannot be read skipped" in result.stdout
    assert json.loads((data / "health.json").read_text())["days"] == [
        {"date": "2024-03-14", "steps": 700}
    ]


def zipped(tmp_path, members: dict[str, str], name: str = "export.zip"):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, text in members.items():
            archive.writestr(member, text)
    return path


def test_a_zip_with_a_decoy_export_imports_apples_path(tmp_path):
    real = HEAD + record("StepCount", "700", "2024-03-14 10:00:00 -0700") + "</HealthData>\n"
    decoy = HEAD + record("StepCount", "99999", "2024-03-14 10:00:00 -0700") + "</HealthData>\n"
    path = zipped(tmp_path, {"decoy/export.xml": decoy, "apple_health_export/export.xml": real})
    assert read_export(path, TODAY).days == [{"date": "2024-03-14", "steps": 700}]


def test_a_zip_with_two_export_xml_and_neither_apples_is_refused(tmp_path):
    text = HEAD + "</HealthData>\n"
    path = zipped(tmp_path, {"a/export.xml": text, "b/export.xml": text})
    data = tmp_path / "data"
    result = run_in_process("receive_health_data.py", path, "--data-dir", data)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "holds 2 export.xml files" in result.stderr and not data.exists()


def patched(path, flag_bits: int | None = None, method: int | None = None):
    """A zip's member headers rewritten as another writer would have written them: the
    general-purpose flags (bit 0: encrypted) and the compression method (9: Deflate64)."""
    data = bytearray(path.read_bytes())
    for signature, flags_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        at = data.find(signature)
        while at >= 0:
            if flag_bits is not None:
                old = struct.unpack_from("<H", data, at + flags_at)[0]
                struct.pack_into("<H", data, at + flags_at, old | flag_bits)
            if method is not None:
                struct.pack_into("<H", data, at + method_at, method)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    "flags, method, message",
    [
        (0x1, None, "is password-protected: unzip it yourself"),
        (None, 9, "method 9 (Deflate64, as Windows writes large zips)"),
    ],
)
def test_an_encrypted_or_deflate64_zip_is_one_line_saying_what_to_do(
    tmp_path, flags, method, message
):
    text = HEAD + record("StepCount", "700", "2024-03-14 10:00:00 -0700") + "</HealthData>\n"
    path = patched(zipped(tmp_path, {"apple_health_export/export.xml": text}), flags, method)
    data = tmp_path / "data"
    data.mkdir()
    (data / "health.json").write_text('{"version": 1, "days": []}\n')
    before = snapshot(data)
    result = run_in_process("receive_health_data.py", path, "--data-dir", data)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr and "unexpected" not in result.stderr
    assert snapshot(data) == before
