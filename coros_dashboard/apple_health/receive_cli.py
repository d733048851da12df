"""Merge Apple Health data into data/health.json: a Shortcut / Health Auto Export payload, or the
whole history from the Health app's export (export.zip or export.xml)."""

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator

from coros_dashboard import report
from coros_dashboard.apple_health.receive import receive
from coros_dashboard.cli import data_dir, run_cli


@contextlib.contextmanager
def terminal_progress() -> Iterator[Callable[[int, int], None] | None]:
    """A byte progress bar on a terminal, nothing in a log."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    with tqdm(unit="B", unit_scale=True, desc="export.xml", file=sys.stderr, leave=False) as bar:

        def update(done: int, size: int) -> None:
            bar.total = size
            bar.update(done - bar.n)

        yield update


def main(argv: list[str] | None = None) -> int:
    report.stage("receive_health_data")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "payload",
        nargs="?",
        help="payload or event JSON file, '-' for stdin, or the Health "
        "app's export.zip / export.xml (default: $GITHUB_EVENT_PATH)",
    )
    parser.add_argument("--data-dir", help="where the JSON files live (default: $DATA_DIR or data)")
    parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    args = parser.parse_args(argv)
    with terminal_progress() as progress:
        summary = receive(args.payload, data_dir(args.data_dir), args.dry_run, progress)
    report.say(summary)
    return 0


def run() -> None:
    """The console script."""
    sys.exit(run_cli(main))


if __name__ == "__main__":
    run()
