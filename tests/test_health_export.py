"""The Health app's export.zip imported by receive_health_data.py, checked day by day and field by
field."""

import datetime as dt
import json
import zipfile

import pytest
from support import run_in_process, snapshot

from coros_dashboard.apple_health.export import _moment, local_day_hour, longest_run, read_export
from coros_dashboard.emulator.export_files import write_export


def days_of(data_dir):
    return {d.pop("date"): d for d in json.loads((data_dir / "health.json").read_text())["days"]}


@pytest.mark.parametrize(
    "last, stages",
    [
        (dt.date(2026, 3, 25), True),  # spring forward on 8 March, a week in Tokyo
        (dt.date(2026, 11, 15), True),  # fall back on 1 November
        (dt.date(2022, 3, 25), False),  # an export from before iOS 16: Asleep and In Bed, no stages
    ],
    ids=["spring-dst-and-trip", "autumn-dst", "pre-stages"],
)
def test_every_day_and_field_equals_the_generated_truth(tmp_path, last, stages):
    export = write_export(tmp_path / "export.zip", days=45, seed=last.day, last=last, stages=stages)
    data_dir = tmp_path / "data"
    result = run_in_process("receive_health_data.py", export.path, "--data-dir", data_dir)
    assert result.returncode == 0, result.stderr
    assert "45 day(s) in it: 45 added" in result.stdout
    assert days_of(data_dir) == export.expected
    offsets = {
        night["sleep_end"][-6:] for night in export.expected.values() if "sleep_end" in night
    }
    assert len(offsets) >= 2  # the test means something only if the offsets really change
    assert any("sleep_nap_min" in day for day in export.expected.values())


XML = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [<!ELEMENT HealthData ANY>]>
<HealthData locale="en_US">
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Ana’s iPhone" device="iPhone"
  unit="count"
  startDate="2024-03-14 07:05:00 -0700" endDate="2024-03-14 07:25:00 -0700" value="800"/>
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Ana’s Apple Watch" unit="count"
  startDate="2024-03-14 07:02:00 -0700" endDate="2024-03-14 07:20:00 -0700" value="700"/>
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Ana’s Apple Watch" unit="count"
  startDate="2024-03-14 07:40:00 -0700" endDate="2024-03-14 07:50:00 -0700" value="150"/>
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Ana’s iPhone" device="iPhone"
  unit="count"
  startDate="2024-03-14 12:10:00 -0700" endDate="2024-03-14 12:30:00 -0700" value="1,000"/>
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Ana’s iPhone" device="iPhone"
  unit="count"
  startDate="2024-03-14 12:40:00 -0700" endDate="2024-03-14 12:50:00 -0700" value="400"/>
 <Record type="HKQuantityTypeIdentifierOxygenSaturation" sourceName="Ana’s Apple Watch" unit="%"
  startDate="2024-03-14 03:00:00 -0700" endDate="2024-03-14 03:00:00 -0700" value="0.96"/>
 <Record type="HKQuantityTypeIdentifierOxygenSaturation" sourceName="Ana’s Apple Watch" unit="%"
  startDate="2024-03-14 04:00:00 -0700" endDate="2024-03-14 04:00:00 -0700" value="0.99"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Ana’s Apple Watch"
  startDate="2024-03-13 23:00:00 -0700" endDate="2024-03-14 03:00:00 -0700"
  value="HKCategoryValueSleepAnalysisAsleepCore"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="AutoSleep"
  startDate="2024-03-13 23:30:00 -0700" endDate="2024-03-14 03:00:00 -0700"
  value="HKCategoryValueSleepAnalysisAsleepCore"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Ana’s Apple Watch"
  startDate="2024-03-14 03:00:00 -0700" endDate="2024-03-14 06:30:00 -0700"
  value="HKCategoryValueSleepAnalysisAsleepDeep"/>
 <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="30" startDate="2024-03-14
  18:00:00 -0700"
  endDate="2024-03-14 18:30:00 -0700"/>
</HealthData>
"""


def test_overlapping_sources_are_counted_once_by_hand(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(XML.replace('value="1,000"', 'value="1000"'))
    data_dir = tmp_path / "data"
    assert run_in_process("receive_health_data.py", path, "--data-dir", data_dir).returncode == 0
    day = days_of(data_dir)["2024-03-14"]
    # 07:00: the Watch counted (700 + 150), so the iPhone's 800 for the same walk is not added;
    # 12:00: only the iPhone counted (1000 + 400)
    assert day["steps"] == 850 + 1400
    assert day["spo2_pct"] == 97.5
    # Watch and AutoSleep both say core 23:30–03:00: counted once (union), never summed
    assert (
        day["sleep_core_min"] == 240
        and day["sleep_deep_min"] == 210
        and day["sleep_asleep_min"] == 450
    )


def test_implausible_values_and_records_without_attributes_are_left_out_and_counted(tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(
        XML.replace('value="1,000"', 'value="1000"').replace(
            "</HealthData>",
            """
 <Record type="HKQuantityTypeIdentifierRestingHeartRate" sourceName="Ana’s Apple Watch"
  unit="count/min"
  startDate="2024-03-15 08:00:00 -0700" endDate="2024-03-15 08:00:00 -0700" value="400"/>
 <Record type="HKQuantityTypeIdentifierHeartRateVariabilitySDNN" sourceName="Ana’s Apple Watch"
  unit="ms"
  startDate="2024-03-15 08:00:00 -0700" endDate="2024-03-15 08:00:00 -0700" value="48"/>
 <Record type="HKQuantityTypeIdentifierHeartRateVariabilitySDNN" sourceName="Ana’s Apple Watch"
  unit="ms"
  startDate="2024-03-16 08:00:00 -0700" endDate="2024-03-16 08:00:00 -0700"/>
</HealthData>""",
        )
    )
    data_dir = tmp_path / "data"
    result = run_in_process("receive_health_data.py", path, "--data-dir", data_dir)
    assert result.returncode == 0, result.stderr
    assert (
        "; 1 value(s) outside plausible ranges left out; 1 record(s) with a date, value or unit "
        "that cannot be read skipped" in result.stdout
    )
    days = days_of(data_dir)
    assert (
        days["2024-03-15"] == {"hrv_ms": 48} and "2024-03-16" not in days
    )  # the 400 bpm is not stored
    assert days["2024-03-14"]["steps"] == 850 + 1400


def test_progress_is_reported_in_bytes_up_to_the_whole_export(tmp_path):
    export = write_export(tmp_path / "export.zip", days=40, last=dt.date(2026, 11, 15))
    calls = []
    read_export(export.path, dt.date(2026, 11, 16), lambda done, size: calls.append((done, size)))
    assert len(calls) >= 2 and all(a[0] < b[0] for a, b in zip(calls, calls[1:], strict=False))
    size = zipfile.ZipFile(export.path).getinfo("apple_health_export/export.xml").file_size
    assert calls[-1] == (size, size)


def test_the_export_fills_gaps_and_keeps_what_the_shortcut_sent(tmp_path):
    export = write_export(tmp_path / "export.zip", days=10, last=dt.date(2026, 11, 15))
    data_dir = tmp_path / "data"
    pushed = {"days": [{"date": "2026-11-14", "steps": 1234}]}
    assert (
        run_in_process(
            "receive_health_data.py", "-", "--data-dir", data_dir, input=json.dumps(pushed)
        ).returncode
        == 0
    )
    before = snapshot(data_dir)
    dry = run_in_process("receive_health_data.py", export.path, "--data-dir", data_dir, "--dry-run")
    assert dry.returncode == 0 and "9 added, 1 filled in (would be merged" in dry.stdout
    assert snapshot(data_dir) == before
    assert (
        run_in_process("receive_health_data.py", export.path, "--data-dir", data_dir).returncode
        == 0
    )
    days = days_of(data_dir)
    assert days["2026-11-14"]["steps"] == 1234  # the push is kept
    assert (
        days["2026-11-14"]["resting_hr"] == export.expected["2026-11-14"]["resting_hr"]
    )  # the gap is filled
    assert days["2026-11-13"] == export.expected["2026-11-13"]
    again = run_in_process("receive_health_data.py", export.path, "--data-dir", data_dir)
    assert "0 added, 0 filled in" in again.stdout


def broken_exports(tmp_path):
    good = write_export(tmp_path / "good.zip", days=3, last=dt.date(2026, 11, 15)).path
    data = good.read_bytes()
    truncated_zip = tmp_path / "truncated.zip"
    truncated_zip.write_bytes(data[: len(data) // 2])
    xml = zipfile.ZipFile(good).read("apple_health_export/export.xml")
    truncated_xml = tmp_path / "truncated.xml"
    truncated_xml.write_bytes(xml[: len(xml) // 2])
    other = tmp_path / "feed.xml"
    other.write_text('<?xml version="1.0"?><rss version="2.0"><channel/></rss>')
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE HealthData [<!ENTITY a "aaaaaaaaaa">'
        + "".join(
            f'<!ENTITY {c}{n} "{("&" + c + str(n - 1) + ";") * 10 if n else "&a;" * 10}">'
            for c in "b"
            for n in range(9)
        )
        + ']><HealthData locale="x">&b8;</HealthData>'
    )
    empty_zip = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty_zip, "w") as archive:
        archive.writestr("readme.txt", "no export here")
    long_value = tmp_path / "long-value.zip"  # 200 MB of one attribute in a zip of ~200 KB
    with (
        zipfile.ZipFile(long_value, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("apple_health_export/export.xml", "w") as member,
    ):
        member.write(b'<?xml version="1.0"?><HealthData><Record type="')
        for _ in range(200):
            member.write(b"a" * (1 << 20))
        member.write(b'"/></HealthData>')
    return {
        "truncated zip": (truncated_zip, "damaged zip"),
        "truncated xml": (truncated_xml, "ends early"),
        "not health": (other, "not an Apple Health export"),
        "entity bomb": (bomb, "not well-formed"),
        "zip without export": (empty_zip, "holds no export.xml"),
        "200 MB attribute": (long_value, "holds a value of over 1 MB"),
    }


def test_bad_or_truncated_exports_give_one_line_and_change_nothing(tmp_path):
    data_dir = tmp_path / "data"
    pushed = {"days": [{"date": "2026-11-14", "steps": 1234}]}
    assert (
        run_in_process(
            "receive_health_data.py", "-", "--data-dir", data_dir, input=json.dumps(pushed)
        ).returncode
        == 0
    )
    before = snapshot(data_dir)
    for name, (path, message) in broken_exports(tmp_path).items():
        result = run_in_process("receive_health_data.py", path, "--data-dir", data_dir)
        assert result.returncode == 1, name
        assert (
            result.stderr.count("\n") == 1
            and message in result.stderr
            and "Traceback" not in result.stderr
        ), (name, result.stderr)
        assert snapshot(data_dir) == before, name


def test_the_longest_run_without_a_tag_is_counted_across_chunks():
    assert longest_run(b"abc", 5) == (8, 8)  # no "<": the open run grows
    assert longest_run(b"ab<cd<efg", 5) == (7, 3)  # the run before the first "<" closes
    chunks = [b"x" * 700, b"<" + b"y" * 900, b"y" * 300 + b"<z"]
    run, longest = 0, 0
    for chunk in chunks:
        closed, run = longest_run(chunk, run)
        longest = max(longest, closed, run)
    assert longest == 1_200


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-14 07:31:00 -0700",
        "2024-03-14T23:59:59+05:30",
        "2024-03-14 00:00:00 +1400",
        "20121114171900+0100",
        "2024-02-29 12:00:00 +0000",
        "2023-02-29 12:00:00 +0000",
        "2024-03-14 24:00:00 -0700",
        "2024-03-14 07:60:00 -0700",
        "2024-03-14 07:31:60 -0700",
        "2024-03-14 07:31:00",
        "2024-03-14 07:31:00 +2400",
        "20121314171900+0100",
        "yesterday",
    ],
)
def test_the_quick_day_and_hour_read_a_date_as_the_full_parse_does(text):
    """`local_day_hour` skips making datetimes for most records: it must accept and refuse the
    very dates `_moment` does, and give its local day and hour."""
    try:
        local = _moment(text).local
    except ValueError:
        with pytest.raises(ValueError):
            local_day_hour(text)
        return
    assert local_day_hour(text) == (local.date().isoformat(), local.hour)
