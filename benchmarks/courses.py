"""Same route at scale: 5,000 runs of one loop against 5,000 runs on 5,000 different loops. A page
carries a bounded part of its course, so the site and its build grow linearly either way."""

import time
from pathlib import Path

from benchmarks.common import OUT, PY, ROOT, RUNS, TODAY, median, run
from coros_dashboard.emulator.courses import write_courses

RUNS_ON_ROUTES = 5000


def site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def bench_courses() -> dict:
    """{"one loop" | "many loops": (build wall, site bytes)}."""
    out = {}
    for name, one_loop in (("one loop", True), ("many loops", False)):
        data = OUT / f"data-{name.replace(' ', '-')}"
        write_courses(data, RUNS_ON_ROUTES, TODAY, one_loop=one_loop)
        site = OUT / f"site-{name.replace(' ', '-')}"
        walls = []
        for _ in range(max(1, RUNS // 2)):
            started = time.perf_counter()
            run(
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
            walls.append(time.perf_counter() - started)
        out[name] = (median(walls), site_bytes(site))
    return out


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    for name, (wall, size) in bench_courses().items():
        print(f"{name}: build {wall:.1f} s, site {size / 1e6:.0f} MB")
