"""The activity detail files, data/details/YYYY/<id>.json: where each lives and how it is read.

The document's format is declared with the other data files (`datafiles.DETAIL`)."""

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from coros_dashboard.errors import DashboardError
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.store.datafiles import DETAIL_FIELDS, DETAIL_VERSION
from coros_dashboard.store.storage import read_json_file

V1_GAP_M = 200.0  # 72 km/h for 10 s


def detail_path(data_dir: str | Path, record: JsonObject) -> Path:
    return Path(data_dir) / "details" / record["date"][:4] / f"{record['id']}.json"


def stored_ids(data_dir: str | Path) -> set[str]:
    return set(StoredDetails(data_dir))


class StoredDetails(Mapping[str, dict[str, Any]]):
    """id → stored detail document, read from its file on each access: ten years of details (about
    100 MB of JSON, four times that as Python objects) are never all held at once."""

    def __init__(self, data_dir: str | Path) -> None:
        self.paths = {p.stem: p for p in sorted((Path(data_dir) / "details").glob("*/*.json"))}

    def __getitem__(self, activity_id: str) -> dict[str, Any]:
        return load_detail(self.paths[activity_id])

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


def load_detail(path: Path) -> dict[str, Any]:
    """One stored detail; a damaged file stops the build with one line naming it."""
    parsed = read_json_file(path)
    doc = parsed.value if parsed else None
    if (
        not isinstance(doc, dict)
        or doc.get("version") not in (1, DETAIL_VERSION)
        or doc.get("id") != path.stem
        or not set(doc) <= set(DETAIL_FIELDS)
        or ("route" in doc and not _is_route(doc["route"], doc["version"]))
    ):
        raise DashboardError(
            f"{path} is not a version {DETAIL_VERSION} activity detail; delete it and the next "
            "fetch "
            "will fetch it again"
        )
    if doc["version"] == 1:  # read as format 2: the same document, its route in segments
        old_route = doc.get("route", "")
        doc = {key: value for key, value in doc.items() if key != "route"} | {
            "version": DETAIL_VERSION
        }
        if segments := route_from_version_1(old_route):
            doc["route"] = segments
    return doc


def _is_route(route: object, version: int) -> bool:
    if version == 1:
        return isinstance(route, str)
    return isinstance(route, list) and all(isinstance(s, str) for s in route)


def route_from_version_1(encoded: str) -> list[str]:
    """A format-1 route was one line, joined across the points masking removed: split it where
    consecutive points (10 s apart) are further apart than any watch moves in 10 s."""
    if not encoded:
        return []
    from coros_dashboard.geo import decode_route, encode_route, split_at_jumps

    return [
        encode_route(piece.tolist()) for piece in split_at_jumps(decode_route(encoded), V1_GAP_M)
    ]
