"""Numbers, amounts and times found again in crafted translations, in every correct form."""

from __future__ import annotations

import pytest

from syndicate.translation.numbers import missing, quantities, scale_words
from syndicate.translation.quality import Segment, check


@pytest.mark.parametrize(
    "source, translation, lang",
    [
        # Separators and decimals.
        ("It cost 1,234.56 in total.", "Всего 1 234,56.", "ru"),
        ("It cost 1,234.56 in total.", "Всего 1\u00a0234,56.", "ru"),  # no-break space, as Babel writes it
        ("It cost 1,234.56 in total.", "Всего 1\u202f234,56.", "ru"),  # narrow no-break space
        ("It cost 1,234.56 in total.", "Всего 1,234.56.", "ru"),  # left in English form
        ("It cost 1,234.56 in total.", "合計1,234.56。", "ja"),
        ("It cost 1,234.56 in total.", "合計１,２３４.５６。", "ja"),  # full-width digits
        ("It cost 1,234.56 in total.", "合計１，２３４．５６。", "ja"),  # full-width marks too
        ("Some 100,000 people came.", "Пришли 100 000 человек.", "ru"),
        ("Some 100,000 people came.", "10万人が来た。", "ja"),
        # Scales.
        ("It cost $1.2 million.", "Это стоило 1,2 млн долларов.", "ru"),
        ("It cost $1.2 million.", "Это стоило 1,2 миллиона долларов.", "ru"),
        ("It cost $1.2 million.", "Это стоило 1,2 миллионами долларов.", "ru"),  # any case ending
        ("It cost $1.2 million.", "120万ドルかかった。", "ja"),
        ("It cost $1.2 million.", "１２０万ドルかかった。", "ja"),
        ("It cost $1.2bn.", "12億ドルかかった。", "ja"),
        ("It cost £3m.", "300万ポンドかかった。", "ja"),
        ("Some 12,000 came.", "1万2000人が来た。", "ja"),
        ("It cost 300 million yen.", "3億円かかった。", "ja"),
        ("It cost 350 million yen.", "3億5000万円かかった。", "ja"),
        ("It cost 2.4 billion.", "Это стоило 2,4 млрд.", "ru"),
        # Currency amounts.
        ("A ticket costs €30.", "Билет стоит 30 €.", "ru"),
        ("A ticket costs £4.50.", "Билет стоит 4,50 £.", "ru"),
        ("A ticket costs £4.50.", "切符は4.5ポンド。", "ja"),
        # Times.
        ("It opens at 14:30.", "Открытие в 14:30.", "ru"),
        ("It opens at 14:30.", "14時30分に開く。", "ja"),
        ("It opens at 14:30.", "午後2時半に開く。", "ja"),
        ("It opens at 9.30am.", "Открытие в 9:30.", "ru"),
        ("It opens at 9.30am.", "午前9時30分に開く。", "ja"),
        ("It opens at 9 p.m.", "Открытие в 21:00.", "ru"),
        ("It opens at 9 p.m.", "Открытие в 9 часов вечера.", "ru"),
        ("It opens at 9pm.", "午後9時に開く。", "ja"),
        ("It opens at 14.30 daily.", "Открытие в 14:30.", "ru"),  # British style
        # Each occurrence counts, in any order.
        ("From 5 to 5,000 and 5 again.", "5, 5 и 5 000.", "ru"),
    ],
)
def test_correct_localised_forms_pass(source, translation, lang):
    assert missing(source, translation, lang) == []


@pytest.mark.parametrize(
    "source, translation, lang, absent",
    [
        ("It cost 1,234.56 in total.", "Всего 1 234,65.", "ru", ["1,234.56"]),  # digits swapped
        ("It cost 1,234.56 in total.", "Всего 123 456.", "ru", ["1,234.56"]),  # decimal mark lost
        ("It cost $1.2 million.", "12万ドルかかった。", "ja", ["1.2 million"]),  # a tenth of it
        ("It cost $1.2 million.", "1200万ドルかかった。", "ja", ["1.2 million"]),  # ten times it
        ("It cost $1.2 million.", "Это стоило 1,2 млрд долларов.", "ru", ["1.2 million"]),
        ("It cost 350 million yen.", "3億円かかった。", "ja", ["350 million"]),
        ("A ticket costs £4.50.", "Билет стоит 4 £.", "ru", ["4.50"]),
        ("It opens at 14:30.", "Открытие в 14:50.", "ru", ["14:30"]),
        ("It opens at 9.30am.", "午後9時30分に開く。", "ja", ["9.30am"]),  # p.m. for a.m.
        ("From 5 to 5,000 and 5 again.", "5 и 5 000.", "ru", ["5"]),
        ("Some 400 passengers and 60 cars.", "Около 400 пассажиров и машины.", "ru", ["60"]),
    ],
)
def test_wrong_or_missing_numbers_are_caught(source, translation, lang, absent):
    assert missing(source, translation, lang) == absent


def test_scale_words_come_from_cldr():
    assert scale_words("ru")["млн"] == 6 and scale_words("ru")["тыс."] == 3
    assert scale_words("ja")["万"] == 4 and scale_words("ja")["億"] == 8
    assert scale_words("de")["mio."] == 6
    assert scale_words("xx-unknown")["million"] == 6  # an unknown locale: English words only


def test_metres_and_tonnes_are_not_scales():
    # "m" is a million only after a currency sign; CLDR's short English "T" (trillion) is left out.
    assert [sorted(q.keys)[0] for q in quantities("a 3m wall and 5 t of sand")] == [("m", 3), ("m", 5)]


def test_the_gate_uses_values(monkeypatch):
    source = "It cost $1.2 million at 14:30."
    good = Segment(source, source, "120万ドル 14時30分", "120万ドル、14時30分。")
    bad = Segment(source, source, "12万ドル 14時", "12万ドル、14時。")
    assert [i.check for i in check([good], "ja") if i.check == "number"] == []
    assert [i.detail.split(" missing")[0] for i in check([bad], "ja") if i.check == "number"] == [
        "1.2 million",
        "14:30",
    ]


@pytest.mark.parametrize("text", ["", "1,23,4", "..,,", "９" * 500, "1" * 5000, "午後99時", "12:99"])
def test_odd_text_never_raises(text):
    missing(text, text, "ja")
    missing(text, text, "ru")
