"""The shape of the tree: dependencies point down, modules stay readable."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[1]
# Where the library may wire in the Celery app and the feed renderer: the commands and the stack.
WIRING = ("syndicate/cli/", "syndicate/stack.py")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at module level or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def library_files() -> list[Path]:
    return [p for p in sorted((ROOT / "syndicate").rglob("*.py")) if "migrations" not in p.parts]


def test_the_library_imports_neither_workers_feeds_nor_celery():
    offenders = []
    for path in library_files():
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(WIRING):
            continue
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in ("workers", "feeds", "celery", "kombu", "feedgen"):
                offenders.append(f"{rel} imports {module}")
    assert offenders == []


def test_the_check_finds_an_import_inside_a_function(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from workers.app import app\n    import feeds.publish\n")
    assert imported_modules(sample) == {"workers.app", "feeds.publish"}


def test_no_module_over_400_lines():
    long = []
    for package in ("syndicate", "workers", "feeds"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text("utf-8").splitlines())
            if lines > 400:
                long.append(f"{path.relative_to(ROOT)}: {lines}")
    assert long == []


def test_store_modules_stay_under_300_lines_and_say_what_they_own():
    for path in (ROOT / "syndicate" / "store").glob("*.py"):
        text = path.read_text("utf-8")
        assert len(text.splitlines()) <= 300, path
        assert ast.get_docstring(ast.parse(text)), f"{path.name} has no module docstring"
