"""Fetch your COROS Training Hub history into data/ (incremental; --full re-reads everything)."""

import argparse
import datetime as dt
import sys

from coros_dashboard import report, settings
from coros_dashboard.cli import data_dir, run_cli
from coros_dashboard.coros.client import config_from_env
from coros_dashboard.coros.fetch import FetchOptions, run_fetch


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    report.stage("fetch_coros")
    parser = argparse.ArgumentParser(
        description=__doc__,
        epilog="Credentials come from COROS_EMAIL and COROS_PASSWORD (or COROS_PASSWORD_MD5); "
        "COROS_REGION=global|eu|cn picks the API host, COROS_API_BASE overrides it.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--full",
        action="store_true",
        default=None,
        help="re-read the whole history (or COROS_FULL_SYNC=true)",
    )
    mode.add_argument(
        "--since",
        type=parse_date,
        metavar="YYYY-MM-DD",
        help="re-read activities and daily metrics from this date on",
    )
    parser.add_argument("--data-dir", help="where the JSON files live (default: $DATA_DIR or data)")
    parser.add_argument(
        "--detail-budget",
        type=int,
        metavar="N",
        help="fetch at most N activity details this run (default 150, or "
        "COROS_DETAIL_BUDGET; 0 turns details off)",
    )
    parser.add_argument(
        "--today",
        type=parse_date,
        metavar="YYYY-MM-DD",
        help="the date to take as today: no day after the next is accepted (default: the clock)",
    )
    args = parser.parse_args(argv)
    if args.detail_budget is not None and args.detail_budget < 0:
        parser.error("--detail-budget must be 0 or more")
    options = FetchOptions(
        data_dir=data_dir(args.data_dir),
        full=bool(args.full) or settings.COROS_FULL_SYNC.read(),
        since=args.since,
        today=args.today,
        detail_budget=settings.COROS_DETAIL_BUDGET.read()
        if args.detail_budget is None
        else args.detail_budget,
        privacy=settings.privacy(),
        detail_seconds=settings.COROS_DETAIL_DEADLINE.read(),
        plan_seconds=settings.COROS_PLAN_DEADLINE.read(),
    )
    run_fetch(config_from_env(), options, report.tell)
    return 0


def run() -> None:
    """The console script."""
    sys.exit(run_cli(main))


if __name__ == "__main__":
    run()
