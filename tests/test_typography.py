import pytest

from syndicate.translation.glossary import GlossaryError, load
from syndicate.translation.placeholders import protect
from syndicate.translation.typography import NBSP, polish


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


def test_other_languages_untouched():
    assert polish("He said “hi” - ok", "de") == "He said “hi” - ok"


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
