"""Where inline marks meet words the model must not change: protected spans, glossary terms,
and marks nested in one another (used by translation/inline.py).

A ``<code>`` element's words, and those of a ``<sup>``/``<sub>`` without a letter, go past the
model verbatim (:func:`kept`). No mark edge may fall inside such a span or inside a glossary
term, since the model gets one placeholder for all of it: an edge there moves to the span's
edge (:func:`widened`), recorded for the gate. After the model, marks the source nests are kept
nested (:func:`nested`).
"""

from __future__ import annotations

from syndicate.inline import BR, Mark


def kept(source: str, mark: Mark) -> bool:
    """Whether ``mark``'s words go past the model verbatim: a ``<code>`` element, and a
    ``<sup>``/``<sub>`` without a letter (an exponent, a footnote number, a chemical index; a
    ``1<sup>st</sup>`` is translated). Models normalise superscript digits (SentencePiece's
    NFKC) and would glue them to the number before them."""
    words = source[mark.start : mark.end]
    return mark.tag == "code" or (mark.tag in ("sup", "sub") and not any(c.isalpha() for c in words))


def atomic(source: str, marks: list[Mark], terms: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Spans of ``source`` no placeholder may fall inside, (start, end, what) without the
    whitespace at their edges: the kept marks' words (:func:`kept`), then the glossary
    ``terms`` that do not overlap them (the placeholder of a term replaces all of it)."""
    spans: list[tuple[int, int, str]] = []
    for mark in marks:
        if mark.tag != BR and kept(source, mark):
            words = source[mark.start : mark.end]
            start = mark.start + len(words) - len(words.lstrip())
            end = mark.end - (len(words) - len(words.rstrip()))
            if start < end and not any(s < end and start < e for s, e, _ in spans):
                spans.append((start, end, f"<{mark.tag}> {words.strip()[:30]!r}"))
    for start, end, what in terms:
        if not any(s < end and start < e for s, e, _ in spans):
            spans.append((start, end, what))
    return spans


def widened(
    source: str, marks: list[Mark], spans: list[tuple[int, int, str]]
) -> tuple[list[Mark], list[str]]:
    """``marks`` with every edge that falls strictly inside one of ``spans`` moved to that
    span's edge (an opening and a line break to its start, a closing to its end), so the mark
    goes around the whole span: what the model gets there is one placeholder (a code span, a
    glossary term's rendering), and a mark edge cannot be inside it. One problem per mark moved."""
    result: list[Mark] = []
    notes: list[str] = []
    for mark in marks:
        start, end = mark.start, mark.end
        for s, e, what in spans:
            if s < start < e:
                start = s if mark.tag != BR else e
                end = max(end, start)
            if s < end < e and mark.tag != BR:
                end = e
            if (start, end) != (mark.start, mark.end):
                words = source[mark.start : mark.end].strip() or "<br>"
                notes.append(f"<{mark.tag}> around {words[:30]!r} widened to the whole of {what}")
                break
        result.append(Mark(start, end, mark.tag, mark.href))
    return result, notes


def nested(source: tuple[Mark, ...], placed: list[Mark], final: str, problems: list[str]) -> list[Mark]:
    """``placed`` (one per ``source`` mark) with each mark the source nests in another kept
    inside it, as the source had it: a model that puts the closing placeholders of
    ``<em><a>...</a></em>`` in another order would otherwise make the elements cross, and
    rendering would split the link in two (same target twice). Of two marks over the same
    source words the earlier is the outer one (syndicate/inline.py's parse order). A mark
    that ends up with none of its outer mark's words gets all of them. Recorded when words
    (not only spaces) left the inner mark."""
    result = list(placed)
    for inner, mark in enumerate(source):
        if mark.tag == BR:
            continue
        for outer in range(len(source)):
            other = source[outer]
            if (
                outer == inner
                or other.tag == BR
                or not (other.start <= mark.start and mark.end <= other.end)
                or ((other.start, other.end) == (mark.start, mark.end) and outer > inner)
            ):
                continue
            a, b = result[outer], result[inner]
            start, end = max(a.start, b.start), min(a.end, b.end)
            if start >= end:
                start, end = a.start, a.end
            if final[b.start : b.end].strip() != final[start:end].strip():
                problems.append(f"<{b.tag}> kept inside <{a.tag}>, as in the source")
            result[inner] = Mark(start, end, b.tag, b.href)
    return result
