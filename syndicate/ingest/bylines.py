"""Bylines of a text scrape or a metadata field: who wrote the article, without role, outlet,
place or degree.

The rules follow the shapes of scraper output (tests/testdata/ingest/header/), not a spec.
Decisions: the author is the byline's names as given, joined "A and B" / "A, B and C", without
role, outlet, place or post-nominal ("By Jane Roe, Ph.D., Europe editor, in Moscow" gives Jane
Roe), title-cased when in capitals (noted); without "By" a line is a byline only with a role word
after the name ("Jane Roe, Staff Writer"), as a news agency alone ("Reuters"), or as a name beside
a date in a combined line (lines.py); a lower-case word after "By NAME," is a role ("By Jordan
Peele, director"). Credit, copyright and reporting-clause shapes (names after "Photo by", ",
the regulator found.") live here for lines.py; see tests/testdata/ingest/false_drops/.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from syndicate.ingest.lines import Classified

__all__ = ["AGENCIES", "SENTENCE_END", "bare_byline", "byline", "byline_name", "is_label", "is_role"]
__all__ += [
    "COPYRIGHT",
    "CREDITS",
    "NAMES",
    "PHOTO_CREDIT",
    "REPORTED",
    "loose_byline",
    "role_or_outlet",
    "split_parts",
]


def _set(words: str, sep: str = " ") -> frozenset[str]:
    return frozenset(words.split(sep))


SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*$")
_NAME_END = re.compile(r"\b[A-Z]\.$")  # "By Jane R.": an initial's dot ends no sentence
# Degrees, honours and generational suffixes after a name: not part of the author, and their dot
# ends no sentence ("By Jane Roe, Ph.D."). Dotted forms in any case ("PH.D."); the others
# case-sensitive, so a word "md" or "iv" stays.
_DOTTED = "|".join(
    r"\.\s?".join(parts.split("."))
    for parts in _set("Ph.D D.Phil M.Phil M.D Ed.D J.D M.A B.A M.Sc B.Sc LL.B LL.M R.N")
)
_POST_NOMINAL = re.compile(
    rf"(?:,\s*|\s+)(?:(?i:(?:{_DOTTED})\.|Esq\.?|Jr\.?|Sr\.?)"
    r"|PhD|DPhil|MPhil|MD|MSc|MBA|MPH|II|III|IV|MBE|OBE|CBE|KBE|DBE|FRS|QC|KC)"
    r"(?=\s*(?:[,;|·•]|\s[—–-]\s|\s+(?:and|&)\s|$))"
)
_BY = re.compile(r"^(?:(?:written|words|story|report(?:ing|ed)|posted)\s+)?by\b\s*:?\s*(?P<rest>\S.*)$", re.I)
_FROM = re.compile(r"^(?:from|source:?|by)\s+(?P<rest>\S.*)$", re.IGNORECASE)
AGENCIES = _set(
    "reuters|afp|agence france-presse|associated press|the associated press|ap|bloomberg|pa media|dpa|efe"
    "|ansa|kyodo|xinhua|tass|interfax|upi|aap|pti|yonhap|anadolu|reuters staff|ap staff|afp staff",
    "|",
)
_ROLE_WORD = re.compile(
    r"\b(?:editor|correspondent|reporter|writer|columnist|contributor|journalist|staff|producer|analyst"
    r"|chief|bureau|desk|critic|photographer|commentator|presenter|host|intern|fellow)s?\b",
    re.IGNORECASE,
)
# Words a role or outlet never holds; a headline does ("Jeremy Clarkson, Presenter, Dropped by BBC").
_NOT_ROLE = re.compile(
    r"\b(?:who|whom|whose|which|that|by|is|are|was|were|has|had|have|will|says|said)\b", re.I
)
_OUTLET_WORD = re.compile(
    r"\b(?:news|times|post|press|media|herald|journal|tribune|guardian|telegraph|gazette|online)\b", re.I
)
_PLACE = re.compile(r"\s+(?:in|at|for)\s+(?P<place>[A-Z]\S*(?:\s+\S+){0,3})$")
_PARTICLES = _set("de da del della di du la le van von der den ter bin ibn al el dos das y")
_ARTICLES = _set("the a an this that these those")
_TIME_WORDS = _set(  # words that follow "By" in a sentence ("By Tuesday, ..."): not a one-word name
    "end now then today tomorrow yesterday monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november december"
)
# Separators of a combined metadata line; a hyphen or slash only spaced, as dates hold them (10/07/2014).
_PART_SPLIT = re.compile(r"\s*[|·•]\s*|\s+[—–-]\s+|\s+/\s+")

# A credit's names and nothing after them: capitalised words (case-sensitive even under
# re.IGNORECASE, so "by staff photographers ..." is no credit), joined by , / & "and" "in" "via"
# ("Jane Roe in London and John Doe", "Jane Roe/AFP via Getty Images").
_NAME = r"(?-i:(?:the )?[A-Z][\w'’.-]*(?: (?:[A-Z][\w'’.-]*|de|van|von|der|da|di|la|le|al|bin))*)"
NAMES = rf"{_NAME}(?:\s*(?:[,/&]|\band\b|\bin\b|\bvia\b)\s*{_NAME})*"
_CREDIT = rf"(?:additional )?(?:reporting|writing|editing|edited|compiled|graphics|production) by {NAMES}"
_CREDIT_LIST = rf"{_CREDIT}(?:\s*[;,]\s*(?:and )?{_CREDIT})*\.?"
# Agency credits; "Reporting by Jane Roe" alone is a byline, and a sentence is text.
CREDITS = re.compile(
    rf"^(?:\({_CREDIT_LIST}\)|(?!reporting by {NAMES}\.?$){_CREDIT_LIST})\s*:?$", re.IGNORECASE
)
PHOTO_CREDIT = re.compile(
    r"^\(?(?:photo(?:graph)?s?|image|picture|pic|video)"
    rf"(?:\s*:\s*\S|\s+(?:by|courtesy(?: of)?)\s+(?:the \w+|{NAMES})\.?\)?$)"
    r"|^(?:image|media|photo) (?:caption|source|credit)\b"  # a caption: any text after the label
    r"|(?:getty images|shutterstock|/reuters|/afp|/ap|/epa)\)?$",
    re.IGNORECASE,
)
COPYRIGHT = re.compile(  # "© 2014 Harbour Times. All rights reserved.": names after the year, nothing else
    rf"^(?:©|\(c\)|copyright)(?:\s*(?:©|\(c\)))?(?:\s*\d{{4}}(?:\s*[-–]\s*\d{{4}})?)?,?\s*(?:{NAMES})?"
    r"(?:,?\s*\d{4})?\.?(?:\s*all rights reserved\.?)?$|\ball rights reserved\.?$",
    re.IGNORECASE,
)
# A reporting clause makes a line a reported sentence, never furniture ("Subscribe to flood
# alerts, the council told residents on Monday."): a comma, up to 5 words and a reporting verb.
REPORTED = re.compile(
    r",\s+(?:\S+\s+){0,5}?(?:said|says|told|tells|found|finds|reported|added|warned|ruled|wrote|announced)\b"
    r"|\baccording to\b",
    re.IGNORECASE,
)


def split_parts(line: str) -> list[str]:
    """The stripped, non-empty parts of a combined metadata line, split at | · • and spaced
    dashes or slashes ("By Jane Roe | Oct 7, 2014" gives two)."""
    return [p.strip() for p in _PART_SPLIT.split(line) if p.strip()]


def is_label(text: str, max_words: int = 3, every_word: bool = True) -> bool:
    """A short capitalised label (``every_word``: each word capitalised, else the first): no
    digits, no final punctuation, at most ``max_words`` words besides & and of."""
    words = [w for w in text.split() if w not in ("&", "and", "of")]
    return (
        0 < len(words) <= max_words
        and len(text) <= 40
        and not any(c.isdigit() for c in text)
        and not SENTENCE_END.search(text)
        and all(w[0].isupper() for w in (words if every_word else words[:1]))
    )


def _is_name(text: str, min_words: int = 1, field: bool = False) -> bool:
    """A person's name: 1 to 5 words, each capitalised (or an initial, or a particle such as
    "van"), of letters, apostrophes, hyphens and dots; not a role or outlet (:func:`is_role`), nor
    a weekday or month alone, nor with "A" ("By A Staff Reporter") unless a ``field`` ("A Lee")."""
    tokens = text.split()
    named = [t for t in tokens if t.lower() not in _PARTICLES]
    if not min_words <= len(tokens) <= 5 or not named or tokens[0].lower() in _PARTICLES or is_role(text):
        return False
    if len(tokens) == 1 and tokens[0].lower() in _TIME_WORDS:
        return False  # "By Tuesday, ..."
    articles = _ARTICLES - {"a"} if field else _ARTICLES  # lower-case "a" fails isupper anyway
    return all(
        t[0].isupper() and t.lower() not in articles and all(c.isalpha() or c in "'’-." for c in t)
        for t in named
    )


def role_or_outlet(text: str) -> str:
    """How a note names a part dropped from a byline (:func:`is_role` True): "byline role" with a
    role word ("Europe editor"), else "byline outlet" ("Reuters", "BBC News")."""
    return "byline role" if _ROLE_WORD.search(text) else "byline outlet"


def is_role(text: str) -> bool:
    """A job title or outlet as it follows a name in a byline ("Europe editor", "Staff Writer",
    "BBC News", "Reuters"): at most 8 words without digits or final punctuation, with a role
    word, an outlet word, a news agency, an acronym ("BBC") or a single word in capitals; never
    with a relative pronoun, "by" or a verb such as "was" or "said" (then it is a headline)."""
    text = text.strip()
    words = text.split()
    if not words or len(words) > 8 or SENTENCE_END.search(text) or any(c.isdigit() for c in text):
        return False
    if _NOT_ROLE.search(text):
        return False
    capitals = [w for w in words if len(w) > 1 and w.isupper() and w.isalpha()]
    # "BBC News", "BBC": an acronym; "JANE ROE" is a name in capitals.
    acronym = bool(capitals) and (len(words) == 1 or not text.isupper())
    return bool(acronym or text.lower() in AGENCIES or _OUTLET_WORD.search(text) or _ROLE_WORD.search(text))


def _names(piece: str, min_words: int, field: bool) -> list[tuple[str, str | None]] | None:
    """The names in one comma-separated piece of a byline ("Jane Roe and John Doe in Kyiv"),
    each with the place that followed it; None when any of them is not a name."""
    found: list[tuple[str, str | None]] = []
    for candidate in re.split(r"\s+(?:and|&)\s+", piece):
        place = _PLACE.search(candidate)
        name = candidate[: place.start()] if place else candidate
        if not _is_name(name, min_words, field):
            return None
        found.append((name, place.group().strip() if place else None))
    return found


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _capitals(author: str) -> tuple[str, tuple[str, ...]]:
    if author.isupper():
        return author.title(), (f"byline in capitals: author written as {author.title()!r}",)
    return author, ()


def byline(line: str, bare_names: bool = False, field: bool = False) -> Classified | None:
    """A byline: "By NAME[, role][ and NAME ...]", an agency alone ("Reuters", "From AFP"), or
    "NAME, role" with a role word; with ``bare_names`` (beside a date in a combined line) a name
    of 2+ words alone; ``field``: :func:`_is_name`. Roles, outlets, places and post-nominals
    (Ph.D., MBE, Jr., III) go to ``dropped``; None when the line is not a byline."""
    from syndicate.ingest.lines import Classified, LineKind  # lines imports this module

    degrees = [m.group().strip(" ,") for m in _POST_NOMINAL.finditer(line)]
    line = _POST_NOMINAL.sub("", line).strip()
    if not line or len(line) > 160 or (SENTENCE_END.search(line) and not _NAME_END.search(line)):
        return None
    agency = _FROM.match(line)
    rest = agency["rest"] if agency else line
    if rest.lower() in AGENCIES:
        return Classified(LineKind.BYLINE, author=re.sub(r"\s+staff$", "", rest, flags=re.IGNORECASE))
    by = _BY.match(line)
    names: list[str] = []
    dropped = [("byline post-nominal", degree) for degree in degrees]
    pieces = [re.sub(r"^(?:and|&)\s+", "", p.strip()) for p in re.split(r"[,;]", by["rest"] if by else line)]
    for i, piece in enumerate(pieces):
        # After the first piece a one-word name is more likely a place ("By Jane Roe, Brussels").
        group = _names(piece, 1 if by and i == 0 else 2, field)
        if group is not None:
            names += [name for name, _ in group]
            dropped += [("byline place", place) for _, place in group if place]
        elif i > 0 and (is_role(piece) or (by and re.fullmatch(r"[a-z]+(?:-[a-z]+)*", piece))):
            # A single lower-case word after "By NAME," describes the person ("By Jordan Peele,
            # director"): a role even when it is not in the role words.
            dropped.append(("byline role", piece))
        elif (
            i > 0
            and not _NOT_ROLE.search(piece)
            and is_label(re.sub(r"^(?:in|at)\s+", "", piece), every_word=False)
        ):  # "Brussels", "in Kyiv"
            dropped.append(("byline place", piece))
        else:
            return None
    with_role = any(_ROLE_WORD.search(text) for _, text in dropped)
    if not names or not (by or bare_names or with_role):
        return None
    author, notes = _capitals(_join(names))
    return Classified(LineKind.BYLINE, author=author, dropped=tuple(dropped), notes=notes)


def loose_byline(line: str, prose: bool = False) -> Classified | None:
    """A line that opens "By" and a name of 2 to 5 capitalised words ending at a comma, a
    separator or the line's end ("By Jane Roe, M.Phil. (Oxon)"), which :func:`byline` refused:
    the name is the author, the rest dropped, with a note. For the header, where such a line is
    never the title; with ``prose`` False None when the rest has a lower-case word of 3+ letters,
    so a lead such as "By New Year, the bridge will open." stays text. None when not "By" NAME."""
    from syndicate.ingest.lines import Classified, LineKind

    by = _BY.match(line)
    if not by or len(line) > 160:
        return None
    head, *rest = re.split(r"\s*[,;|·•]\s*|\s+[—–-]\s+", _POST_NOMINAL.sub("", by["rest"]), maxsplit=1)
    if not _is_name(head, min_words=2) or (not prose and re.search(r"\b[a-z]{3,}", " ".join(rest))):
        return None
    author, notes = _capitals(head)
    note = f"byline {line[:60]!r} read loosely: author {author!r}, the rest dropped"
    return Classified(LineKind.BYLINE, author=author, dropped=(("byline", line),), notes=(note, *notes))


def bare_byline(line: str) -> Classified | None:
    """A name of 2 to 5 capitalised words alone as a byline ("Jane Roe", "Jane Roe and John
    Doe"), for the parser to use where its neighbours say so (a date line right below it)."""
    return byline(line, bare_names=True)


def byline_name(text: str) -> tuple[str, tuple[str, ...]] | None:
    """The author a metadata value (JSON-LD author, ``<meta name="author">``, byline element) names
    by a scrape's byline rule (:func:`byline`), bare names of 2+ words accepted (a field holds names),
    as (author, notes to record: capitals title-cased), from the first part of a combined line that
    names someone ("By Jane Roe, Europe editor | 4 March"); None for a URL, email, digits, a role."""
    parts = (byline(p, True, field=True) for p in split_parts(" ".join(text.split())))
    found = next((c for c in parts if c and c.author), None)
    return (found.author, found.notes) if found and found.author else None
