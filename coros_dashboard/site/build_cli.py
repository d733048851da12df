"""Build the static dashboard in site/ from the JSON files in data/."""

import argparse
import sys

from coros_dashboard import report, settings
from coros_dashboard.cli import data_dir, folder_option, run_cli
from coros_dashboard.site.build import build_site, build_time, guide_url


def main(argv=None) -> int:
    report.stage("build_site")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", help="input JSON (default: $DATA_DIR or data)")
    parser.add_argument("--site-dir", help="output directory (default: $SITE_DIR or site)")
    parser.add_argument(
        "--units",
        choices=["metric", "imperial"],
        help="override the COROS profile's unit setting (or $UNITS)",
    )
    parser.add_argument(
        "--title", help="the page title (default: $DASHBOARD_TITLE or Training dashboard)"
    )
    parser.add_argument("--now", help="build time, ISO 8601 (default: $SOURCE_DATE_EPOCH or now)")
    args = parser.parse_args(argv)
    result = build_site(
        data_dir(args.data_dir),
        folder_option(args.site_dir, "--site-dir", settings.SITE_DIR),
        build_time(args.now),
        args.units or settings.UNITS.read(),
        args.title or settings.DASHBOARD_TITLE.read(),
        guide_url(),
        settings.PRIVACY_ZONES.read(),
    )
    for line in result.warnings:
        report.warn(line)
    report.say(result.summary())
    return 0


def run() -> None:
    """The console script."""
    sys.exit(run_cli(main))


if __name__ == "__main__":
    run()
