"""Serve a built site on 127.0.0.1 (make serve, browser tests, benchmarks)."""

import argparse
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

    def send_head(self) -> BinaryIO | None:
        path = Path(self.translate_path(self.path))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSED):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.end_headers()
        return io.BytesIO(body)


def start_server(
    directory: str | Path, port: int = 0
) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `directory` in a background thread; returns (server, base URL)."""
    handler = functools.partial(QuietHandler, directory=str(Path(directory)))
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
