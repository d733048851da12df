"""The activity detail files, data/details/YYYY/<id>.json: where each lives and how it is read.

The document's format is declared with the other data files (`datafiles.DETAIL`)."""

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from coros_dashboard.errors import DashboardError
from coros_dashboard.store.datafiles import DETAIL_FIELDS, DETAIL_VERSION
from coros_dashboard.store.storage import read_json_file


def detail_path(data_dir: str | Path, record: dict) -> Path:
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
        or doc.get("version") != DETAIL_VERSION
        or doc.get("id") != path.stem
        or not set(doc) <= set(DETAIL_FIELDS)
    ):
        raise DashboardError(
            f"{path} is not a version {DETAIL_VERSION} activity detail; delete it and the next fetch "
            "will fetch it again"
        )
    return doc
