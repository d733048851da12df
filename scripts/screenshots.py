"""Screenshots of the built site for the README: python scripts/screenshots.py [site] [docs]."""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from coros_dashboard.browser import launch_chromium, wait_for_charts  # noqa: E402
from coros_dashboard.serve import start_server  # noqa: E402


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    docs = Path(sys.argv[2] if len(sys.argv) > 2 else "docs")
    server, base = start_server(site)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        for width, height, scheme in ((1280, 1700, "light"), (375, 1500, "dark")):
            page = browser.new_page(
                viewport={"width": width, "height": height}, color_scheme=scheme
            )
            page.goto(f"{base}/index.html")
            wait_for_charts(page)
            out = docs / f"screenshot-{width}.png"
            page.screenshot(path=str(out))
            print(f"screenshots: {out}")
            page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
