"""The language registry: everything the service knows about a language, in one entry each.

An entry says how the language is written (its script, for the quality gate's script check and
the demo models' alphabet), how it is identified (its lingua name, for the gate's untranslated
check and ingestion's language check), its typography (quotation marks, dashes, full stop and
comma, whether words and sentences are separated by spaces) and its number forms (decimal and
group symbols, from CLDR through Babel). Adding a target language is one entry here plus a
model (an Argos package, or a demo corpus in ``syndicate/demo/corpus/{code}.txt``).

Sources of the typographic rules, per entry: Russian and Ukrainian, Milchin and Cheltsova,
*Spravochnik izdatelya i avtora* (« » with „ “ nested; a no-break space before a spaced em
dash); German, Duden, *Die deutsche Rechtschreibung*, punctuation rules („ “ with ‚ ‘
nested; the spaced en dash as Gedankenstrich); Spanish, RAE, *Ortografía de la
lengua española* (2010), 3.4.8 (« » first, “ ” inside) and 3.4.7 (the raya, an em dash, around an
inserted remark: a space outside, none inside, "texto —inciso— texto"); Japanese, W3C *Requirements for
Japanese Text Layout* (「」 with 『』 nested, 。 and 、, no spaces); Chinese, GB/T 15834-2011
(“ ” with ‘ ’ nested, 。 and ，).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

NBSP = "\u00a0"


class UnknownLanguage(ValueError):
    """A language code that has no entry in the registry; the message is one line for the operator."""


@dataclass(frozen=True)
class Quotes:
    """Quotation marks: the outer pair, and the pair used inside it (and at every deeper level)."""

    open: str
    close: str
    inner_open: str
    inner_close: str


@dataclass(frozen=True)
class Language:
    """One language as the service knows it.

    ``script``: prefixes of the Unicode character names of its letters (``"CYRILLIC"`` matches
    ``CYRILLIC SMALL LETTER A``); the gate wants most output letters in it, and the demo model
    emits only pieces written in it. ``lingua``: the member name of ``lingua.Language``.
    ``spaced``: False for languages written without spaces between words (sentences are then
    joined with nothing). ``spaced_dash``: what a dash (or hyphen) between two spaces becomes,
    spaces included, or None to leave it. ``paired_dash``: for a language that writes the dashes
    around a remark against it (Spanish), that dash: two spaced dashes of one sentence become
    `` —remark— `` before ``spaced_dash`` applies to a lone one. ``full_stop`` and ``comma``:
    the language's own marks; an ASCII ``.`` or ``,`` right after a letter of its script
    becomes them (None: unchanged).
    ``length_ratio``: characters of a usual translation from English per source character, for
    the gate's coverage check (syndicate/translation/coverage.py). Measured as the median over
    the 15 hand-translated parallel lines of syndicate/demo/corpus ({code}.txt against en.txt):
    ru 1.01 (range 0.81-1.14), uk 0.95 (0.81-1.18), de 1.13 (0.95-1.34), es 1.12 (0.88-1.22),
    ja 0.40 (0.25-0.49), zh 0.28 (0.22-0.35). A small sample of news-style sentences: replace
    the figures when a larger corpus is measured. ``length_bounds``: (lowest, highest) output
    characters per source character the gate's ``length`` check accepts for one segment; set by
    hand, not measured: wide margins around the usual ratios, so only a truncated or runaway
    output falls outside.
    """

    code: str  # ISO 639-1
    name: str  # English name, for messages
    script: tuple[str, ...]
    lingua: str
    quotes: Quotes
    spaced: bool = True
    spaced_dash: str | None = None
    paired_dash: str | None = None
    full_stop: str | None = None
    comma: str | None = None
    length_ratio: float = 1.0
    length_bounds: tuple[float, float] = (0.4, 2.6)

    @property
    def latin(self) -> bool:
        """Whether the language is written in the Latin script (as English is)."""
        return self.script == ("LATIN",)

    @property
    def sentence_separator(self) -> str:
        """What goes between two sentences of a paragraph: a space, or nothing."""
        return " " if self.spaced else ""

    @property
    def decimal_symbol(self) -> str:
        """The decimal separator of the language's CLDR locale (Babel): ``,`` in ru, de, es."""
        from babel.numbers import get_decimal_symbol

        return str(get_decimal_symbol(self.code))

    @property
    def group_symbol(self) -> str:
        """The digit-group separator of the language's CLDR locale (Babel): a no-break space in
        ru and uk, ``.`` in de and es, ``,`` in en, ja and zh."""
        from babel.numbers import get_group_symbol

        return str(get_group_symbol(self.code))

    def in_script(self, char: str) -> bool:
        """Whether ``char`` is a letter of the language's script (by its Unicode name)."""
        import unicodedata

        return char.isalpha() and unicodedata.name(char, "").startswith(self.script)


_CJK = ("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")
_RU_QUOTES = Quotes("«", "»", "„", "“")

LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English", ("LATIN",), "ENGLISH", Quotes("“", "”", "‘", "’")),
        Language(
            "ru", "Russian", ("CYRILLIC",), "RUSSIAN", _RU_QUOTES, spaced_dash=f"{NBSP}— ", length_ratio=1.01
        ),
        Language(
            "uk",
            "Ukrainian",
            ("CYRILLIC",),
            "UKRAINIAN",
            _RU_QUOTES,
            spaced_dash=f"{NBSP}— ",
            length_ratio=0.95,
        ),
        Language(
            "de",
            "German",
            ("LATIN",),
            "GERMAN",
            Quotes("„", "“", "‚", "‘"),
            spaced_dash=" – ",
            length_ratio=1.13,
        ),
        Language(
            "es",
            "Spanish",
            ("LATIN",),
            "SPANISH",
            Quotes("«", "»", "“", "”"),
            spaced_dash=" — ",
            paired_dash="—",
            length_ratio=1.12,
        ),
        Language(
            "ja",
            "Japanese",
            ("HIRAGANA", "KATAKANA", *_CJK),
            "JAPANESE",
            Quotes("「", "」", "『", "』"),
            spaced=False,
            full_stop="。",
            comma="、",
            length_ratio=0.40,
            length_bounds=(0.15, 1.6),
        ),
        Language(
            "zh",
            "Chinese",
            _CJK,
            "CHINESE",
            Quotes("“", "”", "‘", "’"),
            spaced=False,
            full_stop="。",
            comma="，",
            length_ratio=0.28,
            length_bounds=(0.1, 1.2),
        ),
    )
}

# Languages lingua is asked to tell apart, beside the registry's: common news languages, so that
# a text in one of them (or gibberish) is not forced into the nearest registered language.
_ALSO_IDENTIFIED = {
    "fr": "FRENCH", "it": "ITALIAN", "pt": "PORTUGUESE", "nl": "DUTCH", "pl": "POLISH",
    "tr": "TURKISH", "ar": "ARABIC", "ko": "KOREAN",
}  # fmt: skip
IDENTIFIED: dict[str, str] = {**{c: lang.lingua for c, lang in LANGUAGES.items()}, **_ALSO_IDENTIFIED}


def find(code: str) -> Language | None:
    """The entry for ``code`` (``de``, or ``de-AT`` read as ``de``), or None."""
    code = code.strip().lower()
    return LANGUAGES.get(code) or LANGUAGES.get(code.split("-")[0])


def get(code: str) -> Language:
    """The entry for ``code`` (see :func:`find`). Raises UnknownLanguage, naming the known codes."""
    found = find(code)
    if found is None:
        known = ", ".join(sorted(LANGUAGES))
        raise UnknownLanguage(f"unknown language {code!r}: the registry knows {known}")
    return found


@functools.cache
def detector() -> LanguageDetector:
    """lingua's detector for the languages of IDENTIFIED, built once per process (loading its
    n-gram models takes about a second), in low-accuracy mode: trigrams only, fast, reliable on
    sentences of a few words and more (lingua's own evaluation)."""
    from lingua import Language as Lingua
    from lingua import LanguageDetectorBuilder

    languages = [getattr(Lingua, name) for name in IDENTIFIED.values()]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def identify(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language among IDENTIFIED (lingua, offline); None when lingua
    cannot decide."""
    found = detector().detect_language_of(text)
    if found is None:
        return None
    return next((code for code, name in IDENTIFIED.items() if name == found.name), None)


def confidence(text: str, code: str) -> float:
    """lingua's confidence, 0 to 1, that ``text`` is in language ``code`` (of IDENTIFIED) rather
    than in another of IDENTIFIED."""
    from lingua import Language as Lingua

    return float(detector().compute_language_confidence(text, getattr(Lingua, IDENTIFIED[code])))
