"""The whole pipeline on emulated data, no credentials and no network: `make demo`."""

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from coros_dashboard import settings
from coros_dashboard.emulator import Emulator, synthetic_athlete
from coros_dashboard.emulator.shortcut_payloads import health_payload
from coros_dashboard.store.datafiles import RACES
from coros_dashboard.store.storage import save_json_files

FETCH, RECEIVE, BUILD = (
    "coros_dashboard.coros.fetch_cli",
    "coros_dashboard.apple_health.receive_cli",
    "coros_dashboard.site.build_cli",
)


def run_step(
    command: str, *args: object, env: dict[str, str] | None = None, stdin: str | None = None
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", command, *map(str, args)], env=env, input=stdin, text=True
    )
    if result.returncode:
        sys.exit(f"demo: {command} failed (exit {result.returncode})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", default="demo-data", type=Path)
    parser.add_argument("--site-dir", type=Path, help="default: $SITE_DIR or site")
    parser.add_argument("--years", type=float, default=4)
    args = parser.parse_args(argv)
    args.site_dir = args.site_dir or settings.SITE_DIR.read()
    if args.data_dir.resolve() == Path("data").resolve():
        sys.exit("demo: refusing to write the demo into data/, which holds the owner's own history")
    athlete = synthetic_athlete(years=args.years, seed=1, race_season=True)
    with Emulator([athlete]) as emulator:
        env = {
            **os.environ,
            "COROS_API_BASE": emulator.base_url,
            "COROS_EMAIL": athlete.email,
            "COROS_PASSWORD": athlete.password,
        }
        run_step(FETCH, "--data-dir", args.data_dir, "--detail-budget", 60, env=env)
    # the races the owner lists by hand: three past ones and the goal (README, "Race day")
    save_json_files({RACES.path(args.data_dir): RACES.document(athlete.races)})
    today = athlete.today
    # what the iOS Shortcut would have pushed: a half-year backfill, then a week of nightly pushes
    backfill = health_payload(today - dt.timedelta(days=180), today - dt.timedelta(days=7), seed=1)
    run_step(RECEIVE, "-", "--data-dir", args.data_dir, stdin=json.dumps(backfill), env=env)
    for offset in range(6, -1, -1):
        night = health_payload(
            today - dt.timedelta(days=offset),
            today - dt.timedelta(days=offset),
            seed=offset,
            segments=True,
        )
        event = {"action": "health-data", "client_payload": night}
        run_step(RECEIVE, "-", "--data-dir", args.data_dir, stdin=json.dumps(event), env=env)
    run_step(BUILD, "--data-dir", args.data_dir, "--site-dir", args.site_dir, env=env)
    print(f"demo: open {(args.site_dir / 'index.html').resolve()} (or run 'make serve')")


if __name__ == "__main__":
    main()
