"""Ingestion: turn what an operator submits into an Article, or reject it with a reason.

One module per input format (scrape_text, html_format, json_format), shared decoding
(decode.py), structure rules (structure.py) and checks (checks.py). Every repair or assumption
made on the way is a note (options.Reading), carried out in ``Article.notes``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import UTC, tzinfo

from syndicate import inline
from syndicate.ingest import checks, html_format, json_format, scrape_text, structure
from syndicate.ingest.decode import decode
from syndicate.ingest.errors import Rejected
from syndicate.ingest.options import Format, IngestOptions, LeadPolicy, Reading
from syndicate.model import Article

__all__ = [
    "Format", "IngestOptions", "LeadPolicy", "Reading", "Rejected", "detect_format", "parse", "parse_bytes",
]  # fmt: skip

_HTML = re.compile(r"<(?:!doctype html|html|head|body|article|p)[\s>]", re.IGNORECASE)

# Every format's parser: (decoded text, the reading it adds its notes to) -> Article.
Parser = Callable[[str, Reading], Article]
TRIMMED_NOTE = "the lead was cut off mid-word; trimmed to its last sentence"


def detect_format(text: str) -> Format:
    """JSON if the text opens with ``{`` (or ``[{``: a JSON array, which the JSON parser refuses
    with its own reason); HTML if it opens with ``<`` and one of the first 2,000
    characters starts an html, head, body, article or p element (or a doctype); else TEXT.
    Never AUTO."""
    head = text.lstrip()[:2000]
    if head.startswith("{") or (head.startswith("[") and head[1:].lstrip()[:1] in ("{", "]")):
        return Format.JSON
    if head.startswith("<") and _HTML.search(head):
        return Format.HTML
    return Format.TEXT


def parse(text: str, options: IngestOptions, reading: Reading | None = None) -> Article:
    """Parse decoded text in ``options.format`` and run the checks every article must pass.

    ``reading`` holds notes made before parsing (by :func:`decode`); a fresh one is used when
    None. Returns an Article with an aware ``published`` (never ahead of ``options.now``:
    see :func:`checks.check`), exactly one LEAD paragraph, no empty paragraph, and ``notes``:
    every repair or assumption, one line each. Raises a :class:`Rejected` subclass with a
    one-line reason: NoBody, NoTitle, BadDate (none, unparseable, ambiguous, or too far in the
    future), BadJson, CutLead (``LeadPolicy.REJECT``), TooShort or WrongLanguage.
    """
    reading = reading or Reading(options)
    reading.options = options
    fmt = detect_format(text) if options.format == Format.AUTO else options.format
    parsers: dict[Format, Parser] = {
        Format.TEXT: scrape_text.parse,
        Format.HTML: html_format.parse,
        Format.JSON: json_format.parse,
    }
    article = parsers[fmt](text, reading)
    paragraphs, new_lead = structure.drop_title_repeat(
        article.paragraphs, article.title, reading, options.lead_policy, options.lang
    )
    if new_lead is not None:
        article = dataclasses.replace(article, paragraphs=paragraphs, lead_trimmed=new_lead.trimmed)
    article = dataclasses.replace(article, paragraphs=structure.drop_repeats(article.paragraphs, reading))
    # Inline markup follows every change ingestion made to a paragraph's text (a lead trimmed).
    article = dataclasses.replace(
        article,
        paragraphs=tuple(
            dataclasses.replace(p, html=inline.retext(p.html, p.text)) for p in article.paragraphs
        ),
    )
    if article.lead_trimmed:
        reading.note(TRIMMED_NOTE if options.lead_policy == LeadPolicy.TRIM else
                     "the lead was cut off mid-word; kept, marked with an ellipsis")  # fmt: skip
    article = checks.check(article, reading, min_words=options.min_words, now=options.now,
                           check_language=options.check_language)  # fmt: skip
    return dataclasses.replace(article, notes=tuple(reading.notes))


def parse_bytes(data: bytes, *, zone: tzinfo = UTC, max_bytes: int = 2_000_000, lang: str = "en",
                options: IngestOptions | None = None) -> Article:  # fmt: skip
    """Parse one submitted file's bytes: :func:`decode.decode`, then :func:`parse`.

    ``options`` wins over ``zone``, ``max_bytes`` (bytes) and ``lang`` when given. Raises a
    :class:`Rejected` subclass with a one-line reason: TooLarge, Empty, Binary or Undecodable
    from decoding, then whatever :func:`parse` raises.
    """
    options = options or IngestOptions(zone=zone, max_bytes=max_bytes, lang=lang)
    reading = Reading(options)
    return parse(decode(data, options.max_bytes, reading), options, reading)
