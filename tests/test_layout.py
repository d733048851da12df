"""The package's layout is its story: each stage imports only itself, store/ and shared modules."""

import ast
from pathlib import Path

from support import ROOT

PACKAGE = ROOT / "coros_dashboard"
STAGES = ("coros", "apple_health", "site")
SHARED = {"errors", "cli", "report", "settings", "sports", "privacy", "geo", "jsontypes"}
TOOLS = {"demo", "serve", "browser", "emulator"}  # development: not imported by any stage


def imported(path: Path) -> set[str]:
    """The coros_dashboard modules a file imports, as dotted names below the package."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("coros_dashboard")
        ):
            base = node.module.removeprefix("coros_dashboard").lstrip(".")
            names.update(f"{base}.{a.name}".lstrip(".") for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(
                a.name.removeprefix("coros_dashboard.")
                for a in node.names
                if a.name.startswith("coros_dashboard.")
            )
    return names


def home(dotted: str) -> str:
    """The stage, 'store', a shared module's name or a tool a dotted name belongs to."""
    return dotted.split(".")[0]


def allowed(owner: str) -> set[str]:
    if owner in STAGES:
        return {owner, "store", *SHARED}
    if owner == "store":
        return {"store", *SHARED}
    return set(SHARED)


def test_each_stage_imports_only_itself_store_and_shared_modules():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        owner = parts[0]
        if owner in TOOLS or owner == "__init__":
            continue
        for name in imported(path):
            # `from coros_dashboard.site import metrics` names a module; `from x import Name` a name
            # in x
            target = home(name)
            if target not in allowed(owner):
                wrong.append(f"{'/'.join(parts)} imports {name}")
    assert wrong == []


def test_the_rule_catches_a_stage_importing_another(tmp_path):
    rogue = tmp_path / "rogue.py"
    rogue.write_text("from coros_dashboard.coros.fetch import run_fetch\n")
    assert home(next(iter(imported(rogue)))) not in allowed("site")
    assert home(next(iter(imported(rogue)))) in allowed("coros")


def test_no_two_modules_share_a_name():
    names = [p.stem for p in PACKAGE.rglob("*.py") if p.stem not in ("__init__", "__main__")]
    assert sorted({n for n in names if names.count(n) > 1}) == []


def public_names(source: str) -> set[str]:
    """The functions, classes and CONSTANTS a module defines at its top level, but private ones."""
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper())
    return {name for name in names if not name.startswith("_")}


MEANT_TWICE = {"main", "run", "T"}  # each command's main() and run(), a module's TypeVar


def test_no_two_modules_define_the_same_public_name():
    """`ACTIVITIES` the endpoint and the data file, two `tidy_number`s: a name says one thing."""
    owners: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "emulator" not in path.parts:
            for name in public_names(path.read_text()) - MEANT_TWICE:
                owners.setdefault(name, []).append(str(path.relative_to(PACKAGE)))
    assert {name: where for name, where in owners.items() if len(where) > 1} == {}


# calls whose boolean is a value, not a switch: dict.get's default, a Setting's default, and
# expat's Parse(data, isfinal), which takes no keywords
BOOLEAN_VALUES = {"get", "Setting", "Parse"}


def positional_booleans(source: str) -> list[str]:
    """Calls passing True or False by position: `f(x, True)` says nothing where `f(x, open=True)`
    would."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and any(
            isinstance(a, ast.Constant) and isinstance(a.value, bool) for a in node.args
        ):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in BOOLEAN_VALUES:
                found.append(f"{node.lineno}: {ast.unparse(node)[:60]}")
    return found


def test_no_call_in_the_package_passes_a_boolean_by_position():
    found = [
        f"{p.relative_to(PACKAGE)}:{line}"
        for p in sorted(PACKAGE.rglob("*.py"))
        if "emulator" not in p.parts
        for line in positional_booleans(p.read_text())
    ]
    assert found == []


def test_the_boolean_rule_catches_a_positional_switch():
    assert positional_booleans("Empty(NO_HEALTH, True)\nd.get(k, False)\n") == [
        "1: Empty(NO_HEALTH, True)"
    ]


def test_the_stages_are_what_the_package_shows():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == {*STAGES, "store", "emulator"}


def chained_conditionals(source: str) -> list[int]:
    """Lines where a conditional expression holds another: a small function says it better."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.IfExp)
        and (isinstance(node.body, ast.IfExp) or isinstance(node.orelse, ast.IfExp))
    ]


def python_files() -> list[Path]:
    """The project's Python: the commands, the package, tests, scripts and benchmarks."""
    folders = (PACKAGE, ROOT / "tests", ROOT / "benchmarks", ROOT / "scripts")
    return [*ROOT.glob("*.py"), *(p for folder in folders for p in folder.rglob("*.py"))]


def test_no_conditional_expression_is_chained():
    found = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in python_files()
        for n in chained_conditionals(p.read_text())
    ]
    assert found == []


def test_no_line_is_wider_than_100_columns():
    """ruff lets a line run over for a pragma comment (`# noqa`, `# type:`); this does not."""
    wide = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in python_files()
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if len(line) > 100
    ]
    assert wide == []


def test_the_conditional_rule_catches_a_chain():
    assert chained_conditionals("a = 3 if p else 2 if h else 0\nb = 1 if p else 0\n") == [1]
