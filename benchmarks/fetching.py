"""The fetch: histories made through the emulator, the daily sync, the detail phase against a
stalling host, FIT decoding and masking, and ten years of details."""

import datetime as dt
import gzip
import json
import os
import subprocess
import time
from pathlib import Path

from benchmarks.common import BENCH_SECRET, OUT, PY, ROOT, RUNS, TODAY, median, run
from coros_dashboard.emulator import Emulator, synthetic_athlete
from coros_dashboard.emulator.shortcut_payloads import health_payload
from coros_dashboard.errors import Problems


def make_history(years: int, emulator: Emulator, email: str, password: str) -> tuple:
    """Fetch a full history from the emulator and merge its health backfill: a data/ of `years`
    years."""
    data = OUT / f"data-{years}y"
    for path in data.glob("*.json"):
        path.unlink()
    env = {"COROS_API_BASE": emulator.base_url, "COROS_EMAIL": email, "COROS_PASSWORD": password}
    emulator.clear_requests()
    wall, _, out = run([PY, str(ROOT / "fetch_coros.py"), "--data-dir", str(data)], env)
    requests = emulator.count()
    payload = health_payload(
        TODAY - dt.timedelta(days=int(years * 365.25)), TODAY - dt.timedelta(days=1), seed=years
    )
    run(
        [PY, str(ROOT / "receive_health_data.py"), "-", "--data-dir", str(data)],
        stdin=json.dumps(payload),
    )
    activities = len(json.loads((data / "activities.json").read_text())["activities"])
    return data, requests, activities, wall


def bench_incremental(years_data: Path, emulator: Emulator, athlete, email, password) -> tuple:
    """Daily sync with 2 new activities and 100 ms latency per request."""
    walls, counts = [], []
    emulator.latency = 0.1
    env = {"COROS_API_BASE": emulator.base_url, "COROS_EMAIL": email, "COROS_PASSWORD": password}
    for _ in range(RUNS):
        athlete.add_activities(2)
        emulator.clear_requests()
        wall, _, out = run([PY, str(ROOT / "fetch_coros.py"), "--data-dir", str(years_data)], env)
        assert "2 new" in out, out
        walls.append(wall)
        counts.append(emulator.count())
    emulator.latency = 0.0
    return median(walls), max(counts)


def bench_stalling_details() -> tuple:
    """The detail phase's worst case: a file host that stalls every download (and 50 details to
    fetch), with a 20 s COROS_DETAIL_DEADLINE; wall of the whole fetch, and of its summary sync
    alone (the same run with details off)."""
    from coros_dashboard.emulator import Fault

    athlete = synthetic_athlete(years=0.25, seed=5, today=TODAY)
    walls = {}
    for budget in ("0", "50"):
        with Emulator([athlete]) as emulator:
            emulator.faults.append(Fault("fit", "stall", times=None, seconds=600))
            env = {
                "COROS_API_BASE": emulator.base_url,
                "COROS_EMAIL": athlete.email,
                "COROS_PASSWORD": athlete.password,
                "COROS_DETAIL_BUDGET": budget,
                "COROS_DETAIL_DEADLINE": "20",
            }
            data = OUT / f"data-stalling-{budget}"
            subprocess.run(["rm", "-rf", str(data)], check=True)
            walls[budget], _, out = run(
                [PY, str(ROOT / "fetch_coros.py"), "--data-dir", str(data), "--today", str(TODAY)],
                env,
            )
            assert budget == "0" or "COROS_DETAIL_DEADLINE" in out, out
    return walls["50"], walls["0"]


def bench_details() -> tuple:
    """FIT parse + downsample + mask + detail document per activity, in process, for 60 activities
    of the 10-year athlete: their FIT files recorded every second, as COROS watches record (written
    once into bench-out/fit-cache: encoding is slow), and the emulator's 10-second files; and the
    stored bytes (gzip) per activity-hour."""
    from coros_dashboard.coros.activities import normalize_activity
    from coros_dashboard.coros.details import build_detail
    from coros_dashboard.coros.fit import parse_fit
    from coros_dashboard.emulator.activity_files import detail, fit_file
    from coros_dashboard.privacy import Privacy, Zone

    athlete = synthetic_athlete(years=1, seed=10, today=TODAY)
    items = athlete.visible_activities()[:60]
    privacy = Privacy((Zone(52.52, 13.405, 500),), 300, BENCH_SECRET)
    os.environ["EMULATOR_FIT_CACHE"] = str(OUT / "fit-cache")
    (OUT / "fit-cache").mkdir(parents=True, exist_ok=True)
    rates, size, hours = {}, 0, 0.0
    for step in (1, 10):
        prepared = [(item, fit_file(item, step), detail(item)) for item in items]
        start = time.perf_counter()
        for item, data, answer in prepared:
            record = normalize_activity(item, TODAY + dt.timedelta(days=1), Problems())
            shaped = {
                "summary": answer["summary"],
                "laps": answer["lapList"][0]["lapItemList"],
                "hr_zones": answer["zoneList"][0]["zoneItemList"],
                "weather": answer["weather"],
            }
            doc = build_detail(record, shaped, parse_fit(data), privacy)
            if step == 1:
                size += len(gzip.compress(json.dumps(doc, indent=2, sort_keys=True).encode()))
                hours += item["workoutTime"] / 3600
        rates[step] = len(prepared) / (time.perf_counter() - start)
    return rates, size / hours, hours / len(items)


def bench_fit_decoders() -> dict:
    """Records per second and activities per second on the detail bench's 1-second files for the
    project's reader and the two libraries it was chosen against (read as the reader reads:
    records only, no CRC twice, no component expansion)."""
    import io

    import fitdecode
    from garmin_fit_sdk import Decoder, Stream

    from coros_dashboard.coros.fit import parse_fit

    def sdk(data: bytes) -> int:
        messages, _ = Decoder(Stream.from_byte_array(bytearray(data))).read(
            convert_datetimes_to_dates=False,
            convert_types_to_strings=False,
            expand_sub_fields=False,
            expand_components=False,
            merge_heart_rates=False,
        )
        return len(messages.get("record_mesgs", []))

    def with_fitdecode(data: bytes) -> int:
        with fitdecode.FitReader(io.BytesIO(data)) as reader:
            return sum(
                isinstance(m, fitdecode.FitDataMessage) and m.name == "record" for m in reader
            )

    files = [p.read_bytes() for p in sorted((OUT / "fit-cache").glob("*.fit"))]
    files = [data for data in files if len(data) > 20_000][:30]  # the 1-second ones
    rates = {}
    for name, read in (
        ("ours", lambda d: len(parse_fit(d))),
        ("sdk", sdk),
        ("fitdecode", with_fitdecode),
    ):
        start = time.perf_counter()
        records = sum(read(data) for data in files)
        wall = time.perf_counter() - start
        rates[name] = (len(files) / wall, records / wall)
    return rates


def bench_tiny_records() -> tuple:
    """A hostile 19.5 MB FIT file of 3.9 million 5-byte records (a compressed-time header and a
    distance each), read and made a detail document in a child process: wall and peak RSS."""
    import struct

    from fastcrc import crc16

    path = OUT / "tiny-records.fit"
    if not path.exists():
        full = bytes([0x40, 0, 0]) + struct.pack("<HB", 20, 2) + bytes([253, 4, 0x86, 5, 4, 0x86])
        tiny = bytes([0x41, 0, 0]) + struct.pack("<HB", 20, 1) + bytes([5, 4, 0x86])
        body = full + b"\x00" + struct.pack("<II", 1_100_000_000, 0) + tiny
        body += b"".join(
            bytes([0x80 | 1 << 5 | i & 0x1F]) + struct.pack("<I", i) for i in range(1, 3_900_000)
        )
        header = bytes([12, 0x20]) + struct.pack("<HI", 2132, len(body)) + b".FIT"
        data = header + body
        path.write_bytes(data + struct.pack("<H", crc16.arc(data)))
    # the peak of the child's own memory (VmHWM): its rusage would count the parent's at fork
    code = (
        "import re, sys; from coros_dashboard.coros.fit import parse_fit; "
        "from coros_dashboard.coros.details import build_detail; "
        "from coros_dashboard.privacy import Privacy; "
        "samples = parse_fit(open(sys.argv[1], 'rb').read()); "
        "empty = {'summary': {}, 'weather': {}, 'laps': [], 'hr_zones': []}; "
        "build_detail({'id': '1', 'date': '2024-11-08', 'sport_code': 100}, empty, samples, "
        "Privacy()); "
        "peak = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1); "
        "print(len(samples), peak)"
    )
    wall, _, out = run([PY, "-c", code, str(path)])
    kept, peak_kb = map(int, out.split())
    return wall, peak_kb / 1024, kept, path.stat().st_size / 1e6


def make_details(data: Path, athlete) -> Path:
    """Details for every activity of a history, from the emulator's streams (no FIT encoding, which
    would take a quarter of an hour here): what ten years of daily fetches leave in data/details."""
    from coros_dashboard.coros.activities import normalize_activity
    from coros_dashboard.coros.details import build_detail
    from coros_dashboard.coros.fit import Recording
    from coros_dashboard.emulator.activity_files import detail, stream
    from coros_dashboard.privacy import Privacy, Zone
    from coros_dashboard.store.storage import save_json_files

    copy = OUT / "data-10y-details"
    subprocess.run(["rm", "-rf", str(copy)], check=True)
    subprocess.run(["cp", "-r", str(data), str(copy)], check=True)
    privacy = Privacy((Zone(52.52, 13.405, 500),), 300, BENCH_SECRET)
    for item in (
        athlete.visible_activities()
    ):  # one file at a time: this process stays small for the builds
        record = normalize_activity(item, TODAY + dt.timedelta(days=1), Problems())
        answer = detail(item)
        samples = Recording.from_rows(
            [
                {"t": t, "lat": lat, "lon": lon, "d": d, "hr": hr, "v": v, "alt": alt, "cad": cad}
                for t, lat, lon, d, hr, v, alt, cad in stream(item)
            ]
        )
        shaped = {
            "summary": answer["summary"],
            "laps": answer["lapList"][0]["lapItemList"],
            "hr_zones": answer["zoneList"][0]["zoneItemList"],
            "weather": answer["weather"],
        }
        save_json_files(
            {
                copy / "details" / record["date"][:4] / f"{record['id']}.json": build_detail(
                    record, shaped, samples, privacy
                )
            }
        )
    return copy


def bench_remask(data: Path) -> float:
    """What PRIVACY_ZONES adds to every fetch: the stored routes checked against the zones again (a
    zone that touches none of them, so nothing is rewritten)."""
    from coros_dashboard.coros.fetch import remask_stored
    from coros_dashboard.privacy import Privacy, Zone

    walls = []
    for _ in range(RUNS):
        start = time.perf_counter()
        assert (
            remask_stored(data, Privacy((Zone(0.0, 0.0, 100),), 300, BENCH_SECRET), Problems()) == 0
        )
        walls.append(time.perf_counter() - start)
    return median(walls)


def bench_hostile_plan() -> tuple:
    """A schedule answer as a hostile COROS could send it: one program of 20,000 steps, and
    20,000 workouts in the window (seconds to read each into plan records; the records kept)."""
    from coros_dashboard.coros.schedule import plan_records
    from coros_dashboard.emulator.training_plan import PLAN_ID, step

    first, last = TODAY - dt.timedelta(weeks=4), TODAY + dt.timedelta(weeks=4)
    day = int(TODAY.strftime("%Y%m%d"))
    steps = []  # 10,000 repeats of one step each: every repeat looked for its steps among all
    for i in range(0, 20_000, 2):
        steps.append({"id": i, "sortNo": i, "isGroup": True, "sets": 6})
        steps.append(step(i + 1, 2, 5, 800, pace=225_000, group=i))
    program = {"idInPlan": "1", "name": "Intervals", "sportType": 1, "exercises": steps}
    one = {"id": PLAN_ID, "entities": [{"idInPlan": "1", "happenDay": day}], "programs": [program]}
    many = {
        "id": PLAN_ID,
        "entities": [{"idInPlan": str(i), "happenDay": day - i % 20} for i in range(20_000)],
        "programs": [
            {"idInPlan": str(i), "name": "Easy Run", "sportType": 1} for i in range(20_000)
        ],
    }
    walls, kept = [], 0
    for answer in (one, many):
        started = time.perf_counter()
        kept = len(plan_records(answer, first, last, Problems()).records)
        walls.append(time.perf_counter() - started)
    return walls[0], walls[1], kept
