"""The emulator's HTTP side: COROS's endpoints, envelope, auth headers, paging and fault
injection."""

import copy
import datetime as dt
import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from coros_dashboard.coros.client import coros_day
from coros_dashboard.emulator import activity_files
from coros_dashboard.emulator.athlete import Athlete
from coros_dashboard.emulator.training_plan import schedule_answer, schedule_sums

ANALYSIS_DAYS = 84
MAX_PAGE_SIZE = 100
MAX_DETAIL_DAYS = 170
JSON = "application/json;charset=UTF-8"


@dataclass
class Fault:
    """Make requests to `path` (matching `params`) fail `times` times (None: always).

    kind: "status" (HTTP `status`), "stall" (wait `seconds` before answering), "drip" (the
    answer, or the file host's, one byte every `seconds`), "malformed"
    (a body that is not JSON), "code" (an envelope with result `code`), "raw" (`status`, `headers`
    and `body` exactly as given) or "edit" (the real answer passed through `edit(answer)`, which
    may change it in place or return a replacement).
    """

    path: str
    kind: str = "status"
    params: dict = field(default_factory=dict)
    times: int | None = 1
    status: int = 500
    code: str = "1019"
    seconds: float = 30.0
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    edit: Callable | None = None

    def matches(self, path: str, query: dict) -> bool:
        return (
            self.times != 0
            and path == self.path
            and all(query.get(k) == str(v) for k, v in self.params.items())
        )


class Emulator:
    """Serves athletes over HTTP; tests read `requests` and add `faults` while it runs."""

    def __init__(self, athletes, latency: float = 0.0):
        self.athletes = {a.email: a for a in athletes}
        self.latency = latency
        self.faults: list[Fault] = []
        self.requests: list[tuple] = []  # (method, path, query)
        self.downloads: list[tuple] = []  # (path, headers) received by the download host
        self.download_server = None
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.server = None
        self.thread = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def download_url(self) -> str:
        """FIT files come from another host, as COROS's come from its file storage."""
        host, port = self.download_server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        emulator = self

        class Handler(CorosHandler):
            pass

        class Files(DownloadHandler):
            pass

        Handler.emulator = Files.emulator = emulator
        self.server = ThreadingHTTPServer((host, port), Handler)
        self.download_server = ThreadingHTTPServer((host, 0), Files)
        for server in (self.server, self.download_server):
            server.daemon_threads = True
            threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            ).start()
        return self.base_url

    def stop(self) -> None:
        self.stopping.set()
        for server in (self.server, self.download_server):
            if server:
                server.shutdown()
                server.server_close()

    def count(self, path: str | None = None) -> int:
        with self.lock:
            return sum(1 for _, p, _ in self.requests if path is None or p == path)

    def clear_requests(self) -> None:
        with self.lock:
            self.requests.clear()

    def take_fault(self, path: str, query: dict) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.matches(path, query):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    # --- the API ---------------------------------------------------------------------------

    def login(self, body: dict) -> dict:
        for athlete in self.athletes.values():
            if body.get("account") == athlete.email and body.get("pwd") == athlete.password_md5:
                athlete.token = secrets.token_hex(16)  # one web session per account
                return ok(
                    {
                        "accessToken": athlete.token,
                        "userId": athlete.user_id,
                        "nickname": athlete.account.get("nickname"),
                        "email": athlete.email,
                        "regionId": athlete.region_id,
                        "birthday": athlete.account.get("birthday"),
                    }
                )
        return envelope("1030", "The login credentials is wrong.")

    def authed(self, token: str | None, yfheader: str | None) -> Athlete | None:
        try:
            user_id = json.loads(yfheader or "").get("userId")
        except (ValueError, AttributeError):
            return None
        for athlete in self.athletes.values():
            if token and athlete.token == token and athlete.user_id == user_id:
                return athlete
        return None

    def answer(self, athlete: Athlete, path: str, query: dict) -> dict:
        if path == "account/query":
            return ok(athlete.account)
        if path == "activity/query":
            return activity_page(athlete, query)
        if path == "analyse/query":
            first = athlete.today - dt.timedelta(days=ANALYSIS_DAYS - 1)
            return ok(
                {
                    "dayList": athlete.visible_days(first, athlete.today),
                    "weekList": [],
                    "t7dayList": [],
                    "sportStatistic": [],
                }
            )
        if path == "analyse/dayDetail/query":
            return day_detail(athlete, query)
        if path == "dashboard/query":
            return ok({"summaryInfo": dashboard_summary(athlete)})
        if path in ("training/schedule/query", "training/schedule/querysum"):
            start, end = parse_day(query.get("startDate")), parse_day(query.get("endDate"))
            if start is None or end is None:
                return envelope("1001", "startDate and endDate are required")
            answer = schedule_answer if path == "training/schedule/query" else schedule_sums
            return ok(
                answer(athlete.plan, athlete.visible_activities(), coros_day(start), coros_day(end))
            )
        if path == "training/schedule/update":
            return ok({})  # accepted and ignored: the project must never call it (tests check)
        if path in ("activity/detail/query", "activity/detail/download"):
            item = next(
                (a for a in athlete.visible_activities() if a["labelId"] == query.get("labelId")),
                None,
            )
            if item is None:
                return envelope("1001", "activity not found")
            if path == "activity/detail/query":
                return ok(
                    activity_files.detail(item)
                    if athlete.details
                    else {"summary": {"name": item.get("name")}}
                )
            url = f"{self.download_url}/fit/{item['labelId']}.fit" if athlete.details else ""
            return ok({"fileUrl": url})
        return envelope("9999", f"unknown path {path}")

    def fit_for(self, label: str) -> bytes | None:
        with self.lock:
            for athlete in self.athletes.values():
                item = next((a for a in athlete.activities if a["labelId"] == label), None)
                if item is not None and athlete.details:
                    return activity_files.fit_file(item)
        return None


def ok(data) -> dict:
    return envelope("0000", "OK", data)


def envelope(code: str, message: str, data=None) -> dict:
    return {"result": code, "message": message, "apiCode": "EMU", "data": data}


def parse_day(text) -> dt.date | None:
    try:
        return dt.datetime.strptime(str(text), "%Y%m%d").date()
    except ValueError:
        return None


def activity_page(athlete: Athlete, query: dict) -> dict:
    try:
        size = min(MAX_PAGE_SIZE, max(1, int(query.get("size", 20))))
        page = max(1, int(query.get("pageNumber", 1)))
    except ValueError:
        return envelope("1001", "invalid paging")
    items = athlete.visible_activities()
    first, last = parse_day(query.get("startDay", "")), parse_day(query.get("endDay", ""))
    if first:
        items = [a for a in items if a["date"] >= coros_day(first)]
    if last:
        items = [a for a in items if a["date"] <= coros_day(last)]
    total_pages = (len(items) + size - 1) // size
    return ok(
        {
            "count": len(items),
            "totalPage": total_pages,
            "pageNumber": page,
            "dataList": items[(page - 1) * size : page * size],
        }
    )


def day_detail(athlete: Athlete, query: dict) -> dict:
    first, last = parse_day(query.get("startDay", "")), parse_day(query.get("endDay", ""))
    if not first or not last or last < first:
        return envelope("1001", "startDay and endDay are required")
    if (last - first).days + 1 > MAX_DETAIL_DAYS:
        return envelope("1001", "date range too large")
    return ok({"dayList": athlete.visible_days(first, last)})


def dashboard_summary(athlete: Athlete) -> dict:
    today = athlete.days.get(coros_day(athlete.today), {})
    nights = athlete.visible_days(athlete.today - dt.timedelta(days=6), athlete.today)
    hrv_list = [
        {
            "happenDay": n["happenDay"],
            "avgSleepHrv": n["avgSleepHrv"],
            "sleepHrvBase": n["sleepHrvBase"],
            "sleepHrvIntervalList": [
                n["sleepHrvBase"] - 10,
                n["sleepHrvBase"] - 4,
                n["sleepHrvBase"] + 4,
                n["sleepHrvBase"] + 10,
            ],
        }
        for n in nights
        if n.get("avgSleepHrv")
    ]
    summary = {
        "rhr": today.get("rhr"),
        "lthr": today.get("lthr"),
        "ltsp": today.get("ltsp"),
        "staminaLevel": today.get("staminaLevel"),
        "recoveryPct": 85,
        "fullRecoveryHours": 12,
        "aerobicEnduranceScore": round(today.get("vo2max", 50) * 1.3),
        "lactateThresholdCapacityScore": round(today.get("vo2max", 50) * 1.2),
        "anaerobicEnduranceScore": round(today.get("vo2max", 50)),
        "anaerobicCapacityScore": round(today.get("vo2max", 50) * 0.9),
        "runScoreList": athlete.account.get("runScoreList", []),
    }
    if hrv_list:
        summary["sleepHrvData"] = {
            "sleepHrvList": hrv_list,
            "happenDay": hrv_list[-1]["happenDay"],
            "avgSleepHrv": hrv_list[-1]["avgSleepHrv"],
            "sleepHrvBase": hrv_list[-1]["sleepHrvBase"],
        }
    return summary


class QuietHandler(BaseHTTPRequestHandler):
    """What both emulated hosts share: no access log, HTTP/1.1, and a send that survives a
    hang-up."""

    emulator: Emulator = None
    protocol_version = "HTTP/1.1"
    # headers and body leave in two writes: with Nagle on, the body would wait for the client's
    # delayed ACK, 40 ms a request that no real COROS server adds
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def send(self, status: int, body: bytes, headers: dict | None = None) -> None:
        try:
            self.send_response(status)
            headers = {"Content-Type": JSON, **(headers or {})}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def drip(self, data: bytes, every: float, content_type: str = JSON) -> None:
        """The answer a byte every `every` seconds: a host that never trips a read timeout."""
        emu = self.emulator
        try:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            for i in range(len(data)):
                if emu.stopping.wait(every):
                    return
                self.wfile.write(data[i : i + 1])
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


class CorosHandler(QuietHandler):
    def do_GET(self):
        self.handle_api("GET")

    def do_POST(self):
        self.handle_api("POST")

    def handle_api(self, method: str) -> None:
        emu = self.emulator
        parts = urlsplit(self.path)
        path = parts.path.strip("/")
        query = dict(parse_qsl(parts.query))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with emu.lock:
            emu.requests.append((method, path, query))
        if emu.latency:
            emu.stopping.wait(emu.latency)
        fault = emu.take_fault(path, query)
        if fault and fault.kind == "stall":
            emu.stopping.wait(fault.seconds)
        if fault and fault.kind == "status":
            return self.send(fault.status, b'{"error": "emulated failure"}')
        if fault and fault.kind == "malformed":
            return self.send(200, b'{"result": "0000", "data": {"dataList": [')
        if fault and fault.kind == "code":
            return self.send_json(envelope(fault.code, "emulated result code"))
        if fault and fault.kind == "raw":
            return self.send(fault.status, fault.body, fault.headers)
        with emu.lock:
            if path == "account/login" and method == "POST":
                try:
                    answer = emu.login(json.loads(body or b"{}"))
                except ValueError:
                    answer = envelope("1001", "invalid body")
            else:
                athlete = emu.authed(self.headers.get("accessToken"), self.headers.get("yfheader"))
                if athlete is None:
                    return self.send_json(envelope("1019", "Access token is invalid."))
                answer = emu.answer(athlete, path, query)
            if fault and fault.kind == "edit":
                answer = copy.deepcopy(answer)
                edited = fault.edit(answer)
                answer = answer if edited is None else edited
        body = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
        if fault and fault.kind == "drip":
            return self.drip(body, fault.seconds)
        self.send(200, body)

    def send_json(self, obj) -> None:
        self.send(200, json.dumps(obj).encode())


class DownloadHandler(QuietHandler):
    """The file host: serves /fit/<labelId>.fit to anyone who has the URL, as signed storage URLs
    do."""

    def do_GET(self):
        emu = self.emulator
        path = urlsplit(self.path).path.strip("/")
        with emu.lock:
            emu.downloads.append((path, dict(self.headers.items())))
        fault = emu.take_fault("fit", {"labelId": path.removeprefix("fit/").removesuffix(".fit")})
        if fault and fault.kind == "stall":
            emu.stopping.wait(fault.seconds)
        if fault and fault.kind in ("status", "raw"):
            return self.send(fault.status, fault.body, fault.headers)
        data = (
            emu.fit_for(path.removeprefix("fit/").removesuffix(".fit"))
            if path.startswith("fit/")
            else None
        )
        if data is None:
            return self.send(404, b"not found")
        if fault and fault.kind == "edit":
            data = fault.edit(data)
        if fault and fault.kind == "drip":
            return self.drip(data, fault.seconds, "application/octet-stream")
        self.send(200, data, {"Content-Type": "application/octet-stream"})
