"""The gate's per-segment coverage checks (coverage.py) on crafted model outputs."""

from __future__ import annotations

import pytest

from syndicate.translation import coverage
from syndicate.translation.quality import Segment, check

LIST_EN = (
    "The market sold apples, pears, plums, cherries, grapes, lemons, oranges, melons, peaches, "
    "apricots, figs and dates on Saturday."
)
LIST_RU = (
    "В субботу на рынке продавали яблоки, груши, сливы, вишню, виноград, лимоны, апельсины, дыни, "
    "персики, абрикосы, инжир и финики."
)
LIST_JA = (
    "土曜日、市場ではリンゴ、ナシ、プラム、サクランボ、ブドウ、レモン、"
    "オレンジ、メロン、モモ、アンズ、イチジク、ナツメヤシが売られた。"
)
PLAIN_EN = "The ferry will carry up to 400 passengers and 60 cars from April 2012, officials said."
PLAIN_RU = "Паром будет перевозить до 400 пассажиров и 60 автомобилей с апреля 2012 года, сообщили власти."
PLAIN_JA = "当局によると、フェリーは2012年4月から最大400人の乗客と60台の車を運ぶ。"
GOOD = [
    ("ru", LIST_EN, LIST_RU),
    ("ja", LIST_EN, LIST_JA),
    ("ru", PLAIN_EN, PLAIN_RU),
    ("ja", PLAIN_EN, PLAIN_JA),
]


def kinds(source: str, output: str, lang: str, capped: bool = False) -> set[str]:
    return {check for check, _ in coverage.problems(source, output, lang, capped)}


@pytest.mark.parametrize("lang, source, output", GOOD)
def test_complete_translations_pass(lang, source, output):
    assert coverage.problems(source, output, lang) == []
    assert check([Segment(source, source, output, output)], lang) == []


@pytest.mark.parametrize("lang, source, output", GOOD)
@pytest.mark.parametrize("share", [0.2, 0.45])
def test_an_output_cut_short_is_held(lang, source, output, share):
    cut = output[: int(len(output) * share)]
    found = coverage.problems(source, cut, lang)
    assert found and {c for c, _ in found} == {"coverage"}
    # The issue's figures: 20% is always under the least length; the end is missing either way.
    assert any("the sentence's end is missing" in detail for _, detail in found)
    if share == 0.2:
        assert any("of the input's length" in detail for _, detail in found)
    issues = check([Segment(source, source, cut, cut)], lang)
    assert "coverage" in {i.check for i in issues}


@pytest.mark.parametrize("lang, ratio", [("ru", 0.45), ("ja", 0.20)])
def test_the_cut_ratios_of_issue_14_are_under_the_least_length(lang, ratio):
    source = "word " * 200
    output = "слово " if lang == "ru" else "言葉"
    output = (output * 400)[: int(len(source.strip()) * ratio)]
    assert "of the input's length" in " ".join(d for _, d in coverage.problems(source, output, lang))


def test_an_output_at_the_typical_ratio_passes_the_length_check():
    for lang in ("ru", "ja", "de"):
        source = "x" * 100
        output = "y" * round(100 * coverage.typical_ratio(lang))
        assert coverage.problems(source, output, lang) == []


def test_a_list_missing_half_its_items_is_held_even_at_full_length():
    merged = LIST_RU.replace(
        ", груши, сливы, вишню, виноград, лимоны, апельсины", " и прочие фрукты с окрестных ферм и садов"
    )
    found = coverage.problems(LIST_EN, merged, "ru")
    assert [c for c, _ in found] == ["coverage"]
    assert "list separators" in found[0][1]
    # Japanese lists may use the ideographic comma or the middle dot.
    assert coverage.problems(LIST_EN, LIST_JA.replace("、", "・"), "ja") == []


def test_the_closing_punctuation_must_be_there():
    assert kinds(PLAIN_EN, PLAIN_RU.rstrip("."), "ru") == {"coverage"}
    assert kinds(PLAIN_EN, PLAIN_JA.rstrip("。"), "ja") == {"coverage"}
    # Closing quotes and brackets after the mark count on both sides.
    quoted_en, quoted_ru = f"“{PLAIN_EN}”", f"«{PLAIN_RU}»"
    assert coverage.problems(quoted_en, quoted_ru, "ru") == []
    assert kinds(quoted_en, quoted_ru.replace(".»", "»"), "ru") == {"coverage"}
    # A title ends no sentence: nothing to look for.
    title = "Ferry to carry 400 passengers from April"
    assert coverage.problems(title, "Паром перевезёт 400 пассажиров с апреля", "ru") == []


def test_short_segments_are_not_judged_by_length():
    assert coverage.problems("The bridge opens today.", "Мост.", "ru") == []


def test_a_hypothesis_stopped_at_the_decoding_cap_is_held_as_truncated():
    assert kinds(PLAIN_EN, PLAIN_RU, "ru", capped=True) == {"truncated"}
    issues = check([Segment(PLAIN_EN, PLAIN_EN, PLAIN_RU, PLAIN_RU, capped=True)], "ru")
    assert [i.check for i in issues] == ["truncated"]


@pytest.mark.parametrize("output", ["", " ", "。", "...", "\u200b"])
def test_degenerate_outputs_never_raise(output):
    assert coverage.problems(PLAIN_EN, output, "ja")
    assert coverage.problems("", output, "ja") == []
