"""JSON Feed 1.1 (feedgen has none), from the same Feed as RSS and Atom.

Spec: https://www.jsonfeed.org/version/1.1/ (``_syndicate`` is an extension key: the spec
reserves keys starting with an underscore for publishers' extensions).
"""

from __future__ import annotations

import json
from typing import NotRequired, TypedDict

from feeds.document import Feed

VERSION = "https://jsonfeed.org/version/1.1"


class Author(TypedDict):
    """An author object (the spec's ``authors`` array, new in 1.1)."""

    name: str


class Hub(TypedDict):
    """A real-time notification endpoint: ``{"type": "WebSub", "url": hub}``."""

    type: str
    url: str


class TranslationKind(TypedDict):
    """Who translated an item: ``kind`` "machine", "post-edited" or "human"; ``segments`` the
    title and sentences, ``human_segments`` how many of them a person translated,
    ``approved_segments`` how many are the model's output a person approved unchanged."""

    kind: str
    model: str
    model_version: str
    segments: int
    human_segments: int
    approved_segments: int


class ItemProvenance(TypedDict):
    """The ``_syndicate`` extension object of a translated item."""

    machine_translation: bool  # false only for a human translation
    provenance: str  # who translated, as the note under the entry says
    translation: TranslationKind
    # Present (true) when the review grace period published it without an editor's approval.
    published_without_review: NotRequired[bool]


class Item(TypedDict):
    """One item; ``_syndicate`` only on machine translations."""

    id: str
    url: str
    title: str
    content_html: str
    summary: str
    date_published: str  # RFC 3339
    date_modified: str  # RFC 3339
    authors: list[Author]
    language: str
    _syndicate: NotRequired[ItemProvenance]


class Document(TypedDict):
    """A whole JSON Feed document; keys are written in this order."""

    version: str
    title: str
    home_page_url: str
    feed_url: str
    description: str
    language: str
    authors: list[Author]
    next_url: NotRequired[str]
    hubs: NotRequired[list[Hub]]
    items: NotRequired[list[Item]]


def jsonfeed_bytes(feed: Feed) -> bytes:
    """The feed as a JSON Feed 1.1 document: UTF-8 JSON, indented, ending in a newline.

    ``home_page_url`` is the language's page ``{base}/{lang}/``; ``feed_url`` is always the main
    feed's URL, archive pages included (the spec's identifier of the feed). Titles and
    ``summary`` are plain text (the spec says so); ``content_html`` is built from escaped text.
    Dates are RFC 3339 with their offset, as the spec asks. Paging: ``next_url`` leads to older
    items (the newest archive page, then older pages), the spec's pagination. A WebSub hub is
    listed in ``hubs``; a translated item carries ``_syndicate`` with who translated it: the
    note's text and ``translation`` = {kind, model, model_version, segments, human_segments,
    approved_segments}
    (and ``published_without_review: true`` when the review grace period published it).
    Equal feeds give equal bytes.
    """
    items: list[Item] = []
    for entry in feed.entries:
        item: Item = {
            "id": entry.id,
            "url": entry.url,
            "title": entry.title,
            "content_html": entry.content_html,
            "summary": entry.summary,
            "date_published": entry.published.isoformat(),
            "date_modified": entry.updated.isoformat(),
            "authors": [{"name": entry.author}],
            "language": entry.lang,
        }
        if entry.provenance and entry.translation:
            made = entry.translation
            item["_syndicate"] = {
                "machine_translation": made.kind != "human",
                "provenance": entry.provenance,
                "translation": {
                    "kind": made.kind,
                    "model": made.model,
                    "model_version": made.model_version,
                    "segments": made.segments,
                    "human_segments": made.human_segments,
                    "approved_segments": made.approved_segments,
                },
            }
            if entry.unreviewed:
                item["_syndicate"]["published_without_review"] = True
        items.append(item)
    document: Document = {
        "version": VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        # The spec: feed_url "is the URL of the feed, and serves as the unique identifier for the
        # feed", so an archive page names the main feed it is part of, never its own URL.
        "feed_url": feed.main_url("json"),
        "description": feed.description,
        "language": feed.lang,
        "authors": [{"name": feed.author}],
    }
    # Paging: next_url leads to older items (the newest archive page, then older pages).
    if feed.prev_archive:
        document["next_url"] = feed.archive_url("json", feed.prev_archive)
    if feed.hub:
        document["hubs"] = [{"type": "WebSub", "url": feed.hub}]
    document["items"] = items
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
