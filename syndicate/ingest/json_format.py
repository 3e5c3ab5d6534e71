"""JSON input for programs: {"title", "published", "body" or "paragraphs", "url", "author",
"updated"}.

"body" is text with paragraphs separated by blank lines (kinds found as in the text format), or
rendered HTML as CMS APIs return it; "paragraphs" is a list of strings (text or HTML) or of
{"kind", "text"} objects. HTML is read with the rules of a saved page (html_blocks: issue 11,
the tags were stored as text). "published" and "updated" (or "modified") are ISO 8601; a time
without an offset is read in the source zone. "url" is an absolute http(s) URL.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from syndicate.ingest import html_blocks, page_meta, structure
from syndicate.ingest.errors import BadDate, NoBody, NoTitle, Rejected
from syndicate.ingest.options import Reading
from syndicate.model import Article, Kind, Paragraph

# A block: its kind when the input settles it (declared, or an HTML element), else None (the
# text rules of structure.paragraph decide), and its text.
Block = tuple[Kind | None, str]


class BadJson(Rejected):
    """Not JSON, not an object, a paragraph that is neither a string nor {"kind", "text"}, or a
    "url" that is not an absolute http(s) URL."""

    reason = "bad-json"


def _html(text: str, reading: Reading) -> list[Block]:
    """The blocks of an HTML fragment (:func:`html_blocks.fragment_paragraphs`), noting the
    elements left out that held text (figures, asides, ...)."""
    found, dropped = html_blocks.fragment_paragraphs(text)
    if dropped:
        reading.note(f"left out of the HTML body (not article text): {', '.join(sorted(dropped))}")
    return [(p.kind, html_blocks.decoded(p.text, reading)) for p in found]


def _field(value: str, reading: Reading, what: str) -> str:
    """A one-line text field (title, author): its text content when it holds HTML tags (noted),
    else the value with character references decoded (:func:`html_blocks.decoded`)."""
    if html_blocks.has_markup(value):
        reading.note(f"HTML tags removed from the {what}")
        return " ".join(p.text for p in html_blocks.fragment_paragraphs(value)[0])
    return html_blocks.decoded(value, reading)


def _blocks(data: dict[str, Any], reading: Reading) -> list[Block]:
    """The body's blocks in order, from "paragraphs" (preferred) or "body"; empty ones dropped.
    Raises BadJson for a malformed paragraph or unknown kind, NoBody when neither key is usable."""
    blocks: list[Block] = []
    if isinstance(data.get("paragraphs"), list):
        for item in data["paragraphs"]:
            if isinstance(item, str):
                blocks += _html(item, reading) if html_blocks.has_markup(item) else [
                    (None, html_blocks.decoded(item, reading))]  # fmt: skip
            elif isinstance(item, dict) and isinstance(item.get("text"), str):
                try:
                    declared = Kind(item.get("kind", "paragraph"))
                except ValueError:
                    raise BadJson(
                        f"unknown paragraph kind {item.get('kind')!r} (one of: {', '.join(Kind)})"
                    ) from None
                text = item["text"]
                if html_blocks.has_markup(text):
                    text = " ".join(t for _, t in _html(text, reading))
                blocks.append((declared, html_blocks.decoded(text, reading)))
            else:
                raise BadJson('"paragraphs" must hold strings or {"kind", "text"} objects')
    elif isinstance(data.get("body"), str):
        body = data["body"]
        if html_blocks.has_markup(body):
            blocks = _html(body, reading)
        else:
            pieces = body.replace("\r\n", "\n").split("\n\n")
            blocks = [(None, html_blocks.decoded(b, reading)) for b in pieces]
    else:
        raise NoBody('no body: the JSON object needs "body" or "paragraphs"')
    return [(kind, text) for kind, text in blocks if text]


def _dates(data: dict[str, Any], reading: Reading) -> tuple[datetime, datetime | None]:
    """The aware "published" and "updated" (else "modified", else None) datetimes
    (:func:`page_meta.timestamp`). Raises BadDate when "published" is missing or not ISO 8601;
    an "updated" that is not is ignored, noted."""
    raw = data.get("published")
    if raw is None:
        raise BadDate('no date: the JSON object needs "published" (ISO 8601)')
    published = page_meta.timestamp(raw, reading, "published") if isinstance(raw, str) else None
    if published is None:
        raise BadDate(f'"published" is not ISO 8601: {raw!r}')
    key = "updated" if "updated" in data else "modified"
    raw = data.get(key)
    updated = page_meta.timestamp(raw, reading, key) if isinstance(raw, str) else None
    if raw is not None and updated is None:
        reading.note(f'"{key}" is not ISO 8601: {raw!r}: ignored')
    return published, updated


def _url(data: dict[str, Any]) -> str | None:
    """The "url" field, stripped; None when absent or blank. Raises BadJson when it is not an
    absolute http(s) URL: a relative one would merge stories that share it (issue 11)."""
    url = data.get("url")
    if url is None or (isinstance(url, str) and not url.strip()):
        return None
    if not isinstance(url, str) or not page_meta.is_absolute_url(url.strip()):
        raise BadJson(f'"url" must be an absolute http(s) URL, not {url!r}')
    return url.strip()


def parse(text: str, reading: Reading) -> Article:
    """Parse a JSON object (see the module docstring) into an Article in ``options.lang``.

    The lead is the first block that is not a heading (declared, or an HTML heading); a plain
    string gets its kind from :func:`structure.paragraph`, an object keeps its ``kind`` (a
    :class:`Kind` value; a "lead" after the first block becomes a paragraph, noted). Character
    references in title, author and text are decoded, noted. Dates: :func:`_dates`. Raises
    BadJson, NoTitle, BadDate, NoBody (no body or paragraphs, or all empty), or CutLead under
    ``LeadPolicy.REJECT``.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadJson(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, dict):
        what = "an array" if isinstance(data, list) else "not an object"
        raise BadJson(
            f"JSON input must be one object with title, published and body or paragraphs ({what} given; "
            "submit one file per article)"
        )
    title = _field(str(data.get("title") or ""), reading, "title")
    if not title:
        raise NoTitle('no title: the JSON object has no "title"')
    published, updated = _dates(data, reading)
    url = _url(data)
    blocks = _blocks(data, reading)
    first = next((i for i, (kind, _) in enumerate(blocks) if kind != Kind.HEADING), None)
    if first is None:
        raise NoBody("no body: the paragraphs are empty")
    lead = structure.lead(blocks[first][1], reading.options.lead_policy, reading.options.lang)
    paragraphs: list[Paragraph] = []
    for i, (kind, content) in enumerate(blocks):
        if i == first:
            paragraphs.append(Paragraph(Kind.LEAD, lead.text))
        elif kind == Kind.LEAD:
            reading.note(
                f"a paragraph of kind lead after the first ({content[:40]!r}...) read as a paragraph"
            )
            paragraphs.append(Paragraph(Kind.PARAGRAPH, content))
        else:
            who = structure.speaker(content) if kind == Kind.QUOTE else None
            paragraphs.append(structure.paragraph(content) if kind is None else Paragraph(kind, content, who))
    return Article(
        title=title,
        published=published,
        paragraphs=tuple(paragraphs),
        lang=reading.options.lang,
        author=_author(data.get("author"), reading),
        url=url,
        lead_trimmed=lead.trimmed,
        updated=updated,
    )


def _author(value: object, reading: Reading) -> str | None:
    """The ``author`` field: a name, a list of names ("A and B", "A, B and C"), or objects with a
    ``name`` (as schema.org writes a Person). Raises BadJson for any other shape, rather than
    dropping an author silently."""
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if not isinstance(name, str):
            raise BadJson('"author" must be a name, a list of names or objects with a "name"')
        if found := _field(name, reading, "author"):
            names.append(found)
    if not names:
        return None
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
