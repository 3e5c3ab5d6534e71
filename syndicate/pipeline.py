"""What a worker does, as plain functions that need no broker: testable on their own."""

from __future__ import annotations

import logging
from enum import StrEnum

from syndicate.model import JobState
from syndicate.store import Store
from syndicate.translation.engine import Engine

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    TRANSLATED = "translated"
    ALREADY_DONE = "already-done"
    SUPERSEDED = "superseded"


def translate_job(store: Store, engine: Engine, article_id: str, revision: int, lang: str) -> Outcome:
    """Translate one revision into one language and store it. Safe to run twice.

    A redelivered task finds the translation already stored and does nothing; the upsert in
    ``save_translation`` covers two workers racing on the same job.
    """
    if store.translation(article_id, revision, lang) is not None:
        return Outcome.ALREADY_DONE
    article = store.revision(article_id, revision)
    if article is None:
        return Outcome.SUPERSEDED
    store.set_job_state(article_id, revision, lang, JobState.TRANSLATING, count_attempt=True)
    translation = engine.translate_article(article, lang)
    store.save_translation(article_id, revision, translation)
    log.info("translated", extra={"article_id": article_id, "lang": lang})
    return Outcome.TRANSLATED
