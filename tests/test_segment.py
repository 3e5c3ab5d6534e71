from syndicate.segment import sentences
from syndicate.translation.typography import join_sentences


def test_abbreviations_do_not_split():
    text = "Dr. Elena Sato warned the U.S.-based lender. Mr. Borisov built it himself."
    assert sentences(text) == [
        "Dr. Elena Sato warned the U.S.-based lender.",
        "Mr. Borisov built it himself.",
    ]


def test_quotes_stay_with_their_sentence():
    text = "“We listened,” she said. “The span will open.”"
    assert sentences(text) == ["“We listened,” she said.", "“The span will open.”"]


def test_whitespace_only_gives_nothing():
    assert sentences("  \n ") == []


def test_japanese_joins_without_spaces_russian_with():
    assert join_sentences("ja", ["一。", "二。"]) == "一。二。"
    assert join_sentences("ru", ["Один.", "Два."]) == "Один. Два."
