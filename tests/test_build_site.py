"""build_site.py run as a subprocess on pipeline output, and the figures it embeds."""

import datetime as dt
import html
import json
import re
import shutil
from pathlib import Path

import plotly.graph_objects as go
import pytest
from support import ROOT, copy_data, run_in_process, snapshot

from coros_dashboard.site.build import PARTIAL_BUNDLES, bundle_version, plotly_bundle
from coros_dashboard.site.charts import REGISTRY

NOW = "2026-11-22T07:00:00+01:00"
HOSTILE = "<img src=x onerror=alert(1)>"


def build(data_dir, site_dir, *args, env=None):
    """build_site.py's main() in this process (the demo_site fixture builds as a process)."""
    return run_in_process(
        "build_site.py", "--data-dir", data_dir, "--site-dir", site_dir, *args, env=env
    )


def page_data(site_dir: Path) -> dict:
    """The page's data as the script holds it once its second half has arrived."""
    page = (site_dir / "index.html").read_text()
    data = json.loads(
        re.search(
            r'<script type="application/json" id="page-data">(.*?)</script>', page, re.S
        ).group(1)
    )
    later = json.loads((site_dir / data.pop("later")).read_text())
    for chart, views in later.pop("figures").items():
        data["figures"].setdefault(chart, {}).update(views)
    return {**data, **later}


def figures(site_dir: Path, view: str = "all") -> dict:
    """chart id → its figure for one sport view (charts drawn once serve every view)."""
    return {
        chart: views.get(view, views.get("all"))
        for chart, views in page_data(site_dir)["figures"].items()
    }


CHARTS = len(REGISTRY)


def test_builds_the_dashboard_with_one_shared_bundle(demo_site):
    # the one waiting: race predictions, drawn from 7 days of them (COROS sends one a day)
    assert re.match(
        rf"build_site: {CHARTS} charts \(1 waiting for data\), [\d,]+ activities, [\d,]+ days",
        (demo_site / "build.out").read_text(),
    )
    page = (demo_site / "site" / "index.html").read_text()
    assert 'data-empty="races">COROS&#39;s predictions are in the table until' in page
    page = (demo_site / "site" / "index.html").read_text()
    bundles = list((demo_site / "site" / "assets").glob("plotly-*.min.js"))
    assert len(bundles) == 1 and re.match(
        r"plotly-basic-\d+\.\d+\.\d+\.[0-9a-f]{12}\.min\.js", bundles[0].name
    )
    for src in re.findall(r'src="([^"]+)"', page):
        assert (demo_site / "site" / src).exists()
    assert (
        page.count("<script src=") == 3  # plotly.js, the dashboard's script and the app's
        and "Last updated <time>2026-11-22 07:00 UTC+01:00" in page
    )


def test_no_external_resources_on_the_page(demo_site):
    page = (demo_site / "site" / "index.html").read_text()
    external = re.findall(r'(?:src|href)="(https?:[^"]*)"', page)
    assert external == []  # the guide link only appears in empty states
    assert "cdn" not in page.lower() and "googleapis" not in page and "@import" not in page
    assert "default-src 'none'; script-src 'self'" in page


def test_same_data_and_build_time_give_a_byte_identical_site(demo_data, demo_site, tmp_path):
    assert build(demo_data, tmp_path / "b", env={"SOURCE_DATE_EPOCH": "1795327200"}).returncode == 0
    assert snapshot(demo_site / "site") == snapshot(tmp_path / "b")


def test_rebuilding_replaces_the_old_site(recent_data, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "stale.html").write_text("old")
    assert build(recent_data, site, "--now", NOW).returncode == 0
    assert not (site / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_every_figure_is_a_valid_plotly_figure_with_data(demo_site):
    data = page_data(demo_site / "site")
    drawn = {spec.id for spec in REGISTRY} - {"races"}  # the demo has one day of predictions
    assert set(data["figures"]) == drawn
    for spec in (spec for spec in REGISTRY if spec.id in drawn):
        views = data["figures"][spec.id]
        assert set(views) == (
            {"all", "run", "ride", "swim", "walk", "strength"} if spec.per_view else {"all"}
        ) or (spec.per_view and set(views) <= {"all", "run", "ride", "swim", "walk", "strength"}), (
            spec.id
        )
        for fig in views.values():
            go.Figure(fig)  # raises on any property plotly does not know
            assert any(t.get("y") or t.get("values") or t.get("x") for t in fig["data"]), spec.id


def test_hostile_activity_name_is_escaped_everywhere(recent_data, tmp_path):
    def rename(activities):
        for a in activities[-3:]:
            a["name"] = HOSTILE
        activities[-1]["device"] = HOSTILE

    data = copy_data(recent_data, tmp_path / "data", edit=rename)
    assert build(data, tmp_path / "site", "--now", NOW).returncode == 0
    page = (tmp_path / "site" / "index.html").read_text()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    pace = json.dumps(figures(tmp_path / "site")["pace"])
    assert "&lt;img src=x onerror=alert(1)&gt;" in pace


def test_units_come_from_the_profile_unless_overridden(demo_data, demo_site, tmp_path):
    shutil.copytree(demo_site / "site", tmp_path / "km")
    assert "distances in km" in (tmp_path / "km" / "index.html").read_text()
    assert (
        build(demo_data, tmp_path / "mi", "--now", NOW, env={"UNITS": "imperial"}).returncode == 0
    )
    page = (tmp_path / "mi" / "index.html").read_text()
    assert (
        "distances in mi" in page
        and " ft up" in page
        and "/mi" in json.dumps(figures(tmp_path / "mi")["pace"])
    )
    km = figures(tmp_path / "km")["monthly"]["data"][0]["y"]
    mi = figures(tmp_path / "mi")["monthly"]["data"][0]["y"]
    assert mi[-1] == pytest.approx(km[-1] / 1.609344, abs=0.1)


def test_empty_data_directory_still_builds(tmp_path):
    (tmp_path / "data").mkdir()
    result = build(tmp_path / "data", tmp_path / "site", "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert f"{CHARTS} charts ({CHARTS} waiting for data), 0 activities, 0 days" in result.stdout
    page = (tmp_path / "site" / "index.html").read_text()
    # every chart says what it waits for, but the race projection: no races.json, no race section
    assert page.count('class="empty"') == CHARTS - 1 + 7 and 'class="chart"' not in page
    assert 'id="race"' not in page
    assert "No verdict today" in page  # and it says what is missing
    assert "iOS Shortcut guide" in page


def test_missing_health_data_shows_the_shortcut_sentence(recent_data, tmp_path):
    data = copy_data(recent_data, tmp_path / "data", drop=("health.json",))
    result = build(data, tmp_path / "site", "--now", NOW)
    assert "(6 waiting for data)" in result.stdout  # five Apple Health charts and the races
    page = (tmp_path / "site" / "index.html").read_text()
    for chart in ("hrv-apple", "sleep-stages", "sleep-duration", "spo2", "steps"):
        assert re.search(rf'data-empty="{chart}">No Apple Health data yet', page), chart
    assert 'id="resting-hr"' in page  # COROS resting HR still drawn


@pytest.mark.parametrize(
    "args, env, message",
    [
        (["--now", "yesterday"], {}, "--now must be an ISO date-time"),
        (["--now", "9999-12-31T23:00Z"], {}, "--now must be a moment from 2000 to 2999"),
        (["--now", "1999-12-31T23:00Z"], {}, "--now must be a moment from 2000 to 2999"),
        ([], {"SOURCE_DATE_EPOCH": "soon"}, "SOURCE_DATE_EPOCH must be a whole number"),
    ],
)
def test_bad_build_time_is_one_line(tmp_path, args, env, message):
    result = build(tmp_path, tmp_path / "site", *args, env=env)
    assert result.returncode == 1 and message in result.stderr and result.stderr.count("\n") == 1


def test_damaged_data_file_is_one_line_and_keeps_the_old_site(recent_data, tmp_path):
    data = copy_data(recent_data, tmp_path / "data")
    assert build(data, tmp_path / "site", "--now", NOW).returncode == 0
    before = snapshot(tmp_path / "site")
    (data / "daily.json").write_text("{oops")
    result = build(data, tmp_path / "site", "--now", NOW)
    assert result.returncode == 1 and "daily.json is not valid JSON" in result.stderr
    assert snapshot(tmp_path / "site") == before
    (data / "daily.json").write_bytes((recent_data / "daily.json").read_bytes())
    detail = sorted((data / "details").glob("*/*.json"))[0]
    for damage, message in (
        ("{", "is not valid JSON"),
        ('{"version": 1, "id": "someone-else"}', "activity detail"),
    ):
        detail.write_text(damage)  # a stored detail: cut short, or another activity's
        result = build(data, tmp_path / "site", "--now", NOW)
        assert result.returncode == 1 and str(detail) in result.stderr and message in result.stderr
        assert result.stderr.count("\n") == 1 and snapshot(tmp_path / "site") == before


def test_partial_bundle_matches_the_plotly_package():
    import plotly.offline

    package = json.loads((ROOT / "package.json").read_text())
    assert (
        package["devDependencies"]["plotly.js-basic-dist-min"]
        == plotly.offline.get_plotlyjs_version()
    )
    installed = [path for path in PARTIAL_BUNDLES if path.exists()]
    if not installed:
        pytest.skip("node_modules not installed (make installs it)")
    assert bundle_version(installed[0]) == plotly.offline.get_plotlyjs_version()
    name, data, flavour = plotly_bundle()
    assert flavour.startswith("basic ") and len(data) < 1_500_000


def test_every_activity_gets_a_page_linked_from_the_dashboard(demo_data, demo_site):
    site = demo_site / "site"
    acts = json.loads((demo_data / "activities.json").read_text())["activities"]
    pages = {p.stem for p in (site / "activities").glob("*.html")} - {"index"}  # the archive
    assert pages == {a["id"] for a in acts}
    index = (site / "index.html").read_text()
    for href in re.findall(r'href="(activities/[^"]+\.html)"', index):
        assert (site / href).exists()
    longest = max(acts, key=lambda a: a.get("distance_m") or 0)
    assert re.search(
        r"<th>Longest <small>\(all sports\)</small></th>"
        r'<td class="num">[^<]+</td><td class="name">'
        rf'<a href="activities/{longest["id"]}.html">',
        index,
    )  # records link to their activity
    detailed = {p.stem for p in (demo_data / "details").glob("*/*.json")}
    assert len(detailed) == 2
    routes = 0
    for page_id in detailed:
        page = (site / "activities" / f"{page_id}.html").read_text()
        detail = json.loads(next((demo_data / "details").glob(f"*/{page_id}.json")).read_text())
        assert ("<polyline" in page) == ("route" in detail)
        assert ('id="heart-rate"' in page) == ("stream" in detail)
        assert (
            "default-src 'none'" in page
            and re.findall(r'(?:src|href)="(https?:[^"]*)"', page) == []
        )
        routes += "route" in detail
    assert routes >= 1
    strength = next(a for a in acts if a["sport_code"] == 402)
    page = (site / "activities" / f"{strength['id']}.html").read_text()
    assert (
        'class="chart"' not in page and "plotly-" not in page
    )  # no empty chart, no plotly to load
    assert 'data-empty="detail"' in page and "no GPS" in page


def test_an_activity_known_only_by_its_day_still_gets_its_page(recent_data, tmp_path):
    def day_only(activities):
        activities[-1].pop("start_local")

    data = copy_data(recent_data, tmp_path / "data", edit=day_only)
    result = build(data, tmp_path / "site", "--now", NOW)
    assert result.returncode == 0, result.stderr
    last = json.loads((data / "activities.json").read_text())["activities"][-1]
    page = (tmp_path / "site" / "activities" / f"{last['id']}.html").read_text()
    assert f"{dt.date.fromisoformat(last['date']):%a %d %b %Y}</p>" in page


@pytest.mark.parametrize("ident", ["index", "INDEX"])
def test_an_activity_named_like_a_site_page_never_replaces_it(recent_data, tmp_path, ident):
    """COROS's labelId is any id: one that names the archive's page gets a page of its own."""
    from coros_dashboard.site.links import SITE_PAGES

    assert ident.lower() in SITE_PAGES

    def rename(activities):
        activities[-1]["id"] = ident

    data = copy_data(recent_data, tmp_path / "data", edit=rename, drop=("plan.json",))
    site = tmp_path / "site"
    result = build(data, site, "--now", NOW)
    assert result.returncode == 0, result.stderr
    archive = (site / "activities" / "index.html").read_text()
    assert "archive" in archive and f'"page":["{ident}.activity"' in archive.replace(" ", "")
    own = (site / "activities" / f"{ident}.activity.html").read_text()
    assert '<a href="index.html">All activities</a>' in own
    assert f'href="activities/{ident}.activity.html"' in (site / "index.html").read_text()


def page_text(path: Path) -> str:
    """What a reader (or a screen reader) gets of a page: its text, scripts left out, entities
    read once."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_no_sentence_or_data_table_shows_a_placeholder_an_entity_or_raw_seconds(demo_site):
    """Every page of the demo site, as text: no Plotly placeholder, no HTML entity read out, and
    every pace in m:ss with its unit."""
    site = demo_site / "site"
    pages = [site / "index.html", *sorted((site / "activities").glob("*.html"))]
    assert len(pages) > 100
    for path in pages:
        text = page_text(path)
        for leak in (r"%\{", r"&(amp|lt|gt|quot|#\d+);", r"<extra>"):
            assert not re.search(leak, text), (path.name, leak, re.search(leak, text))
    dashboard = (site / "index.html").read_text()
    for chart in ("pace", "pace-curve"):
        block = re.search(
            rf'<figure[^>]*>(?:(?!</figure>).)*id="{chart}".*?</figure>', dashboard, re.S
        )
        assert block, chart
        cells = re.findall(r'<td class="num">([^<]*)</td>', block.group(0))
        paces = [c for c in cells if c != "–"]
        assert paces and all(re.search(r"\b\d+:\d\d /km\b", c) for c in paces), (chart, paces[:5])
    with_stream = next(
        p for p in sorted((site / "activities").glob("*.html")) if 'id="pace"' in p.read_text()
    )
    words = page_text(with_stream)
    assert re.search(r"Pace, at each km: from \d+:\d\d /km at \d+ km to \d+:\d\d /km", words)
    assert "Data table" in words


def test_today_json_says_what_the_first_screen_says(demo_site):
    """The Shortcut's morning answer is the page's: the same verdict, signals, night and week."""
    site = demo_site / "site"
    today = json.loads((site / "today.json").read_text())
    assert today["version"] == 1 and today["built"] == "2026-11-22T07:00"
    page = (site / "index.html").read_text()
    headline = re.search(r'<p class="verdict[^"]*"><strong>(.*?)</strong>', page).group(1)
    assert html.unescape(headline) == today["verdict"]["headline"]
    chips = re.findall(
        r'<span class="chip tone-\w+">(.*?) <span class="mark"[^>]*>.</span><b>(.*?)</b>', page
    )
    assert [(html.unescape(a), html.unescape(b)) for a, b in chips] == [
        (s["signal"].split(" (")[0], s["word"]) for s in today["signals"]
    ]
    assert all(s["source"] in ("COROS", "Apple Health", "") for s in today["signals"])
    night = today["night"]
    assert night and night["last_night"] and f"<strong>{night['asleep']}</strong>" in page
    block = re.search(r'data-view-block="all">\s*<table class="week">(.*?)</table>', page, re.S)
    cells = re.findall(r'<td class="num(?: this)?">([^<]*)</td>', block.group(1))
    assert cells == [
        c for row in today["week"]["rows"] for c in (row["this"], row["last"], row["delta"])
    ]
    words = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert today["load_budget"] in words and today["race"]["form"] in words
    assert today["race"]["prediction"] in words and today["race"]["name"] == "Valencia Marathon"
    assert (site / "today.json").read_text().endswith("}\n")  # stable, as the data files are
