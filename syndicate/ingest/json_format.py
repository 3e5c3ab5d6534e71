"""JSON input for programs: {"title", "published", "body" or "paragraphs", "url", "author"}.

"body" is text with paragraphs separated by blank lines (kinds found as in the text format);
"paragraphs" is a list of strings or of {"kind", "text"} objects. "published" is ISO 8601; a
time without an offset is read in the source zone.
"""

from __future__ import annotations

import json
from datetime import datetime

from syndicate.ingest import structure
from syndicate.ingest.errors import BadDate, NoBody, NoTitle, Rejected
from syndicate.ingest.options import Reading
from syndicate.model import Article, Kind, Paragraph


class BadJson(Rejected):
    """Not JSON, not an object, or a paragraph that is neither a string nor {"kind", "text"}."""

    reason = "bad-json"


def parse(text: str, reading: Reading) -> Article:
    """Parse a JSON object (see the module docstring) into an Article in ``lang``.

    ``published`` is read with :meth:`datetime.fromisoformat` (``Z`` accepted); a time without
    an offset is in ``zone``. The first block is the lead (:func:`structure.lead`), whatever its
    kind; a string paragraph gets its kind from :func:`structure.paragraph`, an object keeps its
    ``kind`` (a :class:`Kind` value). Raises BadJson, NoTitle, BadDate, NoBody (no body or
    paragraphs, or all empty), or CutLead under ``LeadPolicy.REJECT``.
    """
    zone, lang, lead_policy = reading.options.zone, reading.options.lang, reading.options.lead_policy
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadJson(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, dict):
        raise BadJson("JSON input must be an object with title, published and body or paragraphs")
    title = structure.collapse(str(data.get("title") or ""))
    if not title:
        raise NoTitle('no title: the JSON object has no "title"')
    raw_date = data.get("published")
    if not isinstance(raw_date, str):
        raise BadDate('no date: the JSON object needs "published" (ISO 8601)')
    try:
        published = datetime.fromisoformat(raw_date.replace("Z", "+00:00"))
    except ValueError:
        raise BadDate(f'"published" is not ISO 8601: {raw_date!r}') from None
    if published.tzinfo is None:
        published = published.replace(tzinfo=zone)

    blocks: list[tuple[Kind | None, str]]
    if isinstance(data.get("paragraphs"), list):
        blocks = []
        for item in data["paragraphs"]:
            if isinstance(item, str):
                blocks.append((None, structure.collapse(item)))
            elif isinstance(item, dict) and isinstance(item.get("text"), str):
                try:
                    declared = Kind(item.get("kind", "paragraph"))
                except ValueError:
                    raise BadJson(f"unknown paragraph kind {item.get('kind')!r}") from None
                blocks.append((declared, structure.collapse(item["text"])))
            else:
                raise BadJson('"paragraphs" must hold strings or {"kind", "text"} objects')
    elif isinstance(data.get("body"), str):
        blocks = [(None, structure.collapse(b)) for b in data["body"].replace("\r\n", "\n").split("\n\n")]
    else:
        raise NoBody('no body: the JSON object needs "body" or "paragraphs"')
    blocks = [(kind, text) for kind, text in blocks if text]
    if not blocks:
        raise NoBody("no body: the paragraphs are empty")

    first_kind, first_text = blocks[0]
    lead = structure.lead(first_text, lead_policy)
    paragraphs = [Paragraph(Kind.LEAD, lead.text)]
    for kind, text in blocks[1:]:
        found = structure.paragraph(text)
        paragraphs.append(found if kind is None else Paragraph(kind, text, found.speaker))
    author, url = data.get("author"), data.get("url")
    return Article(
        title=title,
        published=published,
        paragraphs=tuple(paragraphs),
        lang=lang,
        author=structure.collapse(author) if isinstance(author, str) and author.strip() else None,
        url=url.strip() if isinstance(url, str) and url.strip() else None,
        lead_trimmed=lead.trimmed,
    )
