"""Checks of feed documents shared by unit and integration tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SCHEMA = Path(__file__).parent / "testdata" / "schema"


def jing_available() -> bool:
    return shutil.which("jing") is not None


def validate_atom(path: Path) -> None:
    """RELAX NG (RFC 4287 grammar) and Schematron rules with jing; skips where jing is absent."""
    if not jing_available():
        pytest.skip("jing is not installed (.ci/run installs it)")
    for args in (["-c", str(SCHEMA / "atom.rnc")], [str(SCHEMA / "atom-rules.sch")]):
        result = subprocess.run(["jing", *args, str(path)], capture_output=True, text=True)
        errors = [line for line in result.stdout.splitlines() if "error" in line]
        assert result.returncode == 0 and not errors, result.stdout + result.stderr
