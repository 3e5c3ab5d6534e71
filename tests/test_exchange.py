"""Exchange formats (syndicate/exchange/): XLIFF 1.2, TMX 1.4 and the aligned text of `syndicate edit`."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree
from translate.storage import tmx as toolkit_tmx
from translate.storage import xliff as toolkit_xliff

from syndicate import inline
from syndicate.exchange.aligned import read_aligned, write_aligned
from syndicate.exchange.tmx import read_tmx, write_tmx
from syndicate.exchange.units import Document, ExchangeError, MemoryUnit, Unit
from syndicate.exchange.xliff import read_xliff, write_xliff

DATA = Path(__file__).parent / "testdata" / "exchange"
NS = {"x": "urn:oasis:names:tc:xliff:document:1.2", "xhtml": "http://www.w3.org/1999/xhtml"}


def article(article_id: str = "k3j9x0abcd", revision: int = 2, lang: str = "ru") -> Document:
    """A document as an XLIFF file carries it: each target with its own markup (``markup``)."""
    doc = _article(article_id, revision, lang)
    return dataclasses.replace(doc, units=tuple(dataclasses.replace(u, markup=True) for u in doc.units))


def _article(article_id: str, revision: int, lang: str) -> Document:
    return Document(
        article_id,
        revision,
        "en",
        lang,
        (
            Unit("t", "Storm closes roads", "Шторм закрыл дороги"),
            Unit(
                "p0s0",
                "Read the report now.",
                "Прочтите доклад сейчас.",
                notes=("coverage 40% below 60%", "untranslated English"),
                source_html='Read <a href="https://example.org/r?a=1&amp;b=2">the <em>report</em></a> now.',
                target_html='Прочтите <a href="https://example.org/r?a=1&amp;b=2">доклад</a> сейчас.',
            ),
            Unit(
                "p0s1",
                "Line one two.",
                "Строка один два.",
                state="final",
                origin="human",
                source_html="Line one<br> two.",
                target_html="Строка один<br> два.",
            ),
            Unit("p1s0", "Call 911 & <wait>.", "Звоните 911 & <ждите>.", notes=("placeholder",)),
            Unit("p1s1", "  Spaces  kept. ", "  Пробелы  сохранены. ", state="signed-off", origin="human"),
        ),
    )


# --- XLIFF ----------------------------------------------------------------------------------


def test_xliff_round_trip_keeps_every_field() -> None:
    docs = [article(), article("zz9y8x7w6v", 5, "ja")]
    notices: list[str] = []
    assert read_xliff(write_xliff(docs), notices) == docs
    assert notices == []


def test_xliff_is_version_1_2_with_one_file_per_article() -> None:
    root = etree.fromstring(write_xliff([article(), article("zz9y8x7w6v", 5, "ja")]))
    assert root.get("version") == "1.2"
    files = root.findall("x:file", NS)
    assert [(f.get("original"), f.get("source-language"), f.get("target-language")) for f in files] == [
        ("k3j9x0abcd@r2", "en", "ru"),
        ("zz9y8x7w6v@r5", "en", "ja"),
    ]
    assert {f.get("datatype") for f in files} == {"plaintext"}
    units = files[0].findall(".//x:trans-unit", NS)
    assert [u.get("id") for u in units] == ["t", "p0s0", "p0s1", "p1s0", "p1s1"]
    assert [u.find("x:target", NS).get("state") for u in units] == [
        "needs-review-translation",
        "needs-review-translation",
        "final",
        "needs-review-translation",
        "signed-off",
    ]
    notes = units[1].findall("x:note", NS)
    assert [(n.get("from"), n.text) for n in notes] == [
        ("quality-gate", "coverage 40% below 60%"),
        ("quality-gate", "untranslated English"),
    ]


def test_xliff_inline_markup_is_g_and_x_with_matching_ids() -> None:
    root = etree.fromstring(write_xliff([article()]))
    link, emphasis = root.findall(".//x:trans-unit[@id='p0s0']/x:source//x:g", NS)
    assert (link.get("ctype"), link.get(f"{{{NS['xhtml']}}}href")) == (
        "x-html-a",
        "https://example.org/r?a=1&b=2",
    )
    assert (emphasis.get("ctype"), emphasis.text) == ("x-html-em", "report")
    (target_link,) = root.findall(".//x:trans-unit[@id='p0s0']/x:target//x:g", NS)
    assert target_link.get("id") == link.get("id") and target_link.text == "доклад"
    breaks = root.findall(".//x:trans-unit[@id='p0s1']//x:x", NS)
    assert [(b.get("id"), b.get("ctype")) for b in breaks] == [("1", "lb"), ("1", "lb")]


def test_xliff_read_by_translate_toolkits_own_parser() -> None:
    store = toolkit_xliff.xlifffile.parsestring(write_xliff([article()]))
    by_id = {unit.xmlelement.get("id"): unit for unit in store.units}
    assert by_id["t"].source == "Storm closes roads" and by_id["t"].target == "Шторм закрыл дороги"
    assert by_id["p0s0"].source == "Read the report now."
    assert by_id["p0s0"].getnotes("quality-gate").splitlines() == [
        "coverage 40% below 60%",
        "untranslated English",
    ]
    assert by_id["p1s0"].target == "Звоните 911 & <ждите>."
    assert by_id["p0s1"].isapproved() and not by_id["t"].isapproved()
    assert by_id["t"].isreview()


def test_xliff_demo_note_in_the_header() -> None:
    root = etree.fromstring(write_xliff([article()], demo=True))
    note = root.find("x:file/x:header/x:note", NS)
    assert note is not None and "NOT a translation" in note.text
    assert root.find("x:file", NS)[0].tag.endswith("header")
    assert read_xliff(write_xliff([article()], demo=True)) == [article()]


def test_xliff_written_by_a_cat_tool() -> None:
    notices: list[str] = []
    (doc,) = read_xliff((DATA / "cat-tool.xlf").read_bytes(), notices)
    assert (doc.article_id, doc.revision, doc.source_language, doc.target_language) == (
        "k3j9x0abcd",
        3,
        "en",
        "ru",
    )
    units = {unit.id: unit for unit in doc.units}
    assert list(units) == ["t", "s1", "s2", "s5", "s6", "s7"]
    title = units["t"]
    # <mrk> unwrapped; the bare <g> in the target takes the source's link by id.
    assert title.target == "Шторм закрыл горные дороги"
    assert (
        title.target_html == 'Шторм закрыл <a href="https://example.org/roads?a=1&amp;b=2">горные дороги</a>'
    )
    assert (title.state, title.origin, title.notes) == ("final", "human", ("length ratio 0.41 below 0.55",))
    assert units["s1"].state == "signed-off"  # approved="yes", no state
    assert units["s1"].target_html == "Полиция сообщила, что застряли <em>три</em> машины."
    assert units["s2"].target == "Водителям <следует> подождать & ждать."  # CDATA
    assert (units["s2"].state, units["s2"].origin) == ("translated", "machine")
    # xml:space default: whitespace collapsed; a bare <x> is the source's line break.
    assert units["s5"].target == "Строка один строка два."
    assert units["s5"].target_html == "Строка один<br> строка два."
    assert (units["s6"].target, units["s6"].target_html) == ("Звоните сейчас.", None)
    assert units["s7"].target_html == "Слово <strong>жирное</strong> и подчёркнутое."
    assert units["s7"].state == "x-mq-edited"
    where = "<file original='k3j9x0abcd@r3'>"
    for expected in (
        f"{where}: language 'ru-RU' read as 'ru'",
        f"{where} trans-unit 's1': target without state, read as 'signed-off'",
        f"{where} trans-unit 's3': empty target, left as it is",
        f"{where} trans-unit 's4': no target, left as it is",
        f"{where} trans-unit 's6': target: <ph> (native code) dropped",
        f"{where} trans-unit 's7': target: <g id='2'> of an unknown kind kept as its text",
    ):
        assert expected in notices
    assert len(notices) == len(set(notices))


def test_xliff_file_edited_in_place_keeps_everything_else() -> None:
    root = etree.fromstring(write_xliff([article()]))
    target = root.find(".//x:trans-unit[@id='p0s0']/x:target", NS)
    target.find("x:g", NS).text = "отчёт"
    target.set("state", "translated")
    (doc,) = read_xliff(etree.tostring(root))
    edited = {u.id: u for u in doc.units}["p0s0"]
    assert edited.target == "Прочтите отчёт сейчас."
    assert edited.target_html == 'Прочтите <a href="https://example.org/r?a=1&amp;b=2">отчёт</a> сейчас.'
    assert [u for u in doc.units if u.id != "p0s0"] == [u for u in article().units if u.id != "p0s0"]


HEAD = '<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
FILE = '<file original="k3j9x0abcd@r2" source-language="en" target-language="ru" datatype="plaintext">'
UNIT = '<trans-unit id="t"><source>A</source><target>Б</target></trans-unit>'
UNIT_NO_ID = UNIT.replace(' id="t"', "")
UNIT_BAD_STATE = UNIT.replace("<target>", '<target state="done">')


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "not XML"),
        (b"\x00\xff\xfe binary", "not XML"),
        (HEAD.encode() + FILE.encode(), "not XML"),
        (b"<html><body>hello</body></html>", "not XLIFF: the root element is <html>"),
        (
            b'<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en"/>',
            "XLIFF 2",
        ),
        ((HEAD + "</xliff>").encode(), "no <file> element"),
        (
            (
                HEAD + FILE.replace("k3j9x0abcd@r2", "article.html") + f"<body>{UNIT}</body></file></xliff>"
            ).encode(),
            "not an article exported by syndicate",
        ),
        (
            (HEAD + FILE.replace("@r2", "@r0") + f"<body>{UNIT}</body></file></xliff>").encode(),
            "original must be ID@rN",
        ),
        (
            (
                HEAD + FILE.replace(' source-language="en"', "") + f"<body>{UNIT}</body></file></xliff>"
            ).encode(),
            "no source-language",
        ),
        (
            (
                HEAD + FILE.replace(' target-language="ru"', "") + f"<body>{UNIT}</body></file></xliff>"
            ).encode(),
            "no target-language",
        ),
        ((HEAD + FILE + "<body></body></file></xliff>").encode(), "no trans-unit"),
        (
            (HEAD + FILE + f"<body>{UNIT_NO_ID}</body></file></xliff>").encode(),
            "a trans-unit without id",
        ),
        (
            (
                HEAD + FILE + '<body><trans-unit id="t"><target>Б</target></trans-unit></body></file></xliff>'
            ).encode(),
            "trans-unit 't': no <source>",
        ),
        ((HEAD + FILE + f"<body>{UNIT}{UNIT}</body></file></xliff>").encode(), "'t' appears twice"),
        (
            (HEAD + FILE + f"<body>{UNIT_BAD_STATE}</body></file></xliff>").encode(),
            "state 'done' is not an XLIFF 1.2 state",
        ),
        (
            (HEAD + (FILE + f"<body>{UNIT}</body></file>") * 2 + "</xliff>").encode(),
            "the article appears twice",
        ),
    ],
)
def test_xliff_malformed_is_one_line(data: bytes, reason: str) -> None:
    with pytest.raises(ExchangeError) as caught:
        read_xliff(data)
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value)


def test_xliff_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY x SYSTEM "file://{secret}">]>'
        + HEAD.split("?>", 1)[1]
        + FILE
        + '<body><trans-unit id="t"><source>A</source><target>&x;</target></trans-unit></body></file></xliff>'
    ).encode()
    with pytest.raises(ExchangeError, match="entity references"):
        read_xliff(data)
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        + HEAD.split("?>", 1)[1]
        + FILE
        + '<body><trans-unit id="t"><source>A</source><target>&c;</target></trans-unit></body></file></xliff>'
    ).encode()
    with pytest.raises(ExchangeError, match="entity references"):
        read_xliff(laughs)
    tmx = (
        f'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file://{secret}">]>'
        + TMX_HEAD.split("?>", 1)[1]
        + "<body>"
        + TU.replace(">Б<", ">&x;<")
        + "</body></tmx>"
    ).encode()
    with pytest.raises(ExchangeError, match="entity references"):
        read_tmx(tmx)


# --- TMX ------------------------------------------------------------------------------------

T1 = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
T2 = datetime(2024, 6, 1, 8, 0, 5, tzinfo=UTC)
MEMORY = [
    MemoryUnit("Hello & <world>.", "Привет, мир.", "en", "ru", "human", T1, T2),
    MemoryUnit("Good day.", "こんにちは。", "en", "ja", "machine", T1, T1, "argos en-ja", "1.9"),
]


def test_tmx_round_trip() -> None:
    notices: list[str] = []
    assert read_tmx(write_tmx(MEMORY), notices) == MEMORY
    assert notices == []
    assert read_tmx(write_tmx([])) == []


def test_tmx_header_props_and_dates() -> None:
    root = etree.fromstring(write_tmx(MEMORY))
    assert root.get("version") == "1.4"
    header = root.find("header")
    assert (header.get("srclang"), header.get("creationtool")) == ("en", "syndicate")
    first, second = root.findall("body/tu")
    assert (first.get("creationdate"), first.get("changedate")) == ("20240501T123000Z", "20240601T080005Z")
    assert [(p.get("type"), p.text) for p in second.findall("prop")] == [
        ("x-origin", "machine"),
        ("x-model", "argos en-ja"),
        ("x-model-version", "1.9"),
    ]
    # TMX 1.4 content model of <tu>: props before the tuvs.
    assert [child.tag for child in second] == ["prop", "prop", "prop", "tuv", "tuv"]


def test_tmx_read_by_translate_toolkits_own_parser() -> None:
    store = toolkit_tmx.tmxfile.parsestring(write_tmx(MEMORY))
    assert [(u.source, u.target) for u in store.units] == [
        ("Hello & <world>.", "Привет, мир."),
        ("Good day.", "こんにちは。"),
    ]
    assert store.translate("Good day.", "en", "ja") == "こんにちは。"


def test_tmx_dates_in_other_zones_are_written_in_utc() -> None:
    from zoneinfo import ZoneInfo

    local = datetime(2024, 1, 1, 3, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    (unit,) = read_tmx(write_tmx([dataclasses.replace(MEMORY[0], created=local, changed=local)]))
    assert unit.created == datetime(2023, 12, 31, 18, 0, tzinfo=UTC)


def test_tmx_from_another_tool() -> None:
    notices: list[str] = []
    units = read_tmx((DATA / "other-tool.tmx").read_bytes(), notices)
    assert [(u.source, u.target, u.source_language, u.target_language) for u in units] == [
        ("The minister resigned on Tuesday.", "Министр ушёл в отставку во вторник.", "en", "ru"),
        ("Press Enter twice.", "Нажмите Ввод дважды.", "en", "ru"),
        ("Good morning.", "Доброе утро.", "en", "ru"),
        ("Good morning.", "Guten Morgen.", "en", "de"),
        ("Thank you.", "ありがとう。", "en", "ja"),
        ("Bad date.", "Плохая дата.", "en", "ru"),
    ]
    assert {u.origin for u in units} == {"human"}
    assert {u.model for u in units} == {None}
    header_date = datetime(2023, 1, 5, 10, 15, tzinfo=UTC)
    assert (units[0].created, units[0].changed) == (
        datetime(2023, 1, 10, 9, 0, tzinfo=UTC),
        datetime(2023, 1, 11, 10, 0, tzinfo=UTC),
    )
    assert units[1].created == units[1].changed == header_date
    assert units[5].created == header_date
    for expected in (
        "<tu> 2 (tuid '2'): 4 inline code element(s) (bpt/ept/ph/it/ut) dropped",
        "<tu> 5 (tuid '5'): no source or no target segment, left out",
        "<tu> 6 (tuid '6'): date '2023-03-01' is not YYYYMMDDThhmmssZ, ignored",
        "language 'RU-RU' read as 'ru'",
    ):
        assert expected in notices


TMX_HEAD = (
    '<?xml version="1.0"?><tmx version="1.4"><header srclang="en" creationtool="x" segtype="sentence"'
    ' o-tmf="x" adminlang="en" datatype="plaintext"/>'
)
TU = '<tu><tuv xml:lang="en"><seg>A</seg></tuv><tuv xml:lang="ru"><seg>Б</seg></tuv></tu>'
TU_ROBOT = TU.replace("<tu>", '<tu><prop type="x-origin">robot</prop>')


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "not XML"),
        (b"<tmx><header", "not XML"),
        (b"<xliff version='1.2'/>", "not TMX"),
        (b'<tmx xmlns="urn:example" version="1.4"><header/><body/></tmx>', "not TMX"),
        (b'<tmx version="1.4"><body></body></tmx>', "no <header> or <body>"),
        ((TMX_HEAD + "</tmx>").encode(), "no <header> or <body>"),
        (
            (TMX_HEAD.replace(' srclang="en"', "") + f"<body>{TU}</body></tmx>").encode(),
            "<tu> 1: no source language",
        ),
        (
            (TMX_HEAD.replace('srclang="en"', 'srclang="*all*"') + f"<body>{TU}</body></tmx>").encode(),
            "no source language",
        ),
        (
            (TMX_HEAD + f"<body>{TU_ROBOT}</body></tmx>").encode(),
            "x-origin 'robot' is neither human nor machine",
        ),
    ],
)
def test_tmx_malformed_is_one_line(data: bytes, reason: str) -> None:
    with pytest.raises(ExchangeError) as caught:
        read_tmx(data)
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value)


# --- aligned text ---------------------------------------------------------------------------


def test_aligned_round_trip_changes_nothing() -> None:
    doc = article()
    text = write_aligned(doc)
    notices: list[str] = []
    assert read_aligned(text, doc, notices) == doc
    assert notices == []
    assert text.count("\n@@ ") == len(doc.units)
    assert "# en: Read the report now." in text
    assert "coverage 40% below 60%" in text


def test_aligned_edit_of_one_target() -> None:
    doc = article()
    text = write_aligned(doc).replace("Прочтите доклад сейчас.", "Прочтите этот доклад сейчас.")
    edited = read_aligned(text, doc)
    changed = [(old, new) for old, new in zip(doc.units, edited.units, strict=True) if old != new]
    assert len(changed) == 1
    old, new = changed[0]
    assert new.target == "Прочтите этот доклад сейчас."
    assert (new.state, new.origin, new.notes) == ("translated", "human", ())
    # The link moves onto the changed text.
    assert new.target_html == 'Прочтите этот <a href="https://example.org/r?a=1&amp;b=2">доклад</a> сейчас.'


def test_aligned_targets_that_look_like_syntax_are_escaped() -> None:
    doc = Document(
        "k3j9x0abcd",
        1,
        "en",
        "ru",
        (
            Unit("a", "#MeToo grows.", "#MeToo растёт."),
            Unit("b", "@@ odd.", "@@ странно."),
            Unit("c", "Back\\slash.", "\\обратная черта."),
            Unit("d", "Two\nlines.", "Две\nстроки."),
        ),
    )
    text = write_aligned(doc)
    assert "\\#MeToo растёт." in text
    assert read_aligned(text, doc) == doc
    edited = read_aligned(text.replace("\\#MeToo растёт.", "\\#MeToo растёт быстро."), doc)
    assert edited.units[0].target == "#MeToo растёт быстро."
    assert edited.units[1:] == doc.units[1:]


def test_aligned_tolerates_what_editors_do() -> None:
    doc = article()
    text = write_aligned(doc)
    # CRLF line ends, a BOM, extra blank lines and comments, trailing spaces, a deleted block,
    # an emptied target.
    lines = text.splitlines()
    start = lines.index("@@ p1s0")
    lines[start : start + 4] = []
    lines[lines.index("Шторм закрыл дороги")] = ""
    lines.insert(lines.index("@@ p0s0") + 1, "# my own comment")
    crlf = "\ufeff" + "\r\n".join(lines).replace("Строка один два.", "\r\n\r\nСтрока один и два.   \r\n")
    notices: list[str] = []
    edited = read_aligned(crlf, doc, notices)
    by_id = {u.id: u for u in edited.units}
    assert by_id["p0s1"].target == "Строка один и два."
    assert by_id["p0s1"].target_html == "Строка один<br> и два."
    assert by_id["t"] == doc.units[0] and by_id["p1s0"] == doc.units[3]
    assert notices == [
        "segment 't': empty translation, left as it is",
        "segment 'p1s0': block missing, left as it is",
    ]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda t: "stray text\n" + t, "line 1: text outside a segment block"),
        (lambda t: t.replace("@@ p0s0", "@@ p9s9"), "no segment 'p9s9'"),
        (lambda t: t.replace("@@ p0s0", "@@"), "a block without a segment id"),
        (lambda t: t.replace("@@ p0s1", "@@ p0s0"), "segment 'p0s0' appears twice"),
    ],
)
def test_aligned_damaged_structure_names_the_line(change, reason: str) -> None:  # type: ignore[no-untyped-def]
    doc = article()
    text = change(write_aligned(doc))
    with pytest.raises(ExchangeError) as caught:
        read_aligned(text, doc)
    assert reason in str(caught.value)
    assert str(caught.value).startswith("line ")


def test_aligned_damaged_line_number_is_the_right_one() -> None:
    doc = article()
    lines = write_aligned(doc).splitlines()
    number = lines.index("@@ p0s1") + 1
    lines[number - 1] = "@@ nope"
    with pytest.raises(ExchangeError, match=rf"^line {number}: no segment 'nope'"):
        read_aligned("\n".join(lines), doc)


def test_aligned_says_when_demo_models_wrote_the_targets() -> None:
    assert "NOT a translation" in write_aligned(article(), demo=True)
    assert "NOT a translation" not in write_aligned(article())


@pytest.mark.parametrize(
    ("source_html", "target_html"),
    [
        ("<strong>Bold</strong> and <b>b</b>.", "<strong>Жирно</strong> и <b>ж</b>."),
        ("<i>i</i> and <em>em</em>.", "<i>к</i> и <em>курсив</em>."),
        ("Use <code>ls -l</code> now.", "Введите <code>ls -l</code> сейчас."),
        ("H<sub>2</sub>O at 10<sup>3</sup>.", "H<sub>2</sub>O при 10<sup>3</sup>."),
        # Crossing marks are nested by splitting, as syndicate.inline.render does.
        (
            '<a href="https://example.org/">link <em>both</em></a><em> emphasis</em>.',
            '<em>Курсив</em> <a href="https://example.org/">ссылка</a>.',
        ),
        ('Two <a href="https://a.example/">a</a> <a href="https://b.example/">b</a>.', "Два б а."),
    ],
)
def test_xliff_inline_elements_round_trip(source_html: str, target_html: str) -> None:

    source, target = inline.parse(source_html)[0], inline.parse(target_html)[0]
    unit = Unit("p0s0", source, target, source_html=source_html, target_html=target_html)
    doc = dataclasses.replace(article(), units=(unit,))
    (back,) = read_xliff(write_xliff([doc]))
    (read,) = back.units
    assert (read.source, read.target) == (source, target)
    assert read.source_html == inline.render(*inline.parse(source_html))
    expected = inline.render(*inline.parse(target_html)) if inline.parse(target_html)[1] else None
    assert read.target_html == expected


def test_xliff_target_whose_markup_the_editor_removed_is_plain() -> None:
    root = etree.fromstring(write_xliff([article()]))
    target = root.find(".//x:trans-unit[@id='p0s0']/x:target", NS)
    for child in list(target):
        target.remove(child)
    target.text = "Прочтите всё."
    (doc,) = read_xliff(etree.tostring(root))
    unit = {u.id: u for u in doc.units}["p0s0"]
    assert (unit.target, unit.target_html) == ("Прочтите всё.", None)
    assert unit.source_html == article().units[1].source_html


def test_xliff_ids_survive_characters_that_need_escaping() -> None:
    unit = Unit("p0s0 & <b>", "A.", "Б.", markup=True)
    (doc,) = read_xliff(write_xliff([dataclasses.replace(article(), units=(unit,))]))
    assert doc.units == (unit,)


@pytest.mark.parametrize(
    ("visual", "editor", "chosen"),
    [("code -w", "nano", "code -w"), (None, "nano", "nano"), ("", "nano", "nano"), (None, None, "vi")],
)
def test_edit_chooses_the_editor_as_git_does(monkeypatch, visual, editor, chosen) -> None:  # type: ignore[no-untyped-def]
    from syndicate.cli.editing import _editor

    for name, value in (("VISUAL", visual), ("EDITOR", editor)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert _editor() == chosen


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("согласно бюджету", (4, 11), (0, 16)),  # the reviewer's согл<a>асно бюд</a>жету
        ("согласно бюджету", (0, 8), (0, 8)),  # already whole words
        ("a 42nd street", (3, 5), (2, 6)),  # digits and letters are one word
        ("мэр, выступит.", (3, 6), (3, 13)),  # punctuation is an edge; a mid-word end widens
    ],
)
def test_whole_words_widens_a_mark_that_cuts_a_word(text, span, expected) -> None:
    (mark,) = inline.whole_words([inline.Mark(*span, "a", "https://example.org/")], text)
    assert (mark.start, mark.end) == expected
    (br,) = inline.whole_words([inline.Mark(5, 5, "br")], text)
    assert (br.start, br.end) == (5, 5)


def test_aligned_edit_moves_a_link_onto_whole_words_only() -> None:
    doc = article()
    text = write_aligned(doc).replace("Прочтите доклад сейчас.", "Прочтите документ сейчас.")
    (new,) = [u for u in read_aligned(text, doc).units if u.id == "p0s0"]
    html_text, marks = inline.parse(new.target_html or "")
    assert html_text == "Прочтите документ сейчас." and not new.markup
    assert [(html_text[m.start : m.end], m.href) for m in marks] == [
        ("документ", "https://example.org/r?a=1&b=2")
    ]
