"""Inline markup (issue 14, item 2): kept by ingestion, carried through the model by
placeholders, rendered into feeds and pages."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feeds import document, pages
from syndicate import ingest, inline, segment
from syndicate.ingest.options import Format, IngestOptions
from syndicate.model import Article, Kind, Paragraph, Provenance, StoredArticle, Translation
from syndicate.translation import inline as markup
from syndicate.translation.engine import Engine, EngineOptions
from syndicate.translation.translator import translate_articles
from syndicate.translation.typography import polish

FILLER = (
    "<p>The harbour authority said the work had cost more than planned and taken longer than "
    "the engineers had told the council at the start of the year.</p>"
)


def page(body: str, head: str = "") -> str:
    """A saved news page holding ``body`` as its first paragraph, a date and a second paragraph."""
    return (
        f"<html><head><title>Harbour opens</title>{head}</head><body><article><h1>Harbour opens</h1>"
        "<time datetime='2024-03-05T10:00:00Z'>5 March 2024</time>"
        f"{body}{FILLER}</article></body></html>"
    )


def read(text: str, fmt: Format = Format.AUTO, page_url: str | None = None) -> Article:
    return ingest.parse(text, IngestOptions(format=fmt, page_url=page_url, min_words=1, check_language=False))


def lead(article: Article) -> Paragraph:
    return next(p for p in article.paragraphs if p.kind == Kind.LEAD)


# --- extraction ---------------------------------------------------------------------------------


def test_page_keeps_links_and_emphasis_beside_the_same_plain_text():
    body = (
        '<p>The harbour <a href="https://example.org/report" class="x" onclick="evil()">opened '
        "<em>again</em></a> today after <strong>three</strong> weeks of repairs, officials said.</p>"
    )
    article = read(page(body))
    first = lead(article)
    assert first.text == "The harbour opened again today after three weeks of repairs, officials said."
    assert first.html == (
        'The harbour <a href="https://example.org/report">opened <em>again</em></a> today after '
        "<strong>three</strong> weeks of repairs, officials said."
    )
    assert inline.parse(first.html)[0] == first.text
    # A paragraph without markup has none; plain-text input never has any.
    assert article.paragraphs[-1].html is None
    scrape = read(
        "Harbour opens\n\n5 March 2024\n\nThe harbour <em>opened</em> today after repairs.\n", Format.TEXT
    )
    assert all(p.html is None for p in scrape.paragraphs)


def test_page_keeps_code_sup_sub_and_a_single_line_break():
    body = (
        "<p>Water is H<sub>2</sub>O, the rate rose 10<sup>3</sup> times, run <code>make all</code>."
        "<br>Then it stopped.</p>"
    )
    first = lead(read(page(body)))
    # Sub- and superscript digits have their Unicode forms in the plain text: no "103".
    assert first.text == "Water is H₂O, the rate rose 10³ times, run make all. Then it stopped."
    assert "H<sub>2</sub>O" in first.html and "10<sup>3</sup>" in first.html
    assert "<code>make all</code>" in first.html and "<br>Then" in first.html


@pytest.mark.parametrize(
    ("href", "page_url", "expected"),
    [
        ("/news/report", "https://news.example.org/2024/harbour", "https://news.example.org/news/report"),
        ("report.html", "https://news.example.org/2024/harbour", "https://news.example.org/2024/report.html"),
        ("//cdn.example.org/x", "https://news.example.org/a", "https://cdn.example.org/x"),
        ("/news/report", None, None),  # relative, no page URL: kept as text, noted
        ("javascript:alert(1)", "https://news.example.org/a", None),
        ("mailto:desk@example.org", None, None),
        ("  https://example.org/a?b=1&c=2  ", None, "https://example.org/a?b=1&c=2"),
    ],
)
def test_link_targets_are_absolute_http_or_dropped(href, page_url, expected):
    body = (
        f'<p>The harbour reopened after the <a href="{href}">repairs</a> ended, officials said on Monday.</p>'
    )
    article = read(page(body), page_url=page_url)
    first = lead(article)
    assert first.text == "The harbour reopened after the repairs ended, officials said on Monday."
    if expected is None:
        assert first.html is None
        assert any("link(s) kept as text" in note for note in article.notes)
    else:
        assert inline.parse(first.html)[1] == [inline.Mark(31, 38, "a", expected)]


def test_relative_link_resolves_against_the_canonical_url_when_no_page_url_is_given():
    head = '<link rel="canonical" href="https://news.example.org/2024/harbour">'
    body = '<p>The harbour reopened after the <a href="/r">repairs</a> ended, officials said on Monday.</p>'
    assert 'href="https://news.example.org/r"' in lead(read(page(body, head))).html


def test_nested_link_and_emphasis_and_attributes_stripped_in_a_json_body():
    data = {
        "title": "Harbour opens",
        "published": "2024-03-05T10:00:00+00:00",
        "url": "https://news.example.org/2024/harbour",
        "body": '<p style="color:red">The <b>harbour</b> <a href="/r" title="t" target="_blank">'
        '<em class="c">opened</em> again</a> today.</p>'
        '<p>Second <i>one</i>, <img src="x.png">with <span id="s">a span</span>.</p>',
    }
    article = read(json.dumps(data), Format.JSON)
    first, second = article.paragraphs[:2]
    assert (
        first.html
        == 'The <b>harbour</b> <a href="https://news.example.org/r"><em>opened</em> again</a> today.'
    )
    assert second.html == "Second <i>one</i>, with a span."
    assert second.text == "Second one, with a span."


def test_markup_follows_a_trimmed_lead_and_a_kind_decided_by_plain_text():
    # The quote's kind is read from its text (it opens with a quotation mark), not its markup.
    body = "<p><em>“We are back,”</em> said harbour master Anna Berg, who ran the repairs.</p>"
    first = lead(read(page(body)))
    assert first.kind == Kind.LEAD and first.html.startswith("<em>“We are back,”</em>")
    data = {
        "title": "T",
        "published": "2024-03-05T10:00:00+00:00",
        "body": "<p>One <em>full</em> sentence. And a cut <b>frag</b>",
    }
    cut = lead(read(json.dumps(data), Format.JSON))
    assert cut.text == "One full sentence."
    assert cut.html == "One <em>full</em> sentence."


# --- rendering ------------------------------------------------------------------------------------


def test_render_nests_crossing_marks_and_sanitises():
    marks = [
        inline.Mark(0, 5, "em"),
        inline.Mark(3, 8, "a", "https://e.org/?a=1&b=2"),
        inline.Mark(6, 6, "br"),
    ]
    html = inline.render("abcdefgh<", marks)
    link = '<a href="https://e.org/?a=1&amp;b=2">'
    assert html == f"<em>abc{link}de</a></em>{link}f<br>gh</a>&lt;"
    assert inline.parse(html)[0] == "abcdefgh<"
    assert (
        inline.sanitise('<a href="javascript:x" onclick="y">a</a><script>z</script><p>b</p>') == "<a>a</a>b"
    )


def _translation(paragraphs: tuple[Paragraph, ...]) -> StoredArticle:
    when = datetime(2024, 3, 5, tzinfo=UTC)
    source = Article("Harbour opens", when, paragraphs)
    ru = Translation("ru", "Гавань", tuple(Paragraph(p.kind, p.text, html=p.html) for p in paragraphs),
                     Provenance("demo", "1", demo=True))  # fmt: skip
    return StoredArticle("a1", 1, source, when, {"ru": ru}, {"ru": when})


def test_feed_content_and_pages_show_links_and_keep_provenance_last():
    html = 'The <a href="https://example.org/r?a=1&amp;b=2">report</a> is out.<br> <span onclick="y">x</span>'
    paragraphs = (
        Paragraph(Kind.LEAD, "The report is out. x", html=html),
        Paragraph(Kind.ITEM, "One item", html="One <em>item</em>"),
        Paragraph(Kind.PARAGRAPH, "Plain <b>text</b> stays text"),
        Paragraph(Kind.PARAGRAPH, "A stale fragment", html="Other <em>words</em>"),
    )
    stored = _translation(paragraphs)
    feed = document.build([stored], "ru", base_url="https://f.example", source_lang="en",
                          languages=("en", "ru"), publisher="P")  # fmt: skip
    content = feed.entries[0].content_html
    assert '<p>The <a href="https://example.org/r?a=1&amp;b=2">report</a> is out.<br> x</p>' in content
    assert "<li>One <em>item</em></li>" in content
    assert "Plain &lt;b&gt;text&lt;/b&gt; stays text" in content
    # A fragment whose text is not the paragraph's is not trusted: the text is shown.
    assert "<p>A stale fragment</p>" in content
    assert content.rsplit("\n", 1)[1].startswith("<p><em>Машинный перевод: модель demo")  # the note, in ru
    compare = pages.compare_page(stored, ("en", "ru"), "en").decode()
    assert compare.count('<a href="https://example.org/r?a=1&amp;b=2">report</a>') == 2
    own = pages.article_page("https://f.example", feed.entries[0]).decode()
    assert '<a href="https://example.org/r?a=1&amp;b=2">report</a>' in own


def test_paragraph_json_form_and_hash_keep_old_values_without_html():
    plain = Paragraph(Kind.PARAGRAPH, "x")
    assert plain.to_dict() == {"kind": "paragraph", "text": "x"}
    marked = Paragraph(Kind.PARAGRAPH, "x", html="<em>x</em>")
    assert Paragraph.from_dict(marked.to_dict()) == marked
    when = datetime(2024, 1, 1, tzinfo=UTC)
    assert Article("t", when, (plain,)).content_hash() != Article("t", when, (marked,)).content_hash()


# --- through the model: crafted outputs -------------------------------------------------------------

TEXT = "The harbour opened again today. Divers found the New Harbour Bell in the mud."
HTML = (
    'The harbour <a href="https://example.org/r">opened <em>again</em></a> today. '
    "Divers found the <strong>New Harbour Bell</strong> in the mud."
)


def hidden() -> list[markup.Sentence | None]:
    return markup.split(TEXT, HTML, segment.sentences(TEXT))


def through(outputs: list[str], lang: str = "ru") -> tuple[str, str | None, list[str]]:
    """The paragraph's text, html and problems for crafted model outputs, one per sentence."""
    pieces, problems, texts = [], [], []
    for sentence, output in zip(hidden(), outputs, strict=True):
        assert sentence is not None
        carried = sentence.carry(output)
        final, marks, found = carried.finish(carried.text, lambda t: polish(t, lang))
        pieces.append((final, marks))
        problems += found
        texts.append(final)
    return " ".join(texts), markup.paragraph_html(lang, pieces), problems


def test_placeholders_are_numbers_absent_from_the_sentence():
    first, second = hidden()
    assert first.text == "The harbour 8101 opened 8102 again 8103 8104 today."
    # The emphasis (8102 ... 8103) nests in the link (8101 ... 8104), as the elements do.
    assert second.text == "Divers found the 8101 New Harbour Bell 8102 in the mud."
    numbered = markup.split("In 8101 we won.", "In 8101 we <em>won</em>.", ["In 8101 we won."])[0]
    assert numbered.text == "In 8101 we 8102 won 8103 ."


def test_copied_placeholders_restore_exactly():
    text, html, problems = through(["Гавань 8101 открылась 8102 снова 8103 8104 сегодня.",
                                    "Водолазы нашли 8101 New Harbour Bell 8102 в иле."])  # fmt: skip
    assert problems == []
    assert text == "Гавань открылась снова сегодня. Водолазы нашли New Harbour Bell в иле."
    assert html == (
        'Гавань <a href="https://example.org/r">открылась <em>снова</em></a> сегодня. '
        "Водолазы нашли <strong>New Harbour Bell</strong> в иле."
    )


@pytest.mark.parametrize(
    ("outputs", "expected_html", "said"),
    [
        # Each case: the model's output for the two sentences, the html expected in the paragraph
        # and a word of the problem recorded.
        # Dropped closing placeholders: the link over as many words from its start as the source had.
        (["Гавань 8101 открылась 8102 снова сегодня.", "Водолазы нашли 8101 New Harbour Bell 8102 в иле."],
         'Гавань <a href="https://example.org/r">открылась <em>снова</em></a> сегодня.', "dropped"),
        # Every placeholder dropped, words not verbatim: around the whole sentence.
        (["Гавань открылась снова сегодня.", "Водолазы нашли New Harbour Bell в иле."],
         '<a href="https://example.org/r"><em>Гавань открылась снова сегодня.</em></a>', "whole sentence"),
        # Repeated: one copy kept, the other removed with no text lost.
        (["Гавань 8101 открылась 8102 снова 8103 8104 сегодня 8104 8101.",
          "Водолазы нашли 8101 New Harbour Bell 8102 в иле."],
         'Гавань <a href="https://example.org/r">открылась <em>снова</em></a> сегодня.', "repeated"),
        # Moved onto other words, though the marked words came out verbatim: back on them.
        (["Гавань 8101 открылась 8102 снова 8103 8104 сегодня.",
          "Водолазы 8101 нашли 8102 New Harbour Bell в иле."],
         "Водолазы нашли <strong>New Harbour Bell</strong> в иле.", "moved back"),
        # Order swapped (close before open): the verbatim words again.
        (["Гавань 8101 открылась 8102 снова 8103 8104 сегодня.",
          "8102 Водолазы нашли New Harbour Bell в иле 8101."],
         "Водолазы нашли <strong>New Harbour Bell</strong> в иле.", "same words"),
    ],
)  # fmt: skip
def test_lost_repeated_or_moved_placeholders_keep_text_and_markup_and_are_recorded(
    outputs, expected_html, said
):
    text, html, problems = through(outputs)
    assert text == "Гавань открылась снова сегодня. Водолазы нашли New Harbour Bell в иле."
    assert not any(ch.isdigit() for ch in text)
    assert expected_html in html
    assert any(said in p for p in problems), problems
    assert inline.parse(html)[0] == text
    assert [str(i).split(":")[0] for i in markup.issues(problems)] == ["markup"] * len(problems)


def test_a_mark_across_a_sentence_boundary_and_a_line_break_between_sentences():
    text = "One short line. Two more words. End."
    html = "One <em>short line. Two more</em> words.<br> <b>End.</b>"
    sentences = segment.sentences(text)
    parts = markup.split(text, html, sentences)
    assert parts[0].text == "One 8101 short line." and parts[1].text == "Two more 8101 words."
    assert parts[2].slots == ()  # bold over the whole sentence and the break before it: no placeholder
    pieces = []
    for part in parts:
        carried = part.carry(part.text.replace("line", "строка"))
        final, marks, problems = carried.finish(carried.text, lambda t: t)
        assert problems == []
        pieces.append((final, marks))
    # The break stood before the space: it ends the second sentence.
    assert markup.paragraph_html("ru", pieces) == "One <em>short строка. Two more</em> words.<br> <b>End.</b>"
    assert markup.paragraph_html("ja", pieces) == "One <em>short строка.Two more</em> words.<br><b>End.</b>"


# --- through the demo models ------------------------------------------------------------------------


def test_demo_models_carry_links_into_ru_and_ja(installed_packages):
    engine = Engine(EngineOptions(installed_packages))
    body = (
        '<p>The harbour <a href="https://example.org/report?id=7">reopened <em>on Monday</em></a> after '
        "<strong>three</strong> weeks of repairs, officials said.<br>Divers found the bell.</p>"
    )
    article = read(page(body))
    for lang in ("ru", "ja"):
        (result,) = translate_articles(engine, [article], lang)
        first = result.translation.paragraphs[0]
        assert first.html is not None, lang
        text, marks = inline.parse(first.html)
        assert text == first.text
        assert [(m.tag, m.href) for m in marks if m.tag != "br"] == [
            ("a", "https://example.org/report?id=7"), ("em", None), ("strong", None)]  # fmt: skip
        assert any(m.tag == "br" for m in marks)
        assert not any(str(i).startswith("markup") for i in result.issues), result.issues
        assert "8101" not in first.text


@given(
    st.lists(
        st.sampled_from(["8101", "8102", "8103", "8104", "слово", "иле", ".", ",", " "]),
        min_size=0,
        max_size=14,
    )
)
@settings(max_examples=300, deadline=None)
def test_any_model_output_keeps_its_words_and_gives_valid_markup(tokens):
    # Whatever the model does with the placeholders (drop, repeat, reorder, glue), no word of its
    # output is lost, no placeholder reaches the reader, and the fragment's text is the sentence.
    first = hidden()[0]
    output = " ".join(tokens)
    carried = first.carry(output)
    final, marks, _ = carried.finish(carried.text, lambda t: polish(t, "ru"))
    words = [t for t in tokens if t.isalpha()]
    assert "".join(c for c in final if c.isalpha()) == "".join(words)
    assert not any(c.isdigit() for c in final)
    html = markup.paragraph_html("ru", [(final, marks)])
    assert html is None or inline.parse(html)[0] == final.strip()
