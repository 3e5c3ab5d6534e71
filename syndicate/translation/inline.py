"""Inline markup through the model: placeholders at the marked words, restored after it.

A paragraph's marks (links, emphasis, code, sup/sub, line breaks: :mod:`syndicate.inline`) are
cut at its sentences, the segments the model translates: a mark spanning a sentence boundary
becomes one mark per sentence, joined again after translation where only whitespace separates
the pieces. Inside a sentence each boundary of a mark is a placeholder number (from FIRST_CODE
up, absent from the sentence), which translation models and the demo models copy through as they
copy numbers (see placeholders.py, which hides URLs and glossary terms the same way, after this
module). A mark over the whole sentence, and a line break at its start or end, need no
placeholder: they are put back around the translated sentence.

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
from collections.abc import Callable
from dataclasses import dataclass

from syndicate.inline import BR, Mark, merged, parse, render
from syndicate.translation import quality
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

    def carry(self, output: str) -> Carried:
        """The model's ``output`` with each kept placeholder as a marker character (repeats
        removed); the problems found (dropped, repeated placeholders)."""
        problems: list[str] = []
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

    def finish(self, restored: str, polish: Callable[[str], str]) -> tuple[str, list[Mark], list[str]]:
        """The final sentence, its marks and every problem, from ``restored`` (this text after
        placeholders.restore): markers read off (whitespace inside a mark removed, and outside
        where the source had none), ``polish`` (the language's typography) applied to the text
        without them, offsets moved by alignment, then missing or misplaced marks placed as the
        module docstring says. The final text is stripped; marks are offsets in it."""
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
        lead = len(final) - len(final.lstrip())
        final = final.strip()
        at = {i: min(max(0, offset - lead), len(final)) for i, offset in at.items()}
        problems = list(self.problems)
        marks = [self._place(k, mark, final, at, problems) for k, mark in enumerate(self.sentence.marks)]
        return final, marks, problems

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


def split(text: str, fragment: str | None, sentences: list[str]) -> list[Sentence | None]:
    """One entry per sentence of ``sentences`` (cut from ``text``, as segment.sentences gives
    them): its :class:`Sentence` when the paragraph's ``fragment`` puts marks in it, else None.
    A sentence not found in ``text`` in order gets None (its markup is lost, never its text)."""
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
        result.append(_hide(sentence, inside) if inside and begin >= 0 else None)
    return result


def _hide(source: str, marks: list[Mark]) -> Sentence:
    """The sentence with a placeholder at each boundary of ``marks`` inside it (see the module
    docstring); numbers from FIRST_CODE up that do not occur in ``source``."""
    # (offset, order, nesting, mark, role): at one offset closes, then breaks, then opens; inner
    # marks close first and outer ones open first, as elements nest.
    events: list[tuple[int, int, int, int, str]] = []
    for k, mark in enumerate(marks):
        if mark.tag == BR:
            if 0 < mark.start < len(source):
                events.append((mark.start, 1, 0, k, "br"))
            continue
        if mark.start > 0:
            events.append((mark.start, 2, -mark.end, k, "open"))
        if mark.end < len(source):
            events.append((mark.end, 0, -mark.start, k, "close"))
    code = FIRST_CODE
    text = ""
    slots: list[_Slot] = []
    last = 0
    for offset, _, _, k, role in sorted(events):
        while str(code) in source:
            code += 1
        before = offset > 0 and source[offset - 1].isspace()
        after = offset < len(source) and source[offset].isspace()
        text += source[last:offset]
        # A placeholder stands apart from the words around it, so it stays one number.
        text += ("" if not text or text[-1].isspace() else " ") + str(code)
        text += " " if offset < len(source) and not after else ""
        slots.append(_Slot(str(code), k, role, before, after))
        code += 1
        last = offset
    return Sentence(source, text + source[last:], tuple(marks), tuple(slots))


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
