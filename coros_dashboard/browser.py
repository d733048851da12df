"""Headless Chromium through Playwright, for the browser tests, screenshots and benchmarks."""

import time
from collections.abc import Callable
from typing import Any, TypeVar

from coros_dashboard import settings

T = TypeVar("T")

CHROMIUM = settings.CHROMIUM_PATH.read()
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
POLL_S = 0.05  # between looks at the page: each is a round trip through Python, node and Chromium


def launch_chromium(playwright: Any) -> Any:
    """Debian's chromium (Playwright cannot download its own browser here)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def poll(check: Callable[[], T], message: str, timeout: float = 30.0, every: float = POLL_S) -> T:
    """Look again every `every` s until `check()` gives something truthy, and return it;
    TimeoutError(message) after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            raise TimeoutError(message)
        time.sleep(every)
    return value


def wait_for_charts(page: Any, timeout: float = 30.0, selector: str = ".chart") -> None:
    """Poll until every chart (matching `selector`) is drawn, but those folded in a closed
    "more" (page.evaluate: the site's CSP forbids wait_for_function's eval)."""
    charts = (
        f"[...document.querySelectorAll({selector!r})]"
        ".filter(el => !el.closest('details:not([open])'))"
    )
    try:
        poll(
            lambda: page.evaluate(f"{charts}.every(el => el.dataset.state === 'drawn')"),
            "",
            timeout,
        )
    except TimeoutError:
        waiting = page.evaluate(
            f"{charts}.filter(el => el.dataset.state !== 'drawn').map(el => el.id)"
        )
        raise TimeoutError(f"charts were not all drawn in time: {', '.join(waiting)}") from None
