"""make bench: the pipeline at a decade (and two) of training, measured against the targets.

Generates deterministic 10- and 20-year histories with the project's emulator and health payload
generator, runs the real commands, prints a table (median of several runs) and writes it to
docs/benchmarks.md. A benchmark, not a test: it reports misses instead of failing.
"""

import datetime as dt
import gzip
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coros_dashboard.browser import CHROMIUM, launch_chromium  # noqa: E402
from coros_dashboard.emulator import Emulator, synthetic_athlete  # noqa: E402
from coros_dashboard.emulator.health_export import write_export  # noqa: E402
from coros_dashboard.emulator.health_payloads import health_payload  # noqa: E402
from coros_dashboard.serve import start_server  # noqa: E402

OUT = ROOT / "bench-out"
TODAY = dt.date(2026, 11, 22)
RUNS = int(os.environ.get("BENCH_RUNS") or 5)
PY = sys.executable


def run(cmd, env=None, stdin=None) -> tuple:
    """Run a command; returns (wall seconds, peak RSS in MB, stdout)."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=full_env, stdin=subprocess.PIPE if stdin else None, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    if stdin:
        proc.stdin.write(stdin)
        proc.stdin.close()
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"bench: {cmd[1]} failed: {err.strip().splitlines()[-1:]}")
    return wall, usage.ru_maxrss / 1024, out


def median(values):
    return statistics.median(values)


def make_history(years: int, emulator: Emulator, email: str, password: str) -> tuple:
    """Fetch a full history from the emulator and merge its health backfill: a data/ of `years` years."""
    data = OUT / f"data-{years}y"
    for path in data.glob("*.json"):
        path.unlink()
    env = {"COROS_API_BASE": emulator.base_url, "COROS_EMAIL": email, "COROS_PASSWORD": password}
    emulator.clear_requests()
    wall, _, out = run([PY, str(ROOT / "fetch_coros.py"), "--data-dir", str(data)], env)
    requests = emulator.count()
    payload = health_payload(TODAY - dt.timedelta(days=int(years * 365.25)), TODAY - dt.timedelta(days=1), seed=years)
    run([PY, str(ROOT / "receive_health_data.py"), "-", "--data-dir", str(data)], stdin=json.dumps(payload))
    activities = len(json.loads((data / "activities.json").read_text())["activities"])
    return data, requests, activities, wall


def bench_build(data: Path, site: Path) -> tuple:
    walls, rss = [], []
    for _ in range(RUNS):
        wall, peak, _ = run([PY, str(ROOT / "build_site.py"), "--data-dir", str(data), "--site-dir", str(site),
                             "--now", "2026-11-22T07:00:00+01:00"])
        walls.append(wall)
        rss.append(peak)
    return median(walls), max(rss)


def site_weight(site: Path) -> tuple:
    """gzip bytes of everything but plotly.js, and of plotly.js alone."""
    rest = plotly = 0
    for path in site.rglob("*"):
        if path.is_file():
            size = len(gzip.compress(path.read_bytes(), compresslevel=9))
            if path.name.startswith("plotly-"):
                plotly += size
            else:
                rest += size
    return rest, plotly


def bench_browser(site: Path) -> tuple:
    from playwright.sync_api import sync_playwright
    server, base = start_server(site)
    first, every = [], []
    with sync_playwright() as p:
        browser = launch_chromium(p)
        for _ in range(RUNS):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{base}/index.html")
            deadline = time.monotonic() + 60
            while not page.evaluate("[...document.querySelectorAll('.chart')].every(e => e.dataset.drawnAt)"):
                if time.monotonic() > deadline:
                    raise SystemExit("bench: charts were not all drawn within 60 s")
                time.sleep(0.01)
            times = page.evaluate("""[...document.querySelectorAll('.chart')].map(e => [
                e.getBoundingClientRect().top + window.scrollY, Number(e.dataset.drawnAt)])""")
            first.append(max(t for top, t in times if top < 900) / 1000)
            every.append(max(t for _, t in times) / 1000)
            context.close()
        browser.close()
    server.shutdown()
    return median(first), median(every)


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


def bench_receive(data: Path) -> float:
    walls = []
    for i in range(RUNS):
        day = {"days": [{"date": TODAY.isoformat(), "resting_hr": 50 + i, "hrv_ms": [48, 52], "steps": "9000"}]}
        wall, _, _ = run([PY, str(ROOT / "receive_health_data.py"), "-", "--data-dir", str(data)],
                         stdin=json.dumps(day))
        walls.append(wall)
    return median(walls)


def bench_health_export() -> tuple:
    """Import a generated ~250 MB export.zip (1,500 days, heart rate every 5 min, iPhone and Watch
    steps) against healthkit-to-sqlite on the same file, and a 4× denser one for RSS growth."""
    sizes, ours, rss = {}, {}, {}
    for name, every in (("1x", 5), ("4x", 1)):
        export = write_export(OUT / f"export-{name}.zip", days=1500, hr_every_min=every)
        import zipfile

        sizes[name] = zipfile.ZipFile(export.path).getinfo("apple_health_export/export.xml").file_size / 1e6
        walls, peaks = [], []
        for _ in range(3 if name == "1x" else 1):
            data = OUT / f"health-import-{name}"
            (data / "health.json").unlink(missing_ok=True)
            wall, peak, _ = run([PY, str(ROOT / "receive_health_data.py"), str(export.path), "--data-dir", str(data)])
            walls.append(wall)
            peaks.append(peak)
        days = json.loads((data / "health.json").read_text())["days"]
        wrong = sum(1 for d in days if {k: v for k, v in d.items() if k != "date"} != export.expected.get(d["date"]))
        if wrong or len(days) != len(export.expected):
            raise SystemExit(f"bench: the {name} import differs from the generated truth on {wrong} days")
        ours[name], rss[name] = median(walls), max(peaks)
    db = OUT / "healthkit.db"
    db.unlink(missing_ok=True)
    anchor, anchor_rss, _ = run([str(Path(PY).parent / "healthkit-to-sqlite"), str(OUT / "export-1x.zip"), str(db)])
    per_mb = (ours["4x"] - ours["1x"]) / (sizes["4x"] - sizes["1x"])
    two_gb = ours["1x"] + per_mb * (2000 - sizes["1x"])
    return sizes, ours, rss, anchor, anchor_rss, two_gb


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} cores ({cpu}){memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; {chromium or 'no chromium'}")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    rows = []
    ten = synthetic_athlete(years=10, seed=10, today=TODAY, email="ten@example.com", password="ten")
    twenty = synthetic_athlete(years=20, seed=20, today=TODAY, email="twenty@example.com", password="twenty")
    with Emulator([ten, twenty]) as emulator:
        print("bench: fetching the 10- and 20-year histories …", flush=True)
        data10, requests10, acts10, full_wall = make_history(10, emulator, "ten@example.com", "ten")
        data20, _, acts20, _ = make_history(20, emulator, "twenty@example.com", "twenty")
        print("bench: building sites …", flush=True)
        wall10, rss10 = bench_build(data10, OUT / "site-10y")
        wall20, _ = bench_build(data20, OUT / "site-20y")
        rest, plotly = site_weight(OUT / "site-10y")
        print("bench: headless Chromium …", flush=True)
        first, every = bench_browser(OUT / "site-10y")
        print("bench: incremental sync and health push …", flush=True)
        inc_wall, inc_requests = bench_incremental(data10, emulator, ten, "ten@example.com", "ten")
        receive = bench_receive(data10)
    print("bench: Health export import against healthkit-to-sqlite …", flush=True)
    sizes, ours, rss, anchor, anchor_rss, two_gb = bench_health_export()
    full_target = math.ceil(acts10 / 100) + 10
    rows = [
        ("`build_site.py`, 10-year history, wall", "≤ 2.0 s", f"{wall10:.2f} s", wall10 / 2.0),
        ("`build_site.py`, 10-year history, peak RSS", "≤ 250 MB", f"{rss10:.0f} MB", rss10 / 250),
        ("`build_site.py`, 20-year ÷ 10-year wall", "≤ 2.0", f"{wall20 / wall10:.2f}", wall20 / wall10 / 2.0),
        ("site weight, 10-year, all but plotly.js, gzip", "≤ 400 KB", f"{rest / 1024:.0f} KB", rest / 1024 / 400),
        ("plotly.js bundle, gzip (loaded once, cached)", "reported", f"{plotly / 1024:.0f} KB", None),
        ("Chromium: navigation → charts in first 900 px drawn", "≤ 0.65 s", f"{first:.2f} s", first / 0.65),
        ("Chromium: navigation → every chart drawn", "≤ 1.5 s", f"{every:.2f} s", every / 1.5),
        ("`fetch_coros.py` daily sync (2 new), requests", "≤ 5", f"{inc_requests}", inc_requests / 5),
        ("`fetch_coros.py` daily sync (2 new), wall at 100 ms/request", "≤ 1.0 s", f"{inc_wall:.2f} s", inc_wall),
        (f"`fetch_coros.py` full 10-year sync ({acts10} activities), requests", f"≤ {full_target}",
         f"{requests10}", requests10 / full_target),
        ("`receive_health_data.py`, one day into 10-year health.json", "≤ 0.3 s", f"{receive:.2f} s", receive / 0.3),
        (f"export.zip import, {sizes['1x']:.0f} MB export.xml, wall (healthkit-to-sqlite: {anchor:.1f} s, "
         f"{anchor_rss:.0f} MB)", f"≤ {0.1 * anchor:.1f} s (0.10 ×)",
         f"{ours['1x']:.2f} s ({ours['1x'] / anchor:.3f} ×)", ours["1x"] / (0.1 * anchor)),
        (f"export.zip import, peak RSS at {sizes['1x']:.0f} MB → {sizes['4x']:.0f} MB", "≤ 200 MB, flat",
         f"{rss['1x']:.0f} MB → {rss['4x']:.0f} MB", max(rss.values()) / 200),
        (f"export.zip import, 2 GB extrapolated ({ours['4x']:.1f} s at {sizes['4x']:.0f} MB)", "≤ 60 s",
         f"{two_gb:.1f} s", two_gb / 60),
    ]
    lines = ["| figure | target | measured | ratio |", "|---|---|---|---|"]
    for figure, target, measured, ratio in rows:
        mark = "" if ratio is None else f"{ratio:.2f}" + (" ✗" if ratio > 1 else "")
        lines.append(f"| {figure} | {target} | {measured} | {mark} |")
    table = "\n".join(lines)
    print(table)
    doc = ROOT / "docs" / "benchmarks.md"
    doc.write_text(
        "# Benchmarks\n\n"
        f"`make bench`, median of {RUNS} runs (peak RSS: the maximum). Histories: {acts10} activities over 10 years "
        f"and {acts20} over 20, with a day of COROS metrics and Apple Health for every day; the emulator serves "
        "them on 127.0.0.1, and the site is served from 127.0.0.1 to a cold headless Chromium (new context per run, "
        "1280×900 viewport). Ratio = measured ÷ target; ✗ marks a miss.\n\n"
        f"Machine: {machine()}.\n\n{table}\n", encoding="utf-8")
    print(f"bench: written to {doc.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
