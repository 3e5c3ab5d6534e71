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


def test_a_repeated_placeholder_and_a_placeholder_where_a_number_was():
    from syndicate.translation.glossary import EMPTY
    from syndicate.translation.placeholders import protect

    source = "The fund paid 7,301 euros, see https://fund.example.org/report for details."
    protected = protect(source, "ru", EMPTY)
    code = protected.slots[0][0]
    # The model put the placeholder where the number was, and again where the URL goes.
    output = f"Фонд заплатил {code} евро, подробнее см. {code}."
    final, lost = protected.restore(output)
    segment = Segment(source, protected.text, output, final, tuple(lost),
                      repeated=tuple(protected.repeated(output)))  # fmt: skip
    found = {(i.check, i.detail.split()[0]) for i in check([segment], "ru")}
    assert ("number", "7,301") in found  # the URL stands where the number was
    assert any(c == "protected" for c, _ in found)
    # Copied once, in its place: nothing to report.
    good = f"Фонд заплатил 7301 евро, подробнее см. {code}."
    final, lost = protected.restore(good)
    clean = Segment(
        source, protected.text, good, final, tuple(lost), repeated=tuple(protected.repeated(good))
    )
    assert check([clean], "ru") == []


@pytest.mark.parametrize(
    "output",
    [
        "The New York Times сообщила, что паром будет перевозить 400 пассажиров и 60 машин с 2012 года.",
        "По данным Bank of England, паром будет перевозить 400 пассажиров и 60 машин с 2012 года.",
        "Паром Port Authority Of Sydney NSW будет перевозить 400 пассажиров и 60 машин с 2012 года.",
        "「The Wall Street Journal」によると、フェリーは2012年に400人の乗客と60台の車を運ぶ。",
    ],
)
def test_a_proper_name_in_title_case_is_not_untranslated_english(output):
    lang = "ja" if "フェリー" in output else "ru"
    source = SOURCE if lang == "ru" else "The ferry will carry 400 passengers and 60 cars in 2012."
    assert "untranslated" not in checks([seg(output, source=source)], lang)


@pytest.mark.parametrize(
    "output",
    [
        "The New York Times said the ferry will carry 400 passengers and 60 cars from 2012.",
        "Паром will Carry Up to 400 пассажиров и 60 машин с 2012 года.",
        "По словам The Guardian, the ferry will carry 400 пассажиров и 60 машин с 2012 года.",
        "of the Bank паром будет перевозить 400 пассажиров и 60 машин с 2012 года.",  # joiners at an edge
    ],
)
def test_english_beside_or_without_names_is_still_caught(output):
    assert "untranslated" in checks([seg(output)], "ru")


@pytest.mark.parametrize(
    ("source", "output", "lang"),
    [
        ("It cost $1.2 billion.", "Costó 1,2 mil millones de dólares.", "es"),
        ("It cost $1.2 billion.", "Costó 1,2 millardos de dólares.", "es"),
        ("It cost $1.2 billion.", "Costó 1.200 millones de dólares.", "es"),
        ("About 12,000 people came.", "約1万2千人が来た。", "ja"),
        ("About 12,500 people came.", "約1万2千5百人が来た。", "ja"),
        ("About 2,000 people came.", "約2千人が来た。", "ja"),
        ("About 12,000 people came.", "约1万2千人来了。", "zh"),
    ],
)
def test_long_scale_and_small_cjk_units_count(source, output, lang):
    from syndicate.translation.numbers import missing

    assert missing(source, output, lang) == []
    # A wrong value in the same form is still caught.
    wrong = output.replace("1,2", "1,3").replace("1.200", "1.300").replace("2千", "3千")
    assert wrong != output and missing(source, wrong, lang) != []
