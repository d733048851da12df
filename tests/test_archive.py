"""The archive's rows and columns, activity neighbours, and the built archive and same-route
pages."""

import datetime as dt
import html
import json
import re

import pandas as pd
from support import TODAY

from coros_dashboard.emulator import synthetic_athlete
from coros_dashboard.emulator.activity_files import course_of
from coros_dashboard.site.archive import VIEW_KEYS, archive_columns, neighbours
from coros_dashboard.site.units import Units


def acts_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "date": pd.to_datetime(["2026-03-01", "2026-03-02", "2026-03-02", "2026-04-10"]),
            "sport": ["Run", "Pool Swim", "Run", "Road Bike"],
            "group": ["run", "swim", "run", "ride"],
            "name": ["Easy Run", None, "Long <Run>", "Ride"],
            "distance_m": [8000.0, 1500.0, 21097.5, 0.0],
            "moving_s": [2400.0, 1800.0, 6300.0, 3600.0],
            "training_load": [50.0, 30.0, 160.0, None],
            "avg_hr": [140.0, None, 150.0, 0.0],
        }
    )


def test_archive_columns_are_newest_first_with_texts_and_sort_numbers():
    columns = archive_columns(acts_frame(), Units("metric"))
    assert columns["page"] == ["d", "c", "b", "a"]
    assert columns["start"] == "2026-03-01"
    assert columns["day"] == [40, 1, 1, 0]
    assert columns["view"] == [VIEW_KEYS.index(g) for g in ("ride", "run", "swim", "run")]
    assert columns["m"] == [0, 21098, 1500, 8000] and columns["s"] == [3600, 6300, 1800, 2400]
    assert columns["name"] == ["Ride", "Long <Run>", "Pool Swim", "Easy Run"]  # no name: the sport
    assert columns["pace"] == ["–", "4:59 /km", "2:00 /100 m", "5:00 /km"]
    assert columns["distance"][0] == "–" and columns["hr"] == ["–", "150 bpm", "–", "140 bpm"]
    assert columns["load"] == ["–", "160", "30", "50"]


def test_neighbours_overall_and_in_the_same_view_and_the_month():
    ways = neighbours(acts_frame())
    assert ways["a"].previous is None and ways["a"].next.href == "b.html"
    assert ways["a"].next_same.href == "c.html"  # the next run, past the swim
    assert ways["c"].previous.href == "b.html" and ways["c"].previous_same.href == "a.html"
    assert ways["c"].next_same is None and ways["d"].next is None
    assert ways["c"].next.label == "Ride, Fri 10 Apr 2026"
    assert ways["b"].month.href == "index.html?year=2026&month=3"
    assert ways["b"].month.label == "March 2026"


def archive_data(site) -> dict:
    page = (site / "activities" / "index.html").read_text()
    match = re.search(r'<script type="application/json" id="archive-data">(.*?)</script>', page)
    return json.loads(match.group(1))


def test_every_activity_page_is_reachable_from_the_archive(demo_data, demo_site):
    site = demo_site / "site"
    data = archive_data(site)
    pages = {p.stem for p in (site / "activities").glob("*.html")} - {"index"}
    assert set(data["page"]) == pages and len(data["page"]) == len(pages)
    lengths = {len(values) for key, values in data.items() if isinstance(values, list)}
    assert lengths == {len(pages), len(VIEW_KEYS)}  # every column has a value per activity
    acts = json.loads((demo_data / "activities.json").read_text())["activities"]
    newest = sorted(acts, key=lambda a: (a["date"], a.get("start_local") or ""), reverse=True)
    assert data["page"][:50] == [a["id"] for a in newest[:50]]
    page = (site / "activities" / "index.html").read_text()
    first = re.findall(r'<a class="name" href="([^"]+)\.html">', page)
    assert first == data["page"][:50]  # the first page works before and without JavaScript
    assert "https://" not in page.split("<body", 1)[1]


def test_activity_pages_link_their_neighbours_and_month(demo_data, demo_site):
    site = demo_site / "site" / "activities"
    acts = json.loads((demo_data / "activities.json").read_text())["activities"]
    for a in acts[:: max(1, len(acts) // 40)]:
        page = (site / f"{a['id']}.html").read_text()
        links = re.findall(r'<nav class="ways".*?</nav>', page, re.S)[0]
        for href in re.findall(r'href="([^"?]+\.html)', links):
            assert (site / href).exists()
        month = dt.date.fromisoformat(a["date"])
        assert html.escape(f"index.html?year={month.year}&month={month.month}") in links


def test_the_same_course_is_found_from_the_masked_routes(course_site):
    """Ground truth from the emulator: which course each run with a route followed."""
    site, data = course_site / "site", course_site / "data"
    athlete = synthetic_athlete(years=1, seed=3, today=TODAY)
    items = {str(item["labelId"]): item for item in athlete.activities}
    routed = {
        p.stem
        for p in (data / "details").glob("*/*.json")
        if json.loads(p.read_text()).get("route")
    }
    course = {i: course_of(items[i]) for i in routed}
    expected = {
        i: {
            j for j in routed if j != i and course[i] and course[j] and course[j][0] == course[i][0]
        }
        for i in routed
    }
    assert sum(1 for peers in expected.values() if peers) >= 6
    assert any(c and c[0].shape == "out-and-back" and expected[i] for i, c in course.items())
    found_reversed = 0
    for i in routed:
        page = (site / "activities" / f"{i}.html").read_text()
        section = re.search(r'<section class="peers".*?</section>', page, re.S)
        listed = (
            set(re.findall(r'<td><a href="([^"]+)\.html">', section.group(0))) if section else set()
        )
        assert listed == expected[i], i
        if listed:
            assert f"{len(listed)} other run" in section.group(0)
            marks = section.group(0).count("the other way round</span>")
            want = sum(
                1 for j in listed if course[j][1] != course[i][1] and course[i][0].shape == "loop"
            )
            assert marks == want
            found_reversed += marks
    assert found_reversed >= 1


def test_indoor_activities_list_similar_ones_in_their_sports_unit(demo_data, demo_site):
    site = demo_site / "site" / "activities"
    acts = json.loads((demo_data / "activities.json").read_text())["activities"]
    swims = [a for a in acts if a["sport_code"] == 300 and a.get("distance_m")]
    page = (site / f"{swims[-1]['id']}.html").read_text()
    heading = re.search(r'<h2 id="peers-heading">([\d,]+) similar swims?</h2>', page)
    expected = [
        a
        for a in swims[:-1]
        if abs(a["distance_m"] - swims[-1]["distance_m"])
        <= 0.05 * max(a["distance_m"], swims[-1]["distance_m"])
    ]
    assert heading and int(heading.group(1).replace(",", "")) == len(expected)
    data = json.loads(re.search(r'id="page-data">(.*?)</script>', page).group(1))
    figure = data["figures"]["peers"]["all"]
    assert figure["layout"]["yaxis"]["title"]["text"] == "/100 m"  # a swimmer's pace
    assert "Pace and heart rate by date" in page
