"""Serve a built site on 127.0.0.1 (make serve, browser tests, benchmarks)."""

import argparse
import functools
import http.server
import threading
from pathlib import Path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def start_server(directory, port: int = 0) -> tuple:
    """Serve `directory` in a background thread; returns (server, base URL)."""
    handler = functools.partial(QuietHandler, directory=str(Path(directory)))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", default="site")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    if not (Path(args.dir) / "index.html").exists():
        raise SystemExit(f"serve: {args.dir}/index.html does not exist: run 'make demo' or build_site.py first")
    server, url = start_server(args.dir, args.port)
    print(f"serving {args.dir}/ on {url}/ (Ctrl-C to stop)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
