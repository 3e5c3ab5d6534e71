import pytest

from syndicate.languages import UnknownLanguage
from syndicate.translation.glossary import GlossaryError, load
from syndicate.translation.placeholders import protect
from syndicate.translation.typography import NBSP, compose, polish


def test_russian_quotes_nested_and_dash():
    assert (
        polish("Он сказал: “Это ‘наш’ мост” - и ушёл.", "ru") == f"Он сказал: «Это „наш“ мост»{NBSP}— и ушёл."
    )
    assert polish('"Мы слушали", сказала она.', "ru") == "«Мы слушали», сказала она."


def test_apostrophes_are_not_quotes():
    assert polish("It’s O’Brien’s “boat”", "ru") == "It’s O’Brien’s «boat»"


def test_japanese_corner_quotes_without_spaces():
    assert (
        polish("彼は “これは ‘私たちの’ 橋だ” と言った。", "ja") == "彼は「これは『私たちの』橋だ」と言った。"
    )


def test_german_and_spanish_styles():
    assert polish("Er sagte “hi” - ok", "de") == "Er sagte „hi“ – ok"
    # Spanish writes a spaced dash as a raya (em dash), RAE Ortografía 3.4.7.
    assert polish('Dijo "hola" - bien', "es") == "Dijo «hola» — bien"
    assert polish("他说 “你好, ‘朋友’” .", "zh") == "他说“你好，‘朋友’”。"


def test_unknown_language_is_refused():
    with pytest.raises(UnknownLanguage, match="unknown language 'fr'"):
        polish("“x”", "fr")


@pytest.mark.parametrize(
    "lang, sentences, paragraph",
    [
        # A quotation over three sentences: each sentence alone has only one of its marks.
        (
            "ru",
            ['"Мост откроют.', "Это решено.", 'Точно", сказал он.'],
            "«Мост откроют. Это решено. Точно», сказал он.",
        ),
        ("de", ["“Die Brücke kommt.", "Sicher.”"], "„Die Brücke kommt. Sicher.“"),
        ("ja", ['"橋を作る.', '決まった" と彼は言った.'], "「橋を作る。決まった」と彼は言った。"),
        ("zh", ["“桥会建成.", "这是决定.”"], "“桥会建成。这是决定。”"),
    ],
)
def test_paragraphs_are_polished_whole(lang, sentences, paragraph):
    assert compose(lang, sentences) == paragraph


def test_placeholders_avoid_numbers_in_the_text_and_restore():
    protected = protect("Visit https://a.org/x?y=1 in 7301.", "ru", load(None))
    assert "https" not in protected.text and "7301" in protected.text
    placeholder = protected.slots[0][0]
    assert placeholder != "7301"
    text, lost = protected.restore(f"Посетите {placeholder} в 7301.")
    assert text == "Посетите https://a.org/x?y=1 в 7301." and lost == []
    assert protected.restore("Посетите в 7301.")[1] == ["https://a.org/x?y=1"]


def test_glossary_file(tmp_path):
    path = tmp_path / "glossary.toml"
    path.write_text(
        '[terms."Kuril Islands"]\nru = "Курильские острова"\n[terms.NASA]\nkeep = true\n', "utf-8"
    )
    glossary = load(path)
    assert [t.source for t in glossary.terms] == ["Kuril Islands", "NASA"]
    spans = glossary.matches("NASA saw the Kuril Islands.", "ja")
    assert [m.entry for m in spans] == ["NASA"]  # no ja rendering: the model may translate it
    path.write_text('[terms."X"]\n', "utf-8")
    with pytest.raises(GlossaryError, match="needs renderings or keep"):
        load(path)
