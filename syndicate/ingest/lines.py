"""Kinds of line around the article in a text scrape: page chrome and metadata, or text.

Each kind is a whole-line rule, so a line that merely contains "Read more" or starts "By the end
of the year, ..." stays TEXT; a combined line ("By Jane Roe | Oct 7, 2014 · 4 min read") is split
at its separators. Where a kind counts is the parser's call (scrape_text). The rules follow the
shapes of scraper output (tests/testdata/ingest/header/), not a spec. Decisions: the author is
the byline's names (bylines.py); a line opening "By" and a name is a byline before it is a
section label ("By Jane Roe | Reuters"), and in a combined line a role or outlet after the byline
is the byline's; without "By" a name is a byline beside a date in a combined line. Photo captions
and credits are not article text. The same body rules find page furniture in the blocks of an HTML
page or a JSON body (:func:`furniture`, :func:`without_furniture`); newsletter boxes, footer link
bars and cookie banners are whole-line shapes (tests/testdata/ingest/furniture/), so a sentence
about cookies or a newsletter stays text. Guards against false drops (review of November 2026,
tests/testdata/ingest/false_drops/): a line with a reporting clause is never furniture; a credit
is names and nothing after them; a date label is metadata only before something date-like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from dateutil.parser import parserinfo

from syndicate.ingest import bylines, dates
from syndicate.ingest.bylines import SENTENCE_END, bare_byline, byline, byline_name, is_role, split_parts
from syndicate.ingest.dates import DateLine, Role
from syndicate.ingest.options import IngestOptions, Reading

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

__all__ = ["DATE_LABEL", "Classified", "LineKind", "bare_byline", "byline_name", "classify", "furniture"]
__all__ += ["is_chrome", "is_role", "note_dropped", "quote", "without_furniture"]
Block = TypeVar("Block")
DATE_LABEL = "date label"  # Classified.dropped's name for "Published" alone, its date below
# A block of a page body or JSON paragraphs of up to this many words may be furniture (the
# shapes in tests/testdata/ingest/furniture/ are 1 to 9 words); photo credits and captions,
# agency credits and cookie banners have shapes of their own and are taken up to
# MAX_TRAILER_WORDS (the text scrape's limit for credits).
MAX_FURNITURE_WORDS = 12
MAX_TRAILER_WORDS = 40
NOTE_CHARS = 40  # a dropped line is quoted in the note up to this many characters


class LineKind(StrEnum):
    """What a line of a text scrape is; the value names it in notes."""

    CHROME = "chrome"  # share buttons, icon names run together, "Advertisement", "Skip to content"
    BREADCRUMB = "breadcrumb"  # Home > World > Europe
    SECTION = "section label"  # World | Asia-Pacific, Analysis
    READING_TIME = "reading time"  # 4 min read
    BYLINE = "byline"  # By Jane Roe, Europe editor
    DATE = "date"  # the publication date (dates.read_date_line, role PUBLISHED)
    UPDATED = "updated date"  # Updated: ..., Last modified ... (role UPDATED)
    PHOTO = "photo credit"  # Photo: Jane Roe/AFP, Image caption, ...
    TRAILER = "trailer"  # Related: ..., Read more, More on this story, Sign up ..., ©, (Reporting by ...)
    TEXT = "text"


@dataclass(frozen=True)
class Classified:
    """One line's kind; ``author``: a byline's names; ``dates``: the dates it states, with
    their roles (none when a labelled date line could not be read); ``dropped``: (what, text)
    for the notes, e.g. ("byline role", "Europe editor"); ``notes``: what reading it assumed, to
    record if the line is used; ``opens_list``: a trailer heading links ("More on this story")."""

    kind: LineKind
    author: str | None = None
    dates: tuple[DateLine, ...] = ()
    dropped: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    opens_list: bool = False


def _set(words: str, sep: str = " ") -> frozenset[str]:
    return frozenset(words.split(sep))


def _whole(*alternatives: str, end: str = "") -> re.Pattern[str]:
    return re.compile(r"^(?:" + "|".join(alternatives) + r")" + end + "$", re.IGNORECASE)


_ICON_TOKEN = re.compile(r"\w*icon\w*", re.IGNORECASE)
_CHROME = _whole(
    r"share(?: this| (?:this|the) (?:article|story|page|post))?(?: (?:on|via) [\w ]{1,20})?",
    r"print(?: this (?:article|page|story))?",
    r"(?:\d+ )?comments?(?: \(\d+\))?|(?:show|view|read|leave a|add a) comments?",
    r"subscribe(?: now| today)?|sign in|log in|register|menu|search|home|close|back to top",
    r"skip to (?:main )?content|sponsored(?: content)?|ad|promoted",
    r"follow(?: us)?(?: on [\w ]{1,20})?|copy link(?: to clipboard)?|link copied",
    r"save(?: article| for later| this article)?|saved|bookmark|gift (?:this )?article",
    r"listen(?: to this (?:article|story))?|this article is more than \d+ (?:years?|months?) old",
    # In-article ad slots and the "continue" markers around them.
    r"advertisement(?: ?[-–—:] ?scroll to continue(?: reading)?)?|(?:story|article|text) continues? below"
    r"(?: (?:this |the )?(?:advertisement|ad))?|continue reading (?:below|the (?:main )?story(?: below)?)",
    # Newsletter boxes, line by line.
    r"sign up(?: now| today| here)?|(?:sign up|subscribe) (?:for|to) (?:our|the) [\w'’ -]{0,30}newsletters?",
    r"get (?:the latest|our|the day's|today's) [\w'’ -]{0,30} (?:delivered|sent) (?:straight |directly )?"
    r"to your inbox|(?:enter |type )?your e-?mail(?: address)?(?: here)?|e-?mail address",
    # Cookie banner buttons.
    r"(?:accept|reject|decline|allow|refuse)(?: all)?(?: cookies)?|manage cookies",
    r"customi[sz]e(?: cookies| settings)?",
    r"(?:manage|cookie|privacy) (?:preferences|settings|options|choices)",
    end=r"\s*:?",
)
# A site's footer: a bar of two or more of these, joined by | · •, or one alone.
_FOOTER_LINKS = _set(
    "terms of use|terms of service|terms and conditions|terms & conditions|privacy policy|privacy notice"
    "|privacy|cookie policy|cookies policy|cookie settings|contact us|contact|about us|about|accessibility"
    "|careers|advertise|advertise with us|sitemap|site map|help|faq|corrections|newsletters|rss",
    "|",
)
# A cookie banner's text: a whole line that says the site uses cookies and asks for consent.
_COOKIE_BANNER = re.compile(
    r"^(?:we|this (?:web)?site|our (?:web)?site|[\w-]{1,30}\.(?:com|org|net|co\.uk)) (?:use|uses) cookies\b"
    r"(?=.*\b(?:you (?:agree|consent|accept)|(?:consent|agree) to (?:our|the) use|cookie (?:policy|settings)"
    r"|privacy policy|(?:manage|your) (?:cookie )?preferences|accept (?:all )?cookies)\b)",
    re.IGNORECASE,
)
_SHARE_WORDS = _set(
    "share tweet email e-mail mail print facebook twitter x linkedin whatsapp telegram vk reddit "
    "pinterest messenger copy link save comments comment flipboard pocket bluesky threads"
)
_MARKER = _whole(
    r"related(?: (?:stories|articles|content|coverage|links|news|reading|topics))?",
    r"more (?:on|about) this (?:story|topic)|more from [\w&'’ -]{1,40}|more stories",
    r"most (?:read|popular|viewed|shared)|you (?:may|might) also (?:like|be interested in)",
    r"recommended(?: for you| stories| reading)?|read (?:more|next|also)|also read|see also",
    r"top stories|latest (?:stories|news)|what to read next|trending(?: now)?|topics|tags",
    r"related (?:posts|videos)",
    end=r"\s*:?",
)
_LINK = _whole(
    r"(?:read (?:more|next|also)|also read|see also|related|more|watch|listen|tags|topics)\s*:\s*\S.{0,200}",
    r"read more (?:about|on) [^.!?]{1,120}|continue reading|read the full (?:story|article)",
)
_SIGNUP = re.compile(
    r"^(?:sign up|subscribe)\b.{0,120}\b(?:newsletters?|briefing|alerts)\b"
    r"|^get (?:our|the) .{0,60}newsletter",
    re.IGNORECASE,
)
_MINUTES = r"(?:about\s+|approx\.?\s+|~\s*|less than\s+)?(?:\d{1,3}|an?|one)[\s-]*(?:min(?:ute)?s?|m)\b\.?"
_READING_TIME = re.compile(
    rf"^(?:(?:estimated\s+)?(?:reading|read|listening)\s+time\s*:?\s*{_MINUTES}"
    rf"|{_MINUTES}\s+(?:read|reading|listen|watch))$",
    re.IGNORECASE,
)
# A labelled date line the date reader could not read ("Updated 2 hours ago").
_DATE_LABEL = re.compile(
    r"^(?:(?P<updated>(?:last\s+)?(?:updated|modified|edited)|last\s+update)|(?:first\s+)?(?:published|posted))"
    r"\b(?!\s+by\b)(?:\s+(?:on|at))?\s*:?",
    re.IGNORECASE,
)
_SECTIONS = _set(
    "news|world|europe|asia|africa|americas|middle east|asia-pacific|asia pacific|australia|uk|us|u.s."
    "|politics|business|economy|markets|money|technology|tech|science|health|environment|climate|sport"
    "|sports|culture|arts|entertainment|lifestyle|travel|opinion|analysis|comment|editorial|features"
    "|feature|local|national|international|breaking|breaking news|exclusive|live|explainer|education"
    "|weather|obituaries|video|investigations|science & environment|uk politics|world news",
    "|",
)
_reported = bylines.REPORTED.search  # a reporting clause: never furniture (bylines.REPORTED)
_DATES, _RELATIVE = parserinfo(), frozenset(("ago", "now", "today", "yesterday"))
_CRUMB_SPLIT = re.compile(r"\s*[>»›→]\s*")
_BY_NAME = re.compile(r"^(?i:(?:written\s+|reported\s+|posted\s+)?by\b\s*:?)\s*[A-Z]")  # not "By the"


def is_chrome(line: str) -> bool:
    """Web-page UI, not article text: True for a whole line that is a UI phrase ("Share",
    "Advertisement", "Skip to content", "3 comments"), a run of share-button names ("Facebook
    Twitter Email"), or 3 or more words of which at least a quarter contain "icon"
    ("facebookicon twittericon mailicon"). A sentence that mentions them is not chrome."""
    stripped, tokens = line.strip(), line.split()
    words = [t for t in re.split(r"[\s|·•,/]+", stripped.lower()) if t]
    if _CHROME.match(stripped) or (words and all(w in _SHARE_WORDS for w in words)):
        return True
    links = [p.strip().lower() for p in re.split(r"\s+[|·•]\s+|\s{2,}", stripped)]
    if all(p in _FOOTER_LINKS for p in links) and (len(links) >= 2 or "|" in stripped):
        return True
    if _COOKIE_BANNER.match(stripped) and len(tokens) <= MAX_TRAILER_WORDS and not _reported(line):
        return True
    return len(tokens) >= 3 and sum(1 for t in tokens if _ICON_TOKEN.fullmatch(t)) / len(tokens) >= 0.25


def _trailer(line: str) -> Classified | None:
    """A line that follows the article on a page: links to other stories, a newsletter offer,
    a copyright line, the agency's credits "(Reporting by ...; Editing by ...)"."""
    if _MARKER.match(line):
        return Classified(LineKind.TRAILER, dropped=(("trailer", line),), opens_list=True)
    other = not _reported(line) and (
        bylines.CREDITS.match(line) or _SIGNUP.match(line) or bylines.COPYRIGHT.search(line)
    )
    if _LINK.match(line) or (other and len(line.split()) <= 40):
        return Classified(LineKind.TRAILER, dropped=(("trailer", line),))
    return None


def _breadcrumb(line: str) -> bool:
    """``Home > World > Europe`` (also » › →), or with spaced slashes when it starts at Home or
    has 3+ parts: each part 1 to 4 words, capitalised, without digits or final punctuation."""
    if any(c in line for c in ">»›→"):
        parts = [p for p in _CRUMB_SPLIT.split(line) if p]
    else:
        parts = line.split(" / ")
        parts = parts if parts[0].strip().lower() == "home" or len(parts) >= 3 else []
    return len(parts) >= 2 and all(bylines.is_label(p, max_words=4, every_word=False) for p in parts)


def _section(line: str) -> bool:
    """A known section or kicker label ("World", "Analysis"), or labels joined by | · • or
    spaced slashes, each of up to 3 capitalised words ("World | Asia-Pacific")."""
    parts = split_parts(line)
    if parts and all(p.lower() in _SECTIONS for p in parts):
        return True
    return len(parts) >= 2 and all(bylines.is_label(p) for p in parts)


def _date(text: str, options: IngestOptions) -> Classified | None:
    """A date line, with the notes reading it made kept apart (recorded only if the parser uses
    the line, so a part tried and discarded leaves no note)."""
    scratch = Reading(options)
    found = dates.read_date_line(text, scratch)
    kind = LineKind.UPDATED if found and found.role == Role.UPDATED else LineKind.DATE
    return Classified(kind, dates=(found,), notes=tuple(scratch.notes)) if found else None


def _datelike(rest: str) -> bool:
    """Whether what follows a date label may be a date the reader could not read ("2 hours ago",
    "yesterday", "Monday"): nothing, a digit, or a month, weekday or relative word (dateutil's
    names); else the label opens a title ("Updated Rules for Drivers", "Published and Damned")."""
    words = re.findall(r"[a-z]+", rest.lower())
    named = any(w in _RELATIVE or None is not _DATES.month(w) or None is not _DATES.weekday(w) for w in words)
    return named or not rest.strip(" :") or any(c.isdigit() for c in rest)


def _single(line: str, options: IngestOptions, header: bool, whole: bool = True) -> Classified:
    """The kind of a line, or with ``whole`` False of one part of a combined line (not split
    again). A line with separators is a date line only when every part is metadata, so a title
    such as "Harbour vote — Oct 7, 2014 result" is never taken for its date."""
    if is_chrome(line):
        return Classified(LineKind.CHROME, dropped=(("chrome", line),))
    if (trailer := _trailer(line)) is not None:
        return trailer
    if bylines.PHOTO_CREDIT.search(line) and len(line) <= 300 and not _reported(line):
        return Classified(LineKind.PHOTO, dropped=(("photo credit", line),))
    if not header:
        return Classified(LineKind.TEXT)
    if _READING_TIME.match(line):
        return Classified(LineKind.READING_TIME, dropped=(("reading time", line),))
    if _breadcrumb(line):
        return Classified(LineKind.BREADCRUMB, dropped=(("breadcrumb", line),))
    # "By Jane Roe | Reuters" is a byline before it is a section label
    if not (_BY_NAME.match(line) and byline(split_parts(line)[0])) and _section(line):
        return Classified(LineKind.SECTION, dropped=(("section label", line),))
    parts = split_parts(line) if whole else [line]
    if len(parts) > 1:
        return _combined(parts, options) or Classified(LineKind.TEXT)
    if (dated := _date(line, options)) is not None:
        return dated
    label = _DATE_LABEL.match(line)
    if label and len(line.split()) <= 8 and not SENTENCE_END.search(line) and _datelike(line[label.end() :]):
        kind = LineKind.UPDATED if label["updated"] else LineKind.DATE
        what = DATE_LABEL if label.end() == len(line) else f"unreadable {kind}"
        return Classified(kind, dropped=((what, line),))
    return byline(line) or Classified(LineKind.TEXT)


def _combined(parts: list[str], options: IngestOptions) -> Classified | None:
    """Metadata parts of one line ("By Jane Roe", "4 min read", "Oct 7, 2014"), or None when a
    part is text. A date split at a separator ("Oct 7, 2014 · 2:30 PM", "Updated | Oct 8,
    2014") is read back whole; a name beside a date or reading time is the byline."""
    found: list[tuple[str, Classified]] = []
    for part in parts:
        single = _single(part, options, header=True, whole=False)
        before, previous = found[-1] if found else ("", Classified(LineKind.CHROME))
        label = previous.kind in (LineKind.DATE, LineKind.UPDATED) and not previous.dates
        joinable = (single.kind is LineKind.TEXT and previous.dates) or (
            single.dates and (previous.kind is LineKind.TEXT or label)
        )
        dated = _date(f"{before} {part}", options) if joinable else None
        if dated:
            found[-1] = (f"{before} {part}", dated)
        else:
            found.append((part, single))
    kinds = {c.kind for _, c in found}
    if LineKind.TEXT in kinds and kinds & {LineKind.DATE, LineKind.UPDATED, LineKind.READING_TIME}:
        found = [(p, byline(p, True) or c) if c.kind is LineKind.TEXT else (p, c) for p, c in found]
        kinds = {c.kind for _, c in found}
    bylined = next((i for i, (_, c) in enumerate(found) if c.author), len(found))
    found = [  # after the byline a role or outlet alone is the byline's ("By Jane Roe | Reuters")
        (p, Classified(LineKind.BYLINE, dropped=((bylines.role_or_outlet(p), p),)))
        if i > bylined and c.kind in (LineKind.TEXT, LineKind.BYLINE) and is_role(p)
        else (p, c)
        for i, (p, c) in enumerate(found)
    ]
    kinds = {c.kind for _, c in found}
    if LineKind.TEXT in kinds:
        return None
    order = (LineKind.BYLINE, LineKind.DATE, LineKind.UPDATED, LineKind.READING_TIME, LineKind.SECTION)
    authors = [c.author for _, c in found if c.author]
    return Classified(
        next((k for k in order if k in kinds), LineKind.CHROME),
        author=authors[0] if authors else None,
        dates=tuple(d for _, c in found for d in c.dates),
        dropped=tuple(d for _, c in found for d in c.dropped),
        notes=tuple(n for _, c in found for n in c.notes),
    )


def classify(line: str, options: IngestOptions, header: bool = True) -> Classified:
    """The kind of one stripped, non-blank line of a text scrape (see LineKind).

    With ``header`` False (a line of the body) only CHROME, PHOTO and TRAILER are recognised and
    everything else is TEXT; in the header every kind, dates read by
    :func:`dates.read_date_line` in ``options.zone``, and combined lines split at | · • and
    spaced dashes or slashes when every part is metadata. Does not record notes: they are in
    ``Classified.notes``. Raises BadDate when a date line is plainly a date that cannot be
    settled (an ambiguous zone abbreviation), from the date reader.
    """
    return _single(line, options, header)


def furniture(text: str, options: IngestOptions) -> Classified | None:
    """The kind of one block of an article's body (an HTML page's block, a JSON paragraph) when
    it is page furniture a text scrape would drop (:func:`classify` with ``header`` False:
    chrome, photo credit, trailer); None for article text. Only a block of up to
    MAX_FURNITURE_WORDS words is furniture, or up to MAX_TRAILER_WORDS for the shapes of a photo
    credit, an agency's credits and a cookie banner; a longer block is always text. Returns the
    Classified with ``dropped`` set (for :func:`note_dropped`). Raises nothing."""
    text = " ".join(text.split())
    words = len(text.split())
    if not text or words > MAX_TRAILER_WORDS:
        return None
    found = classify(text, options, header=False)
    if found.kind is LineKind.TEXT:
        return None
    long_shape = found.kind is LineKind.PHOTO or bylines.CREDITS.match(text) or _COOKIE_BANNER.match(text)
    if words <= MAX_FURNITURE_WORDS or long_shape:
        return found if found.dropped else Classified(found.kind, dropped=((str(found.kind), text),))
    return None


def quote(text: str) -> str:
    """``text`` as a Python literal for a note, cut to NOTE_CHARS characters with "…"."""
    return repr(text if len(text) <= NOTE_CHARS else text[: NOTE_CHARS - 1].rstrip() + "…")


def note_dropped(reading: Reading, dropped: Iterable[tuple[str, str]]) -> None:
    """Record one note on ``reading`` listing every kind of line dropped, given as (what, text)
    pairs in order: the first of each kind, quoted, and how many more. Nothing when empty."""
    kinds: dict[str, list[str]] = {}
    for what, text in dropped:
        kinds.setdefault(what, []).append(text)
    if kinds:
        more = {what: f" (+{len(texts) - 1})" if texts[1:] else "" for what, texts in kinds.items()}
        listed = [f"{what} {quote(texts[0])}{more[what]}" for what, texts in kinds.items()]
        reading.note("dropped page chrome: " + ", ".join(listed))


def without_furniture(
    blocks: Sequence[Block],
    reading: Reading,
    text: Callable[[Block], str],
    item: Callable[[Block], bool],
    heading: Callable[[Block], bool] = lambda _: False,
) -> list[Block]:
    """``blocks`` (of any type: ``text`` gives a block's text, ``item`` whether it is a list item)
    without page furniture (:func:`furniture`), nor the short list items right after a block that
    opens a list of links ("Related posts:"); what was dropped is listed in one note
    (:func:`note_dropped`). For an HTML page's blocks and a JSON body's paragraphs, whatever
    their kind: a page gives "Advertisement" as a paragraph or a heading alike. A list item or
    heading (``heading``) of one share-button word ("WhatsApp" among blocked apps, "Print" over
    a media story's part) is text, and one of a list opener's words ("Trending") is text unless
    list items follow it (the reviewer's false drops, tests/testdata/ingest/false_drops/)."""
    kept: list[Block] = []
    dropped: list[tuple[str, str]] = []
    listing = False
    for n, block in enumerate(blocks):
        found = furniture(text(block), reading.options)
        word = text(block).strip().rstrip(":").lower()
        if found and " " not in word and (item(block) or heading(block)):
            items_below = found.opens_list and n + 1 < len(blocks) and item(blocks[n + 1])
            found = None if word in _SHARE_WORDS or (found.opens_list and not items_below) else found
        if found is None and listing and item(block) and len(text(block).split()) <= MAX_FURNITURE_WORDS:
            dropped.append(("trailer", text(block)))
        elif found is not None:
            dropped += found.dropped
            listing = found.opens_list
        else:
            kept.append(block)
            listing = False
    note_dropped(reading, dropped)
    return kept
