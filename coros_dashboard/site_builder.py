"""data/ → site/: one static page, one shared plotly.js, no request leaving the site."""

import datetime as dt
import hashlib
import importlib.util
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd

from . import metrics
from .charts import ChartBuilder
from .errors import DashboardError
from .frames import load_frames
from .sports import RUN_CODES
from .units import Units, format_duration, format_hours

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
PARTIAL_BUNDLE = ROOT / "node_modules" / "plotly.js-basic-dist-min" / "plotly-basic.min.js"
DEFAULT_GUIDE = "https://github.com/coros-dashboard/coros-dashboard/blob/main/docs/ios-shortcut.md"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"


def chart_theme(text: str, hover: str, grid: str, line: str) -> dict:
    """Layout defaults the page merges into every figure; colours match the page's CSS."""
    return {"base": {"paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
                     "font": {"color": text, "family": FONT, "size": 12},
                     "margin": {"l": 48, "r": 16, "t": 8, "b": 36}, "legend": {"orientation": "h", "y": -0.18},
                     "hoverlabel": {"bgcolor": hover}},
            "axis": {"gridcolor": grid, "linecolor": line, "zerolinecolor": line}}


THEMES = {"light": chart_theme("#1f2937", "#ffffff", "#e5e7eb", "#d1d5db"),
          "dark": chart_theme("#e5e7eb", "#111827", "#374151", "#4b5563")}


@dataclass
class BuildResult:
    charts: int
    empty: int
    activities: int
    days: int
    index: Path
    bundle: str

    def summary(self) -> str:
        return (f"{self.charts} charts ({self.empty} waiting for data), {self.activities} activities, "
                f"{self.days} days, plotly.js {self.bundle} → {self.index}")


def plotly_bundle() -> tuple:
    """(file name, bytes, flavour): the smallest official bundle matching the plotly package's plotly.js."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise DashboardError("the plotly package is not installed: run 'make install'")
    full = Path(spec.submodule_search_locations[0]) / "package_data" / "plotly.min.js"
    version = bundle_version(full)
    chosen, flavour = full, "full"
    if PARTIAL_BUNDLE.exists() and bundle_version(PARTIAL_BUNDLE) == version:
        chosen, flavour = PARTIAL_BUNDLE, "basic"
    data = chosen.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"plotly-{flavour}-{version}.{digest}.min.js", data, f"{flavour} {version}"


def bundle_version(path: Path) -> str | None:
    with open(path, "rb") as fh:
        head = fh.read(300).decode("utf-8", "replace")
    match = re.search(r"plotly\.js(?: \([a-z -]+\))? v(\d+\.\d+\.\d+)", head)
    return match.group(1) if match else None


def json_for_html(obj) -> str:
    """Compact JSON that is safe inside a <script type="application/json"> element."""
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def athlete_offset(acts: pd.DataFrame) -> dt.timezone:
    """The UTC offset of the most recent activity: the best guess of where the athlete lives now."""
    starts = acts["start_local"].dropna()
    if starts.empty:
        return dt.UTC
    return dt.datetime.fromisoformat(starts.iloc[-1]).tzinfo


def template_env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["duration"] = format_duration
    env.filters["hours"] = format_hours
    return env


def build_site(data_dir, site_dir, now: dt.datetime, units: str | None = None, title: str = "Training dashboard",
               guide_url: str = DEFAULT_GUIDE) -> BuildResult:
    frames = load_frames(data_dir)
    system = units or frames.profile.get("units") or "metric"
    if system not in ("metric", "imperial"):
        raise DashboardError(f"units must be metric or imperial, not {system!r}")
    u = Units(system)
    local_now = now.astimezone(athlete_offset(frames.activities))
    today = pd.Timestamp(local_now.date())
    sections = ChartBuilder(frames, u, today).sections()
    charts = [c for s in sections for c in s.charts]
    figures = {c.id: c.figure for c in charts if c.figure}
    bundle_name, bundle_bytes, flavour = plotly_bundle()
    env = template_env()
    script = (TEMPLATES / "dashboard.js").read_bytes()
    script_name = f"dashboard.{hashlib.sha256(script).hexdigest()[:12]}.js"
    acts = frames.activities
    context = {
        "title": title, "sections": sections, "units": u, "guide_url": guide_url,
        "updated": local_now.strftime("%Y-%m-%d %H:%M ") + _offset_label(local_now),
        "headline": metrics.headline(acts, today) if not acts.empty else None,
        "records": metrics.records(acts), "recent": _recent(acts, u),
        "figures_json": json_for_html(figures), "themes_json": json_for_html(THEMES),
        "plotly_src": f"assets/{bundle_name}", "script_src": f"assets/{script_name}",
    }
    page = env.get_template("index.html").render(**context)
    files = {"index.html": page.encode("utf-8"), f"assets/{bundle_name}": bundle_bytes,
             f"assets/{script_name}": script, ".nojekyll": b""}
    replace_dir(Path(site_dir), files)
    days = len(frames.daily.index.union(frames.health.index))
    return BuildResult(len(charts), len(charts) - len(figures), len(acts), days, Path(site_dir) / "index.html",
                       flavour)


def _offset_label(moment: dt.datetime) -> str:
    minutes = int(moment.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _recent(acts: pd.DataFrame, u: Units, count: int = 20) -> list:
    rows = []
    for _, a in acts.iloc[::-1].head(count).iterrows():
        distance = a["distance_m"] if pd.notna(a["distance_m"]) and a["distance_m"] > 0 else None
        pace = a["moving_s"] / (distance / 1000) if distance and pd.notna(a["moving_s"]) else None
        rows.append({
            "date": a["date"].strftime("%Y-%m-%d"), "sport": a["sport"], "name": a["name"],
            "distance": f"{u.from_m(distance):.2f}" if distance else "–",
            "time": format_duration(a["moving_s"]) if pd.notna(a["moving_s"]) else "–",
            "pace": format_duration(u.pace_from_s_per_km(pace)) if pace and a["sport_code"] in RUN_CODES else "–",
            "load": int(a["training_load"]) if pd.notna(a["training_load"]) else "–",
            "hr": int(a["avg_hr"]) if pd.notna(a["avg_hr"]) else "–",
        })
    return rows


def replace_dir(target: Path, files: dict) -> None:
    """Write the new site beside the old one, then swap, so a failed build leaves the old site whole."""
    staging = target.with_name(target.name + ".building")
    old = target.with_name(target.name + ".old")
    for leftover in (staging, old):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        for name, data in files.items():
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
