"""The quality gate: catch output that is obviously broken before anyone reads it.

It cannot tell a good translation from a mediocre one. It catches what models do when they
fail: decoding loops, truncated or runaway output, the wrong script, English left untranslated,
numbers dropped, and protected text (URLs, glossary terms) lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from syndicate import languages
from syndicate.translation import coverage, numbers

# Output characters per source character for a language the registry lacks: (lowest, highest);
# each registered target has its own ``length_bounds`` (syndicate/languages.py).
DEFAULT_LENGTH_BOUNDS = (0.4, 2.6)
# Least share of an output's letters that must be in the target's script (names and acronyms
# may stay Latin). Set by hand, like the length bounds.
MIN_SCRIPT_SHARE = 0.6
MIN_LENGTH_CHECKED = 20  # characters; shorter segments vary too much to judge by length
# Language identification (lingua) of a segment's output: segments of fewer words are not judged
# (two-word titles like "Team Manager" read as English in German), and English is reported only
# from this confidence up. Measured on hand-written German and Spanish sentences with English
# names and titles in them (all at most 0.003) against English ones (0.68 and up).
MIN_WORDS_IDENTIFIED = 3
MIN_SOURCE_CONFIDENCE = 0.5
_WORD_LOOP = re.compile(r"(?<!\S)(\S+(?:\s+\S+){0,3}?)(?:\s+\1){3,}(?!\S)")
_CHAR_LOOP = re.compile(r"(\D{1,8}?)\1{4,}")
_LATIN_RUN = re.compile(r"[A-Za-z]{2,}(?:[\s,'’-]+[A-Za-z]{2,}){2,}")
# Lower-case words a proper name may hold between its capitalised ones ("Bank of England",
# "Court of Justice of the European Union", "Banco de España", "Ludwig van Beethoven").
_NAME_JOINERS = frozenset(
    {"of", "the", "and", "for", "on", "in", "de", "del", "la", "le", "du", "van", "von", "der", "y"}
)


def _is_name(run: str) -> bool:
    """Whether a run of Latin words reads as a proper name in Title Case: every word
    capitalised (or all capitals: an acronym), except joining words between them
    (:data:`_NAME_JOINERS`), and the first and last word capitalised. Models copy names such as
    "The New York Times" into any script; an English sentence has lower-case words."""
    words = re.findall(r"[A-Za-z]+", run)
    capital = [w[0].isupper() for w in words]
    inner = all(c or w in _NAME_JOINERS for c, w in zip(capital, words, strict=True))
    return capital[0] and capital[-1] and inner


def _english_run(text: str) -> str | None:
    """The first run of 3 or more Latin words in ``text`` that is not a proper name, or None."""
    return next((m.group(0) for m in _LATIN_RUN.finditer(text) if not _is_name(m.group(0))), None)


@dataclass(frozen=True)
class Issue:
    """One reason to hold a translation; ``str()`` gives ``"check: detail"`` for the operator."""

    check: str  # loop, length, coverage, truncated, script, untranslated, number, protected
    detail: str

    def __str__(self) -> str:
        return f"{self.check}: {self.detail}"


@dataclass(frozen=True)
class Segment:
    """One translated unit as the gate sees it."""

    source: str  # the original text
    model_input: str  # with placeholders
    model_output: str  # with placeholders, before restoring protected text
    final: str  # what readers get
    lost: tuple[str, ...] = ()  # protected texts whose placeholder the model dropped
    capped: bool = False  # decoding stopped at its cap, not at the end token (engine.Hypothesis)
    # A person's translation (translation/segments.py): the machine-translation checks (loop,
    # length, untranslated, coverage, script, number) do not apply; protected still does.
    human: bool = False
    # Protected texts whose placeholder the model wrote more than once (Protected.repeated).
    repeated: tuple[str, ...] = ()


def _letters_in_script(text: str, lang: languages.Language) -> tuple[int, int]:
    """(letters in ``lang``'s script, all letters) of ``text``, by Unicode character name."""
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if lang.in_script(c)), len(letters)


def _reads_as(text: str, source: str) -> bool:
    """Whether lingua identifies ``text`` (of MIN_WORDS_IDENTIFIED words or more, counting only
    words with a letter) as the ``source`` language with at least MIN_SOURCE_CONFIDENCE."""
    words = [w for w in text.split() if any(c.isalpha() for c in w)]
    if len(words) < MIN_WORDS_IDENTIFIED or source not in languages.IDENTIFIED:
        return False
    # Text mostly in another script cannot read as the source language: skip lingua (0.5 to
    # 1.7 ms a segment, measured; most of the gate's time for Cyrillic and Japanese output).
    entry = languages.find(source)
    letters = [c for c in text if c.isalpha()]
    if entry is not None and sum(1 for c in letters if entry.in_script(c)) * 2 < len(letters):
        return False
    return languages.identify(text) == source and languages.confidence(text, source) >= MIN_SOURCE_CONFIDENCE


def _short(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, for messages."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check(segments: list[Segment], lang: str, source: str = "en") -> list[Issue]:
    """Every issue found in one language version of an article; empty when it may be published.

    ``segments`` are all the units of the article (title and sentences) translated into
    ``lang`` (a language code; only its base, before ``-``, matters). Checks, with the name each
    issue carries:

    - ``loop``: a phrase of 1 to 4 words said 4 or more times in a row, or 1 to 8 characters
      repeated 5 or more times (spaces ignored), with a letter in it;
    - ``length``: a segment of at least MIN_LENGTH_CHECKED characters whose output/input length
      ratio (characters, placeholders included) is outside the language's ``length_bounds``;
    - ``untranslated``: output that lingua identifies as the ``source`` language (see
      :func:`_reads_as`; every target, Latin-script ones too), a run of 3 or more Latin words
      in a target not written in Latin unless it reads as a name in Title Case (:func:`_is_name`:
      "The New York Times"), or output equal to an input of 3 or more words;
    - ``number``: a number, amount or time of the source missing from the final text (compared
      by value, so any correct localised form passes: :mod:`syndicate.translation.numbers`;
      each occurrence counts);
    - ``protected``: a URL or glossary term whose placeholder the model dropped, or wrote more
      than once (its other copies would stand as numbers, perhaps where a number was);
    - ``coverage`` and ``truncated``: output cut short of its source, per segment (see
      coverage.py: length against the pair's typical ratio, the closing punctuation, the list
      separators, and decoding stopped at its cap);
    - ``script``: under MIN_SCRIPT_SHARE of all output letters in the script the language
      registry gives for ``lang`` (skipped for a language the registry lacks, which config
      refuses as a target).

    A person's segment (``Segment.human``) gets the ``protected`` check only: the others judge
    what models do wrong, and an editor may write a number in words.

    Never raises on any text.
    """
    each, overall = check_each(segments, lang, source)
    return [issue for found in each for issue in found] + overall


def check_each(
    segments: list[Segment], lang: str, source: str = "en"
) -> tuple[list[list[Issue]], list[Issue]]:
    """:func:`check`, told per segment: (the issues of each segment, in order; the issues of
    the whole article, i.e. ``script``). ``check`` gives the first flattened, then the second."""
    base = lang.split("-")[0]
    entry = languages.find(lang)
    latin_target = entry is None or entry.latin
    low, high = entry.length_bounds if entry else DEFAULT_LENGTH_BOUNDS
    each: list[list[Issue]] = []
    for seg in segments:
        issues: list[Issue] = []
        each.append(issues)
        if not seg.human:
            issues += _machine_issues(seg, base, source, latin_target, (low, high))
        # A person may write a number in words: only machine output is held for one.
        for number in [] if seg.human else numbers.missing(seg.source, seg.final, base):
            issues.append(Issue("number", f"{number} missing from {_short(seg.final)!r}"))
        for text in seg.lost:
            issues.append(Issue("protected", f"{_short(text)!r} was lost"))
        for text in seg.repeated:
            issues.append(Issue("protected", f"the placeholder of {_short(text)!r} came back more than once"))
        if not seg.human:
            found = coverage.problems(seg.model_input, seg.model_output, base, seg.capped)
            issues.extend(Issue(*problem) for problem in found)
    return each, script_issues([s.model_output for s in segments if not s.human], lang)


def _machine_issues(
    seg: Segment, base: str, source: str, latin_target: bool, bounds: tuple[float, float]
) -> list[Issue]:
    """The loop, length and untranslated checks of one machine segment (see :func:`check`)."""
    issues: list[Issue] = []
    out = seg.model_output
    low, high = bounds
    loop = _WORD_LOOP.search(out) or _CHAR_LOOP.search(out.replace(" ", ""))
    if loop and any(c.isalpha() for c in loop.group(1)):
        issues.append(Issue("loop", f"repeats {_short(loop.group(1))!r} in {_short(out)!r}"))
    if len(seg.model_input) >= MIN_LENGTH_CHECKED:
        ratio = len(out) / len(seg.model_input)
        if not low <= ratio <= high:
            issues.append(
                Issue("length", f"output/input {ratio:.2f} outside {low}-{high} for {_short(seg.source)!r}")
            )
    if not latin_target and _english_run(out):
        issues.append(Issue("untranslated", f"English left in {_short(out)!r}"))
    elif base != source and _reads_as(out, source):
        issues.append(Issue("untranslated", f"reads as {source}: {_short(out)!r}"))
    if len(seg.model_input.split()) >= 3 and out.strip() == seg.model_input.strip():
        issues.append(Issue("untranslated", f"output equals input: {_short(out)!r}"))
    return issues


def script_issues(outputs: list[str], lang: str) -> list[Issue]:
    """The ``script`` check over the machine ``outputs`` of one article (see :func:`check`)."""
    entry = languages.find(lang)
    if entry is None:
        return []
    inside, letters = _letters_in_script(" ".join(outputs), entry)
    if letters and inside / letters < MIN_SCRIPT_SHARE:
        base = lang.split("-")[0]
        return [Issue("script", f"only {inside / letters:.0%} of letters are in the {base} script")]
    return []
