"""Segments of a translation: stable ids, per-segment records, and human segments that win.

A translation is made of segments: the title (paragraph -1), then each sentence of each
paragraph, in reading order (segment.sentences, as the translator cuts them). Each stored
translation keeps one *record* per segment (the ``segments`` column of the translations table),
a JSON object::

    {"id": "3f2a9c1b7e04-1", "paragraph": -1, "source": "...", "source_html": null,
     "target": "...", "target_html": null, "origin": "machine" | "human",
     "reviewed": false, "approved": false, "issues": ["length: ..."], "key": "<human_key>"}

``target`` is the final text readers get (protected text restored, typography applied);
``*_html`` the same with the sentence's inline markup (syndicate/inline.py), or null without.
``issues`` are the quality gate's for that segment. ``reviewed`` is true for a human segment;
a machine segment is never reviewed. An editor who approves a machine segment as it is (marks
it final or signed-off, text unchanged) makes it a human segment with ``approved`` true: it
wins over machine translation from then on like any human segment, but its text is the model's,
so it counts as post-edited machine translation, never as a person's translation (``approved``
absent reads as false).

Segment ids (:func:`segment_ids`): the first 12 hex digits of the SHA-256 of the normalised
source sentence, a hyphen, and the occurrence of that sentence in the article (1 for its first
occurrence, title included, counted in reading order). So a sentence keeps its id across
revisions however the sentences around it change, and a repeated sentence has one id per
occurrence; an id says nothing about position, and an edited source sentence gets a new id.

Human segments: a person's translation of a sentence, keyed by :func:`human_key` (the
normalised source sentence, the language pair and the glossary fingerprint of
placeholders.Protected, NOT the model), so it wins over the machine memory and any model or
version. The human target is stored and used as written: no typography, no placeholder
restoring (it holds the real URLs, addresses and terms), since an editor's quotation marks and
spacing are a decision, not model output. The memory holds one target per key: the last one
applied wins, for every article that has the sentence.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Any, Protocol

from syndicate import inline, languages
from syndicate.model import Article, Paragraph
from syndicate.translation import numbers
from syndicate.translation.inline import paragraph_html
from syndicate.translation.memory import normalise
from syndicate.translation.placeholders import verbatim_spans
from syndicate.translation.typography import join_sentences

MACHINE, HUMAN = "machine", "human"
TITLE = -1  # the title's paragraph index


def segment_ids(sources: list[str]) -> list[str]:
    """One id per source segment, in the order given (the article's reading order, title
    first): ``{sha256(normalised)[:12]}-{occurrence}`` (see the module docstring)."""
    seen: Counter[str] = Counter()
    ids = []
    for source in sources:
        digest = hashlib.sha256(normalise(source).encode("utf-8")).hexdigest()[:12]
        seen[digest] += 1
        ids.append(f"{digest}-{seen[digest]}")
    return ids


def id_fits(segment_id: str, source: str) -> bool:
    """Whether ``segment_id`` is one :func:`segment_ids` gives ``source`` (its digest matches):
    a unit of an older revision whose sentence changed fits; an id made up or damaged does not."""
    digest = hashlib.sha256(normalise(source).encode("utf-8")).hexdigest()[:12]
    head, _, occurrence = segment_id.rpartition("-")
    return head == digest and occurrence.isdigit()


def human_key(sentence: str, from_code: str, to_code: str, glossary_key: str = "") -> str:
    """SHA-256 (64 hex digits) of the normalised plain ``sentence``, the pair and the glossary
    fingerprint ("" when no glossary term applies), joined by U+001F: no model in it."""
    parts = ("human", normalise(sentence), from_code, to_code, glossary_key)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class HumanSegment:
    """A person's translation of one sentence: ``target`` the final text, ``target_html`` the
    same with inline markup (or None); ``source`` normalised."""

    key: str
    source: str
    target: str
    from_code: str
    to_code: str
    glossary_key: str = ""
    target_html: str | None = None
    # The machine output the editor approved unchanged (not written by a person).
    approved: bool = False


class HumanMemory(Protocol):
    """Where the translator finds human segments (the store's ``human`` is the real one)."""

    def lookup_human(self, keys: list[str]) -> dict[str, HumanSegment]:
        """``{key: segment}`` for each of ``keys`` stored; keys not stored are absent."""


def missing_spans(source: str, target: str) -> list[str]:
    """The verbatim spans of ``source`` (URL, address, handle, code...:
    placeholders.verbatim_spans) that ``target`` lacks, byte for byte, as often as the source
    has them; in the source's order."""
    spans = Counter(source[start:end] for start, end, _ in verbatim_spans(source))
    return [text for text, count in spans.items() if target.count(text) < count]


def protected_problems(source: str, target: str, lang: str) -> list[str]:
    """Why a person's ``target`` cannot stand for ``source``: each of :func:`missing_spans`
    (a URL, address, handle or code altered: what a placeholder protects from the model). One
    line each; empty when nothing is missing. ``lang`` is the target language."""
    return [f"{text!r} is missing or altered" for text in missing_spans(source, target)]


# Least share of a person's target letters in the target language's script, and least lingua
# confidence that a Latin-script target is in another language, for the target to be refused
# as written in the wrong language. Set by hand: brand names and acronyms in Latin letters stay
# far under half of a Russian or Japanese sentence; lingua scored German and Spanish sentences
# with English names at most 0.003 for English (syndicate/translation/quality.py), and gives
# whole sentences of another language 0.68 to 1.0.
MIN_TARGET_SCRIPT_SHARE = 0.5
MIN_OTHER_LANGUAGE_CONFIDENCE = 0.9
MIN_LETTERS_JUDGED = 4


def language_problem(target: str, lang: str) -> str | None:
    """Why a person's ``target`` is not in ``lang`` (a registered target language), or None: under
    MIN_TARGET_SCRIPT_SHARE of its letters in the language's script (Russian text in a Japanese
    file), or, for a Latin-script language, lingua identifying it as another registered language
    with at least MIN_OTHER_LANGUAGE_CONFIDENCE (English left in a German file). Targets of fewer
    than MIN_LETTERS_JUDGED letters, and languages the registry lacks, are not judged."""
    entry = languages.find(lang)
    letters = [c for c in target if c.isalpha()]
    if entry is None or len(letters) < MIN_LETTERS_JUDGED:
        return None
    # URLs, addresses, handles and code are written as they are, in Latin letters.
    spans = verbatim_spans(target)
    for start, end, _ in reversed(spans):
        target = target[:start] + " " + target[end:]
    letters = [c for c in target if c.isalpha()]
    if len(letters) < MIN_LETTERS_JUDGED:
        return None
    share = sum(1 for c in letters if entry.in_script(c)) / len(letters)
    if share < MIN_TARGET_SCRIPT_SHARE:
        return f"the target is not written in {entry.name} ({share:.0%} of its letters are in its script)"
    if entry.latin and len(target.split()) >= 3:
        found = languages.identify(target)
        if (
            found not in (None, entry.code)
            and languages.find(found) is not None
            and languages.confidence(target, found) >= MIN_OTHER_LANGUAGE_CONFIDENCE
        ):
            return f"the target reads as {languages.get(found).name}, not {entry.name}"
    return None


def number_notes(source: str, target: str, lang: str) -> list[str]:
    """Numbers, amounts and times of ``source`` not found by value in a person's ``target``
    (numbers.missing, as the quality gate's ``number`` check), one line each. Not a refusal:
    an editor may write a number in words ("town number 1" -> "the first town"), so the
    operator is told and the editor's text is kept."""
    base = lang.split("-")[0]
    return [
        f"the number {n} of the source is not in the target" for n in numbers.missing(source, target, base)
    ]


def written(record: dict[str, Any]) -> bool:
    """Whether a person wrote the record's target: a human segment not ``approved``."""
    return record.get("origin") == HUMAN and not record.get("approved")


def counts(records: list[dict[str, Any]]) -> tuple[int, int, int]:
    """(segments, human segments a person wrote, machine segments a person approved unchanged)
    of a translation's records: model.Provenance's counts."""
    approved = sum(1 for r in records if r.get("origin") == HUMAN and r.get("approved"))
    return len(records), sum(1 for r in records if written(r)), approved


def marks_of(record: dict[str, Any]) -> list[inline.Mark]:
    """The inline marks of a record's target (offsets in ``target``); none without
    ``target_html`` or when its text is not the target's."""
    html = record.get("target_html")
    if not html:
        return []
    text, marks = inline.parse(html)
    return marks if text == record["target"] else []


def assemble(article: Article, records: list[dict[str, Any]], lang: str) -> tuple[str, tuple[Paragraph, ...]]:
    """The translated title and paragraphs from ``records`` (no model call): each paragraph's
    targets joined as the translator joins them (typography.join_sentences), with inline
    markup where the source paragraph has some (translation/inline.paragraph_html). Same kinds,
    same order as ``article``'s paragraphs; a paragraph without records is empty."""
    texts: dict[int, list[str]] = {}
    marked: dict[int, list[tuple[str, list[inline.Mark]]]] = {}
    for record in records:
        texts.setdefault(record["paragraph"], []).append(record["target"])
        marked.setdefault(record["paragraph"], []).append((record["target"], marks_of(record)))
    title = join_sentences(lang, texts.get(TITLE, []))
    paragraphs = tuple(
        Paragraph(
            p.kind,
            join_sentences(lang, texts.get(i, [])),
            html=paragraph_html(lang, marked.get(i, [])) if p.html else None,
        )
        for i, p in enumerate(article.paragraphs)
    )
    return title, paragraphs
