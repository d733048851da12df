"""Serve a built site on 127.0.0.1 (make serve, browser tests, benchmarks)."""

import argparse
import email.utils
import functools
import gzip
import http.server
import io
import threading
from pathlib import Path
from typing import Any, BinaryIO

COMPRESSED = (".html", ".js", ".css", ".json", ".svg")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files the way GitHub Pages serves them: gzip for text, `Cache-Control:
    max-age=600`."""

    disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    traffic: "Traffic | None" = None  # what a test counts: bytes of bodies sent, paths asked

    def send_head(self) -> BinaryIO | None:
        path = Path(self.translate_path(self.path))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSED):
            head = super().send_head()
            if self.traffic is not None and path.is_file():
                self.traffic.count(self.path, 0 if head is None else path.stat().st_size)
            return head
        modified = int(path.stat().st_mtime)
        since = self.headers.get("If-Modified-Since")
        if since and self._not_modified(since, modified):  # a revalidation costs no body
            self.send_response(304)
            self.end_headers()
            if self.traffic is not None:
                self.traffic.count(self.path, 0)
            return None
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        if self.traffic is not None:
            self.traffic.count(self.path, len(body))
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(modified))
        self.end_headers()
        return io.BytesIO(body)

    @staticmethod
    def _not_modified(since: str, modified: int) -> bool:
        try:
            return email.utils.parsedate_to_datetime(since).timestamp() >= modified
        except (TypeError, ValueError, IndexError, OverflowError):
            return False


class Traffic:
    """Bodies a server sent, for the tests of what a visit costs."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.bytes = 0
        self.paths: list[str] = []

    def count(self, path: str, size: int) -> None:
        with self.lock:
            self.bytes += size
            self.paths.append(path)

    def reset(self) -> None:
        with self.lock:
            self.bytes, self.paths = 0, []


def start_server(
    directory: str | Path, port: int = 0, traffic: Traffic | None = None
) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `directory` in a background thread; returns (server, base URL). `traffic` counts
    what it sends."""
    handler_class = type("Handler", (QuietHandler,), {"traffic": traffic})
    handler = functools.partial(handler_class, directory=str(Path(directory)))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", default="site")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    if not (Path(args.dir) / "index.html").exists():
        raise SystemExit(
            f"serve: {args.dir}/index.html does not exist: run 'make demo' or build_site.py first"
        )
    server, url = start_server(args.dir, args.port)
    print(f"serving {args.dir}/ on {url}/ (Ctrl-C to stop)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
