"""The site in headless Chromium: the dashboard against the original page on slow 4G, a
phone's screens, the archive's filters and the largest activity page."""

import gzip
import subprocess
from pathlib import Path

from benchmarks.common import OUT, PAGE_RUNS, ROOT, RUNS, median, wait_for
from coros_dashboard.browser import launch_chromium
from coros_dashboard.serve import start_server

SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}

SEED_PAGE = ROOT.parent / "shared" / "reference" / "seed-page"

CDN_CHARTJS = "https://cdn.jsdelivr.net/npm/chart.js@4.4.7/dist/chart.umd.min.js"

OURS = """() => {
  const fcp = (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime;
  const charts = [...document.querySelectorAll('.chart')]
    .filter(e => !e.closest('details:not([open])')).map(e => ({
    top: e.getBoundingClientRect().top + window.scrollY, drawn: Number(e.dataset.drawnAt || 0),
    still: Number(e.dataset.still || 0)}));
  const first = charts.filter(c => c.top < 900);
  if (!fcp || first.some(c => !c.drawn) || charts.some(c => !c.drawn)) { return null; }
  const readable = c => c.still ? Math.max(fcp, c.still) : c.drawn;  // its still, or plotly's
  return {html: fcp, first: Math.max(fcp, ...first.map(readable)),
          readable: Math.max(fcp, ...charts.map(readable)),
          interactive: Math.max(fcp, ...first.map(c => c.drawn)),
          every: Math.max(...charts.map(c => c.drawn))};
}"""

ORIGINAL_READY = """window.__ready = null; (function poll() {
  if (window.Chart && Object.keys(Chart.instances).length >= 8) {
    window.__ready = performance.now(); return;
  }
  requestAnimationFrame(poll); })();"""


def open_page(browser, url, throttle, init=None, block_external=False):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # the original page's trackers and fonts (routing also turns the HTTP cache off)
    if block_external:
        context.route(lambda u: not u.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    if init:
        page.add_init_script(init)
    if throttle:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", throttle)
    return context, page


MARK_STILLS = """new MutationObserver(() => document.querySelectorAll('.chart > .still').forEach(
  s => { s.parentNode.dataset.still = s.parentNode.dataset.still || performance.now(); }))
  .observe(document, {childList: true, subtree: true});"""  # when each still arrived


def bench_ours(browser, base, throttle, runs) -> dict:
    out = {"html": [], "first": [], "readable": [], "interactive": [], "every": [], "warm": []}
    for _ in range(runs):
        context, page = open_page(browser, base, throttle, MARK_STILLS)
        page.goto(f"{base}/index.html", wait_until="commit")
        cold = wait_for(page, OURS)
        for key in ("html", "first", "readable", "interactive", "every"):
            out[key].append(cold[key] / 1000)
        page.goto(f"{base}/index.html", wait_until="commit")  # a repeat visit: warm HTTP cache
        out["warm"].append(wait_for(page, OURS)["interactive"] / 1000)
        context.close()
    return {k: median(v) for k, v in out.items()}


def bench_original(browser, base, throttle, runs) -> float:
    times = []
    for _ in range(runs):
        context, page = open_page(browser, base, throttle, ORIGINAL_READY, block_external=True)
        page.goto(f"{base}/projects/coros-dashboard.html", wait_until="commit")
        times.append(wait_for(page, "window.__ready") / 1000)
        context.close()
    return median(times)


def original_page() -> Path:
    """The original page and its data, with Chart.js from npm served beside it instead of the
    CDN."""
    copy = OUT / "seed-page"
    if copy.exists():
        subprocess.run(["rm", "-rf", str(copy)], check=True)
    subprocess.run(["cp", "-r", str(SEED_PAGE), str(copy)], check=True)
    subprocess.run(["chmod", "-R", "u+w", str(copy)], check=True)
    npm = OUT / "npm"
    chartjs = (
        npm / "node_modules" / "chart.js" / "dist" / "chart.umd.js"
    )  # minified; the CDN serves it as .min.js
    if not chartjs.exists():
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(npm),
                "--no-audit",
                "--no-fund",
                "--no-save",
                "--silent",
                "chart.js@4.4.7",
            ],
            check=True,
        )
    (copy / "assets" / "js" / "chart.umd.min.js").write_bytes(chartjs.read_bytes())
    page = copy / "projects" / "coros-dashboard.html"
    page.write_text(page.read_text().replace(CDN_CHARTJS, "../assets/js/chart.umd.min.js"))
    return copy


def bench_pages(site10: Path, seed_site: Path) -> tuple:
    """The 10-year site unthrottled; the seed athlete's site and the 10-year site against the
    original page on slow 4G, loads alternating in one run."""
    from playwright.sync_api import sync_playwright

    servers = [start_server(d) for d in (site10, seed_site, original_page())]
    (_, base10), (_, seed_base), (_, original_base) = servers
    with sync_playwright() as p:
        browser = launch_chromium(p)
        unthrottled = bench_ours(browser, base10, None, RUNS)
        ours, ours10, original = [], [], []
        for _ in range(PAGE_RUNS):
            ours.append(bench_ours(browser, seed_base, SLOW_4G, 1))
            original.append(bench_original(browser, original_base, SLOW_4G, 1))
            ours10.append(bench_ours(browser, base10, SLOW_4G, 1))
        browser.close()
    for server, _ in servers:
        server.shutdown()
    slow = {k: median([o[k] for o in ours]) for k in ours[0]}
    slow10 = {k: median([o[k] for o in ours10]) for k in ours10[0]}
    return unthrottled, slow, slow10, median(original)


PHONE_HEIGHT = """() => [document.documentElement.scrollHeight,
  [...document.querySelectorAll('#today .verdict, #today .sleep, .week:not([hidden])')]
    .filter(e => e.offsetParent).map(e => e.getBoundingClientRect().bottom)]"""


def bench_phone(sites: dict) -> dict:
    """The dashboard's height in 375 × 667 screens as it opens, with every "more" open, and where
    the first screen's answers (verdict, sleep, week against week) end, per site."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        browser = launch_chromium(p)
        for name, site in sites.items():
            server, base = start_server(site)
            context = browser.new_context(
                viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True
            )
            page = context.new_page()
            page.goto(f"{base}/index.html")
            height, answers = page.evaluate(PHONE_HEIGHT)
            page.evaluate("document.querySelectorAll('details.more').forEach(d => d.open = true)")
            unfolded = page.evaluate("document.documentElement.scrollHeight")
            out[name] = (height / 667, unfolded / 667, max(answers, default=0))
            context.close()
            server.shutdown()
        browser.close()
    return out


ARCHIVE_FILTERS = [  # what a runner tries: a sport, a year, a month, a name, a distance, sorts
    {"sport": "run"},
    {"sport": "run", "year": "2016"},
    {"year": "2021", "month": "4"},
    {"q": "long"},
    {"q": "2019-06"},
    {"sport": "run", "min": "20", "max": "30"},
    {"sort": "pace", "sport": "run"},
    {"sort": "dist"},
    {"sort": "old"},
    {},
]


def bench_archive(site: Path) -> tuple:
    """The archive's gzip bytes (page and script; it loads no plotly.js), and the slowest filter
    or sort of ARCHIVE_FILTERS (median over runs) in Chromium at 4× CPU throttling, a mid-range
    phone."""
    from playwright.sync_api import sync_playwright

    page_file = site / "activities" / "index.html"
    script = next((site / "assets").glob("archive.*.js"))
    weight = sum(len(gzip.compress(f.read_bytes(), compresslevel=9)) for f in (page_file, script))
    server, base = start_server(site)
    slowest = []
    with sync_playwright() as p:
        browser = launch_chromium(p)
        for _ in range(RUNS):
            context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            page.goto(f"{base}/activities/index.html")
            page.wait_for_function("!!window.archiveFilter")
            times = page.evaluate(
                """filters => filters.map(f => { const t = performance.now(); archiveFilter(f);
                   return performance.now() - t; })""",
                ARCHIVE_FILTERS,
            )
            slowest.append(max(times))
            context.close()
        browser.close()
    server.shutdown()
    return weight, median(slowest)


def bench_activity_pages(site: Path) -> tuple:
    """The largest activity page's gzip bytes (all but plotly.js), and the time to draw one."""
    from playwright.sync_api import sync_playwright

    pages = sorted(
        (p for p in (site / "activities").glob("*.html") if p.name != "index.html"),  # the archive
        key=lambda p: p.stat().st_size,
    )
    largest = len(gzip.compress(pages[-1].read_bytes(), compresslevel=6))
    server, base = start_server(site)
    walls = []
    with sync_playwright() as p:
        browser = launch_chromium(p)
        for _ in range(RUNS):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{base}/activities/{pages[-1].name}")
            walls.append(
                wait_for(
                    page,
                    "[...document.querySelectorAll('.chart')].every(e => e.dataset.drawnAt) "
                    "? Math.max(...[...document.querySelectorAll('.chart')].map(e => "
                    "Number(e.dataset.drawnAt))) : null",
                )
                / 1000
            )
            context.close()
        browser.close()
    server.shutdown()
    return largest, median(walls)
