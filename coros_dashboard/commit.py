"""Commit what a data command changed and push it, without ever losing a concurrent writer's data.

    python -m coros_dashboard.commit -- python fetch_coros.py

Each attempt starts from the remote's head (fetch + hard reset), runs the command (an idempotent
merge into data/), commits data/ if it changed, and pushes. A rejected push means another run got
there first: reset to the new head and run the merge again on the fresh data — never a textual
rebase of JSON. Attempts are bounded, with jittered exponential backoff.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time

from .cli import run_cli
from .errors import DashboardError

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
KEYED_FILES = {"activities.json": ("activities", "id", "activity", "activities"),
               "daily.json": ("days", "date", "COROS day", "COROS days"),
               "health.json": ("days", "date", "health day", "health days")}


def git(*args, check=True, capture=True) -> subprocess.CompletedProcess:
    result = subprocess.run(["git", *args], capture_output=capture, text=True)
    if check and result.returncode:
        raise DashboardError(f"git {args[0]} failed: {(result.stderr or '').strip().splitlines()[-1:]}")
    return result


def change_summary(data_dir: str) -> str:
    """'+2 activities, ~1 COROS day, +3 health days' from HEAD's data files against the working tree."""
    parts = []
    for name, (key, ident, one, many) in KEYED_FILES.items():
        path = f"{data_dir}/{name}"
        old = _records(git("show", f"HEAD:{path}", check=False).stdout, key, ident)
        try:
            with open(path, encoding="utf-8") as fh:
                new = _records(fh.read(), key, ident)
        except FileNotFoundError:
            new = {}
        added = len(new.keys() - old.keys())
        changed = sum(1 for k in new.keys() & old.keys() if new[k] != old[k])
        removed = len(old.keys() - new.keys())
        for sign, count in (("+", added), ("~", changed), ("-", removed)):
            if count:
                parts.append(f"{sign}{count} {one if count == 1 else many}")
    return ", ".join(parts) or "profile"


def _records(text: str, key: str, ident: str) -> dict:
    try:
        doc = json.loads(text) if text else {}
    except json.JSONDecodeError:
        return {}
    return {rec[ident]: rec for rec in doc.get(key, []) if isinstance(rec, dict) and ident in rec}


def set_output(name: str, value: str) -> None:
    path = os.environ.get("GITHUB_OUTPUT")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"{name}={value}\n")


def commit_loop(command: list, data_dir: str, remote: str, branch: str, attempts: int, backoff: float) -> int:
    if git("status", "--porcelain").stdout.strip():
        raise DashboardError("the working tree has uncommitted changes; run this in a clean checkout")
    env_identity = {"GIT_AUTHOR_NAME": BOT_NAME, "GIT_AUTHOR_EMAIL": BOT_EMAIL,
                    "GIT_COMMITTER_NAME": BOT_NAME, "GIT_COMMITTER_EMAIL": BOT_EMAIL}
    for key, value in env_identity.items():
        os.environ.setdefault(key, value)
    for attempt in range(1, attempts + 1):
        git("fetch", "--quiet", remote, branch)
        git("reset", "--quiet", "--hard", "FETCH_HEAD")
        result = subprocess.run(command)
        if result.returncode:
            git("reset", "--quiet", "--hard", "FETCH_HEAD")
            raise DashboardError(f"{' '.join(command[:2])} failed (exit {result.returncode}); nothing committed")
        if not git("status", "--porcelain", "--", data_dir).stdout.strip():
            print("commit: data unchanged, nothing to commit")
            set_output("changed", "false")
            return 0
        message = f"data: {change_summary(data_dir)}"
        git("add", "--all", "--", data_dir)
        git("commit", "--quiet", "-m", message)
        if git("push", "--quiet", remote, f"HEAD:{branch}", check=False).returncode == 0:
            print(f"commit: pushed '{message}' (attempt {attempt})")
            set_output("changed", "true")
            return 0
        if attempt == attempts:
            break
        delay = min(30.0, backoff * 2 ** (attempt - 1)) * random.uniform(0.5, 1.5)
        print(f"commit: push rejected (attempt {attempt}/{attempts}), re-applying on the new head in {delay:.1f}s",
              file=sys.stderr)
        time.sleep(delay)
    raise DashboardError(f"the push was rejected {attempts} times: other runs keep winning; re-run this workflow")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("DATA_DIR") or "data")
    parser.add_argument("--remote", default="origin")
    parser.add_argument("--branch", default=os.environ.get("GITHUB_REF_NAME") or "main")
    parser.add_argument("--attempts", type=int, default=int(os.environ.get("COMMIT_ATTEMPTS") or 6))
    parser.add_argument("--backoff", type=float, default=float(os.environ.get("COMMIT_BACKOFF") or 2.0),
                        help="seconds before the second attempt; doubles each time, with jitter")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command that updates data/")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command that updates data/ after --")
    return commit_loop(command, args.data_dir, args.remote, args.branch, args.attempts, args.backoff)


if __name__ == "__main__":
    sys.exit(run_cli(main))
