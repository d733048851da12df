"""Headless Chromium through Playwright, for the browser tests, screenshots and benchmarks."""

import time

from coros_dashboard import settings

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


def launch_chromium(playwright):
    """Debian's chromium (Playwright cannot download its own browser here)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_for_charts(page, timeout: float = 30.0, selector: str = ".chart") -> None:
    """Poll until every chart (matching `selector`) is drawn, but those folded in a closed
    "more" (page.evaluate: the site's CSP forbids wait_for_function's eval)."""
    charts = (
        f"[...document.querySelectorAll({selector!r})]"
        ".filter(el => !el.closest('details:not([open])'))"
    )
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"{charts}.every(el => el.dataset.state === 'drawn')"):
        if time.monotonic() > deadline:
            waiting = page.evaluate(
                f"{charts}.filter(el => el.dataset.state !== 'drawn').map(el => el.id)"
            )
            raise TimeoutError(f"charts were not all drawn in time: {', '.join(waiting)}")
        time.sleep(POLL_S)
