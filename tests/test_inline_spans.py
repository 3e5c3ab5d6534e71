"""Inline markup around words the model must not change (issue 14 review): ``<code>`` kept
verbatim, ``<sup>``/``<sub>`` digits with their own plain form, glossary terms split by markup,
and nested marks kept nested. The demo models' output is gibberish, not a translation."""

from __future__ import annotations

import json
import re

import pytest

from syndicate import inline
from syndicate.ingest.options import Format
from syndicate.translation import inline as markup
from syndicate.translation import numbers
from syndicate.translation.engine import Engine, EngineOptions
from syndicate.translation.glossary import EMPTY, Glossary, Term
from syndicate.translation.placeholders import protect
from syndicate.translation.translator import translate_articles
from syndicate.translation.typography import polish
from tests.test_inline_markup import page, read

TERM = "The bus drivers union met."
X = "https://x.example.org"
GLOSSARY = Glossary((Term("bus driver", {"ru": "водитель автобуса", "ja": "バス運転手"}),))


def json_body(body: str):
    data = {"title": "Fund", "published": "2024-03-05T10:00:00+00:00", "body": body}
    return read(json.dumps(data), Format.JSON)


def one(text: str, html: str, glossary: Glossary = EMPTY, lang: str = "ru") -> markup.Sentence:
    (sentence,) = markup.split(text, html, [text], glossary, lang)
    assert sentence is not None
    return sentence


def through(sentence: markup.Sentence, output: str, lang: str = "ru", glossary: Glossary = EMPTY):
    """(final text, html, problems) of a crafted model ``output`` for ``sentence``, as the
    translator restores it (protect with the sentence's keep spans, typography, restore); a
    protected text lost is a problem too."""
    protected = protect(sentence.text, lang, glossary, sentence.keep)
    carried = sentence.carry(output)
    lost: list[str] = []

    def restore(text: str) -> str:
        restored, missing = protected.restore(text)
        lost.extend(f"lost {m!r}" for m in missing)
        return restored

    final, marks, problems = carried.finish(carried.text, lambda t: polish(t, lang), restore)
    return final, markup.paragraph_html(lang, [(final, marks)]), problems + lost


# --- 1. <code> is kept verbatim ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "html", "code"),
    [
        ("Paid from the transport_fund budget.", "Paid from the <code>transport_fund</code> budget.",
         "transport_fund"),
        ("Run make all -j4 now.", "Run <code>make all -j4</code> now.", "make all -j4"),
        ("Set x = 1; then stop.", "Set <code>x = 1;</code> then stop.", "x = 1;"),  # ends with ;
        ("config.yaml was changed", "<code>config.yaml</code> was changed", "config.yaml"),  # at start
        ("The key is FUND_ID", "The key is <code>FUND_ID</code>", "FUND_ID"),  # at the end
        ("Use fund ids here.", "Use <code>fund <em>ids</em></code> here.", "fund ids"),  # nested
    ],
)  # fmt: skip
def test_code_content_goes_behind_a_placeholder_and_comes_back_byte_identical(text, html, code):
    sentence = one(text, html)
    protected = protect(sentence.text, "ru", Glossary(), sentence.keep)
    assert code not in protected.text  # the model never sees it
    assert code in dict(protected.slots).values()
    # A model that copies the numbers: the code comes back inside its <code>.
    final, out_html, problems = through(sentence, protected.text.replace("the", "з"))
    assert code in final and f"<code>{code}" in out_html.replace("<em>", "").replace("</em>", "")
    assert inline.parse(out_html)[0] == final


def test_code_in_a_json_body_through_the_demo_models(installed_packages):
    engine = Engine(EngineOptions(installed_packages))
    article = json_body(
        "<p>The drivers are paid from the <code>transport_fund</code> budget, the council said.</p>"
        "<p>Run <code>make all</code> and <code>make test</code> before you open a request.</p>"
    )
    for lang in ("ru", "ja"):
        (result,) = translate_articles(engine, [article], lang)
        first, second = result.translation.paragraphs[:2]
        assert "<code>transport_fund</code>" in first.html, (lang, first.html)
        assert "<code>make all</code>" in second.html and "<code>make test</code>" in second.html
        assert "transport_fund" in first.text
        assert not any(str(i).startswith(("protected", "markup")) for i in result.issues), result.issues


# --- 2. <sup>/<sub> digits ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text", "source_numbers"),
    [
        ("CO<sub>2</sub> emissions fell by 10<sup>3</sup> tonnes", "CO₂ emissions fell by 10³ tonnes",
         ["10"]),
        ("Sales rose in 2023<sup>2</sup> and 2024<sup>3</sup>.", "Sales rose in 2023² and 2024³.",
         ["2023", "2024"]),
        ("A rate of 10<sup>-3</sup> per 1,000", "A rate of 10⁻³ per 1,000", ["10", "1,000"]),
        ("H<sub>2</sub>O and x<sub>12</sub>", "H₂O and x₁₂", []),
        # Letters in a superscript stay letters (an ordinal), and are translated.
        ("the 21<sup>st</sup> century", "the 21st century", ["21"]),
    ],
)  # fmt: skip
def test_sup_and_sub_digits_have_their_own_plain_form(html, text, source_numbers):
    article = read(page(f"<p>{html}, officials said on Monday in the harbour office.</p>"))
    first = article.paragraphs[0]
    assert first.text.startswith(text)
    assert [q.text for q in numbers.quantities(text)] == source_numbers
    # The fragment keeps plain digits; its plain text is the paragraph's.
    assert html.split(" ")[0].split("<")[0] in first.html and "<sup>³" not in first.html
    assert inline.parse(first.html)[0] == first.text
    assert inline.render(*inline.parse(first.html)) == first.html


def test_a_fragment_stored_before_the_superscript_forms_is_still_shown():
    assert inline.content("fell by 103 tonnes", "fell by 10<sup>3</sup> tonnes") == (
        "fell by 10<sup>3</sup> tonnes"
    )


def test_superscripts_pass_the_number_check_through_the_demo_models(installed_packages):
    engine = Engine(EngineOptions(installed_packages))
    article = json_body(
        "<p>CO<sub>2</sub> emissions fell by 10<sup>3</sup> tonnes in 2023<sup>2</sup>, the council said.</p>"
    )
    assert article.paragraphs[0].text.startswith("CO₂ emissions fell by 10³ tonnes in 2023²")
    for lang in ("ru", "ja"):
        (result,) = translate_articles(engine, [article], lang)
        first = result.translation.paragraphs[0]
        assert not any(str(i).startswith("number") for i in result.issues), result.issues
        assert "<sup>3</sup>" in first.html and "<sub>2</sub>" in first.html and "<sup>2</sup>" in first.html
        assert "³" in first.text and "₂" in first.text and "103" not in first.text
        assert inline.parse(first.html)[0] == first.text


def test_a_moved_superscript_takes_the_plain_form_where_it_lands():
    sentence = one("It fell by 10³ tonnes.", "It fell by 10<sup>3</sup> tonnes.")
    # The model put the sup's placeholders around another number (the content's one is lost).
    final, html, problems = through(sentence, "Упало на 8101 5 8102 тонн.")
    assert "lost '³'" in problems  # the gate's protected check holds it
    assert inline.parse(html)[0] == final


# --- 3. glossary terms split by markup ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "html", "widened"),
    [
        # emphasis on the term's last word, inside a link over the whole term
        (TERM, f'The <a href="{X}">bus <em>drivers</em></a> union met.', "<em>"),
        # a link that ends inside the term
        (TERM, f'The <a href="{X}">bus</a> drivers union met.', "<a>"),
        # emphasis that starts inside the term and goes past it
        ("The bus drivers union met.", "The bus <em>drivers union</em> met.", "<em>"),
        # a line break inside the term
        ("The bus drivers union met.", "The bus <br>drivers union met.", "<br>"),
    ],
)  # fmt: skip
def test_a_term_split_by_markup_is_applied_and_the_mark_widened_and_recorded(text, html, widened):
    sentence = one(text, html, GLOSSARY)
    protected = protect(sentence.text, "ru", GLOSSARY, sentence.keep)
    assert [seen for _, seen in protected.glossary] == ["bus drivers"]  # applied and reported
    assert "водитель автобуса" in dict(protected.slots).values()
    assert any(note.startswith(widened) and "glossary term 'bus drivers'" in note for note in sentence.notes)
    final, out_html, problems = through(
        sentence, protected.text.replace("union met", "союз"), glossary=GLOSSARY
    )
    assert "водитель автобуса" in final
    assert any("widened" in p for p in problems)  # the gate's markup issue: never silent
    assert inline.parse(out_html)[0] == final
    if widened != "<br>":
        tag = widened.strip("<>")
        assert f"<{tag}>водитель автобуса" in out_html.replace(' href="https://x.example.org"', "")


def test_a_term_with_markup_only_around_it_is_not_recorded():
    sentence = one("The bus drivers union met.", "The <em>bus drivers</em> union met.", GLOSSARY)
    assert sentence.notes == ()
    assert [seen for _, seen in protect(sentence.text, "ru", GLOSSARY, sentence.keep).glossary] == [
        "bus drivers"
    ]


def test_a_split_term_through_the_demo_models_is_applied_and_reported(installed_packages):
    engine = Engine(EngineOptions(installed_packages))
    article = json_body(
        '<p>The <a href="https://x.example.org">bus <em>drivers</em></a> union met the council today.</p>'
    )
    (result,) = translate_articles(engine, [article], "ru", glossary=GLOSSARY)
    assert [a.seen for a in result.glossary] == ["bus drivers"]
    first = result.translation.paragraphs[0]
    assert "водитель автобуса" in first.text
    # The demo model writes a piece beside each placeholder; the link and emphasis hold the term.
    assert re.search(r'<a href="https://x.example.org">[^<]*<em>[^<]*водитель автобуса[^<]*</em>', first.html)
    assert any(str(i).startswith("markup") and "widened" in str(i) for i in result.issues)


# --- 5. nested marks stay nested ---------------------------------------------------------------

NESTED_TEXT = "Read the annual report today."
NESTED = 'Read the <em><a href="https://r.example.org">annual <strong>report</strong></a></em> today.'


@pytest.mark.parametrize(
    ("output", "recorded"),
    [
        ("Прочтите 8101 8102 годовой 8103 отчёт 8104 8105 8106 сегодня.", False),  # copied
        ("Прочтите 8101 8102 годовой 8103 отчёт 8104 8106 8105 сегодня.", False),  # closes swapped
        ("Прочтите 8101 8102 годовой 8103 отчёт 8104 8106 до 8105 сегодня.", True),  # a word between
        ("Прочтите 8102 8101 годовой 8103 отчёт 8104 8105 8106 сегодня.", False),  # opens swapped
    ],
)
def test_a_link_nested_in_emphasis_comes_back_once(output, recorded):
    sentence = one(NESTED_TEXT, NESTED)
    final, html, problems = through(sentence, output)
    assert html.count("<a ") == 1, html
    assert '<em><a href="https://r.example.org">годовой <strong>отчёт</strong></a></em>' in html
    assert any("kept inside" in p for p in problems) == recorded, problems


def test_parse_keeps_the_source_nesting_of_marks_over_the_same_words():
    assert inline.render(*inline.parse(NESTED)) == NESTED
    flipped = (
        NESTED.replace("<em>", "")
        .replace("</em>", "")
        .replace("annual", "<em>annual")
        .replace("</a>", "</em></a>")
    )
    assert inline.render(*inline.parse(flipped)) == flipped
