"""A generated Apple Health export.zip, shaped like the Health app's, with its expected day values.

Heart rate every few minutes (the bulk of a real export), resting HR, HRV with beat-to-beat
children, SpO2, steps counted by both the Watch and the iPhone for the same hours (and by the
iPhone alone while the Watch charges), Watch sleep stages with the iPhone's In Bed, naps,
workouts and activity summaries — in America/Los_Angeles across DST changes, with a week in
Tokyo. `expected` holds what an import must produce for every day, computed from the same
samples by the documented rules, so tests and benchmarks can check every day and field.
"""

import contextlib
import datetime as dt
import io
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

STEPS = "HKQuantityTypeIdentifierStepCount"
HOME, TRIP = ZoneInfo("America/Los_Angeles"), ZoneInfo("Asia/Tokyo")
WATCH = (
    "Ana’s Apple Watch",
    "&lt;&lt;HKDevice: 0x283d4c0a0&gt;, name:Apple Watch, manufacturer:Apple Inc., "
    "model:Watch, hardware:Watch6,2, software:10.1&gt;",
)
PHONE = (
    "Ana’s iPhone",
    "&lt;&lt;HKDevice: 0x283d4c1e0&gt;, name:iPhone, manufacturer:Apple Inc., "
    "model:iPhone, hardware:iPhone14,2, software:17.1&gt;",
)
HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate value CDATA #REQUIRED>
<!ELEMENT Me EMPTY>
<!ATTLIST Me HKCharacteristicTypeIdentifierDateOfBirth CDATA #REQUIRED>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record type CDATA #REQUIRED unit CDATA #IMPLIED value CDATA #IMPLIED
  sourceName CDATA #REQUIRED sourceVersion CDATA #IMPLIED device CDATA #IMPLIED
  creationDate CDATA #IMPLIED startDate CDATA #REQUIRED endDate CDATA #REQUIRED>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry key CDATA #REQUIRED value CDATA #REQUIRED>
<!ELEMENT HeartRateVariabilityMetadataList (InstantaneousBeatsPerMinute*)>
<!ELEMENT InstantaneousBeatsPerMinute EMPTY>
<!ATTLIST InstantaneousBeatsPerMinute bpm CDATA #REQUIRED time CDATA #REQUIRED>
]>
<HealthData locale="en_US">
 <ExportDate value="{export}"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1988-04-12"
  HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>
"""


@dataclass
class GeneratedExport:
    path: Path
    expected: dict = field(default_factory=dict)  # date → {field: value}, as an import must produce
    records: int = 0


MOTION = '   <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n'


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S %z")


def _iso(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _tidy(value: float):
    value = round(float(value), 1)
    return int(value) if value.is_integer() else value


class _Writer:
    def __init__(self, out):
        self.out = out
        self.count = 0

    def record(self, kind, unit, value, source, start, end, children=""):
        name, device = source
        created = _stamp(end)
        tail = f">\n{children}  </Record>\n" if children else "/>\n"
        self.out.write(
            f'  <Record type="{kind}" sourceName="{name}" sourceVersion="10.1" device="{device}" '
            f'unit="{unit}" creationDate="{created}" startDate="{_stamp(start)}" '
            f'endDate="{_stamp(end)}" value="{value}"{tail}'
        )
        self.count += 1


def write_export(
    path,
    days: int = 30,
    seed: int = 1,
    last: dt.date = dt.date(2026, 11, 20),
    hr_every_min: int = 5,
    stages: bool = True,
    zipped: bool = True,
) -> GeneratedExport:
    """Write an export of `days` days ending on `last`; `stages=False` writes a pre-iOS 16
    export."""
    rng = random.Random(seed)
    first = last - dt.timedelta(days=days - 1)
    trip = (
        (first + dt.timedelta(days=days // 2), first + dt.timedelta(days=days // 2 + 6))
        if days >= 20
        else None
    )
    path = Path(path)
    with contextlib.ExitStack() as stack:
        if zipped:
            archive = stack.enter_context(
                zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
            )
            archive.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>\n")
            raw = stack.enter_context(
                archive.open("apple_health_export/export.xml", "w", force_zip64=True)
            )
        else:
            raw = stack.enter_context(open(path, "wb"))
        text = stack.enter_context(io.TextIOWrapper(raw, encoding="utf-8", newline="\n"))
        text.write(
            HEADER.format(
                export=_stamp(dt.datetime.combine(last, dt.time(21)).replace(tzinfo=HOME))
            )
        )
        writer = _Writer(text)
        expected = {}
        for offset in range(days):
            day = first + dt.timedelta(days=offset)
            zone = TRIP if trip and trip[0] <= day <= trip[1] else HOME
            flight = (
                bool(trip) and day == trip[0]
            )  # the night before landing was spent on the plane, unrecorded
            expected[day.isoformat()] = _write_day(
                writer, rng, day, zone, hr_every_min, stages, not flight
            )
        text.write("</HealthData>\n")
    return GeneratedExport(path, expected, writer.count)


def _write_day(
    w: _Writer, rng, day: dt.date, zone, hr_every_min: int, stages: bool, night: bool
) -> dict:
    midnight = dt.datetime.combine(day, dt.time(), zone)
    expected = {}
    # the night that ends this morning (written first, as its samples start yesterday evening)
    if night:
        expected.update(_write_night(w, rng, day, zone, stages))
    # heart rate all day: the bulk of a real export
    for minute in range(0, 24 * 60, hr_every_min):
        start = midnight + dt.timedelta(minutes=minute)
        children = MOTION if minute % 4 else ""  # most heart rate samples carry a motion context
        w.record(
            "HKQuantityTypeIdentifierHeartRate",
            "count/min",
            rng.randint(48, 150),
            WATCH,
            start,
            start,
            children,
        )
    rhr = rng.randint(46, 58)
    w.record(
        "HKQuantityTypeIdentifierRestingHeartRate",
        "count/min",
        rhr,
        WATCH,
        midnight + dt.timedelta(hours=7),
        midnight + dt.timedelta(hours=23),
    )
    expected["resting_hr"] = rhr
    hrv = [round(rng.uniform(30, 80), 1) for _ in range(rng.randint(3, 6))]
    for i, value in enumerate(hrv):
        start = midnight + dt.timedelta(hours=2 + 4 * i, minutes=rng.randint(0, 50))
        beats = "".join(
            f'    <InstantaneousBeatsPerMinute bpm="{rng.randint(50, 70)}" '
            f'time="{start:%I:%M:%S.00 %p}"/>\n'
            for _ in range(5)
        )
        w.record(
            "HKQuantityTypeIdentifierHeartRateVariabilitySDNN",
            "ms",
            value,
            WATCH,
            start,
            start + dt.timedelta(minutes=1),
            f"   <HeartRateVariabilityMetadataList>\n{beats}"
            "   </HeartRateVariabilityMetadataList>\n",
        )
    expected["hrv_ms"] = _tidy(sum(hrv) / len(hrv))
    spo2 = [round(rng.uniform(0.94, 0.99), 2) for _ in range(rng.randint(3, 7))]
    for i, value in enumerate(spo2):
        start = midnight + dt.timedelta(hours=1 + i, minutes=rng.randint(0, 50))
        w.record("HKQuantityTypeIdentifierOxygenSaturation", "%", value, WATCH, start, start)
    expected["spo2_pct"] = _tidy(sum(v * 100 for v in spo2) / len(spo2))
    expected["steps"] = _write_steps(w, rng, midnight)
    if rng.random() < 0.2:
        start = midnight + dt.timedelta(hours=17, minutes=30)
        w.out.write(
            '  <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="42.5" '
            f'durationUnit="min" sourceName="{WATCH[0]}" sourceVersion="10.1" device="{WATCH[1]}" '
            f'creationDate="{_stamp(start)}" startDate="{_stamp(start)}" '
            f'endDate="{_stamp(start + dt.timedelta(minutes=42))}">\n'
            '   <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" '
            f'startDate="{_stamp(start)}" endDate="{_stamp(start)}" sum="8.1" unit="km"/>\n'
            "  </Workout>\n"
        )
    w.out.write(
        f'  <ActivitySummary dateComponents="{day}" activeEnergyBurned="512" '
        'activeEnergyBurnedGoal="600" activeEnergyBurnedUnit="Cal" appleMoveTime="0" '
        'appleMoveTimeGoal="0" appleExerciseTime="38" appleExerciseTimeGoal="30" '
        'appleStandHours="11" appleStandHoursGoal="12"/>\n'
    )
    return expected


def _write_steps(w: _Writer, rng, midnight: dt.datetime) -> int:
    """Steps for each waking hour: the Watch and the iPhone both count most hours, the iPhone
    alone while the Watch charges. The hour's steps are the Watch's when it counted any."""
    charging = set(rng.sample(range(7, 22), 2))
    total = 0
    for hour in range(7, 22):
        start = midnight + dt.timedelta(hours=hour)
        phone = [rng.randint(50, 900) for _ in range(2)]
        for i, value in enumerate(phone):
            begin = start + dt.timedelta(minutes=5 + 25 * i)
            w.record(STEPS, "count", value, PHONE, begin, begin + dt.timedelta(minutes=20))
        if hour in charging:
            total += sum(phone)
            continue
        watch = [rng.randint(20, 400) for _ in range(3)]
        for i, value in enumerate(watch):
            begin = start + dt.timedelta(minutes=2 + 19 * i)
            w.record(STEPS, "count", value, WATCH, begin, begin + dt.timedelta(minutes=15))
        total += sum(watch)
    return total


def _write_night(w: _Writer, rng, wake_day: dt.date, zone, stages: bool) -> dict:
    """Watch stages (or, before iOS 16, Asleep) and the iPhone's In Bed for the night ending on
    wake_day."""
    bed = dt.datetime.combine(wake_day - dt.timedelta(days=1), dt.time(22, 30), zone)
    bed = (bed + dt.timedelta(minutes=rng.randint(0, 60))).astimezone(
        dt.UTC
    )  # durations are counted in UTC
    moment = bed + dt.timedelta(minutes=rng.randint(5, 20))
    minutes = {"deep": 0, "core": 0, "rem": 0, "awake": 0, "unspecified": 0}
    plan = [("core", 30, 60), ("deep", 10, 35), ("core", 10, 25), ("rem", 10, 35)] * 4 + [
        ("awake", 2, 9)
    ]
    for stage, lo, hi in plan:
        length = rng.randint(lo, hi)
        end = moment + dt.timedelta(minutes=length)
        if not stages and stage == "awake":  # old exports recorded no awake time: just a gap
            moment = end
            continue
        stage = stage if stages else "unspecified"
        value = {
            "deep": "AsleepDeep",
            "core": "AsleepCore",
            "rem": "AsleepREM",
            "awake": "Awake",
            "unspecified": "Asleep",
        }[stage]
        minutes[stage] += length
        w.record(
            "HKCategoryTypeIdentifierSleepAnalysis",
            "",
            f"HKCategoryValueSleepAnalysis{value}",
            WATCH,
            moment.astimezone(zone),
            end.astimezone(zone),
        )
        moment = end
    up = moment + dt.timedelta(minutes=rng.randint(3, 12))
    w.record(
        "HKCategoryTypeIdentifierSleepAnalysis",
        "",
        "HKCategoryValueSleepAnalysisInBed",
        PHONE,
        bed.astimezone(zone),
        up.astimezone(zone),
    )
    night = {f"sleep_{stage}_min": value for stage, value in minutes.items() if value}
    night["sleep_in_bed_min"] = int((up - bed).total_seconds() // 60)
    night["sleep_asleep_min"] = (
        minutes["deep"] + minutes["core"] + minutes["rem"] + minutes["unspecified"]
    )
    night["sleep_start"] = _iso(bed.astimezone(zone))
    night["sleep_end"] = _iso(up.astimezone(zone))
    if rng.random() < 0.15:  # an afternoon nap on the wake day
        nap = dt.datetime.combine(wake_day, dt.time(14, 10), zone)
        value = "AsleepCore" if stages else "Asleep"
        w.record(
            "HKCategoryTypeIdentifierSleepAnalysis",
            "",
            f"HKCategoryValueSleepAnalysis{value}",
            WATCH,
            nap,
            nap + dt.timedelta(minutes=25),
        )
        night["sleep_nap_min"] = 25
    return night
