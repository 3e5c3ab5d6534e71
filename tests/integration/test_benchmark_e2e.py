"""The end-to-end measure of benchmarks/limits.py runs: submit -> real Redis -> real Celery
worker -> every language published, with the tiny demo models (their output is gibberish in the
target script, not a translation). No timing is asserted."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from benchmarks import limits, translate
from syndicate import ingest
from syndicate.store import Store


def test_end_to_end_publishes_every_language(site):
    settings = site.settings
    article = ingest.parse_bytes(translate.ARTICLE.read_bytes(), zone=ZoneInfo("UTC"), max_bytes=10**6)
    warm_up = translate.variant(article, 98)
    seconds, states, warm_states = limits.end_to_end(settings, warm_up, translate.ARTICLE.read_bytes())
    assert seconds > 0
    assert states == dict.fromkeys(settings.languages, "published")
    assert warm_states == dict.fromkeys(settings.languages, "published")
    # Two articles stored: the warm-up and the timed one, each once.
    store = Store(settings.database_url)
    try:
        titles = [s.title for s in store.articles.summaries()]
    finally:
        store.close()
    assert sorted(titles) == sorted([article.title, warm_up.title])
