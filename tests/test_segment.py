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


def test_no_sentence_ends_inside_a_url_query_or_fragment():
    # Links are masked from pysbd (syndicate/segment.py), so ? ! # & inside one never split.
    cases = {
        "See https://example.org/timetable?line=N4&day=fri#x for times. Next one.": 2,
        "Times at https://example.org/t?Line=N4&Day=Fri! Then go.": 2,
        "Use www.example.com/find?Q=Ships?Yes for it. Done.": 2,
        "Times at example.org/timetable?Line=N4 for all. Next.": 2,
        "Times at (https://example.org/t?line=N4#Top). Next one.": 2,
        "Ask at news@example.org? Yes. Done.": 3,  # a ? after the address still ends its sentence
    }
    for text, count in cases.items():
        found = sentences(text)
        assert len(found) == count and " ".join(found) == text, found
