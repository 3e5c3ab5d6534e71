"""Splitting over-budget segments at clause boundaries (syndicate/translation/clauses.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate.translation.clauses import join, split

WAREHOUSES = ("north", "south", "east", "west")


def words(text: str) -> int:
    """A stand-in token count: whitespace-separated words."""
    return len(text.split())


def list_sentence(items: int = 60) -> str:
    """One sentence of about 430 words: a long list, as in issue 14."""
    parts = [f"item number {i} from the {WAREHOUSES[i % 4]} warehouse" for i in range(1, items + 1)]
    return "The inventory listed " + ", ".join(parts) + ", and the rest of the stock."


def check_pieces(text: str, pieces: list[str], budget: int) -> None:
    assert "".join(pieces) == text
    assert all(words(p) <= budget for p in pieces), [words(p) for p in pieces]


def test_a_segment_within_budget_is_one_piece():
    text = "The ferry leaves at 10:30; it returns at noon."
    assert split(text, words, 50) == [text]


def test_a_430_word_list_sentence_is_cut_between_list_items():
    text = list_sentence()
    assert 420 <= words(text) <= 440
    pieces = split(text, words, 60)
    check_pieces(text, pieces, 60)
    assert len(pieces) == 8  # greedy packing: 430 words in pieces of at most 60
    # Every cut is after a list comma, so every item is whole in one piece.
    assert all(p.endswith(", ") for p in pieces[:-1])
    for i in range(1, 61):
        item = f"item number {i} from the {WAREHOUSES[i % 4]} warehouse"
        assert sum(item in p for p in pieces) == 1


def test_semicolons_come_before_commas_and_conjunctions():
    clauses = [
        "the council approved the budget, the harbour plan and the new tram line after a long debate",
        "the opposition, which had asked for a delay, voted against it but lost by three votes",
        "the mayor said work would begin in spring, weather permitting, and end within two years",
    ]
    text = "; ".join(clauses) + "."
    pieces = split(text, words, 20)
    check_pieces(text, pieces, 20)
    assert len(pieces) == 3
    assert pieces[0].endswith("; ") and pieces[1].endswith("; ")


@pytest.mark.parametrize(
    "text, first_piece",
    [
        ("one two three: four five; six seven eight nine ten", "one two three: four five; "),
        ("one two three four: five six seven — eight nine ten", "one two three four: "),
        ("one two three four — five six seven, eight nine ten", "one two three four — "),
        ("one two three four – five six seven, eight nine ten", "one two three four – "),
        ("one two three four - five six seven, eight nine ten", "one two three four - "),
        ("one two three four—five six seven, eight nine ten", "one two three four—"),
        ("one two three four, five six seven and eight nine ten", "one two three four, "),
        ("one two three four and five six seven eight nine ten", "one two three four "),
        ("one two three four but five six seven eight nine ten", "one two three four "),
    ],
)
def test_the_strongest_boundary_wins(text, first_piece):
    pieces = split(text, words, 7)
    check_pieces(text, pieces, 7)
    assert pieces[0] == first_piece


def test_a_sentence_without_punctuation_is_cut_by_length_at_spaces():
    text = " ".join(f"word{i}" for i in range(250))
    pieces = split(text, words, 40)
    check_pieces(text, pieces, 40)
    assert len(pieces) == 7
    assert all(re.fullmatch(r"(word\d+ )*word\d+ ?", p) for p in pieces)


def test_links_and_numbers_are_never_cut():
    protected = [
        "https://example.org/timetable?line=N4&day=fri,sat",
        "www.example.org/a;b:c",
        "news@example.org",
        "example.org/market",
        "1,200.50",
        "10:30",
        "10 - 20",
        "1990–2000",
    ]
    text = "; ".join(f"see {p} for the details of item {i}" for i, p in enumerate(protected)) + "."
    for budget in (3, 5, 8, 13):
        pieces = split(text, words, budget)
        assert "".join(pieces) == text
        for span in protected:
            assert any(span in p for p in pieces), (budget, span, pieces)


def test_a_run_without_spaces_is_cut_between_characters_but_not_through_a_link():
    def chars(text: str) -> int:
        return len(text)

    run = "x" * 50 + "(https://example.org/" + "y" * 30 + ")" + "z" * 50
    pieces = split(run, chars, 20)
    assert "".join(pieces) == run
    assert any("https://example.org/" + "y" * 30 in p for p in pieces)
    assert all(len(p) <= 20 or p.startswith("https://") for p in pieces)


def test_a_budget_under_one_token_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        split("text", words, 0)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["word", "and", "so", ",", ";", ":", " — ", " - ", "—", "10:30", "1,200", " ", "  "]),
        max_size=120,
    ),
    st.integers(min_value=1, max_value=12),
)
def test_pieces_always_rebuild_the_text_and_fit(parts, budget):
    text = " ".join(parts)
    pieces = split(text, words, budget)
    assert "".join(pieces) == text
    # Only a range of numbers ("10:30 - 1,200"), which is never cut, may exceed the budget.
    ranges = re.compile(r"\s*\d[\d:,]*\s+[-–—]\s+\d[\d:,]*\s*")
    assert all(words(p) <= budget or ranges.fullmatch(p) for p in pieces)


@pytest.mark.parametrize(
    "lang, expected",
    [("ru", "Первая часть, вторая часть."), ("ja", "第一部、第二部。"), ("ja-JP", "第一部、第二部。")],
)
def test_pieces_join_like_sentences_of_the_language(lang, expected):
    pieces = ["Первая часть,", "вторая часть."] if lang == "ru" else ["第一部、", " 第二部。"]
    assert join(lang, pieces) == expected
