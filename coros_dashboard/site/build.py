"""data/ → site/: one static page, one shared plotly.js, no request leaving the site."""

import datetime as dt
import functools
import hashlib
import importlib.util
import itertools
import json
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd

from coros_dashboard import settings
from coros_dashboard.errors import DashboardError, Problems, quote
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.privacy import Zone
from coros_dashboard.site.app import icon_files, manifest, worker
from coros_dashboard.site.archive import (
    FIRST_PAGE,
    VIEW_KEYS,
    archive_columns,
    archive_rows,
    display_name,
    view_choices,
)
from coros_dashboard.site.charts import SECTIONS, build_charts
from coros_dashboard.site.depth import RUN_VIEWS
from coros_dashboard.site.frames import load_frames
from coros_dashboard.site.links import activity_page, page_stem
from coros_dashboard.site.model import WINDOW_WORDS, build_model
from coros_dashboard.site.morning import today_document
from coros_dashboard.site.pages import render_pages
from coros_dashboard.site.privacy_gate import checked_pages
from coros_dashboard.site.theme import PALETTE, css_variables, plotly_template
from coros_dashboard.site.units import Units, format_count
from coros_dashboard.store.datafiles import FIRST_DAY
from coros_dashboard.store.storage import dumps_json
from coros_dashboard.store.stored_details import StoredDetails

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
# the smallest official plotly.js bundle: package data once `make install` copied it from npm, else
# a checkout's node_modules (GitHub Actions runs `npm install` before the build)
PARTIAL_BUNDLES = (
    HERE / "static" / "plotly-basic.min.js",
    HERE.parent.parent / "node_modules" / "plotly.js-basic-dist-min" / "plotly-basic.min.js",
)
DEFAULT_GUIDE = "https://github.com/coros-dashboard/coros-dashboard/blob/main/docs/ios-shortcut.md"


@dataclass
class BuildResult:
    charts: int
    empty: int
    activities: int
    days: int
    index: Path
    bundle: str
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        return "; ".join(
            [
                f"{self.charts} charts ({self.empty} waiting for data), {self.activities:,} "
                f"activities, {self.days:,} days, plotly.js {self.bundle} → {self.index}",
                *self.notes,
            ]
        )


def plotly_bundle() -> tuple[str, bytes, str]:
    """(file name, bytes, flavour): the smallest official bundle matching the plotly package's
    plotly.js."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise DashboardError("the plotly package is not installed: run 'make install'")
    full = Path(spec.submodule_search_locations[0]) / "package_data" / "plotly.min.js"
    version = bundle_version(full)
    chosen, flavour = full, "full"
    partial = next((path for path in PARTIAL_BUNDLES if path.exists()), None)
    if partial and bundle_version(partial) == version:
        chosen, flavour = partial, "basic"
    data = chosen.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"plotly-{flavour}-{version}.{digest}.min.js", data, f"{flavour} {version}"


def bundle_version(path: Path) -> str | None:
    with open(path, "rb") as fh:
        head = fh.read(300).decode("utf-8", "replace")
    match = re.search(r"plotly\.js(?: \([a-z -]+\))? v(\d+\.\d+\.\d+)", head)
    return match.group(1) if match else None


def athlete_offset(acts: pd.DataFrame) -> dt.tzinfo:
    """The UTC offset of the most recent activity: the best guess of where the athlete lives now."""
    starts = acts["start_local"].dropna()
    if starts.empty:
        return dt.UTC
    return dt.datetime.fromisoformat(starts.iloc[-1]).tzinfo or dt.UTC


@functools.cache
def template_env() -> jinja2.Environment:
    """Autoescaping Jinja; `tojson` (safe inside <script type="application/json">) writes compact
    JSON. One per process, so every build in it reuses the compiled templates."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["page"] = activity_page
    env.policies["json.dumps_kwargs"] = {
        "separators": (",", ":"),
        "ensure_ascii": False,
        "allow_nan": False,
        "sort_keys": True,
    }
    return env


def heatmap_svg(grid: JsonObject) -> bytes:
    """The route heatmap as a standalone SVG file (an <img>: no script, no markup from the data).

    Shades are rounded to tenths, and each shade is one path of horizontal runs of cells: two
    thirds of the gzipped bytes of one rectangle per cell.
    """
    size = grid["size"]
    rows: dict[tuple[float, int], list[int]] = {}  # (shade, y) → xs
    for c in grid["cells"]:
        rows.setdefault((round(c["o"], 1), c["y"]), []).append(c["x"])
    paths: dict[float, list[str]] = {}
    for (shade, y), xs in sorted(rows.items()):
        for _, pairs in itertools.groupby(
            enumerate(sorted(xs)), key=lambda pair: pair[1] - pair[0]
        ):
            run = [x for _, x in pairs]
            paths.setdefault(shade, []).append(f"M{run[0]} {y}h{len(run)}v1H{run[0]}z")
    cells = "".join(
        f'<path fill-opacity="{shade:g}" d="{"".join(d)}"/>' for shade, d in paths.items()
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        'shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#0b1120" rx="2"/><g '
        f'fill="#f59e0b">{cells}</g></svg>\n'
    ).encode()


def activity_columns(model) -> JsonObject:
    """Every activity as shared columns (page, name, day number, view, distance, minutes, load): the
    page derives each sport view's calendar from these instead of shipping one copy per view; names
    are indexes into `names`, which a history repeats."""
    acts = model.acts
    if acts.empty:
        return {
            "start": None,
            **{key: [] for key in ("page", "name", "names", "day", "view", "dist", "min", "load")},
        }
    start = acts["date"].min()
    u = model.units
    labels = [display_name(n, s) for n, s in zip(acts["name"], acts["sport"], strict=True)]
    names = sorted(set(labels))
    index = {name: i for i, name in enumerate(names)}
    return {
        "start": start.strftime("%Y-%m-%d"),
        "page": [page_stem(ident) for ident in acts["id"]],
        "names": names,
        "name": [index[label] for label in labels],
        "day": [int(d) for d in (acts["date"] - start).dt.days],
        "view": [VIEW_KEYS.index(g) for g in acts["group"]],
        "dist": [round(float(u.from_m(d)), 2) if pd.notna(d) else 0 for d in acts["distance_m"]],
        "min": [round(float(s) / 60) if pd.notna(s) else 0 for s in acts["moving_s"]],
        "load": [int(v) if pd.notna(v) else 0 for v in acts["training_load"]],
    }


def archive_files(model, env: jinja2.Environment, shared: JsonObject) -> dict[str, bytes]:
    """site/activities/index.html (the first page as HTML, every activity as columns) and its
    script."""
    script = (TEMPLATES / "archive.js").read_bytes()
    script_name = f"archive.{hashlib.sha256(script).hexdigest()[:12]}.js"
    acts, u = model.acts, model.units
    page = env.get_template("archive.html").render(
        **{**shared, "script_src": f"../assets/{script_name}"},
        total=format_count(len(acts), "activity", "activities"),
        rows=archive_rows(acts, u, FIRST_PAGE),
        columns=archive_columns(acts, u),
        views=view_choices(acts),
        years=sorted(set(acts["date"].dt.year), reverse=True),
        months=[dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)],
        page_size=FIRST_PAGE,
        units=u,
    )
    return {"activities/index.html": page.encode("utf-8"), f"assets/{script_name}": script}


def split_figures(charts, default_view: str) -> tuple[JsonObject, JsonObject]:
    """The figures the opening view draws (in the HTML), and the rest: folded charts and the other
    sport views, in a file the page fetches once its first screen is drawn."""
    opening: JsonObject = {}
    later: JsonObject = {}
    for c in charts:
        first: str | None = default_view if c.spec.per_view else "all"
        if c.spec.fold:
            first = None
        for key, figure in c.figures.items():
            (opening if key == first else later).setdefault(c.spec.id, {})[key] = figure
    return opening, later


def plan_days(model) -> JsonObject:
    """The calendar's plan: each planned day (a day number, as the activity columns count) → its
    workouts as [sport group, words, done]; `first`, the plan's first day. The page works out a
    day's state within the sport view shown (a run plan is not met by riding)."""
    plan, acts = model.plan, model.acts
    if plan is None or acts.empty:
        return {}
    start = acts["date"].min()
    days: dict[str, list[list[object]]] = {}
    for w in plan.workouts:
        words = w.name + (f" {w.amount}" if w.amount else "")
        days.setdefault(str((w.date - start).days), []).append([w.group, words, bool(w.done_id)])
    return {"first": (plan.workouts[0].date - start).days, "days": days}


def plan_end(model) -> str | None:
    """The last planned day of this week after today: the calendar runs to it."""
    if model.plan is None:
        return None
    ahead = [day for day, state in model.plan.days.items() if day > model.today]
    return f"{max(ahead):%Y-%m-%d}" if ahead else None


LAST_BUILD_YEAR = 2999  # far enough; a date near 9999 overflows the week and date arithmetic


def build_time(option: str | None) -> dt.datetime:
    """--now, else SOURCE_DATE_EPOCH (reproducible builds), else the current time."""
    if option:
        try:
            moment = dt.datetime.fromisoformat(option)
        except ValueError:
            raise DashboardError(
                "--now must be an ISO date-time like 2026-11-22T07:00:00+01:00, not "
                f"{quote(option)}"
            ) from None
        moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        if not FIRST_DAY.year <= moment.year <= LAST_BUILD_YEAR:
            raise DashboardError(
                f"--now must be a moment from {FIRST_DAY.year} to {LAST_BUILD_YEAR}, not "
                f"{quote(option)}"
            )
        return moment
    epoch = settings.SOURCE_DATE_EPOCH.read()
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, dt.UTC)
    return dt.datetime.now(dt.UTC)


def guide_url() -> str:
    """The iOS Shortcut guide in the owner's own repository when built in GitHub Actions."""
    repo, server = settings.GITHUB_REPOSITORY.read(), settings.GITHUB_SERVER_URL.read()
    return f"{server}/{repo}/blob/HEAD/docs/ios-shortcut.md" if repo else DEFAULT_GUIDE


def build_site(
    data_dir,
    site_dir,
    now: dt.datetime,
    units: str | None = None,
    title: str = "Training dashboard",
    guide_url: str = DEFAULT_GUIDE,
    zones: tuple[Zone, ...] = (),
) -> BuildResult:
    """The site from data/; `zones` (PRIVACY_ZONES) are checked against every drawn route."""
    frames = load_frames(data_dir)
    system = units or frames.profile.get("units") or "metric"
    u = Units(system)
    local_now = now.astimezone(athlete_offset(frames.activities))
    details = StoredDetails(data_dir)
    model = build_model(
        frames,
        u,
        pd.Timestamp(local_now.date()),
        details,
        pd.Timestamp(local_now.replace(tzinfo=None)),
    )
    charts = build_charts(model)
    shown = {**SECTIONS}
    if model.race_day is None and not model.races_problem:
        del shown["race"]  # no races.json: no section, and the first screen keeps its charts
    sections = [
        (key, label, [c for c in charts if c.spec.section == key]) for key, label in shown.items()
    ]
    opening, later_figures = split_figures(charts, model.default_view)
    bundle_name, bundle_bytes, flavour = plotly_bundle()
    script = (TEMPLATES / "dashboard.js").read_bytes()
    script_name = f"dashboard.{hashlib.sha256(script).hexdigest()[:12]}.js"
    later = json.dumps(
        {
            "figures": later_figures,
            "activities": activity_columns(model),
            "plan": plan_days(model),
            "plan_end": plan_end(model),
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode("utf-8")
    later_name = f"later.{hashlib.sha256(later).hexdigest()[:12]}.json"
    page_data = {
        "figures": opening,
        "later": f"assets/{later_name}",
        "templates": {s: plotly_template(s) for s in ("light", "dark")},
        "views": VIEW_KEYS,
        "today": f"{model.today:%Y-%m-%d}",
        "units": {"distance": u.distance},
    }
    heatmaps = {
        key: heatmap_svg(grid)
        for key, grid in (model.depth.heatmaps if model.depth else {}).items()
    }
    heatmap_names = {
        key: f"heatmap.{hashlib.sha256(svg).hexdigest()[:12]}.svg" for key, svg in heatmaps.items()
    }
    context = {
        "heatmap_src": {key: f"assets/{name}" for key, name in heatmap_names.items()},
        "run_views": RUN_VIEWS,
        "window_words": WINDOW_WORDS,
        "title": title,
        "model": model,
        "sections": sections,
        "units": u,
        "guide_url": guide_url,
        "updated": local_now.strftime("%Y-%m-%d %H:%M ") + _offset_label(local_now),
        "palette": css_variables(),
        "plotly_src": f"assets/{bundle_name}",
        "script_src": f"assets/{script_name}",
        "page_data": page_data,
    }
    app_script = (TEMPLATES / "app.js").read_bytes()
    app_name = f"app.{hashlib.sha256(app_script).hexdigest()[:12]}.js"
    app_context = {
        "app_src": f"assets/{app_name}",
        "built": local_now.strftime("%a %d %b %Y, %H:%M"),
        "theme_colors": {scheme: PALETTE[scheme]["bg"] for scheme in PALETTE},
    }
    context.update(app_context, root="")
    env = template_env()
    page = env.get_template("index.html").render(**context)
    files = {
        "index.html": page.encode("utf-8"),
        f"assets/{bundle_name}": bundle_bytes,
        f"assets/{script_name}": script,
        f"assets/{app_name}": app_script,
        f"assets/{later_name}": later,
        "manifest.webmanifest": manifest(title),
        "today.json": dumps_json(today_document(model)).encode("utf-8"),
        **icon_files(),
        ".nojekyll": b"",
    }
    files.update({f"assets/{heatmap_names[key]}": svg for key, svg in heatmaps.items()})
    shared = {
        "title": title,
        "palette": context["palette"],
        "plotly_src": f"../assets/{bundle_name}",
        "script_src": f"../assets/{script_name}",
        **app_context,
        "root": "../",
    }
    drawings: dict[str, JsonObject | None] = {}
    pages = render_pages(
        model.acts,
        details,
        model.depth,
        u,
        env,
        {
            "templates": page_data["templates"],
            "views": VIEW_KEYS,
            "today": page_data["today"],
            "units": page_data["units"],
        },
        shared,
        drawings,
        model.peers,
        model.plan.by_activity if model.plan else None,
    )
    files.update(archive_files(model, env, shared))
    files["sw.js"] = worker(
        (TEMPLATES / "sw.js").read_text(), [n for n in files if n.startswith("assets/")]
    )
    routes = model.depth.routes if model.depth else {}
    warnings = Problems()
    if frames.races_problem:  # the rest of the site is built: the owner sees why in the summary
        warnings.add(f"the race section is left out: {frames.races_problem}")
    replace_dir(Path(site_dir), files, checked_pages(pages, routes, drawings, zones, warnings))
    days = len(frames.daily.index.union(frames.health.index))
    drawn = sum(1 for c in charts if c.figures)
    notes = (
        ()
        if zones or not routes
        else (
            "no PRIVACY_ZONES set: routes are published with the start/finish trim only "
            "(add the secret to hide places such as home)",
        )
    )
    return BuildResult(
        len(charts),
        len(charts) - drawn,
        len(frames.activities),
        days,
        Path(site_dir) / "index.html",
        flavour,
        tuple(warnings),
        notes,
    )


def _offset_label(moment: dt.datetime) -> str:
    minutes = int((moment.utcoffset() or dt.timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def replace_dir(
    target: Path, files: dict[str, bytes], more: Iterable[tuple[str, bytes]] = ()
) -> None:
    """Write the new site beside the old one, then swap, so a failed build leaves the old site
    whole.

    `more` is an iterable of (name, bytes) written as it is produced (thousands of activity pages
    need not all be in memory at once).
    """
    staging = target.with_name(target.name + ".building")
    old = target.with_name(target.name + ".old")
    for leftover in (staging, old):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        for name, data in itertools.chain(files.items(), more):
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if target.exists():
            target.rename(old)
        staging.rename(target)
    except OSError as exc:
        raise DashboardError(f"cannot write the site to {target}: {exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
