#!/usr/bin/env python3
"""Build the static dashboard in site/ from the JSON files in data/."""

import argparse
import datetime as dt
import os
import sys

from coros_dashboard.cli import default_data_dir, run_cli
from coros_dashboard.errors import DashboardError
from coros_dashboard.site_builder import DEFAULT_GUIDE, build_site


def build_time(text: str | None) -> dt.datetime:
    """--now, else SOURCE_DATE_EPOCH (reproducible builds), else the current time."""
    if text:
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise DashboardError(f"--now must be an ISO date-time like 2026-11-22T07:00:00+01:00, not {text!r}") \
                from None
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except ValueError:
            raise DashboardError("SOURCE_DATE_EPOCH must be a whole number of seconds") from None
    return dt.datetime.now(dt.UTC)


def guide_url() -> str:
    """The iOS Shortcut guide in the owner's own repository when built in GitHub Actions."""
    repo, server = os.environ.get("GITHUB_REPOSITORY"), os.environ.get("GITHUB_SERVER_URL", "https://github.com")
    return f"{server}/{repo}/blob/HEAD/docs/ios-shortcut.md" if repo else DEFAULT_GUIDE


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", default=default_data_dir(), help="input JSON (default: $DATA_DIR or data)")
    parser.add_argument("--site-dir", default=os.environ.get("SITE_DIR") or "site",
                        help="output directory (default: $SITE_DIR or site)")
    parser.add_argument("--units", choices=["metric", "imperial"], default=os.environ.get("UNITS") or None,
                        help="override the COROS profile's unit setting (or $UNITS)")
    parser.add_argument("--title", default=os.environ.get("DASHBOARD_TITLE") or "Training dashboard")
    parser.add_argument("--now", help="build time, ISO 8601 (default: $SOURCE_DATE_EPOCH or now)")
    args = parser.parse_args(argv)
    if args.units not in (None, "metric", "imperial"):
        raise DashboardError(f"UNITS must be metric or imperial, not {args.units!r}")
    result = build_site(args.data_dir, args.site_dir, build_time(args.now), args.units, args.title, guide_url())
    print(f"build_site: {result.summary()}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
