"""Characters (issue 11): character references, invisible characters, no-break spaces, mojibake.

The rules are in syndicate/ingest/decode.py (every format, on the decoded text) and
markup.unescape_text (every text field, after its references are decoded). The corpus folder
tests/testdata/ingest/characters/ holds whole articles; these tests pin each rule and its variants.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from syndicate.ingest import IngestOptions, Reading, Rejected, parse_bytes
from syndicate.ingest.decode import decode, normalise, repair
from syndicate.ingest.markup import unescape_text

OPTIONS = IngestOptions(now=datetime(2026, 11, 1, tzinfo=UTC))
BODY = (
    "The council met on Monday to discuss the new ferry route across the strait, which officials say "
    "will cut the journey from nine hours to under five and bring back tourists."
)
SECOND = "The first crossing is planned for the spring, and tickets will go on sale in March."


def scrape(title: str, body: str = BODY, byline: str = "") -> bytes:
    """A text scrape: date line, title (and byline), lead, one more paragraph."""
    head = title + (f"\n{byline}" if byline else "")
    return f"2014-10-07 14:30\n\n{head}\n\n{body}\n\n{SECOND}\n".encode()


def parsed(data: bytes, **options):
    return parse_bytes(data, options=IngestOptions(now=OPTIONS.now, **options))


def notes_of(text: str) -> tuple[str, list[str]]:
    reading = Reading()
    return repair(text, reading), reading.notes


def moji(text: str, times: int = 1) -> str:
    """UTF-8 read as Windows-1252 (undefined bytes as browsers keep them: C1 controls)."""
    for _ in range(times):
        text = "".join(chr(b) if 0x80 <= b < 0xA0 and bytes([b]).decode("cp1252", "replace") == "\ufffd"
                       else bytes([b]).decode("cp1252") for b in text.encode("utf-8"))  # fmt: skip
    return text


# --- character references -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("Mayor&#39;s &quot;green&quot; budget", 'Mayor\'s "green" budget'),  # field case 03
        ("fish &amp; chips &mdash; &pound;5&hellip;", "fish & chips — £5…"),  # named
        ("&lsquo;no&rsquo; &laquo;non&raquo; &eacute;t&eacute;", "‘no’ «non» été"),
        ("it&#8217;s 40&#37;", "it’s 40%"),  # decimal
        ("it&#x2019;s &#X2014; &#x27;x&#x27;", "it’s — 'x'"),  # hex, either case of x
        ("the ferry&#39s deck", "the ferry's deck"),  # numeric without its ";" (HTML reads it)
        ("14&#150;16 August", "14–16 August"),  # Windows-1252 number, read as HTML does
        ("parking&nbsp;fees &#160;and&#xA0;fares", "parking fees  and fares"),
    ],
)
def test_references_are_decoded(raw, want):
    assert unescape_text(raw) == want


def test_references_are_decoded_once_only():
    # A page that escaped twice showed "&quot;" to its readers; decoding again would guess.
    assert (
        unescape_text("the &amp;quot;green&amp;quot; plan, Q&amp;amp;A")
        == "the &quot;green&quot; plan, Q&amp;A"
    )


@pytest.mark.parametrize(
    "text",
    [
        "AT&T and R&D",
        "this &notion of &copy2020",
        "&times were hard",
        "a &madeup; entity",
        "fish & chips",
        "&#;",
    ],
)
def test_what_is_not_a_complete_reference_stays(text):
    # Named references need their ";" in plain text: "&not" and "&times" are words here.
    assert unescape_text(text) == text


def test_decoded_references_are_noted_once_with_examples():
    reading = Reading()
    unescape_text("Mayor&#39;s &quot;plan&quot;", reading)
    unescape_text("fees &amp; fares &#39;", reading)
    assert reading.notes == ["HTML character references decoded: &#39; &quot; &amp;"]
    unescape_text("no references here", reading)
    assert len(reading.notes) == 1


@pytest.mark.parametrize("where", ["title", "byline", "body"])
def test_references_in_every_field_of_a_scrape(where):
    ref = "O&#39;Brien &amp; Sons&nbsp;&mdash; &quot;ferries&quot;"
    want = 'O\'Brien & Sons — "ferries"'
    title, byline, body = "Ferry route to reopen", "By Anna Smith", BODY
    if where == "title":
        title = f"{ref} reopen the ferry route"
    elif where == "byline":
        byline = "By Se&aacute;n O&#39;Brien"
    else:
        body = f"{BODY} {ref} said."
    article = parsed(scrape(title, body, byline))
    everything = " ".join([article.title, article.author or "", *(p.text for p in article.paragraphs)])
    assert "&" not in everything.replace(" & ", "")
    if where == "title":
        assert article.title == f"{want} reopen the ferry route"
    elif where == "byline":
        assert article.author == "Seán O'Brien"
    else:
        assert article.paragraphs[0].text.endswith(f"{want} said.")
    assert any(n.startswith("HTML character references decoded") for n in article.notes)


def test_references_in_json_fields():
    data = {
        "title": "Mayor&#39;s &quot;green&quot; budget passes &amp; parking fees rise",
        "published": "2015-01-12T10:15:00Z",
        "author": "Ana&iuml;s L&eacute;vy",
        "body": f"{BODY}\n\nParking will cost 2 euros an hour &mdash; twice the current rate &mdash; "
        "from March.",
    }
    article = parsed(json.dumps(data).encode())
    assert article.title == 'Mayor\'s "green" budget passes & parking fees rise'
    assert article.author == "Anaïs Lévy"
    assert (
        article.paragraphs[1].text
        == "Parking will cost 2 euros an hour — twice the current rate — from March."
    )


# --- invisible characters and no-break spaces -----------------------------------------------


@pytest.mark.parametrize(
    ("raw", "want", "counted"),
    [
        ("par\u00adlia\u00adment", "parliament", "2 × soft hyphen (U+00AD)"),  # field case 08
        ("zero\u200bwidth", "zerowidth", "1 × zero width space (U+200B)"),
        ("word\u2060joiner", "wordjoiner", "1 × word joiner (U+2060)"),
        ("in\ufeffside", "inside", "1 × zero width no-break space (U+FEFF)"),
        ("emoji\u200dsplit", "emojisplit", "1 × zero width joiner (U+200D)"),
        ("left\u200eright\u200f", "leftright", "1 × left-to-right mark (U+200E)"),
        ("evil\u202eeman\u202c", "evileman", "1 × right-to-left override (U+202E)"),
        ("bell\x07 and\x1b", "bell and", "1 × control character (U+0007)"),
        ("latin\u200cword", "latinword", "1 × zero width non-joiner (U+200C)"),
        ("object \ufffc here", "object  here", "1 × object replacement character (U+FFFC)"),
    ],
)
def test_invisible_characters_are_removed_and_counted(raw, want, counted):
    text, notes = notes_of(raw)
    assert text == want
    assert len(notes) == 1 and notes[0].startswith("removed invisible characters:") and counted in notes[0]


def test_zero_width_non_joiner_stays_where_the_script_needs_it():
    persian = "می\u200cخواهم"  # "I want": the ZWNJ is part of the spelling
    hindi = "क्\u200cष"
    assert repair(persian) == persian
    assert repair(hindi) == hindi


def test_invisible_characters_from_references_are_removed_too():
    reading = Reading()
    assert unescape_text("deliv&shy;eries com&#173;pany 600&#8203; million &#x2060;", reading) == (
        "deliveries company 600 million "
    )
    assert any("2 × soft hyphen" in n and "1 × zero width space" in n for n in reading.notes)


def test_counts_of_removed_characters_add_up_across_fields():
    reading = Reading()
    repair("a\u00adb", reading)
    unescape_text("c&shy;d\u200b", reading)
    repair("e\u00adf", reading)
    invisible = [n for n in reading.notes if n.startswith("removed invisible")]
    assert invisible == [
        "removed invisible characters: 3 × soft hyphen (U+00AD), 1 × zero width space (U+200B)"
    ]


def test_soft_hyphens_never_reach_the_article():
    body = BODY.replace("officials", "of\u00adfi\u00adcials")
    article = parsed(scrape("Re\u00adgional par\u00adlia\u00adment ap\u00adproves the fund", body=body))
    assert article.title == "Regional parliament approves the fund"
    assert "\u00ad" not in article.paragraphs[0].text and "officials say" in article.paragraphs[0].text
    assert any("6 × soft hyphen" in n for n in article.notes)


def test_a_soft_hyphen_next_to_a_combining_mark_leaves_nfc_text():
    assert repair("cafe\u00ad\u0301") == "café"


@pytest.mark.parametrize(
    "raw", ["North\u00a0coast", "North&nbsp;coast", "North&#160;coast", "North&#xa0;coast"]
)
def test_no_break_spaces_become_plain_spaces(raw):
    assert unescape_text(raw) == "North coast"
    assert not any(n.startswith("removed") for n in notes_of(raw)[1])


# --- mojibake ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "good",
    [
        "Café owners welcome São Paulo’s naïve résumé in Zürich",  # Latin-1 accents
        "the city’s “unfair” rules — and ‘more’ … • ™ €40",  # Windows-1252 punctuation
        "Владимир Соколов и Анна Смирнова сказали",  # Cyrillic, with C1 bytes (А = D0 90, с = D1 81)
        "Łódź, Kraków, Gdańsk — Ελλάδα",  # Central European and Greek
        "José García à la carte",  # í = C3 AD (soft hyphen), à = C3 A0 (no-break space)
        "東京の天気",  # Japanese
    ],
)
def test_mojibake_is_repaired(good):
    text, notes = notes_of(moji(good))
    assert text == good
    assert any(n.startswith("mojibake repaired (UTF-8 read as Windows-1252):") for n in notes), notes


def test_mojibake_of_mojibake_is_repaired():
    text, notes = notes_of(moji("Crème brûlée at the café", times=2))
    assert text == "Crème brûlée at the café"
    assert notes[0].startswith("mojibake repaired (UTF-8 read as Windows-1252 twice): ")


def test_the_note_gives_the_first_example_once():
    reading = Reading()
    assert repair("CafÃ© owners\nthe cityâ€™s rules", reading) == "Café owners\nthe city’s rules"
    assert reading.notes == ["mojibake repaired (UTF-8 read as Windows-1252): 'CafÃ©' -> 'Café'"]


def test_a_closing_quote_whose_last_byte_was_lost_is_assumed():
    # Field case 09: Windows-1252 has no character for byte 9D, so ” (E2 80 9D) arrived as "â€�".
    reading = Reading()
    assert repair("are â€œunfairâ€\ufffd and", reading) == "are “unfair” and"
    assert any(n.startswith("assumed a right double quote") for n in reading.notes)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("â€œwe are pleasedâ€ with it", "“we are pleased” with it"),  # the reviewer's case
        ("she said â€œwe are pleasedâ€", "she said “we are pleased”"),  # at the end of the line
        ("â€œyesâ€, he said, â€œnoâ€.", "“yes”, he said, “no”."),  # before punctuation, twice
        ("the cityâ€™s â€œsmartâ€ plan", "the city’s “smart” plan"),  # other mojibake between
        ("â€œfirstâ€\ufffd and â€œsecondâ€ too", "“first” and “second” too"),  # both forms
        ("â€œWhy?â€ she asked", "“Why?” she asked"),
    ],
)
def test_a_closing_quote_that_lost_its_last_byte_altogether_is_assumed(raw, want):
    # Some pipelines drop the undefined byte 9D instead of replacing it: "â€" is all that is left.
    text, notes = notes_of(raw)
    assert text == want
    assert any(n.startswith("assumed a right double quote (”) where its last byte was lost") for n in notes)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("Smith† and Jones‡ were elected.", "Smith† and Jones‡ were elected."),  # no mojibake at all
        ("the “best” results† of the year", "the “best” results† of the year"),  # real quotes, dagger
        ("a footnote mark â€  here", "a footnote mark † here"),  # mojibake of a dagger, no open quote
        ("â€œclosedâ€\ufffd, and a note â€  here", "“closed”, and a note † here"),  # quote closed first
    ],
)
def test_a_dagger_is_not_taken_for_a_lost_quote(raw, want):
    text, notes = notes_of(raw)
    assert text == want
    assert not any("'â€' after" in n for n in notes)


def test_characters_lost_for_good_are_reported():
    reading = Reading()
    # A letter D1 xx whose last byte Windows-1252 lacks (с, э, я: 81, 8D, 8F) was replaced by U+FFFD.
    text = repair("Ð¡Ð¾Ð±Ñ\ufffdÐºÐ° bites", reading)
    assert "\ufffd" in text and text.startswith("Соб")
    assert any(n.startswith("characters lost in mis-decoding could not be restored") for n in reading.notes)


def test_windows_1252_punctuation_stored_as_c1_controls_is_restored():
    text, notes = notes_of("the council\x92s \x93clean air\x94 zone \x96 \x80 12\x85")
    assert text == "the council’s “clean air” zone – € 12…"
    assert notes[0].startswith("Windows-1252 punctuation stored as C1 control codes restored:")


def test_typographic_quotes_are_kept():
    text = "“Yes,” she said, ‘it’s “fine”’ — „gut“ «bien»"
    assert repair(text) == text
    assert repair(moji(text)) == text


def test_ligatures_are_spelled_out_and_noted():
    text, notes = notes_of("Oﬃcials ﬁnalise the ﬂood budget")
    assert text == "Officials finalise the flood budget"
    assert notes == ["ligatures spelled out: 'Oﬃcials' -> 'Officials'"]


def test_terminal_colour_codes_are_removed():
    text, notes = notes_of("\x1b[1mBreaking:\x1b[0m ferry sinks")
    assert text == "Breaking: ferry sinks"
    assert notes == ["terminal colour codes removed"]


@pytest.mark.parametrize(
    "legit",
    [
        "Le café « Chez Émile » a fermé à 23 h — dit le maire.",  # French
        "À LA UNE : L'ÉTÉ À PARIS, ÇA VA ? ÉCOLE, ÊTRE",
        "Größere Straßenbahnen fahren ab März öfter, sagte der Bürgermeister.",  # German
        "ÜBER 50 % DER BÜRGER SIND FÜR DIE ÄNDERUNG",
        "São Paulo, 3 de março: a inflação caiu — disse o ministro à imprensa.",  # Portuguese
        "SÃO PAULO — O GOVERNO ANUNCIOU AÇÃO CONTRA A INFLAÇÃO",  # a real Ã
        "ÎN ROMÂNIA, PREȘEDINTELE A SPUS",  # a real Â
        "Владимир Путин заявил в среду, что «всё под контролем». ЁЖИК ЭХО",  # Russian
        # Japanese, with fullwidth letters and digits (ordinary Japanese typography: kept)
        "東京都は水曜日、新しい条例を発表した。「ＮＨＫ」によると２０２６年に施行される。",
        "El niño, ¿qué? ¡Sí! Zażółć gęślą jaźń. İstanbul'da ÇĞİÖŞÜ. Øresund, Æble, Åland.",
        "½ ¼ ¾ × ÷ ± µ ° © ® ™ £5 €10 ¥100 −3 °C",
        "مرحبا بالعالم — 한국어 텍스트 — 中文新闻报道。",
    ],
)
def test_legitimate_text_is_left_alone(legit):
    text, notes = notes_of(legit)
    assert text == legit
    assert notes == []


def test_a_legacy_code_page_file_is_not_taken_for_mojibake():
    data = f"2014-10-07 14:30\n\nCafé owners’ “terrace” rules — £5 fines\n\n{BODY}\n\n{SECOND}\n"
    article = parsed(data.encode("cp1252"))
    assert article.title == "Café owners’ “terrace” rules — £5 fines"
    assert any(n.startswith("not UTF-8: read as cp1252") for n in article.notes)
    assert not any("mojibake" in n for n in article.notes)


def test_the_field_case_title_is_repaired_end_to_end():
    title = moji("Café owners say the city’s new terrace rules are “unfair”").replace("\x9d", "\ufffd")
    article = parsed(scrape(title))
    assert article.title == "Café owners say the city’s new terrace rules are “unfair”"
    assert any(n.startswith("mojibake repaired") for n in article.notes)


def test_the_language_check_reads_the_repaired_text():
    russian = (
        "Девятнадцатилетний студент из Казани Владимир Соколов в воскресенье выиграл открытый шахматный "
        "турнир города, обыграв в последнем туре действующую чемпионку. В турнире участвовали 240 "
        "шахматистов из 11 стран, сообщили организаторы."
    )
    data = scrape(moji("Соколов выиграл турнир"), body=moji(russian))
    with pytest.raises(Rejected, match="reads as ru"):
        parsed(data)
    article = parsed(data, lang="ru")
    assert article.title == "Соколов выиграл турнир"


def test_mojibake_in_json_written_as_escapes_is_repaired():
    data = {"title": "CafÃ© owners welcome the plan", "published": "2015-01-12T10:15:00Z", "body": BODY}
    article = parsed(json.dumps(data).encode())  # ensure_ascii: "Caf\u00c3\u00a9"
    assert article.title == "Café owners welcome the plan"


# --- decode and normalise -------------------------------------------------------------------


def test_decode_keeps_line_structure_and_refuses_only_invisible_input():
    assert decode("a\r\nb\rc\u2028d\u2029e".encode(), 1000) == "a\nb\nc\nd\ne"
    # U+0085 is far more often Windows-1252's ellipsis read as Latin-1 than a line break (ftfy).
    assert decode("wait\x85 what".encode(), 1000) == "wait… what"
    with pytest.raises(Rejected, match="empty input"):
        decode("\u00ad\u200b\u2060\ufeff \u00a0\n".encode(), 1000)


def test_normalise_is_idempotent():
    once = normalise(moji("Café — “x”") + "\u00ad\u00a0ﬁ\n")
    assert normalise(once) == once
