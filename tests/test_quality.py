"""Each check of the quality gate, on crafted model outputs."""

from __future__ import annotations

import pytest

from syndicate.translation.quality import Segment, check

SOURCE = "The ferry will carry up to 400 passengers and 60 cars from April 2012."
GOOD_RU = "Паром будет перевозить до 400 пассажиров и 60 автомобилей с апреля 2012 года."


def seg(output: str, source: str = SOURCE, final: str | None = None, lost=()) -> Segment:
    return Segment(source, source, output, output if final is None else final, tuple(lost))


def checks(segments, lang):
    return {issue.check for issue in check(segments, lang)}


def test_good_output_passes():
    assert checks([seg(GOOD_RU)], "ru") == set()
    ja_source = "The ferry will carry 400 passengers and 60 cars in 2012."
    assert checks([seg("フェリーは2012年に400人の乗客と60台の車を運ぶ。", source=ja_source)], "ja") == set()


@pytest.mark.parametrize(
    "output, lang",
    [
        ("Паром паром паром паром паром будет 400 60 2012.", "ru"),
        ("Паром будет перевозить до до до до до 400 пассажиров 60 2012.", "ru"),
        ("フェリーはははははははは400人60台2012年。", "ja"),
        ("フェリーが来るフェリーが来るフェリーが来るフェリーが来るフェリーが来る400 60 2012", "ja"),
    ],
)
def test_loops(output, lang):
    assert "loop" in checks([seg(output)], lang)


def test_length_out_of_bounds():
    assert "length" in checks([seg("Паром 400 60 2012.")], "ru")
    assert "length" in checks([seg(GOOD_RU * 4)], "ru")
    assert "length" not in checks([seg("Да.", source="Yes.")], "ru")  # too short to judge


def test_wrong_script():
    assert "script" in checks([seg("Паромは2012年4月から最大400人の乗客と60台の車を運ぶ")], "ru")
    assert "script" in checks([seg("Паром будет перевозить 400 пассажиров и 60 машин с 2012 года.")], "ja")


def test_untranslated_leftovers():
    assert "untranslated" in checks([seg("Паром will carry up to 400 passengers and 60 cars 2012.")], "ru")
    assert "untranslated" in checks([seg(SOURCE)], "ru")
    assert "untranslated" in checks([seg(SOURCE)], "de")  # output equal to input, any language


def test_missing_numbers():
    issues = check([seg("Паром будет перевозить до 400 пассажиров и машины с апреля 2012 года.")], "ru")
    assert [i.detail.split()[0] for i in issues if i.check == "number"] == ["60"]


def test_numbers_in_local_formats_count():
    source = "It cost 2.4 billion and 100,000 people came."
    assert "number" not in checks(
        [seg("Это стоило 2,4 миллиарда, пришли 100 000 человек.", source=source)], "ru"
    )


def test_lost_protected_text():
    issues = check([seg(GOOD_RU, lost=["https://example.org"])], "ru")
    assert [i.check for i in issues] == ["protected"]
