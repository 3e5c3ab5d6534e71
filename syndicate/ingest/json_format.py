"""JSON input for programs: {"title", "published", "body" or "paragraphs", "url", "author",
"updated"}.

"body" is text with paragraphs separated by blank lines (kinds found as in the text format), or
rendered HTML as CMS APIs return it; "paragraphs" is a list of strings (text or HTML) or of
{"kind", "text"} objects. HTML is read with the rules of a saved page (html_blocks: issue 11,
the tags were stored as text). "published" and "updated" (or "modified") are ISO 8601; a time
without an offset is read in the source zone. "url" is an absolute http(s) URL. A field of the
wrong type (a "title" that is an object, a "published" that is a number) is refused, naming the
field and the type given, never stored as its Python form (review: "{'rendered': ...}" was
published as a title); null is the same as absent.

A WordPress REST API post (``/wp-json/wp/v2/posts``: "title" and "content" objects holding
"rendered") is recognised by that shape and read as: title = title.rendered, body =
content.rendered, published = "date_gmt" (naive, UTC by WordPress's definition of the field)
else "date" (site-local: the source zone, noted), updated = "modified_gmt" else "modified",
url = "link"; "author" there is a user id, ignored (noted) unless ``_embedded.author`` (the
``?_embed`` form) gives names.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from datetime import datetime
from typing import Any

from syndicate.ingest import html_blocks, lines, page_meta, structure
from syndicate.ingest.errors import BadDate, NoBody, NoTitle, Rejected
from syndicate.ingest.options import Reading
from syndicate.model import Article, Kind, Paragraph

# A block: its kind when the input settles it (declared, or an HTML element), else None (the
# text rules of structure.paragraph decide), its text, and a quote's speaker when the HTML
# names one (its <cite>), and its inline markup (Paragraph.html) when it was HTML that had some.
Block = tuple[Kind | None, str, str | None, str | None]
# A date and time without an offset, as WordPress writes "date_gmt": "2024-03-05T09:15:00".
_NAIVE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


class BadJson(Rejected):
    """Not JSON, not an object, a field of the wrong type, a paragraph that is neither a string
    nor {"kind", "text"}, or a "url" that is not an absolute http(s) URL."""

    reason = "bad-json"


def _type(value: object) -> str:
    """The JSON type of a parsed value, with its article: "an object", "a list", "a number"..."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    names = {dict: "an object", list: "a list", str: "a string", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _string(data: dict[str, Any], key: str, where: str = "") -> str | None:
    """``data[key]`` when it is a string, None when absent or null. Raises BadJson naming the
    field (``where`` prefixes it: '"title".') and the type given otherwise."""
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise BadJson(f'{where}"{key}" must be a string ({_type(value)} was given)')


def _html(text: str, reading: Reading, base: str | None) -> list[Block]:
    """The blocks of an HTML fragment (:func:`html_blocks.fragment_paragraphs`; relative links
    resolved against ``base``, the article's "url"), noting the elements left out that held
    text (figures, asides, ...) and links kept as text."""
    notes: list[str] = []
    found, dropped = html_blocks.fragment_paragraphs(text, base, notes)
    if dropped:
        reading.note(f"left out of the HTML body (not article text): {', '.join(sorted(dropped))}")
    for note in notes:
        reading.note(note)
    return [(p.kind, html_blocks.decoded(p.text, reading), p.speaker, p.html) for p in found]


def _field(value: str, reading: Reading, what: str) -> str:
    """A one-line text field (title, author): its text content when it holds HTML tags (noted),
    else the value with character references decoded (:func:`html_blocks.decoded`)."""
    if html_blocks.has_markup(value):
        reading.note(f"HTML tags removed from the {what}")
        return " ".join(p.text for p in html_blocks.fragment_paragraphs(value)[0])
    return html_blocks.decoded(value, reading)


def _blocks(data: dict[str, Any], reading: Reading, base: str | None = None) -> list[Block]:
    """The body's blocks in order, from "paragraphs" (preferred) or "body"; empty ones dropped.
    Raises BadJson for a field or paragraph of the wrong type (indices from 0, as in JSON
    Pointer) or an unknown kind, NoBody when neither key is given."""
    blocks: list[Block] = []
    items, body = data.get("paragraphs"), _string(data, "body")
    if items is not None and not isinstance(items, list):
        raise BadJson(f'"paragraphs" must be a list ({_type(items)} was given)')
    if items is not None:
        for index, item in enumerate(items):
            if isinstance(item, str):
                blocks += _html(item, reading, base) if html_blocks.has_markup(item) else [
                    (None, html_blocks.decoded(item, reading), None, None)]  # fmt: skip
            elif isinstance(item, dict):
                where = f'"paragraphs"[{index}].'
                text, kind = _string(item, "text", where), _string(item, "kind", where) or "paragraph"
                if text is None:
                    raise BadJson(f'"paragraphs"[{index}] has no "text"')
                try:
                    declared = Kind(kind)
                except ValueError:
                    raise BadJson(f"unknown paragraph kind {kind!r} (one of: {', '.join(Kind)})") from None
                markup = None
                if html_blocks.has_markup(text):
                    found = _html(text, reading, base)
                    text = " ".join(block[1] for block in found)
                    if any(block[3] for block in found):
                        markup = " ".join(block[3] or html.escape(block[1], quote=False) for block in found)
                blocks.append((declared, html_blocks.decoded(text, reading), None, markup))
            else:
                wanted = 'a string or a {"kind", "text"} object'
                raise BadJson(f'"paragraphs"[{index}] must be {wanted} ({_type(item)} was given)')
    elif body is not None:
        if html_blocks.has_markup(body):
            blocks = _html(body, reading, base)
        else:
            pieces = body.replace("\r\n", "\n").split("\n\n")
            blocks = [(None, html_blocks.decoded(b, reading), None, None) for b in pieces]
    else:
        raise NoBody('no body: the JSON object needs "body" or "paragraphs"')
    return [block for block in blocks if block[1]]


def _dates(data: dict[str, Any], reading: Reading) -> tuple[datetime, datetime | None]:
    """The aware "published" and "updated" (else "modified", else None) datetimes
    (:func:`page_meta.timestamp`). Raises BadDate when "published" is missing or not ISO 8601,
    BadJson when either is not a string; an "updated" string that is not ISO 8601 is ignored,
    noted."""
    raw = _string(data, "published")
    if raw is None:
        raise BadDate('no date: the JSON object needs "published" (ISO 8601)')
    published = page_meta.timestamp(raw, reading, "published")
    if published is None:
        raise BadDate(f'"published" is not ISO 8601: {raw!r}')
    key = "updated" if data.get("updated") is not None else "modified"
    raw = _string(data, key)
    updated = page_meta.timestamp(raw, reading, key) if raw is not None else None
    if raw is not None and updated is None:
        reading.note(f'"{key}" is not ISO 8601: {raw!r}: ignored')
    return published, updated


def _url(data: dict[str, Any]) -> str | None:
    """The "url" field, stripped; None when absent or blank. Raises BadJson when it is not a
    string or not an absolute http(s) URL: a relative one would merge stories that share it (issue 11)."""
    url = _string(data, "url")
    if url is None or not url.strip():
        return None
    if not page_meta.is_absolute_url(url.strip()):
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
    if _is_wordpress(data):
        data = _wordpress(data, reading)
    title = _field(_string(data, "title") or "", reading, "title")
    if not title:
        raise NoTitle('no title: the JSON object has no "title"')
    published, updated = _dates(data, reading)
    url = _url(data)
    blocks = _blocks(data, reading, url)
    # Page furniture in a CMS body ("Advertisement", photo credits) goes as in pages and scrapes.
    blocks = lines.without_furniture(
        blocks, reading, lambda b: b[1], lambda b: b[0] == Kind.ITEM, lambda b: b[0] == Kind.HEADING
    )
    first = next((i for i, block in enumerate(blocks) if block[0] != Kind.HEADING), None)
    if first is None:
        raise NoBody("no body: the paragraphs are empty")
    lead = structure.lead(blocks[first][1], reading.options.lead_policy, reading.options.lang)
    paragraphs: list[Paragraph] = []
    for i, (kind, content, cited, markup) in enumerate(blocks):
        if i == first:
            paragraphs.append(Paragraph(Kind.LEAD, lead.text, html=markup))
        elif kind == Kind.LEAD:
            reading.note(
                f"a paragraph of kind lead after the first ({content[:40]!r}...) read as a paragraph"
            )
            paragraphs.append(Paragraph(Kind.PARAGRAPH, content, html=markup))
        else:
            who = (cited or structure.speaker(content)) if kind == Kind.QUOTE else None
            made = structure.paragraph(content) if kind is None else Paragraph(kind, content, who)
            paragraphs.append(dataclasses.replace(made, html=markup))
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
            given = f'an object whose "name" is {_type(name)}' if isinstance(item, dict) else _type(name)
            raise BadJson(
                f'"author" must be a name, a list of names or objects with a "name" ({given} was given)'
            )
        if found := _field(name, reading, "author"):
            # "By Jane Roe, Europe editor" gives Jane Roe, as in pages and scrapes; a value the
            # byline rule names no one in ("Madonna", "Staff") is kept as given.
            bare = page_meta.byline(found, reading) or found
            if bare != found:
                reading.note(f"author {found!r} read as {bare!r}")
            names.append(bare)
    if not names:
        return None
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _is_wordpress(data: dict[str, Any]) -> bool:
    """Whether ``data`` has the shape of a WordPress REST API post: "title" and "content" objects
    holding "rendered" (the shape alone: no other JSON input has it)."""
    return all(isinstance(data.get(k), dict) and "rendered" in data[k] for k in ("title", "content"))


def _wordpress(post: dict[str, Any], reading: Reading) -> dict[str, Any]:
    """A WordPress REST API post as this module's fields (see the module docstring; field
    definitions: WordPress REST API Handbook, "Posts"). A "date_gmt" without an offset is given
    "+00:00": the field is GMT by definition, so no zone is assumed. Raises BadJson when a
    "rendered" or date field is not a string, BadDate when the post has no date, NoBody when
    its content is password-protected (the API then gives it empty)."""
    reading.note("read as a WordPress REST API post")
    fields: dict[str, Any] = {
        "title": _string(post["title"], "rendered", '"title".'),
        "body": _string(post["content"], "rendered", '"content".') or "",
        "url": _string(post, "link"),
    }
    for ours, key in (("published", "date"), ("updated", "modified")):
        gmt = _string(post, f"{key}_gmt")
        if gmt:
            fields[ours] = gmt + "+00:00" if _NAIVE.match(gmt) else gmt
        elif local := _string(post, key):
            reading.note(f'WordPress "{key}_gmt" missing: the site-local "{key}" read in the source zone')
            fields[ours] = local
    if "published" not in fields:
        raise BadDate('no date: the WordPress post has no "date_gmt" or "date"')
    if not fields["body"].strip() and post["content"].get("protected") is True:
        raise NoBody("no body: the WordPress post is password-protected (its content is not in the API)")
    embedded = post.get("_embedded")
    names = embedded.get("author") if isinstance(embedded, dict) else None
    if isinstance(names, list) and names and all(isinstance(a, dict) and "name" in a for a in names):
        fields["author"] = names
    elif isinstance(post.get("author"), int) and not isinstance(post.get("author"), bool):
        reading.note(f"WordPress author id {post['author']} ignored: no name in the post")
    else:
        fields["author"] = post.get("author")
    return fields
