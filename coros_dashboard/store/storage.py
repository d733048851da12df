"""JSON text: parsed safely (no NaN, no stack overflow), written deterministically and
atomically."""

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from coros_dashboard.errors import DashboardError


def dumps_json(obj: object) -> str:
    """Stable text for git: sorted keys, 2-space indent, trailing newline; NaN and Infinity
    refused."""
    return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(text: str | bytes) -> Any:
    """Parse strict JSON text; ValueError with a short reason for anything else.

    NaN and Infinity literals, integers of thousands of digits and nesting deep enough to exhaust
    the stack are all refused with a ValueError rather than accepted or crashing.
    """
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except ValueError as exc:  # NaN/Infinity, or an integer past Python's digit limit
        raise ValueError(str(exc).split(";")[0][:80]) from None


@dataclass(frozen=True)
class Parsed:
    """A file's parsed JSON value, so that a file holding `null` is not mistaken for a missing
    one."""

    value: object


def read_json_file(path: Path) -> Parsed | None:
    """The parsed file, or None when it does not exist; any other problem is a one-line error."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise DashboardError(
            f"{path} is not UTF-8 text; restore it with 'git checkout -- {path}'"
        ) from None
    except OSError as exc:
        raise DashboardError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return Parsed(parse_json(text))
    except ValueError as exc:
        raise DashboardError(
            f"{path} is not valid JSON ({exc}); restore it with 'git checkout -- {path}'"
        ) from None


def save_json_files(files: Mapping[Path, object], remove: Iterable[Path] = ()) -> list[Path]:
    """Write {path: object} so each file is wholly old or wholly new, and delete the `remove`
    paths; return the paths changed.

    Every file is first written and fsynced beside its target, and only then renamed into place
    and the removed files deleted, so a failure while preparing any of them leaves all of them
    untouched. Files whose bytes are unchanged are not rewritten.
    """
    staged = []
    try:
        for path, obj in files.items():
            path = Path(path)
            data = dumps_json(obj).encode("utf-8")
            if path.is_file() and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((tmp, path))
            os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
        for path in remove:
            Path(path).unlink(missing_ok=True)
    except OSError as exc:
        raise DashboardError(f"cannot write data files: {exc}") from None
    except ValueError as exc:  # a non-finite number got past validation: write nothing
        raise DashboardError(f"refusing to write data files: {exc}") from None
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return [path for _, path in staged]
