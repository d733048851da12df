"""The data files: deterministic JSON text, versioned, replaced atomically."""

import json
import os
import tempfile
from pathlib import Path

from .errors import DashboardError

FORMAT_VERSION = 1


def dumps_json(obj) -> str:
    """Stable text for git: sorted keys, 2-space indent, trailing newline."""
    return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load_json(path: Path):
    """Parse a JSON file, or return None when it does not exist."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise DashboardError(f"cannot read {path}: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DashboardError(
            f"{path} is not valid JSON ({exc}); restore it with 'git checkout -- {path}'"
        ) from None


def load_data_file(path: Path, key: str) -> list:
    """Load the record list stored under `key` in a versioned data file ([] when absent)."""
    doc = load_json(path)
    if doc is None:
        return []
    if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
        raise DashboardError(f"{path} has no '{key}' list; restore it with 'git checkout -- {path}'")
    version = doc.get("version")
    if version != FORMAT_VERSION:
        raise DashboardError(
            f"{path} is format version {version!r}, this code reads version {FORMAT_VERSION}; "
            "update the code (git pull) or restore the file"
        )
    return doc[key]


def data_document(key: str, records: list) -> dict:
    return {"version": FORMAT_VERSION, key: records}


def save_json_files(files: dict) -> list:
    """Write {path: object} so each file is wholly old or wholly new; return the paths changed.

    Every file is first written and fsynced beside its target, and only then renamed into place,
    so a failure while preparing any of them leaves all of them untouched. Files whose text is
    unchanged are not rewritten.
    """
    staged = []
    try:
        for path, obj in files.items():
            path = Path(path)
            text = dumps_json(obj)
            if path.exists() and path.read_text(encoding="utf-8") == text:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((tmp, path))
            os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
    except OSError as exc:
        raise DashboardError(f"cannot write data files: {exc}") from None
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return [path for _, path in staged]
