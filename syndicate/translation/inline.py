"""Inline markup through the model: placeholders at the marked words, restored after it.

A paragraph's marks (links, emphasis, code, sup/sub, line breaks: :mod:`syndicate.inline`) are
cut at its sentences, the segments the model translates: a mark spanning a sentence boundary
becomes one mark per sentence, joined again after translation where only whitespace separates
the pieces. Inside a sentence each boundary of a mark is a placeholder number (from FIRST_CODE
up, absent from the sentence), which translation models and the demo models copy through as they
copy numbers (see placeholders.py, which hides URLs and glossary terms the same way, after this
module). A mark over the whole sentence, and a line break at its start or end, need no
placeholder: they are put back around the translated sentence.

The words of a ``<code>`` element, and of a ``<sup>``/``<sub>`` without a letter (an exponent,
a footnote number), never go to the model: they are a ``keep`` span of placeholders.protect,
restored byte for byte, and the mark goes exactly around them. No mark edge may fall inside
such a span or inside a glossary term (found on the plain sentence, so markup does not hide
it): an edge there moves to the span's edge, so the mark goes around the whole code span or
term rendering, and that is recorded (``markup``). Marks the source nests stay nested in the
output (a model that swaps closing placeholders would otherwise split a link in two).

After the model, each placeholder becomes a private-use character that rides through the
restoring of protected text and the language's typography, and is then read off as an offset
in the final sentence (moved by a character alignment where typography changed characters).
The model may drop, repeat or move a placeholder; then:

- repeated: the first copy of an opening one (of a closing one, the first after its opening
  one) is kept, the others removed;
- a mark whose words come out verbatim (names, numbers, code, which models copy) goes around
  those words, also when the model moved its placeholders elsewhere;
- a mark with one boundary left goes over as many words from it as the source span had;
- otherwise a span goes around the whole sentence, and a line break goes where its share of the
  sentence puts it, at the next space.

Each of these is a ``markup`` issue of the quality gate (the translation is held for a person to
look at, like a lost URL), and no text is ever lost for it: placeholders are removed, never the
words around them. The link target (``href``) never goes to the model.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from syndicate.inline import BR, Mark, merged, parse, render, scripted
from syndicate.translation import quality
from syndicate.translation.glossary import EMPTY, Glossary
from syndicate.translation.inline_spans import atomic, kept, nested, widened
from syndicate.translation.placeholders import free_codes
from syndicate.translation.typography import join_sentences

FIRST_CODE = 8101
ISSUE = "markup"
# Closing punctuation no space goes before, whatever placeholder stood there.
_CLOSING = frozenset(".,;:!?)]}»”’…。、」』")
_MARKER = 0xF0000  # plane 15 private use: the marker of slot i is _MARKER + i


@dataclass(frozen=True)
class _Slot:
    """One placeholder: its number, the mark it belongs to (index into ``Sentence.marks``), its
    role (open, close, br) and whether the source had whitespace before and after it."""

    code: str
    mark: int
    role: str
    space_before: bool
    space_after: bool


@dataclass(frozen=True)
class Sentence:
    """One segment's markup: the plain ``source``, ``text`` with placeholders (what goes on to
    placeholders.protect and the model), its marks (offsets in ``source``) and the slots."""

    source: str
    text: str
    marks: tuple[Mark, ...]
    slots: tuple[_Slot, ...]
    # Offsets in ``text`` of the words to keep verbatim (placeholders.protect's ``keep``).
    keep: tuple[tuple[int, int], ...] = ()
    # Marks widened to a whole code span or glossary term (see inline_spans.widened), for the gate.
    notes: tuple[str, ...] = ()

    def carry(self, output: str) -> Carried:
        """The model's ``output`` with each kept placeholder as a marker character (repeats
        removed); the problems found (dropped, repeated placeholders, and the ``notes``)."""
        problems: list[str] = list(self.notes)
        cuts: list[tuple[int, int, str]] = []
        starts: dict[int, int] = {}  # mark -> where its kept opening placeholder is
        for index, slot in enumerate(self.slots):
            found = list(re.finditer(r"\s*(?<!\d)" + slot.code + r"(?!\d)", output))
            what = self._name(slot)
            if not found:
                problems.append(f"the model dropped the placeholder of {what}")
                continue
            # A repeated closing one: its first copy after the kept opening one.
            opened = starts.get(slot.mark, -1)
            keep = (
                next((m for m in found if m.start() > opened), found[0]) if slot.role == "close" else found[0]
            )
            starts[slot.mark] = keep.start()
            if len(found) > 1:
                problems.append(f"the model repeated the placeholder of {what}: one kept")
            for match in found:
                cuts.append((match.start(), match.end(), chr(_MARKER + index) if match is keep else ""))
        for start, end, marker in sorted(cuts, reverse=True):
            gap = output[start:end]
            spaces = gap[: len(gap) - len(gap.lstrip())]
            if not marker:  # a repeat goes with the space before it, unless it stood between words
                glue = end < len(output) and not output[end].isspace() and output[end] not in _CLOSING
                spaces = " " if spaces and start > 0 and glue else ""
            output = output[:start] + spaces + marker + output[end:]
        return Carried(self, output, problems)

    def _name(self, slot: _Slot) -> str:
        mark = self.marks[slot.mark]
        return (
            f"<{mark.tag}> around {self.source[mark.start : mark.end][:30]!r}" if mark.tag != BR else "<br>"
        )


@dataclass(frozen=True)
class Carried:
    """Model output with markers for the placeholders that came back (see :meth:`Sentence.carry`)."""

    sentence: Sentence
    text: str
    problems: list[str]

    def finish(
        self, restored: str, polish: Callable[[str], str], restore: Callable[[str], str] | None = None
    ) -> tuple[str, list[Mark], list[str]]:
        """The final sentence, its marks and every problem, from ``restored`` (this text, after
        placeholders.restore unless ``restore`` is given): markers read off (whitespace inside a
        mark removed, and outside where the source had none), ``polish`` (the language's
        typography) applied to the text without them, offsets moved by alignment, then
        ``restore`` (placeholders.restore) applied with the markers in place, so a mark edge
        beside a protected span stays exactly at its edge; then missing or misplaced marks
        placed as the module docstring says. The final text is stripped; marks are offsets in
        it."""
        slots = self.sentence.slots
        for index, slot in enumerate(slots):
            marker = chr(_MARKER + index)
            # Inside the mark no whitespace; outside, the model's, unless the source had none.
            before = slot.space_before and slot.role != "close"
            after = slot.space_after and slot.role != "open"
            found = re.search(rf"(\s*){re.escape(marker)}(\s*)", restored)
            if found:
                left, right = found.group(1) if before else "", found.group(2) if after else ""
                if found.end() == len(restored) or restored[found.end()] in _CLOSING:
                    left = right = ""  # no space before "." or at the end, wherever the mark went
                elif left and right:
                    right = ""  # one space between the words, not two
                restored = restored[: found.start()] + left + marker + right + restored[found.end() :]
        bare: list[str] = []
        at: dict[int, int] = {}
        for char in restored:
            if _MARKER <= ord(char) < _MARKER + len(slots):
                at[ord(char) - _MARKER] = len(bare)
            else:
                bare.append(char)
        plain = "".join(bare)
        final = polish(plain)
        if final != plain:
            at = {i: _moved(plain, final, offset) for i, offset in at.items()}
        if restore is not None:
            final, at = _through(final, at, restore)
        lead = len(final) - len(final.lstrip())
        final = final.strip()
        at = {i: min(max(0, offset - lead), len(final)) for i, offset in at.items()}
        problems = list(self.problems)
        marks = [self._place(k, mark, final, at, problems) for k, mark in enumerate(self.sentence.marks)]
        marks = nested(self.sentence.marks, marks, final, problems)
        # Digits a moved <sup>/<sub> landed on take the plain text's form (syndicate/inline.py).
        return scripted(final, marks), marks, problems

    def _place(self, k: int, mark: Mark, final: str, at: dict[int, int], problems: list[str]) -> Mark:
        """Where mark ``k`` goes in ``final``, given the slot offsets ``at`` (see the module
        docstring); problems appended."""
        source = self.sentence.source
        mine = {slot.role: at.get(i) for i, slot in enumerate(self.sentence.slots) if slot.mark == k}
        if mark.tag == BR:
            if mark.start in (0, len(source)):
                return Mark(0 if mark.start == 0 else len(final), 0 if mark.start == 0 else len(final), BR)
            offset = mine.get("br")
            if offset is None:
                offset = _next_space(final, round(mark.start / len(source) * len(final)))
                problems.append("<br> placed by its share of the sentence")
            return Mark(offset, offset, BR)
        start = 0 if mark.start == 0 else mine.get("open")
        end = len(final) if mark.end == len(source) else mine.get("close")
        words = source[mark.start : mark.end].strip()
        verbatim = (
            [m.start() for m in re.finditer(re.escape(words), final)]
            if any(c.isalnum() for c in words)
            else []
        )
        if verbatim and kept(source, mark):
            # Its words came back byte for byte (a protected span): the mark is exactly them,
            # whatever the model wrote beside its placeholders.
            inside = [v for v in verbatim if start is not None and end is not None and start <= v < end]
            found = (inside or verbatim)[0] if inside or len(verbatim) == 1 else None
            if found is not None:
                if not inside:
                    problems.append(f"<{mark.tag}> around {words[:30]!r} moved back to those words")
                return Mark(found, found + len(words), mark.tag, mark.href)
        if start is not None and end is not None and start < end:
            if len(verbatim) == 1 and not start <= verbatim[0] < end and len(words) > 1:
                problems.append(f"<{mark.tag}> around {words[:30]!r} moved back to those words")
                return Mark(verbatim[0], verbatim[0] + len(words), mark.tag, mark.href)
            return Mark(start, end, mark.tag, mark.href)
        if verbatim:
            known = start if start is not None else end if end is not None else 0
            found = min(verbatim, key=lambda v: abs(v - known))
            problems.append(f"<{mark.tag}> around {words[:30]!r} placed on the same words in the output")
            return Mark(found, found + len(words), mark.tag, mark.href)
        count = len(words.split())
        if start is not None and start < len(final) and " " in final:
            problems.append(f"<{mark.tag}> around {words[:30]!r} placed over {count} word(s) after its start")
            return Mark(start, _after_words(final, start, count), mark.tag, mark.href)
        if end is not None and end > 0 and " " in final:
            problems.append(f"<{mark.tag}> around {words[:30]!r} placed over {count} word(s) before its end")
            return Mark(_before_words(final, end, count), end, mark.tag, mark.href)
        problems.append(f"<{mark.tag}> around {words[:30]!r} put around the whole sentence")
        return Mark(0, len(final), mark.tag, mark.href)


def _through(text: str, at: dict[int, int], change: Callable[[str], str]) -> tuple[str, dict[int, int]]:
    """``change`` applied to ``text`` with slot ``i``'s marker at offset ``at[i]`` (slots at one
    offset in their order), and the offsets read off the result again. ``change`` must keep
    the markers (placeholders.restore does: they are no digits)."""
    pieces: list[str] = []
    last = 0
    for i, offset in sorted(at.items(), key=lambda pair: (pair[1], pair[0])):
        pieces += [text[last:offset], chr(_MARKER + i)]
        last = offset
    changed = change("".join(pieces) + text[last:])
    bare: list[str] = []
    moved: dict[int, int] = {}
    for char in changed:
        if ord(char) - _MARKER in at:
            moved[ord(char) - _MARKER] = len(bare)
        else:
            bare.append(char)
    return "".join(bare), moved


def _moved(old: str, new: str, offset: int) -> int:
    """``offset`` in ``old`` as an offset in ``new``, by a character alignment (difflib); an
    offset in changed characters goes to the start of the next unchanged ones."""
    for a, b, size in difflib.SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks():
        if offset < a:
            return b
        if offset <= a + size:
            return b + offset - a
    return len(new)


def _next_space(text: str, offset: int) -> int:
    """The offset after the first space at or after ``offset`` (``offset`` itself when none)."""
    found = text.find(" ", offset)
    return found + 1 if 0 <= found < len(text) - 1 else min(offset, len(text))


def _after_words(text: str, start: int, count: int) -> int:
    """The end of the ``count``-th word from ``start`` (the text's end when fewer follow)."""
    words = list(re.finditer(r"\S+", text[start:]))
    return start + words[min(count, len(words)) - 1].end() if words else len(text)


def _before_words(text: str, end: int, count: int) -> int:
    """The start of the ``count``-th word before ``end`` (0 when fewer precede)."""
    words = list(re.finditer(r"\S+", text[:end]))
    return words[-min(count, len(words))].start() if words else 0


def split(
    text: str, fragment: str | None, sentences: list[str], glossary: Glossary = EMPTY, lang: str = ""
) -> list[Sentence | None]:
    """One entry per sentence of ``sentences`` (cut from ``text``, as segment.sentences gives
    them): its :class:`Sentence` when the paragraph's ``fragment`` puts marks in it, else None.
    A sentence not found in ``text`` in order gets None (its markup is lost, never its text).
    ``glossary`` terms with a rendering in ``lang`` are found in each sentence's plain text, so
    a mark edge inside a term does not hide it (see inline_spans.atomic)."""
    if not fragment:
        return [None] * len(sentences)
    own, marks = parse(fragment)
    if own != text:
        return [None] * len(sentences)
    begins: list[int] = []
    cursor = 0
    for sentence in sentences:
        begin = text.find(sentence, cursor)
        begins.append(begin)
        cursor = begin + len(sentence) if begin >= 0 else cursor
    result: list[Sentence | None] = []
    for i, (sentence, begin) in enumerate(zip(sentences, begins, strict=True)):
        end = begin + len(sentence)
        following = next((b for b in begins[i + 1 :] if b >= 0), len(text) + 1)
        inside = [
            Mark(max(m.start, begin) - begin, min(m.end, end) - begin, m.tag, m.href)
            for m in marks
            if m.tag != BR and m.start < end and m.end > begin
        ]
        # A line break belongs to the sentence it falls in, or before which it falls.
        inside += [
            Mark(min(m.start, end) - begin, min(m.start, end) - begin, BR)
            for m in marks
            if m.tag == BR and begin <= m.start < following
        ]
        if not inside or begin < 0:
            result.append(None)
            continue
        terms = [(m.start, m.end, f"the glossary term {m.seen!r}") for m in glossary.matches(sentence, lang)]
        result.append(_hide(sentence, inside, terms))
    return result


def _hide(source: str, marks: list[Mark], terms: Sequence[tuple[int, int, str]] = ()) -> Sentence:
    """The sentence with a placeholder at each boundary of ``marks`` inside it (see the module
    docstring); numbers from FIRST_CODE up that occur in ``source`` in no form
    (placeholders.free_codes). Mark edges inside a kept span or a glossary term are moved to
    its edges first (inline_spans.widened); the kept spans' offsets in the text are ``keep``."""
    spans = atomic(source, marks, list(terms))
    marks, notes = widened(source, marks, spans)
    # At one offset closes, then breaks, then opens; inner marks close first and outer ones
    # open first, as elements nest; of two marks over the same words, the kept one (code) is
    # inner, then the later one, so opening and closing orders mirror each other.
    events: list[tuple[int, int, int, int, int, int, str]] = []
    for k, mark in enumerate(marks):
        if mark.tag == BR:
            if 0 < mark.start < len(source):
                events.append((mark.start, 1, 0, 0, k, k, "br"))
            continue
        rank = 1 if kept(source, mark) else 0
        if mark.start > 0:
            events.append((mark.start, 2, -mark.end, rank, k, k, "open"))
        if mark.end < len(source):
            events.append((mark.end, 0, -mark.start, -rank, -k, k, "close"))
    codes = free_codes(FIRST_CODE, source)
    text = ""
    slots: list[_Slot] = []
    last = 0
    opened: dict[int, int] = {k: 0 for k, m in enumerate(marks) if m.start == 0}
    closed: dict[int, int] = {}
    for offset, *_, k, role in sorted(events):
        code = next(codes)
        before = offset > 0 and source[offset - 1].isspace()
        after = offset < len(source) and source[offset].isspace()
        text += source[last:offset]
        if role == "close":
            closed[k] = len(text)
        # A placeholder stands apart from the words around it, so it stays one number.
        text += ("" if not text or text[-1].isspace() else " ") + code
        text += " " if offset < len(source) and not after else ""
        if role == "open":
            opened[k] = len(text)
        slots.append(_Slot(code, k, role, before, after))
        last = offset
    text += source[last:]
    keep: list[tuple[int, int]] = []
    for k, mark in enumerate(marks):
        if mark.tag != BR and kept(source, mark) and k in opened:
            start, end = opened[k], closed.get(k, len(text))
            words = text[start:end]
            start, end = start + len(words) - len(words.lstrip()), end - (len(words) - len(words.rstrip()))
            if start < end and not any(s < end and start < e for s, e in keep):
                keep.append((start, end))
    return Sentence(source, text, tuple(marks), tuple(slots), tuple(keep), tuple(notes))


def paragraph_html(lang: str, pieces: list[tuple[str, list[Mark]]]) -> str | None:
    """The translated paragraph's fragment from its sentences (final text, marks), joined as
    typography.join_sentences joins them (so its text is the paragraph's text); marks split at
    sentence boundaries joined again. None when no mark is left."""
    # join_sentences' separator for the language ("" or " "), read off rather than copied.
    separator = join_sentences(lang, ["x", "y"])[1:-1]
    text = ""
    marks: list[Mark] = []
    for final, mine in pieces:
        stripped = final.strip()
        if not stripped:
            continue
        if text:
            text += separator
        shift = len(text) - (len(final) - len(final.lstrip()))
        marks += [Mark(m.start + shift, m.end + shift, m.tag, m.href) for m in mine]
        text += stripped
    marks = [m for m in merged(text, marks) if m.tag != BR or 0 < m.start < len(text)]
    return render(text, marks) if marks else None


def issues(problems: list[str]) -> list[quality.Issue]:
    """The gate's ``markup`` issues for the problems of one article, one each."""
    return [quality.Issue(ISSUE, problem) for problem in problems]
