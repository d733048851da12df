"""Commit what a data command changed and push it, without ever losing a concurrent writer's data.

    python -m coros_dashboard.store.commit -- python fetch_coros.py

Each attempt starts from the remote's head (fetch + hard reset), runs the command (an idempotent
merge into data/), commits data/ if it changed, and pushes. A rejected push means another run got
there first: reset to the new head and run the merge again on the fresh data — never a textual
rebase of JSON. Attempts are bounded, with jittered exponential backoff.
"""

import argparse
import contextlib
import fcntl
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from coros_dashboard import settings
from coros_dashboard.cli import data_dir, run_cli
from coros_dashboard.errors import DashboardError
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.store.datafiles import RECORD_FILES
from coros_dashboard.store.storage import parse_json

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
LOCK_NAME = "coros-dashboard-commit.lock"


def git(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["git", *args], capture_output=True, text=True)
    if check and result.returncode:
        raise DashboardError(f"git {args[0]} failed: {git_reason(result)}")
    return result


def git_reason(result: subprocess.CompletedProcess[str]) -> str:
    """git's own last word on a failure (e.g. '! [rejected] HEAD -> main (fetch first)')."""
    lines = [line.strip() for line in (result.stderr or "").splitlines() if line.strip()]
    rejected = [line for line in lines if "rejected" in line]
    failed = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return (rejected or failed or lines or [f"exit {result.returncode}"])[-1][:200]


@contextlib.contextmanager
def working_copy_lock() -> Iterator[None]:
    """Hold this working copy for one commit step; a second one started meanwhile stops at once.

    Two steps in one working copy would reset each other's tree between merge and commit. The
    lock is an flock on a file in .git, so it is released when the process ends, however it ends.
    """
    git_dir = Path(git("rev-parse", "--absolute-git-dir").stdout.strip())
    with open(git_dir / LOCK_NAME, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DashboardError(
                "another commit step is running in this working copy; wait for it to "
                "finish, or run this in a separate clone"
            ) from None
        yield


def change_summary(data_dir: str) -> str:
    """'+2 activities, ~1 COROS day, +3 health days' from HEAD's data files against the working
    tree."""
    parts = []
    for spec in RECORD_FILES:
        key, ident, one, many = spec.key, spec.ident, spec.one, spec.many
        if key is None or ident is None:  # a record file always has both
            continue
        path = f"{data_dir}/{spec.name}"
        old = _records(git("show", f"HEAD:{path}", check=False).stdout, key, ident)
        try:
            with open(path, encoding="utf-8") as fh:
                new = _records(fh.read(), key, ident)
        except (FileNotFoundError, UnicodeDecodeError):
            new = {}
        added = len(new.keys() - old.keys())
        changed = sum(1 for k in new.keys() & old.keys() if new[k] != old[k])
        removed = len(old.keys() - new.keys())
        for sign, count in (("+", added), ("~", changed), ("-", removed)):
            if count:
                parts.append(f"{sign}{count} {one if count == 1 else many}")
    return ", ".join(parts) or "profile"


def _records(text: str, key: str, ident: str) -> dict[str, JsonObject]:
    try:
        doc = parse_json(text) if text else {}
    except ValueError:
        return {}
    records = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(records, list):
        return {}
    return {str(rec[ident]): rec for rec in records if isinstance(rec, dict) and ident in rec}


def set_output(path: Path | None, name: str, value: str) -> None:
    """A step output for the workflow (GITHUB_OUTPUT), when there is one."""
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"{name}={value}\n")


@dataclass(frozen=True)
class CommitPlan:
    """What one commit step runs and where it pushes."""

    command: list[str]
    data_dir: str
    remote: str
    branch: str
    attempts: int
    backoff: float  # seconds before the second attempt; doubles each time, with jitter
    output: Path | None = None  # GITHUB_OUTPUT


def commit_loop(plan: CommitPlan) -> int:
    with working_copy_lock():
        return _commit_attempts(plan)


def _commit_attempts(plan: CommitPlan) -> int:
    command, data_dir, remote, branch = plan.command, plan.data_dir, plan.remote, plan.branch
    attempts, backoff, output = plan.attempts, plan.backoff, plan.output
    if git("status", "--porcelain").stdout.strip():
        raise DashboardError(
            "the working tree has uncommitted changes; run this in a clean checkout"
        )
    env_identity = {
        "GIT_AUTHOR_NAME": BOT_NAME,
        "GIT_AUTHOR_EMAIL": BOT_EMAIL,
        "GIT_COMMITTER_NAME": BOT_NAME,
        "GIT_COMMITTER_EMAIL": BOT_EMAIL,
    }
    for key, value in env_identity.items():
        os.environ.setdefault(key, value)
    for attempt in range(1, attempts + 1):
        git("fetch", "--quiet", remote, branch)
        git("reset", "--quiet", "--hard", "FETCH_HEAD")
        result = subprocess.run(command)
        if result.returncode:
            git("reset", "--quiet", "--hard", "FETCH_HEAD")
            raise DashboardError(
                f"{' '.join(command[:2])} failed (exit {result.returncode}); nothing committed"
            )
        if not git("status", "--porcelain", "--", data_dir).stdout.strip():
            print("commit: data unchanged, nothing to commit")
            set_output(output, "changed", "false")
            return 0
        message = f"data: {change_summary(data_dir)}"
        git("add", "--all", "--", data_dir)
        git("commit", "--quiet", "-m", message)
        pushed = git("push", "--quiet", remote, f"HEAD:{branch}", check=False)
        if pushed.returncode == 0:
            print(f"commit: pushed '{message}' (attempt {attempt})")
            set_output(output, "changed", "true")
            return 0
        reason = git_reason(pushed)
        if "rejected" not in reason:
            git("reset", "--quiet", "--hard", "FETCH_HEAD")
            raise DashboardError(
                f"git push failed: {reason}; nothing was pushed (check the token's permissions)"
            )
        if attempt == attempts:
            break
        delay = min(30.0, backoff * 2 ** (attempt - 1)) * random.uniform(0.5, 1.5)
        print(
            f"commit: push rejected (attempt {attempt}/{attempts}: {reason}), re-applying on the "
            "new head "
            f"in {delay:.1f}s",
            file=sys.stderr,
        )
        time.sleep(delay)
    raise DashboardError(
        f"the push was rejected {attempts} times, last: {reason}; re-run this workflow"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", help="default: $DATA_DIR or data")
    parser.add_argument("--remote", default="origin")
    parser.add_argument("--branch", help="default: $GITHUB_REF_NAME or main")
    parser.add_argument("--attempts", type=int, help="default: $COMMIT_ATTEMPTS or 6")
    parser.add_argument(
        "--backoff",
        type=float,
        help="seconds before the second attempt; doubles each time, with jitter "
        "(default: $COMMIT_BACKOFF or 2)",
    )
    parser.add_argument(
        "command", nargs=argparse.REMAINDER, help="-- then the command that updates data/"
    )
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command that updates data/ after --")
    return commit_loop(
        CommitPlan(
            command,
            str(data_dir(args.data_dir)),
            args.remote,
            args.branch or settings.GITHUB_REF_NAME.read(),
            settings.COMMIT_ATTEMPTS.read() if args.attempts is None else args.attempts,
            settings.COMMIT_BACKOFF.read() if args.backoff is None else args.backoff,
            settings.GITHUB_OUTPUT.read(),
        )
    )


def run() -> None:
    """The console script."""
    sys.exit(run_cli(main))


if __name__ == "__main__":
    run()
