"""What every benchmark shares: where it writes, how it runs a command and takes a median,
and the machine it ran on."""

import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coros_dashboard.browser import CHROMIUM, poll  # noqa: E402

OUT = ROOT / "bench-out"
TODAY = dt.date(2026, 11, 22)
RUNS = int(os.environ.get("BENCH_RUNS") or 5)
BENCH_SECRET = b"the benchmark's own privacy secret"
PAGE_RUNS = int(os.environ.get("BENCH_PAGE_RUNS") or 7)
PY = sys.executable


def run(cmd, env=None, stdin=None) -> tuple:
    """Run a command; returns (wall seconds, peak RSS in MB, stdout)."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "COROS_DETAIL_BUDGET": "0", **(env or {})}
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        env=full_env,
        stdin=subprocess.PIPE if stdin else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
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


def builds(data: Path, site: Path, runs: int = RUNS) -> tuple[float, float]:
    """build_site.py `runs` times: (median wall seconds, peak RSS in MB)."""
    walls, rss = [], []
    for _ in range(runs):
        wall, peak, _ = run(
            [
                PY,
                str(ROOT / "build_site.py"),
                "--data-dir",
                str(data),
                "--site-dir",
                str(site),
                "--now",
                "2026-11-22T07:00:00+01:00",
            ]
        )
        walls.append(wall)
        rss.append(peak)
    return median(walls), max(rss)


def median(values):
    return statistics.median(values)


def wait_for(page, script, timeout=120):
    """The script's value once it is not null (a time or an object: never 0 or empty)."""
    try:
        return poll(lambda: page.evaluate(script), "", timeout, every=0.01)
    except TimeoutError:
        raise SystemExit("bench: the page did not finish drawing in time") from None


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
    chromium = subprocess.run(
        [CHROMIUM, "--version"], capture_output=True, text=True
    ).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {chromium or 'no chromium'}"
    )
