"""Spans kept verbatim behind placeholders, and glossary entries in every form."""

from __future__ import annotations

import pytest

from syndicate.translation.glossary import EMPTY, Glossary, GlossaryError, Term, load
from syndicate.translation.placeholders import protect, taken, verbatim_spans


def spans(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], kind) for s, e, kind in verbatim_spans(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "See https://example.org/timetable?line=N4&day=fri#x.",
            ("https://example.org/timetable?line=N4&day=fri#x", "url"),
        ),
        ("(https://example.org/a?b=1)", ("https://example.org/a?b=1", "url")),
        ("Read HTTPS://Example.org/Why?Not!Now, then.", ("HTTPS://Example.org/Why?Not!Now", "url")),
        ("Go to www.example.com/search?q=ferry&page=2!", ("www.example.com/search?q=ferry&page=2", "url")),
        (
            "Wiki: https://en.wikipedia.org/wiki/Tide_(film).",
            ("https://en.wikipedia.org/wiki/Tide_(film)", "url"),
        ),
        ("Write to news@example.org.", ("news@example.org", "email")),
        (
            "Write to first.last+tips@mail.example.co.uk, now.",
            ("first.last+tips@mail.example.co.uk", "email"),
        ),
        ("Ask @harbour_ops.", ("@harbour_ops", "handle")),
        ("Ask @ops@social.example today.", ("@ops@social.example", "handle")),
        ("Tagged #N4Line.", ("#N4Line", "hashtag")),
        ("Tagged #Наводнение2024!", ("#Наводнение2024", "hashtag")),
        ("Buy at example.org/market.", ("example.org/market", "domain")),
        ("Buy at shop.example.co.uk, or not.", ("shop.example.co.uk", "domain")),
        ("Run `make -j4` first.", ("`make -j4`", "code")),
    ],
)
def test_each_kind_of_verbatim_span(text, expected):
    assert spans(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Use e.g. a ferry.",
        "The U.S. Navy came.",
        "It was the end.Next came more.",
        "It ranked #1 in 2020.",
        "AT&amp;T said &#39;no&#39;.",
        "Smith & Co. The end.",
        "He paid $1.2 million at 14:30.",  # localised by the model, checked by value
    ],
)
def test_what_is_not_a_verbatim_span(text):
    assert spans(text) == []


def test_a_fragment_is_part_of_its_url_and_mixed_spans_restore_byte_identical():
    text = "Mail a@example.org or @ops about https://x.org/a?b=1#top and #Tag at y.org/m."
    protected = protect(text, "ru", EMPTY)
    assert [final for _, final in protected.slots] == [
        "a@example.org", "@ops", "https://x.org/a?b=1#top", "#Tag", "y.org/m",
    ]  # fmt: skip
    # A crafted model output that moved the placeholders around.
    output = " ".join(p for p, _ in reversed(protected.slots)) + " конец."
    restored, lost = protected.restore(output)
    assert restored == "y.org/m #Tag https://x.org/a?b=1#top @ops a@example.org конец." and lost == []
    restored, lost = protected.restore(output.replace(protected.slots[1][0], ""))
    assert lost == ["@ops"]


GLOSSARY = Glossary(
    (
        Term("Harbour Authority", {"ru": "Управление порта", "ja": "港湾局"}),
        Term("e-scooter", {"ru": "электросамокат"}),
        Term("Kuril Islands", {"ru": "Курильские острова"}),
        Term("NASA", keep=True),
        Term("US", {"ru": "США"}),
        Term("Secretary of State", {"ru": "госсекретарь"}, forms=("Secretaries of State",)),
    )
)


@pytest.mark.parametrize(
    "text, seen",
    [
        ("The Harbour Authority met.", "Harbour Authority"),
        ("The harbour authority met.", "harbour authority"),
        ("The HARBOUR AUTHORITY met.", "HARBOUR AUTHORITY"),
        ("Two harbour authorities met.", "harbour authorities"),
        ("The Harbour Authority's chief spoke.", "Harbour Authority's"),
        ("The Harbour Authority’s chief spoke.", "Harbour Authority’s"),
        ("The Harbour Authorities' chiefs spoke.", "Harbour Authorities'"),
        ("The harbour\nauthority met.", "harbour\nauthority"),
        ("An e-scooter crashed.", "e-scooter"),
        ("Ten e-scooters crashed.", "e-scooters"),
        ("E-Scooters crashed.", "E-Scooters"),
        ("The e-scooters' batteries.", "e-scooters'"),
        ("On Kuril Island.", "Kuril Island"),
        ("NASA's probe.", "NASA's"),
        ("Two Secretaries of State met.", "Secretaries of State"),
    ],
)
def test_glossary_forms(text, seen):
    assert [m.seen for m in GLOSSARY.matches(text, "ru")] == [seen]


@pytest.mark.parametrize(
    "text",
    [
        "Let us go.",  # an all-capitals entry matches in capitals only
        "The nasa of it.",
        "The e-scooterish design.",
        "An authority met.",  # half a term is no match
    ],
)
def test_glossary_non_matches(text):
    assert GLOSSARY.matches(text, "ru") == []


def test_a_closing_quote_is_not_a_possessive():
    assert [m.seen for m in GLOSSARY.matches("The 'Harbour Authority' sign.", "ru")] == ["Harbour Authority"]


def test_keep_keeps_the_text_seen_and_protect_reports_entries():
    protected = protect("NASA's and the harbour authorities' ships.", "ru", GLOSSARY)
    assert protected.glossary == (("NASA", "NASA's"), ("Harbour Authority", "harbour authorities'"))
    assert [final for _, final in protected.slots] == ["NASA's", "Управление порта"]
    assert protect("Nothing here.", "ru", GLOSSARY).glossary == ()  # no match: no error


def test_glossary_file_forms(tmp_path):
    path = tmp_path / "glossary.toml"
    path.write_text(
        '[terms."e-scooter"]\nru = "электросамокат"\nforms = ["e-scooter scheme", "escooter"]\n', "utf-8"
    )
    glossary = load(path)
    assert glossary.terms[0].forms == ("e-scooter scheme", "escooter") and glossary.terms[0].renderings == {
        "ru": "электросамокат"
    }
    assert [m.seen for m in glossary.matches("The e-scooter scheme and an Escooter.", "ru")] == [
        "e-scooter scheme",
        "Escooter",
    ]
    before = glossary.version
    path.write_text('[terms."e-scooter"]\nru = "электросамокат"\nforms = ["escooter"]\n', "utf-8")
    assert load(path).version != before  # a form changes the memory keys
    path.write_text('[terms."e-scooter"]\nru = "электросамокат"\nforms = "escooter"\n', "utf-8")
    with pytest.raises(GlossaryError, match="forms must be a list"):
        load(path)


# --- placeholder numbers never equal a number of the segment in any form -------------------------

URL = "https://fund.example.org/report"


@pytest.mark.parametrize(
    ("source", "number_out"),
    [
        (f"The fund paid 7,301 euros, see {URL} for details.", "7301"),  # ru writes 7301
        (f"The fund paid 7,301.5 euros, see {URL} for details.", "73015"),
        (f"It took 7 301 hours, see {URL}.", "7301"),
        (f"It weighs 7.301 kg, see {URL}.", "7301"),  # a model may drop a decimal point
        (f"The 7,301st and 7,302nd runners, see {URL}.", "7302"),
    ],
)
def test_a_placeholder_is_no_number_of_the_segment_with_separators_removed(source, number_out):
    protected = protect(source, "ru", EMPTY)
    (placeholder, final), *_ = protected.slots
    assert final == URL
    assert placeholder != number_out and placeholder not in taken(source)
    # A model that writes the number without separators: the number stays, the URL goes to its place.
    output = f"Фонд заплатил {number_out} евро, см. {placeholder}."
    restored, lost = protected.restore(output)
    assert f"{number_out} евро" in restored and URL in restored and lost == []
    assert protected.repeated(output) == []


def test_inline_markup_placeholders_skip_numbers_of_the_sentence_too():
    from syndicate.translation import inline as markup

    text = "The fund paid 8,101 euros today."
    (sentence,) = markup.split(text, "The fund paid 8,101 <em>euros</em> today.", [text])
    assert [slot.code for slot in sentence.slots] == ["8102", "8103"]
    text = "Costs were 8 101 and 8102.5 euros."
    (sentence,) = markup.split(text, "Costs were 8 101 and 8102.5 <em>euros</em>.", [text])
    assert "8101" not in {s.code for s in sentence.slots} and "81025" not in {s.code for s in sentence.slots}


def test_a_placeholder_written_twice_is_reported():
    protected = protect(f"See {URL} and pay 12 euros.", "ru", EMPTY)
    placeholder = protected.slots[0][0]
    assert protected.repeated(f"См. {placeholder} и {placeholder} евро.") == [URL]
    assert protected.repeated(f"См. {placeholder} и 12 евро.") == []
