"""JSON Feed 1.1 (feedgen has none), from the same Feed as RSS and Atom."""

from __future__ import annotations

import json

from feeds.document import Feed

VERSION = "https://jsonfeed.org/version/1.1"


def jsonfeed_bytes(feed: Feed) -> bytes:
    items = []
    for entry in feed.entries:
        item = {
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
        if entry.provenance:
            item["_syndicate"] = {"machine_translation": True, "provenance": entry.provenance}
        items.append(item)
    document = {
        "version": VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.url("json"),
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
