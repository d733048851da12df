"""Same route at scale: 5,000 runs of one loop against 5,000 runs on 5,000 different loops. A page
carries a bounded part of its course, so the site and its build grow linearly either way."""

from pathlib import Path

from benchmarks.common import OUT, RUNS, TODAY, builds
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
        wall, _ = builds(data, site, max(1, RUNS // 2))
        out[name] = (wall, site_bytes(site))
    return out


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    for name, (wall, size) in bench_courses().items():
        print(f"{name}: build {wall:.1f} s, site {size / 1e6:.0f} MB")
