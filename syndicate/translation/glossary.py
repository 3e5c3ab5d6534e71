"""The operator's glossary: source terms rendered a fixed way per language, or left untranslated.

File format (TOML), at ``{data_dir}/glossary.toml`` or ``SYNDICATE_GLOSSARY``::

    [terms."Kuril Islands"]
    ru = "Курильские острова"
    ja = "千島列島"

    [terms."NASA"]
    keep = true            # do not translate, in any language

    [terms."e-scooter"]
    ru = "электросамокат"
    forms = ["e-scooter scheme"]   # other spellings to match (optional)

Matching, on word boundaries, longest form first:

- English inflections of the term's last word, from lemminflect (``Harbour Authority`` also
  matches ``Harbour Authorities``, ``e-scooter`` matches ``e-scooters``, ``Kuril Islands``
  matches ``Kuril Island``), each optionally followed by a possessive ``'s`` or ``’s``, or
  after a final ``s`` a bare ``'`` or ``’`` (``authorities'``), which becomes part of the match;
- the ``forms`` an entry lists, matched as written (not inflected): irregular or multi-word
  variants such as ``Secretaries of State``, an abbreviation, a former name;
- any case (``harbour authority``), except for a form written in capitals only (``NASA``,
  ``US``): that one matches only in capitals, so an acronym never catches a common word.

A ``keep`` entry keeps the text as it was seen (``harbour authority`` stays lower case). Each
match is reported (:class:`Match`: entry, form seen, offsets) so the operator sees which entries
applied where (``syndicate status``); an entry that matches nothing in an article is normal.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.abc
import json
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any


class _NoSpacy(importlib.abc.MetaPathFinder):
    """Refuses to import spaCy (see :func:`_lemminflect`)."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> None:
        if name == "spacy" or name.startswith("spacy."):
            raise ImportError("spaCy is not used by syndicate")
        return None


@functools.cache
def _lemminflect() -> ModuleType:
    """lemminflect, imported on first use without spaCy: when spaCy is installed (a full
    ``pip install .`` pulls it in through argostranslate), lemminflect imports it to register
    token extensions we never use, which loads spaCy, thinc and torch into every worker
    (tests/test_lean_install.py). A finder placed first on ``sys.meta_path`` for the import makes
    ``import spacy`` fail there as if it were not installed; a spaCy someone else imported before
    is left alone."""
    blocker = _NoSpacy()
    sys.meta_path.insert(0, blocker)
    try:
        import lemminflect
    finally:
        sys.meta_path.remove(blocker)
    return lemminflect


class GlossaryError(ValueError):
    """The glossary file cannot be used."""


@dataclass(frozen=True)
class Term:
    """One glossary entry: the source text, its fixed rendering per language code, or ``keep``
    (the source text itself in every language)."""

    source: str
    renderings: dict[str, str] = field(default_factory=dict)
    keep: bool = False
    forms: tuple[str, ...] = ()  # further spellings to match as written

    def render(self, lang: str, seen: str | None = None) -> str | None:
        """The fixed output for ``lang``, or None when the model may translate the term.
        A ``keep`` entry gives the text ``seen`` in the segment (default: its source)."""
        if self.keep:
            return seen if seen is not None else self.source
        return self.renderings.get(lang)

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """Every form of the entry (module docstring) as one regular expression, longest first;
        an all-capitals form is case-sensitive, the others are not."""
        spellings = set(self.forms)
        for inflected in _inflections(self.source):
            spellings.add(inflected)
        alternatives = []
        for form in sorted(spellings, key=lambda f: (-len(f), f)):
            body = r"\s+".join(re.escape(word) for word in form.split())
            if not (form.isupper() and sum(c.isalpha() for c in form) > 1):
                body = "(?i:" + body + ")"
            alternatives.append(body)
        return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?:['’]s|(?<=[sS])['’])?(?![\w-])")


@dataclass(frozen=True)
class Match:
    """Where an entry matched: ``start``/``end`` are str offsets into the segment (end
    exclusive), ``seen`` the text there (possessive included), ``entry`` the entry's source."""

    start: int
    end: int
    seen: str
    term: Term

    @property
    def entry(self) -> str:
        """The matched entry's source text, as the glossary file names it."""
        return self.term.source


@dataclass(frozen=True)
class Applied:
    """An entry applied in a translation, for the operator: the entry's source, the text seen,
    the segment's index in the article (0 is the title, then the sentences in order) and its
    paragraph's index (-1 for the title)."""

    entry: str
    seen: str
    segment: int
    paragraph: int

    def to_dict(self) -> dict[str, str | int]:
        """``{"entry", "seen", "segment", "paragraph"}``, as stored and as ``status --json`` shows."""
        return {"entry": self.entry, "seen": self.seen, "segment": self.segment, "paragraph": self.paragraph}


@functools.cache
def _inflections(source: str) -> tuple[str, ...]:
    """``source`` and its forms with the last word inflected as an English noun (lemminflect;
    words it does not know, e.g. ``e-scooter``, by its rules for unknown nouns). An all-capitals
    last word (an acronym) gets only ``s``: ``NGOs``."""
    words = source.split()
    if not words:
        return ()
    head = words[-1]
    if head.isupper():
        variants = {head, head + "s"}
    else:
        variants = {head}
        lemminflect = _lemminflect()
        lemmas = lemminflect.getAllLemmas(head).get("NOUN") or (head,)
        for lemma in lemmas:
            table = lemminflect.getAllInflections(lemma, upos="NOUN") or lemminflect.getAllInflectionsOOV(
                lemma, upos="NOUN"
            )
            variants.update(form for forms in table.values() for form in forms)
    return tuple(" ".join([*words[:-1], variant]) for variant in sorted(variants))


@dataclass(frozen=True)
class Glossary:
    """The operator's terms, in file order."""

    terms: tuple[Term, ...] = ()

    @property
    def version(self) -> str:
        """16 hex digits that change whenever any term, rendering or form changes."""
        payload = json.dumps(
            [(t.source, sorted(t.renderings.items()), t.keep, t.forms) for t in self.terms],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def matches(self, text: str, lang: str) -> list[Match]:
        """Non-overlapping matches of the entries that have a fixed rendering in ``lang``,
        sorted by start. Forms are those of the module docstring; the longest entry wins an
        overlap, so "Kuril Islands" beats "Kuril"."""
        found: list[Match] = []
        taken = [False] * len(text)
        for term in sorted(self.terms, key=lambda t: -len(t.source)):
            if term.render(lang) is None:
                continue
            for m in term.pattern.finditer(text):
                if not any(taken[m.start() : m.end()]):
                    found.append(Match(m.start(), m.end(), m.group(0), term))
                    taken[m.start() : m.end()] = [True] * (m.end() - m.start())
        return sorted(found, key=lambda match: match.start)


EMPTY = Glossary()


def load(path: Path | None) -> Glossary:
    """Read a glossary file (format in the module docstring); EMPTY when there is none.

    Raises GlossaryError for a file that is not UTF-8 TOML, a term that is not a table, an empty
    or non-text rendering, ``forms`` that is not a list of non-empty texts, or a term with
    neither renderings nor ``keep = true``.
    """
    if path is None or not path.is_file():
        return EMPTY
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"{path}: not valid TOML: {exc}") from None
    terms: list[Term] = []
    for source, spec in (data.get("terms") or {}).items():
        if not isinstance(spec, dict):
            raise GlossaryError(f"{path}: term {source!r} must be a table")
        keep = bool(spec.get("keep", False))
        forms = spec.get("forms", [])
        if not isinstance(forms, list) or not all(isinstance(f, str) and f.strip() for f in forms):
            raise GlossaryError(f"{path}: term {source!r}: forms must be a list of non-empty texts")
        renderings = {k: v for k, v in spec.items() if k not in ("keep", "forms")}
        if not all(isinstance(v, str) and v.strip() for v in renderings.values()):
            raise GlossaryError(f"{path}: term {source!r} has an empty or non-text rendering")
        if not keep and not renderings:
            raise GlossaryError(f"{path}: term {source!r} needs renderings or keep = true")
        terms.append(Term(source, renderings, keep, tuple(f.strip() for f in forms)))
    return Glossary(tuple(terms))
