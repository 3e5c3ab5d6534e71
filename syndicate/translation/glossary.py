"""The operator's glossary: source terms rendered a fixed way per language, or left untranslated.

File format (TOML), at ``{data_dir}/glossary.toml`` or ``SYNDICATE_GLOSSARY``::

    [terms."Kuril Islands"]
    ru = "Курильские острова"
    ja = "千島列島"

    [terms."NASA"]
    keep = true            # do not translate, in any language

Terms are matched case-sensitively on word boundaries, longest first.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path


class GlossaryError(ValueError):
    """The glossary file cannot be used."""


@dataclass(frozen=True)
class Term:
    """One glossary entry: the source text, its fixed rendering per language code, or ``keep``
    (the source text itself in every language)."""

    source: str
    renderings: dict[str, str] = field(default_factory=dict)
    keep: bool = False

    def render(self, lang: str) -> str | None:
        """The fixed output for ``lang``, or None when the model may translate the term."""
        if self.keep:
            return self.source
        return self.renderings.get(lang)


@dataclass(frozen=True)
class Glossary:
    """The operator's terms, in file order."""

    terms: tuple[Term, ...] = ()

    @property
    def version(self) -> str:
        """16 hex digits that change whenever any term or rendering changes."""
        payload = json.dumps(
            [(t.source, sorted(t.renderings.items()), t.keep) for t in self.terms], ensure_ascii=False
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def matches(self, text: str, lang: str) -> list[tuple[int, int, Term]]:
        """Non-overlapping (start, end, term) spans that have a fixed rendering in ``lang``.

        Offsets are str indices into ``text``, end exclusive, sorted by start. Matching is
        case-sensitive, on word boundaries (no word character on either side), longest term
        first, so "Kuril Islands" wins over "Kuril".
        """
        spans: list[tuple[int, int, Term]] = []
        taken = [False] * len(text)
        for term in sorted(self.terms, key=lambda t: -len(t.source)):
            if term.render(lang) is None:
                continue
            pattern = re.compile(r"(?<!\w)" + re.escape(term.source) + r"(?!\w)")
            for m in pattern.finditer(text):
                if not any(taken[m.start() : m.end()]):
                    spans.append((m.start(), m.end(), term))
                    taken[m.start() : m.end()] = [True] * (m.end() - m.start())
        return sorted(spans, key=lambda span: span[0])


EMPTY = Glossary()


def load(path: Path | None) -> Glossary:
    """Read a glossary file (format in the module docstring); EMPTY when there is none.

    Raises GlossaryError for a file that is not UTF-8 TOML, a term that is not a table, an empty
    or non-text rendering, or a term with neither renderings nor ``keep = true``.
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
        renderings = {k: v for k, v in spec.items() if k != "keep"}
        if not all(isinstance(v, str) and v.strip() for v in renderings.values()):
            raise GlossaryError(f"{path}: term {source!r} has an empty or non-text rendering")
        if not keep and not renderings:
            raise GlossaryError(f"{path}: term {source!r} needs renderings or keep = true")
        terms.append(Term(source, renderings, keep))
    return Glossary(tuple(terms))
