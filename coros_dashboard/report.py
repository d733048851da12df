"""What a command tells its owner: its lines as they happen and, on GitHub Actions, the same in the
job summary (`$GITHUB_STEP_SUMMARY`) with one `::warning::` annotation per warning, so a skipped
plan or detail phase shows on the run's page without opening the log."""

import os
import sys
from pathlib import Path
from typing import TextIO

from coros_dashboard import settings


class Report:
    """One command's report; `run_cli` makes it and publishes it when the command ends."""

    def __init__(self, prog: str) -> None:
        self.prog = prog  # "fetch_coros.py": warnings and errors name the command …
        self.name = os.path.splitext(prog)[0]  # … and its summary lines the stage
        self.lines: list[str] = []
        self.annotate = False  # GITHUB_ACTIONS
        self.summary: Path | None = None  # GITHUB_STEP_SUMMARY

    def say(self, line: str) -> None:
        self._print(f"{self.name}: {line}", sys.stdout)

    def warn(self, line: str) -> None:
        self._print(f"{self.prog}: warning: {line}", sys.stderr)
        if self.annotate:
            print(f"::warning title={self.prog}::{_command_data(line)}", flush=True)

    def error(self, line: str) -> None:
        self._print(f"{self.prog}: error: {line}", sys.stderr)
        if self.annotate:
            print(f"::error title={self.prog}::{_command_data(line)}", flush=True)

    def _print(self, text: str, stream: TextIO) -> None:
        print(text, file=stream)
        self.lines.append(text)

    def publish(self, status: int) -> None:
        """Append this command's lines to the job summary, when there is one."""
        if self.summary is None or not self.lines:
            return
        verdict = "done" if status == 0 else "failed"
        with self.summary.open("a", encoding="utf-8") as summary:
            summary.write(summary_markdown(self.prog, verdict, self.lines))


def summary_markdown(prog: str, verdict: str, lines: list[str]) -> str:
    """A heading and the lines in a text block: every line starts with the command's name, so no
    line of any content can close the block or become markup."""
    return f"### {prog}: {verdict}\n\n~~~text\n" + "\n".join(lines) + "\n~~~\n\n"


def _command_data(text: str) -> str:
    """A message as a workflow command's data: one line, whatever it holds."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


_current = Report("coros-dashboard")


def start(prog: str) -> Report:
    """The report of the command now running (one per process, or per in-process run)."""
    global _current
    _current = Report(prog)
    return _current


def read_settings(out: Report) -> None:
    """Where the report goes: read first, so a wrong value is the run's one error line."""
    out.annotate = settings.GITHUB_ACTIONS.read()
    out.summary = settings.GITHUB_STEP_SUMMARY.read()


def stage(name: str) -> None:
    """The name the running command's summary lines start with ("fetch_coros: …"), whichever way
    it was started (script, module or console script)."""
    _current.name = name


def say(line: str) -> None:
    """A line of the running command's summary (stdout)."""
    _current.say(line)


def warn(line: str) -> None:
    """A warning of the running command (stderr, and an annotation on GitHub Actions)."""
    _current.warn(line)


def tell(line: str, warning: bool = False) -> None:
    """`say` or, with warning=True, `warn`: for a stage that reports through one callable."""
    if warning:
        warn(line)
    else:
        say(line)
