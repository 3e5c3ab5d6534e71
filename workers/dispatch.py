"""Sending work to the workers, by task name, without importing the tasks (or the models)."""

from __future__ import annotations

from collections.abc import Iterable

from celery import Celery

from workers.app import PUBLISH_QUEUE, translate_queue

# The operator is waiting: give up on an unreachable Redis after a few seconds. The jobs stay
# queued in the database and are sent again when the stack runs.
_SEND_RETRY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1.0}


def translate_task_id(article_id: str, revision: int, lang: str) -> str:
    """Deterministic: the same job always has the same id."""
    return f"translate:{article_id}:{revision}:{lang}"


def send_translation(app: Celery, article_id: str, revision: int, lang: str, fresh: bool = False) -> None:
    """``fresh`` re-runs the model instead of reading the translation memory (retranslate)."""
    app.send_task(
        "syndicate.translate",
        args=[article_id, revision, lang],
        kwargs={"fresh": fresh} if fresh else {},
        queue=translate_queue(lang),
        task_id=translate_task_id(article_id, revision, lang) + (":fresh" if fresh else ""),
        retry=True,
        retry_policy=_SEND_RETRY,
    )


# Set while a publish of a language waits in the queue; the publish task clears it as it starts.
# It expires in case its message is lost with a worker (the sweeper also sends regardless).
PUBLISH_PENDING_KEY = "syndicate:publish-pending:{lang}"
PUBLISH_PENDING_TTL_S = 600


def send_publish(app: Celery, lang: str, force: bool = False) -> bool:
    """Queue a publish of ``lang`` unless one is queued and has not started yet.

    Every translation asks for a publish; under load thousands would queue, each re-rendering
    the feeds for nothing. A publish that has not started will see whatever is committed before
    it starts, so one waiting publish per language is enough. Returns whether one was sent.
    """
    if not force:
        with app.connection_for_write() as conn:
            client = conn.default_channel.client
            if not client.set(PUBLISH_PENDING_KEY.format(lang=lang), "1", nx=True, ex=PUBLISH_PENDING_TTL_S):
                return False
    app.send_task("syndicate.publish", args=[lang], queue=PUBLISH_QUEUE, retry=True, retry_policy=_SEND_RETRY)
    return True


def publish_started(client, lang: str) -> None:
    """Called by a publish as it starts: from here on it sees everything committed, so a
    translation finishing later must queue another publish."""
    client.delete(PUBLISH_PENDING_KEY.format(lang=lang))


def send_jobs(app: Celery, article_id: str, revision: int, langs: Iterable[str], source_lang: str) -> None:
    for lang in langs:
        if lang == source_lang:
            send_publish(app, lang)
        else:
            send_translation(app, article_id, revision, lang)
