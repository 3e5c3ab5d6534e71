"""What a saved page says about its own article: publication and update dates, byline and
canonical URL, from the article's metadata, never from the page's chrome (issue 11: the
masthead's "today" was taken as the publication date; a relative canonical URL merged two
stories).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html

from syndicate.ingest import dates as date_rules
from syndicate.ingest import html_blocks, lines, structure
from syndicate.ingest.errors import BadDate
from syndicate.ingest.options import Reading

# schema.org types of an article: NewsArticle, ReportageNewsArticle, BlogPosting, ...
_ARTICLE_TYPE = re.compile(r"(?:Article|BlogPosting|Posting|Report)$")
# Page chrome whose dates are not the article's: the masthead's "today", menus, footers.
_CHROME = re.compile(r"masthead|top-?bar|today|current-?date|site-?header|breaking|ticker", re.IGNORECASE)
_JSON_LD = "//script[@type='application/ld+json']"
_DAY_ONLY = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*$")
_TIME_OF_DAY = re.compile(
    r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*(?:(?-i:[A-Z]{2,5})\b|[+-]\d{2}:?\d{2}))?",
    re.IGNORECASE,
)
_DATE_START = re.compile(r"\b(?:\d{1,4}|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE)
_META_DATES = (  # ((what, xpath) of the publication date, (what, xpath) of the update), in order
    (("article:published_time",
      "//meta[@property='article:published_time' or @property='og:article:published_time' "
      "or @name='article:published_time']/@content"),
     ("article:modified_time",
      "//meta[@property='article:modified_time' or @property='og:article:modified_time' "
      "or @name='article:modified_time']/@content")),
    (("itemprop datePublished",
      "//*[@itemprop='datePublished']/@content | //*[@itemprop='datePublished']/@datetime"),
     ("itemprop dateModified",
      "//*[@itemprop='dateModified']/@content | //*[@itemprop='dateModified']/@datetime")),
    (("<meta name=date>",
      "//meta[@name='pubdate' or @name='publish-date' or @name='date' or @name='dc.date' or "
      "@name='DC.date.issued' or @name='sailthru.date' or @name='parsely-pub-date']/@content"),
     ("<meta name=last-modified>", "//meta[@name='last-modified' or @name='dcterms.modified']/@content")),
)  # fmt: skip


@dataclass(frozen=True)
class Dates:
    """When the article was published (aware) and when it last changed (aware, or None)."""

    published: datetime
    updated: datetime | None


def strings(element: lxml.html.HtmlElement, xpath: str) -> list[str]:
    """The non-blank string results of an XPath selecting attributes or text, stripped."""
    found = element.xpath(xpath)
    return [str(v).strip() for v in found if str(v).strip()] if isinstance(found, list) else []


def timestamp(value: str, reading: Reading, what: str) -> datetime | None:
    """An aware datetime from a metadata value (ISO 8601, RFC 822; see
    :func:`dates.read_timestamp`, which notes a value without zone). A day without a time
    (``2018-04-09``) is midnight in the source zone, noted as such (the time is unknown).
    None when the value does not parse."""
    day = _DAY_ONLY.match(value)
    if day:
        try:
            found = date.fromisoformat(day.group(1))
        except ValueError:
            return None
        zone = reading.options.zone
        reading.note(f"{what} {found.isoformat()} gives no time of day: midnight assumed ({zone})")
        return datetime(found.year, found.month, found.day, tzinfo=zone)
    return date_rules.read_timestamp(value, reading, what)


def json_ld(page: lxml.html.HtmlElement, reading: Reading) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The schema.org article objects of the page's JSON-LD blocks (top level, in lists, in
    ``@graph``, or a page's ``mainEntity``), in page order, and every node by its ``@id``
    (to follow references such as ``"author": {"@id": ...}``). A block with trailing commas
    (``{"datePublished": "...",}``, common CMS template output) is read without them, noted; a
    block that is still not JSON is ignored with a note."""
    nodes: list[dict[str, Any]] = []
    for script in page.xpath(_JSON_LD):
        try:
            data, lenient = _json_ld_block(script.text or "")
        except ValueError:
            reading.note("a JSON-LD block of the page is not valid JSON: ignored")
            continue
        if lenient:
            reading.note("a JSON-LD block had trailing commas: read leniently")
        nodes += _nodes(data)
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    return [n for n in nodes if _is_article(n)], by_id


# A string (kept as it is), or a comma before a closing bracket (group 2: the whitespace and the
# bracket): matching strings first keeps a ",}" inside one as it is.
_TRAILING_COMMA = re.compile(r'("(?:[^"\\]|\\.)*")|,(\s*[}\]])')


def _bare(raw: str) -> str:
    """A script's text without the HTML comment or trailing semicolon some CMSes wrap it in."""
    return raw.strip().removeprefix("<!--").removesuffix("-->").strip().rstrip(";")


def _json_ld_block(raw: str) -> tuple[Any, bool]:
    """The parsed value of a JSON-LD script's text, and whether trailing commas (``,}``,
    ``,]`` outside strings) had to be removed for it to parse. Raises ValueError when it does
    not parse either way."""
    text = _bare(raw)
    try:
        return json.loads(text, strict=False), False
    except ValueError:
        return json.loads(_TRAILING_COMMA.sub(r"\1\2", text), strict=False), True


def _unreadable_json_ld(page: lxml.html.HtmlElement) -> bool:
    """Whether one of the page's JSON-LD blocks does not parse, even leniently."""
    for script in page.xpath(_JSON_LD):
        try:
            _json_ld_block(script.text or "")
        except ValueError:
            return True
    return False


def _nodes(data: Any) -> Iterator[dict[str, Any]]:
    """Every object of a JSON-LD value: itself, its ``@graph`` members, its ``mainEntity``."""
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity"):
            if key in data:
                yield from _nodes(data[key])


def _is_article(node: dict[str, Any]) -> bool:
    """Whether a JSON-LD node's ``@type`` (a string or list) is an article type."""
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and _ARTICLE_TYPE.search(k) for k in kinds)


def _first(value: Any) -> str | None:
    """A JSON-LD value as one string: the value, or a list's first string; None otherwise."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    return value.strip() if isinstance(value, str) and value.strip() else None


def main_article(page: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The page's article element: of the outermost ``<article>`` elements and those with a
    schema.org Article ``itemtype``, the one with the most text (teaser cards are
    ``<article>`` too); None when there is none."""
    found = page.xpath("//article[not(ancestor::article)] | //*[contains(@itemtype, 'Article')]")
    return max(found, key=lambda e: len(e.text_content()), default=None)


def dates(page: lxml.html.HtmlElement, articles: list[dict[str, Any]], reading: Reading) -> Dates:
    """The article's publication and update dates, each from the first source that gives one.

    Sources, in order: JSON-LD ``datePublished``/``dateModified`` of an article object,
    ``article:published_time``/``article:modified_time``, ``itemprop`` datePublished/dateModified
    (``content`` or ``datetime``), the common ``<meta name="date">`` spellings, a ``<time>``
    inside the page's article element; then htmldate on the page without its chrome (noted).
    An update equal to the publication date is None (the story never changed).
    Never the page's first ``<time>``: it is often the masthead's "today" (issue 11). A value
    that does not parse is noted and the next source tried. Raises BadDate when none gives one
    (its reason says so when a JSON-LD block is not JSON: review, the date was in one).
    """
    published_at: list[tuple[str, str | None]] = []
    updated_at: list[tuple[str, str | None]] = []
    for node in articles:
        published_at.append(("JSON-LD datePublished", _first(node.get("datePublished"))))
        updated_at.append(("JSON-LD dateModified", _first(node.get("dateModified"))))
    for (published_what, published_xpath), (updated_what, updated_xpath) in _META_DATES:
        published_at.append((published_what, next(iter(strings(page, published_xpath)), None)))
        updated_at.append((updated_what, next(iter(strings(page, updated_xpath)), None)))
    article = main_article(page)
    if article is not None:
        changed = strings(
            article, ".//time[contains(@class, 'update') or contains(@class, 'modif')]/@datetime"
        )
        times = [t for t in strings(article, ".//time/@datetime") if t not in changed]
        published_at.append(("<time> in the article", next(iter(times), None)))
        updated_at.append(("updated <time> in the article", next(iter(changed), None)))
    failed: list[str] = []
    published = _first_timestamp(published_at, reading, failed)
    updated = _first_timestamp(updated_at, reading, [])
    if published is None:
        published = _htmldate(page, reading)
    if published is None:
        looked = (
            "JSON-LD datePublished, article:published_time, itemprop datePublished, <time> in the article"
        )
        if _unreadable_json_ld(page):  # say why JSON-LD, where the date usually is, gave none
            failed.append("a JSON-LD block is not valid JSON")
        raise BadDate(f"no publication date found in the page ({'; '.join(failed) or looked})")
    # CMSes emit dateModified equal to datePublished for a story never changed: no update.
    return Dates(published, None if updated == published else updated)


def _first_timestamp(
    sources: list[tuple[str, str | None]], reading: Reading, failed: list[str]
) -> datetime | None:
    """The first value of ``(what, value)`` pairs that parses; those that do not are noted and
    added to ``failed``."""
    for what, value in sources:
        if value is None:
            continue
        found = timestamp(value, reading, what)
        if found is not None:
            return found
        failed.append(f"{what} {value!r} is not a date")
        reading.note(f"{failed[-1]}: ignored")
    return None


def _htmldate(page: lxml.html.HtmlElement, reading: Reading) -> datetime | None:
    """The date htmldate finds on the page without its chrome (:func:`html_blocks.drop_chrome`,
    and ``_CHROME`` classes and ids), noted as the source. htmldate gives the time only when
    the element it read carries one, and midnight when it found a day (measured: "Posted on
    September 5, 2017 at 7:12 am" gave 00:00): then the element that states that day with a
    time (an attribute or a short text) gives it, else midnight is noted."""
    from htmldate import find_date

    tree = copy.deepcopy(page)
    html_blocks.drop_chrome(tree)
    for element in [e for e in tree.iter() if _is_chrome(e)]:
        if element.getparent() is not None:
            element.drop_tree()
    latest = (reading.options.now + timedelta(days=2)).strftime("%Y-%m-%d")
    found = find_date(
        tree, extensive_search=False, original_date=True, outputformat="%Y-%m-%dT%H:%M:%S%z", max_date=latest
    )
    if not found:
        return None
    what = "publication date found by htmldate (no article metadata gives one)"
    if found.endswith("T00:00:00"):  # a day, without time or zone: find who says more
        value = _stated_time(tree, date.fromisoformat(found[:10]), reading)
        if value is not None:
            reading.note(f"{what}: {value.isoformat()}")
            return value
        return timestamp(found[:10], reading, what)
    value = timestamp(found, reading, what)
    if value is not None:
        reading.note(f"{what}: {value.isoformat()}")
    return value


def _is_chrome(element: lxml.html.HtmlElement) -> bool:
    """Whether the element's class or id names page chrome (masthead, top bar, ticker)."""
    return isinstance(element.tag, str) and bool(
        _CHROME.search(f"{element.get('class', '')} {element.get('id', '')}")
    )


def _stated_time(tree: lxml.html.HtmlElement, day: date, reading: Reading) -> datetime | None:
    """The first full timestamp on ``day`` an element states: a ``datetime``, ``content`` or
    ``title`` attribute, or a short text such as "Posted on September 5, 2017 at 7:12 am"."""
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name in ("datetime", "content", "title"):
            value = element.get(name, "").strip()
            if value.startswith(day.isoformat()) and len(value) > 10:
                found = date_rules.read_timestamp(value, reading, "publication date")
                if found is not None and found.date() == day:
                    return found
        text = structure.collapse(element.text or "")
        time_of_day = _TIME_OF_DAY.search(text)
        start = _DATE_START.search(text)
        if time_of_day and start and start.start() < time_of_day.end() and len(text) <= 160:
            line = date_rules.read_date_line(text[start.start() : time_of_day.end()], reading)
            if line is not None and line.value.date() == day:
                return line.value
    return None


def author(
    page: lxml.html.HtmlElement,
    articles: list[dict[str, Any]],
    by_id: dict[str, Any],
    fallback: str | None,
    reading: Reading | None = None,
) -> str | None:
    """The byline: JSON-LD ``author`` of the article (a name, a Person object or ``@id``
    reference, or a list: "A and B", "A, B and C"), else ``<a rel="author">``, ``<meta
    name="author">``, ``itemprop="author"``, an element of class byline or author, then
    ``fallback`` (trafilatura's). Each read by :func:`byline` (its notes go to ``reading`` when
    given); None when none gives a name."""
    for article in articles:
        names = [n for n in (_person(a, by_id, reading) for a in _as_list(article.get("author"))) if n]
        if names:
            return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    xpaths = (
        "//a[contains(concat(' ', normalize-space(@rel), ' '), ' author ')]//text()",
        "//meta[@name='author']/@content",
        "//*[@itemprop='author']//*[@itemprop='name']/@content"
        " | //*[@itemprop='author']//*[@itemprop='name']//text()",
        "//*[@itemprop='author' and not(*)]//text() | //meta[@itemprop='author']/@content",
        "//*[contains(@class, 'byline') or contains(@class, 'author')][not(*[contains(@class, 'byline')])]",
    )  # fmt: skip
    for xpath in xpaths:
        found = page.xpath(xpath)
        values = (
            [v if isinstance(v, str) else v.text_content() for v in found] if isinstance(found, list) else []
        )
        for value in values:
            name = byline(str(value), reading)
            if name:
                return name
    return byline(fallback, reading) if fallback else None


def _as_list(value: Any) -> list[Any]:
    """A JSON-LD value as a list (a single value as a list of one)."""
    return value if isinstance(value, list) else [value]


def _person(value: Any, by_id: dict[str, Any], reading: Reading | None) -> str | None:
    """A JSON-LD author's name: a string, an object's ``name``, or the named node its ``@id``
    refers to."""
    if isinstance(value, dict) and "name" not in value and isinstance(value.get("@id"), str):
        value = by_id.get(value["@id"], {})
    if isinstance(value, dict):
        value = value.get("name")
    return byline(value, reading) if isinstance(value, str) else None


def byline(text: str, reading: Reading | None = None) -> str | None:
    """The author a metadata value names, by the byline rule of text scrapes
    (:func:`lines.byline_name`): "By Priya Natarajan, Health correspondent | 14 March" gives
    "Priya Natarajan"; a bare name of 2+ words is accepted. Its notes (a name in capitals
    title-cased) go to ``reading`` when given. None when the value names no one."""
    found = lines.byline_name(text)
    if found is None:
        return None
    for note in found[1]:
        if reading is not None:
            reading.note(note)
    return found[0]


def canonical(page: lxml.html.HtmlElement, reading: Reading) -> str | None:
    """The article's absolute URL: ``<link rel="canonical">``, else ``og:url``, else the page's
    own URL (``options.page_url``). A relative URL is resolved against the page's own URL when
    one is known, else ignored (issue 11: ``href="/news/latest"`` made two stories one); a
    protocol-relative one without a page URL is taken as https. Each of these is noted."""
    page_url = reading.options.page_url
    base = page_url.strip() if page_url and is_absolute_url(page_url.strip()) else None
    candidates = [
        (what, found[0])
        for what, found in (
            ("canonical URL", strings(page, "//link[contains(concat(' ', @rel, ' '), ' canonical ')]/@href")),
            ("og:url", strings(page, "//meta[@property='og:url']/@content")),
        )
        if found
    ]
    for what, value in candidates:
        if is_absolute_url(value):
            return value
        scheme = urlsplit(value).scheme
        if scheme:
            reading.note(f"{what} {value!r} is not an http(s) URL: ignored")
        elif base:
            resolved = urljoin(base, value)
            reading.note(f"relative {what} {value!r} resolved against the page URL: {resolved}")
            return resolved
        elif value.startswith("//"):
            reading.note(f"{what} {value!r} has no scheme: https assumed")
            return "https:" + value
        else:
            reading.note(f"relative {what} {value!r} ignored: no page URL known")
    return base


def is_absolute_url(url: str) -> bool:
    """Whether ``url`` is an absolute http or https URL with a host."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
