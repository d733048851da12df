"""The built site in a real headless Chromium (Debian's chromium through Playwright)."""

import datetime as dt
import functools
import itertools
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import copy_data, made_once, run_in_process

from coros_dashboard.browser import CHROMIUM, POLL_S, launch_chromium, poll, wait_for_charts
from coros_dashboard.serve import Traffic, start_server
from coros_dashboard.site.morning import HEADLINE_WITH_PLAN
from coros_dashboard.site.readiness import HEADLINES
from coros_dashboard.sports import GROUPS, RUN_CODES

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="chromium missing: make test installs it"
)
HOSTILE = "<img src=x onerror=\"document.title='pwned'\">"
LONG_NAME = "Sunday" + "Z" * 1994  # 2,000 characters (the longest kept), no break opportunity
NOW = "2026-11-22T07:00:00+01:00"
WINDOW_DAYS = {"last month": 31, "last 3 months": 92, "last year": 366}


def is_headline(text: str) -> bool:
    """One of the verdict's headlines, alone or in words with today's plan."""
    starts = {t.split("{")[0] for t in HEADLINE_WITH_PLAN.values()}
    return text in HEADLINES.values() or any(text.startswith(s) for s in starts)


@dataclass(frozen=True)
class Look:
    """How a test opens the site."""

    name: str
    width: int = 1280
    height: int = 800
    dark: bool = False
    touch: bool = False
    scripts: bool = True

    @property
    def viewport(self) -> dict:
        return {"width": self.width, "height": self.height}


DESK = Look("desk")
PHONE = Look("phone", 375, 667, dark=True, touch=True)  # an iPhone SE's screen
PHONE_LIGHT = Look("phone-light", 375, 667, touch=True)
PLAIN = Look("no-scripts", scripts=False)  # what is there before any script runs


def on(look: Look, share: str = ""):
    """Run with the other tests of this look (and share) on one worker (make test's
    --dist loadgroup): each look's page is then opened once a run instead of once per worker, at
    ~1.4 CPU-s each. `share` splits a look's many tests into groups a worker finishes in time."""
    return pytest.mark.xdist_group("-".join(filter(None, (look.name, share))))


def with_look(look: Look, share: str = ""):
    """A parameter for tests run in several looks, each on its look's worker."""
    return pytest.param(look, marks=on(look, share), id=look.name)


class Tabs:
    """One page per look, reused by the module's tests, and one server per site.

    Each visit still gets a fresh document, by navigating; a page opened anew would cost Chromium a
    renderer process and plotly's bundle compiled again, ~1.4 CPU-seconds a dashboard visit.
    """

    def __init__(self, browser):
        self.browser = browser
        self.pages: dict = {}
        self.servers: dict = {}

    def base(self, site_dir) -> str:
        if str(site_dir) not in self.servers:
            self.servers[str(site_dir)] = start_server(site_dir)
        return self.servers[str(site_dir)][1]

    def page(self, look: Look):
        if look not in self.pages:
            context = self.browser.new_context(
                viewport=look.viewport,
                java_script_enabled=look.scripts,
                color_scheme="dark" if look.dark else "light",
                has_touch=look.touch,
                is_mobile=look.touch,
            )
            self.pages[look] = context.new_page()
        return self.pages[look]

    def close(self):
        for page in self.pages.values():
            page.context.close()
        for server, _ in self.servers.values():
            server.shutdown()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        tabs = Tabs(launch_chromium(p))
        yield tabs
        tabs.close()
        tabs.browser.close()


def build(data_dir, site_dir):
    """build_site.py's main in this process (its own subprocess tests are in test_build_site.py)."""
    result = run_in_process(
        "build_site.py", "--data-dir", data_dir, "--site-dir", site_dir, "--now", NOW
    )
    assert result.returncode == 0, result.stderr
    return site_dir


def settled(read, timeout: float = 10.0):
    """What `read()` gives once two looks POLL_S apart agree: where a scroll or fling ended, however
    long a busy machine takes to get there."""
    deadline, last = time.monotonic() + timeout, read()
    while True:
        time.sleep(POLL_S)
        now = read()
        if now == last:
            return now
        assert time.monotonic() < deadline, f"still moving after {timeout} s"
        last = now


class Visit:
    """Open a site and record console errors, page errors and every request."""

    def __init__(self, tabs: Tabs, site_dir, look: Look = DESK, wait: bool = True):
        self.base = tabs.base(site_dir)
        self.page = tabs.page(look)
        self.context = self.page.context
        self.errors, self.requests = [], []
        noted = ("error", "warning", "trace")  # Plotly's warnings come as console.trace
        self.listeners = {
            "console": lambda m: m.type in noted and self.errors.append(m.text),
            "pageerror": lambda e: self.errors.append(str(e)),
            "request": lambda r: self.requests.append(r.url),
        }
        for event, listener in self.listeners.items():
            self.page.on(event, listener)
        try:
            self.page.goto(f"{self.base}/index.html")
            if wait:  # the first screen drawn; draw_all or wait_for_charts draw the rest
                poll(
                    lambda: self.page.evaluate(
                        "(!document.querySelector('.chart') || "
                        "!!document.querySelector('.chart[data-state=drawn]')) && "
                        "(!document.getElementById('calendar') || !!document.querySelector('.cal'))"
                    ),
                    "no chart or calendar was drawn",
                )
        except BaseException:  # the page serves the look's next test: leave it as close() does
            self.close()
            raise

    def unfold(self, *selectors: str):
        """Open the folded "more" holding what each selector matches, as a tap on it would; every
        "more" if none is named. The page draws what an open "more" shows: ~0.7 CPU-s for all."""
        self.page.evaluate(
            """selectors => (selectors.length ? selectors : ['details.more']).forEach(s =>
              document.querySelectorAll(s).forEach(el => {
                const more = el.closest('details.more'); if (more) { more.open = true; } }))""",
            list(selectors),
        )

    def draw_all(self):
        """Open every folded "more" and draw every chart."""
        self.unfold()
        self.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        wait_for_charts(self.page)
        self.page.evaluate("window.scrollTo(0, 0)")

    def close(self):
        """Leave the page blank for the next visit: the charts still waiting to be drawn in
        idle time are not."""
        for event, listener in self.listeners.items():
            self.page.remove_listener(event, listener)
        self.page.goto("about:blank")


AXE = Path(__file__).parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@functools.cache
def axe_source() -> str:
    assert AXE.exists(), "axe-core missing: make test installs it (npm install)"
    return AXE.read_text() + "\n;true"


def axe_violations(page) -> list:
    """axe-core's WCAG 2.1 A/AA and best-practice violations on the page as it is now.

    axe is evaluated as the test harness's own script, which the page's CSP does not govern: the
    page keeps its CSP and its look, so axe checks what a visitor gets."""
    if not page.evaluate("typeof axe === 'object'"):  # once per document
        page.evaluate(axe_source())
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
    # only violations are collected: the passes and their nodes cost ~3/4 of the time on the
    # dashboard's thousands of elements
    options = {
        "runOnly": {"type": "tag", "values": tags},
        "rules": {"target-size": {"enabled": True}},  # WCAG 2.2's 24 × 24 px, off by default
        "resultTypes": ["violations"],
    }
    return page.evaluate(
        "options => axe.run(document, options).then(r => "
        "r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))",
        options,
    )


@pytest.fixture(scope="module")
def site(demo_data, tmp_path_factory):
    def rename(activities):
        activities[-1]["name"] = HOSTILE
        activities[-2]["name"] = LONG_NAME

    def make(root):
        build(copy_data(demo_data, root / "data", edit=rename), root / "site")

    root = made_once(tmp_path_factory, "browser-site", make)
    return root / "site", root / "data"


@pytest.fixture(
    scope="module",
    params=[with_look(DESK), with_look(PHONE)],
)
def drawn(browser, site, request):
    """The dashboard as it opens in each theme, then with every chart drawn and every card, data
    table and "more" open, for the checks that only read it."""
    visit = Visit(browser, site[0], request.param)
    try:
        visit.axe_on_opening = axe_violations(visit.page)
        wait_for_charts(visit.page)
        visit.draw_all()
        visit.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        yield visit
    finally:
        visit.close()


def test_every_chart_draws_without_errors_or_outside_requests(drawn):
    report = drawn.page.evaluate("""() => [...document.querySelectorAll('.chart')].map(el => ({
        id: el.id, svg: !!el.querySelector('svg.main-svg'),
        traces: el.querySelectorAll('g.trace').length,
        font: el.layout && el.layout.template.layout.font.color}))""")
    assert report and all(c["svg"] and c["traces"] > 0 for c in report), report
    dark = drawn.page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert {c["font"] for c in report} == {"#e5e7eb" if dark else "#1f2937"}  # the matching theme
    assert drawn.errors == []
    assert drawn.requests and all(url.startswith(drawn.base + "/") for url in drawn.requests), (
        drawn.requests
    )
    assert drawn.page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert drawn.page.locator(".calendar .cal [data-date]").count() > 300


def test_no_chart_text_is_smaller_than_12_px_in_either_look(drawn):
    sizes = drawn.page.evaluate("""() => [...document.querySelectorAll('.chart svg text')]
        .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
        .map(t => [parseFloat(getComputedStyle(t).fontSize), t.textContent.slice(0, 30)])""")
    assert sizes and min(size for size, _ in sizes) >= 12, [t for t in sizes if t[0] < 12][:5]


def test_axe_finds_no_violations_on_the_dashboard(drawn):
    assert drawn.axe_on_opening == []  # as it opens
    assert axe_violations(drawn.page) == []  # every card, data table and chart open


@on(PHONE_LIGHT)
def test_a_vertical_swipe_on_a_chart_scrolls_the_page_and_leaves_the_chart(browser, site):
    visit = Visit(browser, site[0], PHONE_LIGHT)
    try:
        visit.unfold("#acwr")
        chart = visit.page.locator("#acwr")
        chart.scroll_into_view_if_needed()
        wait_for_charts(visit.page, selector="#acwr")
        before_range = visit.page.evaluate(
            "document.getElementById('acwr').layout.xaxis.range.slice()"
        )
        before_scroll = visit.page.evaluate("window.scrollY")
        box = chart.bounding_box()
        x, y = box["x"] + box["width"] / 2, min(box["y"] + box["height"] / 2, 600)
        cdp = visit.context.new_cdp_session(visit.page)
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]}
        )
        for step in range(1, 11):  # a finger moving 250 px up, starting on the chart
            cdp.send(
                "Input.dispatchTouchEvent",
                {"type": "touchMove", "touchPoints": [{"x": x, "y": y - 25 * step}]},
            )
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        cdp.detach()
        poll(
            lambda: visit.page.evaluate("window.scrollY") > before_scroll + 100,
            "the swipe did not scroll the page",
            timeout=10,
        )
        settled(lambda: visit.page.evaluate("window.scrollY"))  # and its fling has ended
        assert (
            visit.page.evaluate("document.getElementById('acwr').layout.xaxis.range")
            == before_range
        )
        chart.scroll_into_view_if_needed()
        box = settled(lambda: visit.page.locator("#acwr .nsewdrag").first.bounding_box())
        visit.page.touchscreen.tap(box["x"] + box["width"] * 0.7, box["y"] + box["height"] / 2)
        visit.page.wait_for_selector("#acwr .hoverlayer .hovertext, #acwr .hoverlayer .legend")
        tooltip = visit.page.evaluate("document.querySelector('#acwr .hoverlayer').textContent")
        assert re.search(r"\d\d \w{3} 2026.*Fatigue ÷ fitness: \d", tooltip), (
            tooltip
        )  # a tap shows the tooltip
    finally:
        visit.close()


def expected_week_km(data_dir: Path, codes) -> list[str]:
    """This week's distance to the build's moment (Sun 22 Nov 07:00) and last week's to the same
    weekday and clock time, each activity at its local start, from activities.json."""
    now = dt.datetime(2026, 11, 22, 7, 0)
    acts = json.loads((data_dir / "activities.json").read_text())["activities"]
    out = []
    for back in (0, 7):
        end = now - dt.timedelta(days=back)
        monday = dt.datetime.combine(end.date() - dt.timedelta(days=end.weekday()), dt.time())
        total = sum(
            a.get("distance_m", 0)
            for a in acts
            if (codes is None or a["sport_code"] in codes)
            and monday <= dt.datetime.fromisoformat(a["start_local"][:19]) <= end
        )
        out.append(f"{total / 1000:,.1f} km")
    return out


@on(DESK, "views")
def test_sport_views_change_the_totals_to_independently_computed_values(browser, site):
    visit = Visit(browser, site[0], DESK)
    try:
        visit.unfold("img.heatmap")  # the route heatmap, in the depth card's "more"
        assert visit.page.evaluate("document.body.dataset.view") == "run"  # the main sport opens
        for key, codes in (("all", None), ("run", GROUPS["run"][1]), ("ride", GROUPS["ride"][1])):
            visit.page.click(f'[data-view-button="{key}"]')
            row = visit.page.locator(f'[data-view-block="{key}"] tr[data-week="distance"] td')
            assert row.first.is_visible(), key
            assert row.all_inner_texts()[:2] == expected_week_km(site[1], codes), key
            others = visit.page.locator(f'.stats:not([data-view-block="{key}"])')
            assert all(not others.nth(i).is_visible() for i in range(others.count()))
        wait_for_charts(visit.page, selector="#weekly")  # redrawn for the last view, ride
        hover = visit.page.evaluate("document.getElementById('weekly').data[0].hovertemplate")
        assert "Ride" in hover
        # the details' views follow the sport: runs' best efforts say so, the heatmap has the rides'
        # routes
        assert visit.page.get_by_text("Best efforts are for runs").is_visible()
        assert not visit.page.locator("table.efforts").is_visible()
        assert not visit.page.locator("#pace-curve").is_visible()
        routes = {
            key: sum(
                1
                for p in (site[1] / "details").glob("*/*.json")
                if "route" in (doc := json.loads(p.read_text()))
                and doc["sport_code"] in GROUPS[key][1]
            )
            for key in ("run", "ride")
        }
        assert routes == {"run": 1, "ride": 0}  # the data this test is written for
        assert (
            visit.page.locator(".view-block:visible > p.empty").inner_text()
            == "No routes for this sport."
        )
        assert visit.page.locator("img.heatmap:visible").count() == 0
        visit.page.click('[data-view-button="run"]')
        heat = visit.page.locator("img.heatmap:visible")
        heat.scroll_into_view_if_needed()
        heat.evaluate("i => i.decode()")
        assert heat.count() == 1 and heat.evaluate("i => i.naturalWidth") > 0
        assert (
            visit.page.locator(".view-block:visible > .heatmap + .detail")
            .inner_text()
            .startswith("1 route;")
        )
        assert visit.page.locator("table.efforts").is_visible()
        visit.page.click('[data-view-button="all"]')
        wait_for_charts(visit.page, selector="#weekly")
        assert "all sports" in visit.page.evaluate(
            "document.getElementById('weekly').data[0].hovertemplate"
        )
        assert visit.errors == []
    finally:
        visit.close()


@on(PHONE)
def test_the_calendar_is_a_grid_of_aligned_cells(browser, site):
    visit = Visit(browser, site[0], PHONE)
    try:
        cells = visit.page.evaluate("""() =>
          [...document.querySelectorAll('.cal [data-date]')].map(c => {
            const r = c.getBoundingClientRect();
            return {x: Math.round(r.left), y: Math.round(r.top), w: r.width, row: c.style.gridRow,
                    col: c.style.gridColumn}; })""")
        assert len(cells) > 360
        for key in ("row", "col"):
            groups = {}
            for c in cells:
                groups.setdefault(c[key], set()).add(c["y"] if key == "row" else c["x"])
            assert all(len(v) == 1 for v in groups.values()), (
                key
            )  # one y per weekday row, one x per week
        assert {c["w"] for c in cells} == {24}  # a thumb's target at 375 px (WCAG 2.2: 24 × 24)
        labels = visit.page.locator(".cal .w")
        for i in range(labels.count()):  # the weekdays stay in view as the grid scrolls to today
            if labels.nth(i).inner_text():
                assert 0 <= labels.nth(i).bounding_box()["x"] < PHONE.width
        today = visit.page.locator('.cal [data-date="2026-11-22"]').bounding_box()
        assert today and today["x"] >= 0 and today["x"] + today["width"] <= PHONE.width
        legend = visit.page.locator("#calendar-legend").inner_text()
        assert "distance (km)" in legend  # the run view shades distance
        visit.page.locator(".cal a.l4").first.focus()
        assert re.fullmatch(
            r"\w{3} \d+ \w{3} \d{4}: .+ [\d.]+ km( — .+)?",
            visit.page.locator(".calendar-info").inner_text(),
        )
        visit.page.click('[data-view-button="all"]')
        assert "training load, all sports" in visit.page.locator("#calendar-legend").inner_text()
        visit.page.locator(".calendar-years button", has_text="2025").click()
        first = visit.page.evaluate("document.querySelector('.cal [data-date]').dataset.date")
        assert first == "2025-01-01"
    finally:
        visit.close()


def test_every_time_chart_opens_on_the_window_its_title_states(drawn):
    charts = drawn.page.evaluate("""() => [...document.querySelectorAll('.chart')].map(el => ({
        id: el.id, title: el.closest('figure').querySelector('h3').textContent,
        range: el.layout.xaxis.range,
        end: (el.closest('figure').querySelector('.ranges') || {dataset: {}}).dataset.end,
        period: el.data[0].xperiod || null,
        last: el.data[0].x ? el.data[0].x.slice(-1)[0] : null,
        first: el.data.map(t => t.x0 || (t.x || [])[0]).filter(Boolean).sort()[0]}))""")
    checked = 0
    for chart in charts:
        match = re.search(r"\((last month|last 3 months|last year|all history)\)", chart["title"])
        if not match:
            continue
        start, end = (dt.date.fromisoformat(d[:10]) for d in chart["range"])
        # a time chart ends with today's bar: today's day, week (to Monday 23) or month
        expected_end = "2026-12-01" if chart["period"] == "M1" else "2026-11-23"
        assert end.isoformat() == chart["end"] == expected_end, chart["id"]
        if chart["period"]:  # the current week's or month's bar is inside the window
            assert chart["last"] in ("2026-11-16", "2026-11-01"), chart["id"]
        if match.group(1) == "all history":
            assert start.isoformat() <= chart["first"][:10], chart["id"]
        else:
            assert (end - start).days == WINDOW_DAYS[match.group(1)], chart["id"]
        checked += 1
    assert checked >= 12


@on(DESK)
def test_range_buttons_move_the_window_and_the_title_says_which(browser, site):
    visit = Visit(browser, site[0], DESK)
    try:
        visit.unfold("#acwr")
        wait_for_charts(visit.page, selector="#acwr")
        visit.page.locator('.ranges[data-for="acwr"] button[data-range="1M"]').click()
        assert visit.page.evaluate("document.getElementById('acwr').layout.xaxis.range") == [
            "2026-10-23",
            "2026-11-23",
        ]
        assert (
            visit.page.locator('.ranges[data-for="acwr"] button[aria-pressed="true"]').inner_text()
            == "1M"
        )
        # the title names the window shown, and the buttons are named by their chart
        assert (
            visit.page.locator("#acwr-title")
            .inner_text()
            .startswith("Acute:chronic load ratio (last month)")
        )
        group = visit.page.get_by_role("group", name="Window of Acute:chronic load ratio")
        assert group.get_by_role("button").count() == 4
        visit.page.locator('.ranges[data-for="acwr"] button[data-range="All"]').click()
        start = visit.page.evaluate("document.getElementById('acwr').layout.xaxis.range[0]")
        assert start[:4] <= "2025"  # the whole history
    finally:
        visit.close()


@on(DESK)
def test_a_hover_in_the_model_warm_up_shows_no_form_from_another_day(browser, site):
    visit = Visit(browser, site[0], DESK)
    try:
        visit.page.locator("#fitness").scroll_into_view_if_needed()
        wait_for_charts(visit.page, selector="#fitness")
        visit.page.locator('.ranges[data-for="fitness"] button[data-range="All"]').click()
        labels = {}
        for days in (-1, 3):  # the warm-up's last day (form's first value 1 day, < 20 px away)
            x = visit.page.evaluate(
                """(days) => { const el = document.getElementById('fitness');
                const xa = el._fullLayout.xaxis, end = Date.parse(el.layout.shapes[0].x1);
                const left = el.getBoundingClientRect().left + xa._offset;
                return left + xa.l2p(end + days * 864e5); }""",
                days,
            )
            box = visit.page.locator("#fitness .nsewdrag").first.bounding_box()
            visit.page.mouse.move(x, box["y"] + box["height"] / 2)
            visit.page.wait_for_selector("#fitness .hoverlayer .legend")
            labels[days] = visit.page.evaluate(
                "document.querySelector('#fitness .hoverlayer').textContent"
            )
            visit.page.mouse.move(0, 0)
        assert "Fitness (42-day): " in labels[-1] and "Form: –" in labels[-1], labels
        assert re.search(r"Form: [+−-]?\d", labels[3]), labels  # after it, form's own value
    finally:
        visit.close()


HOVERS = {
    "resting-hr": "bpm",
    "hrv-apple": "ms",
    "sleep-duration": "h:mm",
    "steps": ",",
    "weekly": "km",
    "fitness": "Fitness (42-day)",
}


@on(DESK)
def test_hover_text_has_a_date_and_a_unit(browser, site):
    visit = Visit(browser, site[0], DESK)
    try:
        visit.unfold(*(f"#{chart_id}" for chart_id in HOVERS))
        for chart_id, unit in HOVERS.items():
            visit.page.locator(f"#{chart_id}").scroll_into_view_if_needed()
            wait_for_charts(visit.page, selector=f"#{chart_id}")
            box = visit.page.locator(f"#{chart_id} .nsewdrag").first.bounding_box()
            visit.page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.5)
            visit.page.wait_for_selector(
                f"#{chart_id} .hoverlayer .legend, #{chart_id} .hoverlayer .hovertext"
            )
            label = visit.page.evaluate(
                f"document.querySelector('#{chart_id} .hoverlayer').textContent"
            )
            assert re.search(
                r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d "
                r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                r"\d{4}|week of \d\d \w{3} \d{4}",
                label,
            ), (chart_id, label)
            assert unit in label, (chart_id, label)
            assert "..." not in label  # series names are never cut
    finally:
        visit.close()


@on(PHONE_LIGHT)
def test_hostile_and_long_names_are_text_and_widen_nothing(browser, site):
    visit = Visit(browser, site[0], PHONE_LIGHT)
    try:
        visit.page.click('[data-view-button="all"]')
        names = visit.page.locator('[data-view-block="all"] .name b').all_inner_texts()
        assert HOSTILE in names and LONG_NAME in names
        assert visit.page.locator("img[src=x]").count() == 0 and visit.page.title() != "pwned"
        visit.draw_all()  # records, tables and every folded card too
        assert visit.page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        long_id = json.loads((site[1] / "activities.json").read_text())["activities"][-2]["id"]
        visit.page.goto(f"{visit.base}/activities/{long_id}.html")
        assert visit.page.locator("h1").inner_text() == LONG_NAME
        assert visit.page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    finally:
        visit.close()


@on(PHONE_LIGHT)
def test_every_name_and_plan_text_wraps_on_a_phone(browser, recent_data, tmp_path):
    """A 200-character unbroken string (the longest a plan keeps) wherever a name or plan text
    appears: Today, the plan, the lists, the archive and an activity page with its neighbours."""
    unbroken = "W" * 200

    def rename(activities):
        for a in activities[-30:]:
            a["name"] = unbroken

    data = copy_data(recent_data, tmp_path / "data", edit=rename)
    plan = json.loads((data / "plan.json").read_text())
    for w in plan["workouts"]:
        w.update(name=unbroken, summary=unbroken)
    today = {"id": "p-today", "date": NOW[:10], "name": unbroken, "summary": unbroken}
    plan["workouts"] = sorted([*plan["workouts"], today], key=lambda w: (w["date"], w["id"]))
    (data / "plan.json").write_text(json.dumps(plan))
    site = build(data, tmp_path / "site")
    newest = json.loads((data / "activities.json").read_text())["activities"][-2]["id"]
    visit = Visit(browser, site, PHONE_LIGHT)
    try:
        assert unbroken in visit.page.locator("#today").inner_text()
        visit.draw_all()
        for path in ("", "activities/index.html", f"activities/{newest}.html"):
            if path:
                visit.page.goto(f"{visit.base}/{path}")
            visit.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            wider = visit.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert wider <= 0, (path, wider)
    finally:
        visit.close()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@on(PHONE_LIGHT, "app")
def test_the_dashboard_installs_and_opens_offline(browser, recent_data, tmp_path):
    """A phone's second visit is controlled by the service worker; offline, the dashboard, the
    archive and the last activity page visited open from its copy, charts drawn, saying so; a
    rebuild with one more activity shows on the next online visit."""
    site = build(copy_data(recent_data, tmp_path / "data"), tmp_path / "site")
    doc = json.loads((site / "manifest.webmanifest").read_text())
    assert doc["name"] and doc["start_url"] and doc["display"] == "standalone"
    for entry in doc["icons"]:
        width, height = png_size(site / entry["src"])
        assert entry["sizes"] == f"{width}x{height}"
    assert any(e.get("purpose") == "maskable" for e in doc["icons"])
    base = browser.base(site)
    context = browser.browser.new_context(
        viewport=PHONE_LIGHT.viewport, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        page.goto(f"{base}/index.html")
        assert page.locator('link[rel="manifest"]').count() == 1
        assert page.locator('link[rel="apple-touch-icon"]').count() == 1
        poll(lambda: page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)"), "", 20)
        page.reload()
        assert page.evaluate("!!navigator.serviceWorker.controller")
        wait_for_charts(page)
        page.goto(f"{base}/activities/index.html")
        href = page.locator("#list a.name").first.get_attribute("href")
        page.goto(f"{base}/activities/{href}")
        context.set_offline(True)
        for path in ("index.html", "activities/index.html", f"activities/{href}"):
            page.goto(f"{base}/{path}")
            notice = page.locator(".notice.offline")
            assert notice.count() == 1 and notice.inner_text().startswith("Offline — showing"), path
            wait_for_charts(page)
            if path == "index.html":  # the page's second half comes from the worker's copy too
                poll(lambda: page.locator(".cal [data-date]").count() > 300, "no calendar", 10)
                page.evaluate("document.querySelectorAll('details.more').forEach(d => d.open = 1)")
                wait_for_charts(page)
        context.set_offline(False)

        def one_more(activities):
            newest = dict(activities[-1])
            newest.update(id="4999999999999", name="Brand New Run")
            activities.append(newest)

        build(copy_data(recent_data, tmp_path / "data2", edit=one_more), site)
        page.goto(f"{base}/index.html")
        assert page.locator(".notice.offline").count() == 0
        assert "Brand New Run" in page.locator("#today .last-activity, #recent").first.inner_text()
    finally:
        context.close()


@on(PHONE)
def test_every_chart_of_the_opening_view_reads_before_plotly_arrives(browser, site):
    """plotly.js never arrives: every chart the opening view shows is a still drawn in the HTML,
    with its lines, bars or dots, its scale and its dates; the second half of the page's data is
    not in it."""
    context = browser.browser.new_context(
        viewport=PHONE.viewport, is_mobile=True, has_touch=True, color_scheme="dark"
    )
    context.route("**/assets/plotly-*", lambda route: route.abort())
    try:
        page = context.new_page()
        page.goto(f"{browser.base(site[0])}/index.html")
        charts = page.evaluate("""() => [...document.querySelectorAll('.chart')]
          .filter(el => !el.closest('details:not([open])') && el.offsetParent)
          .map(el => ({id: el.id, height: el.getBoundingClientRect().height,
            marks: [...el.querySelectorAll('.still path')].filter(p => p.getAttribute('d'))
              .map(p => p.getBBox().width),
            words: [...el.querySelectorAll('.still span')].map(t => t.textContent),
            small: [...el.querySelectorAll('.still span')].some(t =>
              parseFloat(getComputedStyle(t).fontSize) < 12 || t.getBoundingClientRect().right >
              el.getBoundingClientRect().right + 1)}))""")
        assert len(charts) >= 5, charts
        for chart in charts:
            assert chart["height"] > 150 and chart["marks"], chart["id"]
            assert max(chart["marks"]) > 300, chart  # drawn across the window, in viewBox units
            assert re.search(r"\d", chart["words"][0]) and re.search(r"\d{4}$", chart["words"][-1])
            assert not chart["small"], chart  # 12 px words, inside the chart, at 375 px
        fetched = []
        page.on("request", lambda r: fetched.append(r.url) if "/later." in r.url else None)
        page.wait_for_timeout(1500)  # no plotly.js: each chart waits, never retried in a loop
        states = page.evaluate("""[...document.querySelectorAll('.chart')]
          .filter(el => !el.closest('details:not([open])')).map(el => el.dataset.state)""")
        assert set(states) == {"failed"} and len(fetched) <= 1, (states, fetched)
        assert page.locator(".chart > .still").count() == len(charts)  # the stills stay
        data = json.loads(page.locator("#page-data").text_content())
        assert "activities" not in data and data["later"].startswith("assets/later.")
        opening = page.evaluate("document.body.dataset.view")
        assert all(list(views) in (["all"], [opening]) for views in data["figures"].values())
    finally:
        context.close()


@on(PHONE_LIGHT, "app")
def test_a_repeat_visit_costs_almost_nothing(browser, recent_data, tmp_path):
    """Nothing changed: a repeat visit transfers ≤ 30 KB in all (pages revalidated, assets from
    the worker's copy). The data changed: the new page comes, plotly.js never again."""
    site = build(copy_data(recent_data, tmp_path / "data"), tmp_path / "site")
    traffic = Traffic()
    server, base = start_server(site, traffic=traffic)
    context = browser.browser.new_context(
        viewport=PHONE_LIGHT.viewport, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        page.goto(f"{base}/index.html")
        poll(lambda: page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)"), "", 20)
        page.reload()
        wait_for_charts(page)
        cold = traffic.bytes
        traffic.reset()
        page.goto(f"{base}/index.html")
        wait_for_charts(page)
        assert traffic.bytes <= 30_000, (traffic.bytes, traffic.paths)
        assert cold > 300_000  # the first visit did fetch plotly.js: the count is real
        build(copy_data(recent_data, tmp_path / "data2", since="2026-09-01"), site)
        traffic.reset()
        page.goto(f"{base}/index.html")
        wait_for_charts(page)
        assert any(p.startswith("/index.html") for p in traffic.paths)
        assert not any("plotly" in p for p in traffic.paths), traffic.paths
    finally:
        context.close()
        server.shutdown()


@on(PLAIN)
def test_a_looks_tests_share_a_worker(request):
    """make test's --dist loadgroup still groups by xdist_group (pytest 9.2 with xdist 3.8.0 drops
    the groups without a word: xdist #1386)."""
    if getattr(request.config.option, "loadgroup", False):  # a worker of a loadgroup run
        assert request.node.nodeid.endswith(f"@{PLAIN.name}")


@on(PLAIN)
def test_today_and_totals_are_there_before_any_script_runs(browser, site):
    visit = Visit(browser, site[0], PLAIN, wait=False)
    try:
        page = visit.page
        assert is_headline(page.locator("#today .verdict strong").inner_text())
        assert page.locator("#today .sleep").inner_text().startswith("Night to Sun 22 Nov")
        assert page.locator('[data-view-block="run"] tr[data-week="distance"]').is_visible()
    finally:
        visit.close()


@on(DESK, "calendar")
def test_every_calendar_day_is_one_phrase_within_its_sport_view(browser, site):
    """A day with only a ride reads "rest day" in the Run view (never "not in the plan"); a
    planned day ahead "planned: …"; a day done "…: Long Run 21.0 km — as planned"."""
    acts = json.loads((site[1] / "activities.json").read_text())["activities"]
    plan = json.loads((site[1] / "plan.json").read_text())["workouts"]
    runs = {a["date"] for a in acts if a["sport_code"] in RUN_CODES}
    others = sorted(
        a["date"]
        for a in acts
        if a["date"] not in runs and plan[0]["date"] <= a["date"] < "2026-11-22"
    )
    visit = Visit(browser, site[0], DESK)
    try:
        page = visit.page
        page.click('[data-view-button="run"]')
        labels = page.evaluate(
            "Object.fromEntries([...document.querySelectorAll('.cal [data-date]')]"
            ".map(c => [c.dataset.date, c.getAttribute('aria-label')]))"
        )
        odd = [
            label  # "Sept": Chromium's en-GB short month
            for label in labels.values()
            if not re.match(r"\w{3} \d+ \w{3,4} \d{4}: \S", label)
        ]
        assert not odd, odd[:3]
        assert not any("planned, planned" in label for label in labels.values())
        planned_days = {w["date"] for w in plan}
        for day in others:
            if day not in planned_days:
                assert labels[day].endswith(": rest day"), (day, labels[day])
        assert "not in the plan" not in " ".join(labels[d] for d in others if d not in planned_days)
    finally:
        visit.close()


@on(DESK, "calendar")
@pytest.mark.parametrize(
    "drop, expected",
    [
        (
            ("health.json",),
            {
                "hrv-apple": "No Apple Health data yet",
                "sleep-stages": "No Apple Health data yet",
                "spo2": "No Apple Health data yet",
                "steps": "No Apple Health data yet",
            },
        ),
        (
            ("activities.json", "daily.json"),
            {
                "fitness": "No activities yet",
                "calendar": "No activities yet",
                "pace": "No runs of 1 km or more yet",
                "recent": "No activities yet",
                "hrv-coros": "No sleep HRV from COROS yet",
                "races": "COROS has no race predictions yet",
                "thresholds": "COROS has no lactate threshold yet",
            },
        ),
        (
            ("activities.json", "daily.json", "health.json", "profile.json"),
            {"weekly": "No activities yet", "resting-hr": "No resting heart rate yet"},
        ),
    ],
)
def test_each_empty_state_shows_its_sentence(browser, recent_data, tmp_path, drop, expected):
    site = build(copy_data(recent_data, tmp_path / "data", drop=drop), tmp_path / "site")
    visit = Visit(browser, site, DESK, wait=False)
    try:
        for chart_id, sentence in expected.items():
            text = visit.page.locator(f'[data-empty="{chart_id}"]').text_content().strip()
            assert text.startswith(sentence), (chart_id, text)
            assert visit.page.locator(f"#{chart_id}.chart").count() == 0
        if "health.json" in drop:
            link = visit.page.locator('[data-empty="sleep-stages"] a')
            assert re.search(r"ios-shortcut\.md$", link.get_attribute("href"))
        assert visit.errors == []
    finally:
        visit.close()


@on(PLAIN)
def test_the_steps_card_says_which_health_data_is_missing(browser, recent_data, tmp_path):
    def no_steps(path):
        doc = json.loads(path.read_text())
        for day in doc["days"]:
            day.pop("steps", None)
        path.write_text(json.dumps(doc))

    data = copy_data(recent_data, tmp_path / "data")
    no_steps(data / "health.json")
    site = build(data, tmp_path / "site")
    visit = Visit(browser, site, PLAIN, wait=False)  # the sentence is in the HTML
    try:
        assert (
            visit.page.locator('[data-empty="steps"]')
            .text_content()
            .strip()
            .startswith("Apple Health data has no steps yet")
        )
    finally:
        visit.close()


@pytest.mark.parametrize("look", [with_look(DESK, "views"), with_look(PHONE, "pages")])
def test_an_activity_page_draws_every_chart_and_its_route(browser, site, look):
    detailed = sorted(p.stem for p in (site[1] / "details").glob("*/*.json"))
    visit = Visit(browser, site[0], look)
    try:
        visit.page.click('[data-view-button="all"]')
        docs = [
            json.loads(next((site[1] / "details").glob(f"*/{i}.json")).read_text())
            for i in detailed
        ]
        is_run, chosen = max(
            (d["sport_code"] in RUN_CODES, d["id"]) for d in docs if "route" in d
        )  # a run if any
        detailed = [chosen]
        link = visit.page.locator(
            f'[data-view-block="all"] a[href="activities/{detailed[-1]}.html"]'
        )
        link.click()
        visit.page.wait_for_url(f"**/activities/{detailed[-1]}.html")
        wait_for_charts(visit.page)
        charts = visit.page.evaluate(
            "[...document.querySelectorAll('.chart')].map(e => [e.id, "
            "!!e.querySelector('svg.main-svg'), e.querySelectorAll('g.trace').length])"
        )
        assert {c[0] for c in charts} >= {"heart-rate", "elevation"} and all(
            c[1] and c[2] for c in charts
        )
        route = visit.page.locator("svg.route polyline")
        points, width, height = route.evaluate(
            "e => [e.points.numberOfItems, e.getBBox().width, e.getBBox().height]"
        )
        assert (
            route.count() >= 1 and points > 20 and max(width, height) > 2000
        )  # spans the 3200-tenths box
        assert is_run == ("pace" in {c[0] for c in charts})
        if is_run:  # pace drawn as m:ss on a date axis
            ticks = visit.page.evaluate(
                "[...document.querySelectorAll('#pace .ytick text')].map(e => e.textContent)"
            )
            assert ticks and all(re.fullmatch(r"\d{1,2}:\d\d", t) for t in ticks), ticks
        assert visit.errors == []
        assert all(url.startswith(visit.base + "/") for url in visit.requests), visit.requests
        assert visit.page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    finally:
        visit.close()


@on(PHONE, "pages")
def test_axe_finds_no_violations_on_an_activity_page(browser, site):
    detailed = next(p.stem for p in (site[1] / "details").glob("*/*.json"))
    visit = Visit(browser, site[0], PHONE)
    try:
        visit.page.goto(f"{visit.base}/activities/{detailed}.html")
        wait_for_charts(visit.page)
        levels = visit.page.evaluate(
            "[...document.querySelectorAll('h1, h2, h3')].map(h => +h.tagName[1])"
        )
        assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
        assert axe_violations(visit.page) == []
    finally:
        visit.close()


@on(PHONE, "pages")
def test_axe_under_the_pages_csp_still_finds_a_planted_violation(browser, site):
    """The axe checks above can fail: evaluated under the site's CSP, axe runs every rule."""
    visit = Visit(browser, site[0], PHONE, wait=False)
    try:
        visit.page.goto(f"{visit.base}/activities/index.html")
        visit.page.evaluate("document.querySelector('main').append(document.createElement('img'))")
        assert [v.split(":")[0] for v in axe_violations(visit.page)] == ["image-alt"]
        assert visit.errors == []  # and nothing of it was refused by the CSP
    finally:
        visit.close()


@on(DESK, "views")
def test_the_calendar_works_from_the_keyboard(browser, site):
    visit = Visit(browser, site[0], DESK)
    try:
        days = visit.page.locator("#calendar [data-date]")
        assert days.count() > 360
        stops = visit.page.locator("#calendar [tabindex='0']")
        assert stops.count() == 1  # one tab stop; the arrows move within
        stops.focus()
        last = visit.page.evaluate("document.activeElement.dataset.date")
        assert last == "2026-11-22"  # today
        visit.page.keyboard.press("ArrowLeft")  # a week back
        visit.page.keyboard.press("ArrowUp")  # and a day
        assert visit.page.evaluate("document.activeElement.dataset.date") == "2026-11-14"
        name = visit.page.evaluate("document.activeElement.getAttribute('aria-label')")
        assert visit.page.locator(".calendar-info").inner_text() == name
        data = json.loads((site[1] / "activities.json").read_text())["activities"]
        that_day = [a for a in data if a["date"] == "2026-11-14"]
        if not that_day:
            assert name == "Sat 14 Nov 2026: rest"
            while visit.page.evaluate("document.activeElement.tagName") != "A":
                visit.page.keyboard.press("ArrowUp")
            that_day = [
                a
                for a in data
                if a["date"] == visit.page.evaluate("document.activeElement.dataset.date")
            ]
            name = visit.page.evaluate("document.activeElement.getAttribute('aria-label')")
        assert all(a["name"] in name for a in that_day)
        with visit.page.expect_navigation():
            visit.page.keyboard.press("Enter")  # a day with activities is a link
        if len(that_day) == 1:
            assert visit.page.url.endswith(f"/activities/{that_day[0]['id']}.html")
        else:
            assert f"day={that_day[0]['date']}" in visit.page.url
    finally:
        visit.close()


@on(PHONE, "pages")
def test_a_run_from_eight_months_ago_in_three_interactions(browser, site):
    """From the dashboard at 375 px: through the archive (nav link, the month typed, the run) and
    through the calendar (one press on the day)."""
    data = json.loads((site[1] / "activities.json").read_text())["activities"]
    target_day = (dt.date(2026, 11, 22) - dt.timedelta(days=243)).isoformat()[:7]
    run = next(a for a in data if a["date"].startswith(target_day) and a["sport_code"] == 100)
    visit = Visit(browser, site[0], PHONE)
    try:
        visit.page.locator('nav a[href="activities/index.html"]').click()  # 1
        visit.page.locator("input[name=q]").fill(run["date"])  # 2
        assert (
            visit.page.evaluate("location.search") == f"?q={run['date']}"
        )  # the state: in the URL
        with visit.page.expect_navigation():
            visit.page.locator(f'#list a[href="{run["id"]}.html"]').click()  # 3
        assert visit.page.url.endswith(f"/activities/{run['id']}.html")
        visit.page.go_back()  # the filters come back with the page
        assert visit.page.locator("input[name=q]").input_value() == run["date"]
        assert visit.page.locator(f'#list a[href="{run["id"]}.html"]').count() == 1

        visit.page.goto(f"{visit.base}/index.html")
        visit.page.click('[data-view-button="all"]')
        cell = visit.page.locator(f'.cal [data-date="{run["date"]}"]')
        assert run["name"] in cell.get_attribute("aria-label")
        with visit.page.expect_navigation():
            cell.click()  # 1
        if visit.page.url.endswith(".html"):
            assert visit.page.url.endswith(f"/activities/{run['id']}.html")
        else:  # several that day: the archive at that day, then the run
            visit.page.locator(f'#list a[href="{run["id"]}.html"]').click()
            assert visit.page.url.endswith(f"/activities/{run['id']}.html")
        assert visit.errors == []
    finally:
        visit.close()


@on(DESK, "views")
def test_archive_filters_sort_and_page(browser, site):
    data = json.loads((site[1] / "activities.json").read_text())["activities"]
    visit = Visit(browser, site[0], DESK, wait=False)
    try:
        visit.page.goto(f"{visit.base}/activities/index.html?sport=run&year=2025&sort=dist")
        runs = [a for a in data if a["sport_code"] in RUN_CODES and a["date"].startswith("2025")]
        status = visit.page.locator("#count").inner_text()
        assert status == f"Showing {min(50, len(runs))} of {len(runs)} activities."
        longest = max(runs, key=lambda a: a["distance_m"])
        assert visit.page.locator("#list a.name").first.get_attribute("href") == (
            f"{longest['id']}.html"
        )
        if len(runs) > 50:
            visit.page.locator("#more").click()
            assert visit.page.locator("#list a.name").count() == min(100, len(runs))
        visit.page.select_option("select[name=month]", "4")
        april = [a for a in runs if a["date"].startswith("2025-04")]
        assert visit.page.locator("#list a.name").count() == len(april)
        assert "month=4" in visit.page.evaluate("location.search")
        visit.page.fill("input[name=min]", "15")
        long_ones = [a for a in april if a["distance_m"] >= 15000]
        assert visit.page.locator("#list a.name").count() == len(long_ones)
        visit.page.select_option("select[name=month]", "")
        visit.page.fill("input[name=min]", "")
        visit.page.select_option("select[name=year]", "")
        visit.page.select_option("select[name=sport]", "")
        visit.page.fill("input[name=q]", HOSTILE[:12])  # names are text, never markup
        assert visit.page.locator("#list a.name b").all_inner_texts() == [HOSTILE]
        assert visit.page.evaluate("document.title") != "pwned"
        assert visit.errors == [] and all(r.startswith(visit.base) for r in visit.requests)
    finally:
        visit.close()


@on(PHONE, "pages")
@pytest.mark.parametrize("page", ["archive", "same route"])
def test_axe_finds_no_violations_on_the_archive_and_a_same_route_page(
    browser, site, course_site, page
):
    root = site[0] if page == "archive" else course_site / "site"
    visit = Visit(browser, root, PHONE, wait=False)
    try:
        if page == "archive":
            visit.page.goto(f"{visit.base}/activities/index.html?sport=run")
        else:
            matched = next(
                p
                for p in (root / "activities").glob("*.html")
                if 'id="peers-heading"' in p.read_text()
            )
            visit.page.goto(f"{visit.base}/activities/{matched.name}")
            wait_for_charts(visit.page)
            assert visit.page.locator("#peers .main-svg").count() >= 1
        assert axe_violations(visit.page) == []
        assert visit.errors == []
    finally:
        visit.close()


@on(PHONE, "pages")
def test_an_activity_page_reads_lap_by_lap_with_its_route_up_front(browser, course_site):
    """At 375 × 667: the same-route section within two screens, this run in its own table; laps
    with their pace, splits with HR, one line a zone; and "no match" said where there is none."""
    root = course_site / "site"
    pages = sorted((root / "activities").glob("4*.html"))
    matched = next(
        p
        for p in pages
        if 'id="peers-heading"' in p.read_text() and '<table class="laps"' in p.read_text()
    )
    unmatched = next(p for p in pages if 'class="detail no-peers"' in p.read_text())
    visit = Visit(browser, root, PHONE, wait=False)
    try:
        page = visit.page
        page.goto(f"{visit.base}/activities/{matched.name}")
        top = page.locator("section.peers").bounding_box()["y"]
        assert top <= 2 * PHONE.height
        assert page.locator(".peers-table tr.this").count() == 1
        head = page.locator("table.laps thead").inner_text()
        assert "Pace" in head or "Speed" in head
        paces = page.locator("table.laps tbody tr td:nth-child(4)").all_inner_texts()
        assert paces and all(re.fullmatch(r"\d+:\d\d /km|[\d.]+ km/h|–", p) for p in paces)
        assert page.locator("table.splits thead").inner_text().split()[-1] == "HR"
        rows = page.locator("table.zones tr")
        heights = [rows.nth(i).bounding_box()["height"] for i in range(rows.count())]
        line = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('table.zones td')).lineHeight)"
        )
        assert heights and max(heights) < 2 * line + 12  # one line each, with its padding
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.goto(f"{visit.base}/activities/{unmatched.name}")
        sentence = page.locator(".no-peers").inner_text()
        assert re.match(
            r"No other \w+ on this route yet\.|No GPS route|Its route|No similar", sentence
        )
    finally:
        visit.close()


@on(PHONE, "pages")
def test_every_section_and_five_archive_rows_are_one_tap_away_on_a_phone(browser, course_site):
    """The nav wraps (every target on screen, none scrolled away); the archive's filters fold so
    that 5 results show on its first screen; "april" and "sunday" find their activities."""
    visit = Visit(browser, course_site / "site", PHONE, wait=False)
    try:
        page = visit.page
        links = page.locator("header nav a")
        assert links.count() >= 6
        for i in range(links.count()):
            box = links.nth(i).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE.width, i
            assert box["y"] + box["height"] <= PHONE.height and box["height"] >= 24
        page.goto(f"{visit.base}/activities/index.html")
        rows = page.locator("#list ol.activities li:not(.head)")
        seen = [rows.nth(i).bounding_box() for i in range(8)]
        assert sum(1 for b in seen if b["y"] + b["height"] <= PHONE.height) >= 5
        acts = json.loads((course_site / "data" / "activities.json").read_text())["activities"]
        for word, test in (
            ("april", lambda d: d.month == 4),
            ("sunday", lambda d: d.weekday() == 6),
        ):
            page.fill("input[name=q]", word)
            expected = sum(1 for a in acts if test(dt.date.fromisoformat(a["date"])))
            shown = page.locator("#count").inner_text()
            assert re.search(rf"of {expected:,} activit", shown), (word, shown)
    finally:
        visit.close()


@on(PHONE)
def test_skip_link_nav_and_sticky_bar_on_a_phone(browser, site):
    visit = Visit(browser, site[0], PHONE)
    try:
        visit.page.keyboard.press("Tab")
        skip = visit.page.evaluate(
            "[document.activeElement.className, document.activeElement.getAttribute('href')]"
        )
        assert skip == ["skip", "#today"]
        bar = visit.page.locator(".views").bounding_box()
        assert bar["height"] < 0.11 * PHONE.height
        visit.page.locator('nav a[href="#health"]').click()
        visit.page.wait_for_timeout(100)  # let the jump land; positions are read, not timed
        heading = visit.page.locator("#health-heading").bounding_box()
        bar = visit.page.locator(".views").bounding_box()
        assert heading["y"] >= bar["y"] + bar["height"] - 1  # not under the sticky bar
        assert visit.page.locator(":focus-visible").count() <= 1
    finally:
        visit.close()


@on(PHONE)
def test_the_morning_questions_on_a_phone(browser, site):
    """(a) train hard? (b) this week against last, (c) last night's sleep: text on the first
    screen; (d) the best 5K and its coverage within two taps."""
    visit = Visit(browser, site[0], PHONE)
    try:
        page = visit.page

        def on_first_screen(selector):
            box = page.locator(selector).first.bounding_box()
            return box is not None and box["y"] + box["height"] <= PHONE.height

        assert is_headline(page.locator("#today .verdict strong").inner_text())
        assert on_first_screen("#today .verdict")
        assert on_first_screen("#today .sleep")
        assert re.match(
            r"Night to Sun 22 Nov \d+:\d\d asleep · ", page.locator("#today .sleep").inner_text()
        )
        chips = page.locator("#today .reasons .chip")  # every signal, without a tap
        assert chips.count() >= 5 and on_first_screen("#today .reasons")
        marks = page.locator("#today .reasons .chip .mark")
        assert marks.first.is_visible() and set(marks.all_inner_texts()) <= set("✓!✕–")
        row = '[data-view-block="run"] tr[data-week="distance"]'
        assert on_first_screen(row)
        cells = page.locator(row + " td").all_inner_texts()
        assert cells[:2] == expected_week_km(site[1], GROUPS["run"][1])
        assert re.fullmatch(r"[+−][\d.,]+ km|±0", cells[2])
        chips.first.click()  # the chips open how each was judged
        assert page.locator("#today details.why table").is_visible()
        page.locator('nav a[href="#depth"]').click()  # one tap
        five_k = page.locator("table.efforts tr", has_text="5K").first
        assert five_k.is_visible() and re.search(r"\d+:\d\d", five_k.inner_text())
        coverage = page.locator(".efforts").locator("xpath=../following-sibling::p").first
        assert re.fullmatch(r"From ([\d,]+ of [\d,]+|all [\d,]+) runs.*", coverage.inner_text())
        assert "all time" not in page.locator("#depth").inner_text().lower()
    finally:
        visit.close()


@on(PHONE)
def test_the_default_view_is_at_most_ten_phone_screens(browser, site):
    visit = Visit(browser, site[0], PHONE)
    try:
        height = visit.page.evaluate("document.documentElement.scrollHeight")
        assert height <= 10 * PHONE.height
        folded = visit.page.locator("details.more .chart").count()
        assert folded >= 10  # every chart is still there, one tap away
    finally:
        visit.close()


@on(DESK, "views")
def test_plan_vs_done_from_the_fetched_plan(browser, site):
    """The fetched plan.json on the page: today's workout, the week's table, the calendar marks."""
    plan = json.loads((site[1] / "plan.json").read_text())["workouts"]
    acts = json.loads((site[1] / "activities.json").read_text())["activities"]
    today = "2026-11-22"
    visit = Visit(browser, site[0], DESK)
    try:
        page = visit.page
        todays = [w for w in plan if w["date"] == today]
        line = page.locator("#today .plan-today").first.inner_text()
        assert line.startswith("Planned today")
        assert all(w["name"] in line for w in todays) if todays else "Rest" in line

        monday = (dt.date(2026, 11, 22) - dt.timedelta(days=6)).isoformat()
        week = [w for w in plan if monday <= w["date"] <= "2026-11-22"]
        runs = [a for a in acts if monday <= a["date"] <= today and a["sport_code"] in RUN_CODES]
        planned_km = sum(w.get("distance_m", 0) for w in week) / 1000
        done_km = sum(a.get("distance_m", 0) for a in runs) / 1000
        page.locator('details[data-more="plan"] summary').click()
        first_row = page.locator("table.plan-weeks tbody tr").first.inner_text()
        assert f"{done_km:,.1f} km of {planned_km:,.1f} km" in first_row

        ids = {a["id"] for a in acts}
        done = next(w for w in reversed(plan) if w["date"] < today and w.get("activity_id") in ids)
        cell = page.locator(f'.cal [data-date="{done["date"]}"]')
        assert "plan-done" in cell.get_attribute("class")
        assert cell.get_attribute("aria-label").endswith("— as planned")
        busy = {a["date"] for a in acts if a["sport_code"] in RUN_CODES}
        missed = [w for w in plan if w["date"] < today and w["date"] not in busy]
        if missed:
            cell = page.locator(f'.cal [data-date="{missed[-1]["date"]}"]')
            assert "plan-missed" in cell.get_attribute("class")
            assert "missed" in cell.get_attribute("aria-label")
        legend = page.locator("#calendar-legend").inner_text()
        assert "Outline: planned" in legend
        assert visit.errors == []
    finally:
        visit.close()


@on(PHONE, "pages")
def test_no_plan_no_plan_sections(browser, recent_data, tmp_path):
    site_dir = build(
        copy_data(recent_data, tmp_path / "data", drop=("plan.json",)), tmp_path / "site"
    )
    visit = Visit(browser, site_dir, PHONE)
    try:
        assert visit.page.locator("#plan, .plan-today, .cal [class*=plan-]").count() == 0
        assert "Outline" not in visit.page.locator("#calendar-legend").inner_text()
    finally:
        visit.close()


@on(DESK, "calendar")
def test_the_calendar_shows_the_rest_of_this_weeks_plan(browser, recent_data, tmp_path):
    """Built on a Wednesday: Thursday to Sunday's planned workouts are on the calendar, outlined."""
    plan = json.loads((recent_data / "plan.json").read_text())["workouts"]
    ahead = sorted(w["date"] for w in plan if "2026-11-19" <= w["date"] <= "2026-11-22")
    if not ahead:
        pytest.skip("the demo plan has nothing from Thursday to Sunday")
    site_dir = tmp_path / "site"
    result = run_in_process(
        "build_site.py", "--data-dir", recent_data, "--site-dir", site_dir,
        "--now", "2026-11-18T07:00:00+01:00",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    visit = Visit(browser, site_dir, DESK)
    try:
        dates = visit.page.evaluate(
            "[...document.querySelectorAll('.cal [data-date]')].map(c => c.dataset.date)"
        )
        assert dates[-1] == ahead[-1]
        cell = visit.page.locator(f'.cal [data-date="{ahead[-1]}"]')
        assert "planned" in cell.get_attribute("aria-label")
        assert (
            visit.page.evaluate("document.querySelector('#calendar [tabindex=\"0\"]').dataset.date")
            == "2026-11-18"
        )
    finally:
        visit.close()


@on(DESK, "calendar")
def test_a_calendar_day_with_several_activities_opens_the_archive_at_that_day(browser, site):
    acts = json.loads((site[1] / "activities.json").read_text())["activities"]
    by_day: dict = {}
    for a in acts:
        if a["date"] > "2025-11-20":  # the calendar's 13 months
            by_day.setdefault(a["date"], []).append(a)
    day, several = next((d, v) for d, v in sorted(by_day.items(), reverse=True) if len(v) > 1)
    visit = Visit(browser, site[0], DESK)
    try:
        visit.page.click('[data-view-button="all"]')
        cell = visit.page.locator(f'.cal [data-date="{day}"]')
        assert all(a["name"] in cell.get_attribute("aria-label") for a in several)
        with visit.page.expect_navigation():
            cell.click()
        assert visit.page.evaluate("location.search") == f"?day={day}"
        listed = visit.page.locator("#list a.name").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        assert sorted(listed) == sorted(f"{a['id']}.html" for a in several)
        assert day in visit.page.locator(".day-filter").inner_text()
        visit.page.click("button[name=clear-day]")
        assert visit.page.locator("#list a.name").count() == min(50, len(acts))
    finally:
        visit.close()
