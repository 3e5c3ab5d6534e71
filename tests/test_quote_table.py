"""The quotation table (tests/testdata/typography/quotes.toml): every case, every language."""

from __future__ import annotations

import tomllib

import pytest

from syndicate.translation.typography import polish
from tests.conftest import TESTDATA

TABLE = tomllib.loads((TESTDATA / "typography" / "quotes.toml").read_text("utf-8"))["case"]
LANGS = ("ru", "ja", "de", "es")


def test_the_table_covers_enough_cases():
    assert len(TABLE) >= 30
    assert all({"name", "input", "ru", "ja", "de"} <= set(case) for case in TABLE)
    assert len({case["name"] for case in TABLE}) == len(TABLE)


@pytest.mark.parametrize("case", TABLE, ids=[c["name"] for c in TABLE])
@pytest.mark.parametrize("lang", LANGS)
def test_quotation_case(case, lang):
    if lang not in case:
        pytest.skip(f"no {lang} expectation for this case")
    assert polish(case["input"], lang) == case[lang]


@pytest.mark.parametrize("case", TABLE, ids=[c["name"] for c in TABLE])
@pytest.mark.parametrize("lang", LANGS)
def test_polish_is_idempotent(case, lang):
    """Polishing the expected output again changes nothing: text that went through once (from
    the translation memory, or an editor's post-edit) is stable."""
    if lang in case:
        assert polish(case[lang], lang) == case[lang]
