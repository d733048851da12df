"""The built site in a real headless Chromium (Debian's chromium through Playwright)."""

import re
from pathlib import Path

import pytest
from conftest import copy_data, run_script

from coros_dashboard.browser import CHROMIUM, launch_chromium, wait_for_charts
from coros_dashboard.serve import start_server

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium missing: make test installs it")
HOSTILE = "<img src=x onerror=\"document.title='pwned'\">"
NOW = "2026-11-22T07:00:00+01:00"


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


def build(data_dir, site_dir):
    result = run_script("build_site.py", "--data-dir", data_dir, "--site-dir", site_dir, "--now", NOW)
    assert result.returncode == 0, result.stderr
    return site_dir


class Visit:
    """Open a site and record console errors, page errors and every request."""

    def __init__(self, browser, site_dir, width=1280, dark=False):
        self.server, self.base = start_server(site_dir)
        self.context = browser.new_context(viewport={"width": width, "height": 900},
                                           color_scheme="dark" if dark else "light")
        self.page = self.context.new_page()
        self.errors, self.requests = [], []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(f"{self.base}/index.html")
        wait_for_charts(self.page)

    def close(self):
        self.context.close()
        self.server.shutdown()


@pytest.fixture(scope="module")
def hostile_site(demo_data, tmp_path_factory):
    def rename(activities):
        activities[-1]["name"] = HOSTILE
    root = tmp_path_factory.mktemp("hostile")
    return build(copy_data(demo_data, root / "data", edit=rename), root / "site")


@pytest.mark.parametrize("width, dark", [(1280, False), (375, True)])
def test_every_chart_draws_without_errors_or_outside_requests(browser, hostile_site, width, dark):
    visit = Visit(browser, hostile_site, width, dark)
    try:
        report = visit.page.evaluate("""() => [...document.querySelectorAll('.chart')].map(el => ({
            id: el.id,
            svg: !!el.querySelector('svg.main-svg'),
            traces: el.querySelectorAll('g.trace, g.slice').length,
            points: (el.data || []).reduce((n, t) => n + ((t.y || t.values || t.x || []).length), 0),
        }))""")
        assert len(report) == 22
        for chart in report:
            assert chart["svg"] and chart["traces"] > 0 and chart["points"] > 0, chart
        fonts = set(visit.page.evaluate("[...document.querySelectorAll('.chart')].map(el => el.layout.font.color)"))
        assert fonts == {"#e5e7eb" if dark else "#1f2937"}  # charts follow the page's colour scheme
        assert visit.errors == []
        assert visit.requests and all(url.startswith(visit.base + "/") for url in visit.requests), visit.requests
        overflow = visit.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0  # nothing wider than a 375 px phone
    finally:
        visit.close()


def test_hostile_activity_name_is_text_and_runs_nothing(browser, hostile_site):
    visit = Visit(browser, hostile_site)
    try:
        cell = visit.page.locator("td.name").first
        assert cell.inner_text() == HOSTILE
        assert visit.page.locator("img[src=x]").count() == 0
        assert visit.page.title() != "pwned"
    finally:
        visit.close()


@pytest.mark.parametrize("drop, expected", [
    (("health.json",), {"hrv-apple": "No Apple Health data yet", "sleep-stages": "No Apple Health data yet",
                        "spo2": "No Apple Health data yet", "steps": "No Apple Health data yet"}),
    (("activities.json",), {"fitness": "No activities yet", "calendar": "No activities yet",
                            "pace": "No runs of 1 km or more yet", "recent": "No activities yet"}),
    (("daily.json",), {"hrv-coros": "No sleep HRV from COROS yet", "races": "COROS has no race predictions yet",
                       "acute-chronic": "COROS has sent no acute or chronic load yet"}),
    (("activities.json", "daily.json", "health.json", "profile.json"), {"weekly": "No activities yet",
                                                                        "resting-hr": "No resting heart rate yet"}),
])
def test_each_empty_state_shows_its_sentence(browser, demo_data, tmp_path, drop, expected):
    site = build(copy_data(demo_data, tmp_path / "data", drop=drop), tmp_path / "site")
    visit = Visit(browser, site)
    try:
        for chart_id, sentence in expected.items():
            text = visit.page.locator(f'[data-empty="{chart_id}"]').inner_text()
            assert text.startswith(sentence), (chart_id, text)
            assert visit.page.locator(f"#{chart_id}.chart").count() == 0
        if "health.json" in drop:
            link = visit.page.locator('[data-empty="sleep-stages"] a')
            assert re.search(r"ios-shortcut\.md$", link.get_attribute("href"))
        assert visit.errors == []
    finally:
        visit.close()
