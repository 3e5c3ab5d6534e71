"""The one way work is sent: translations and publishes by task name (without importing the
tasks or the models), the Redis reachability check, the fallback when Redis is down, and
"render the feeds, then mark published". The CLI, the sweeper, the reaper and the tasks all
call this module; ``Dispatcher`` is the ``syndicate.sending.Sender`` the library is handed.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import redis
from celery import Celery

from syndicate import lifecycle, metrics
from syndicate.config import Settings
from syndicate.sending import PUBLISH_QUEUE, PUBLISH_TASK, TRANSLATE_TASK, translate_queue, translate_task_id
from syndicate.stack import redis_answers
from syndicate.store import JobKey, Store, Unreadable
from syndicate.store.errors import UNAVAILABLE, describe

log = logging.getLogger(__name__)

# The operator is waiting: give up on an unreachable Redis after a few seconds. The jobs stay
# queued in the database and are sent again when the stack runs.
_SEND_RETRY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1.0}

# Set while a publish of a language waits in the queue; the publish task clears it as it starts.
# It expires in case its message is lost with a worker (the sweeper also sends regardless).
PUBLISH_PENDING_KEY = "syndicate:publish-pending:{lang}"
PUBLISH_PENDING_TTL_S = 600

# Written to learn whether Redis takes writes: with its disk full ("MISCONF Errors writing to the
# AOF file"), as a replica (READONLY) or at maxmemory (OOM) it still answers reads but refuses
# every write, and a task's retry or a publish request is a write.
WRITE_PROBE_KEY = "syndicate:write-probe"
# Waiting for writes: full jitter, from 0.5 s doubling to at most 5 s apart, so work goes on
# within 5 s of Redis taking writes again at the cost of one SET per waiting process per 5 s.
WAIT_FIRST_S, WAIT_CAP_S = 0.5, 5.0


def redis_client(settings: Settings, timeout_s: float = 2.0) -> redis.Redis:
    """A client of the Redis that carries the queues (and the metrics hash)."""
    return redis.Redis.from_url(
        settings.redis_url, socket_connect_timeout=timeout_s, socket_timeout=timeout_s
    )


class Dispatcher:
    """Sends work for one configuration; creates its Celery app only when it first sends."""

    def __init__(self, settings: Settings, app: Celery | None = None) -> None:
        self.settings = settings
        self._app = app

    @property
    def app(self) -> Celery:
        """The Celery app given, or one created from the settings at first use."""
        if self._app is None:
            from workers.app import create_app

            self._app = create_app(self.settings)
        return self._app

    def reachable(self, timeout_s: float = 0.5) -> bool:
        """Whether Redis answers a PING within ``timeout_s`` seconds."""
        return redis_answers(self.settings.redis_url, timeout_s)

    def send_translations(self, keys: Sequence[JobKey], fresh: bool = False) -> bool:
        """Queue each job's translation task; False (the jobs stay due in the database) when
        Redis is unreachable."""
        if not keys:
            return True
        if not self.reachable():
            return False
        try:
            for key in keys:
                self.app.send_task(
                    TRANSLATE_TASK,
                    args=[key.article_id, key.revision, key.lang],
                    kwargs={"fresh": fresh} if fresh else {},
                    queue=translate_queue(key.lang),
                    task_id=translate_task_id(key, fresh),
                    retry=True,
                    retry_policy=_SEND_RETRY,
                )
        except Exception as exc:  # kombu raises several unrelated types for a lost connection
            log.warning("could not send translations: %s", exc)
            return False
        return True

    def send_publish(self, langs: Iterable[str], force: bool = False) -> bool:
        """Queue a publish of each language unless one is queued and has not started yet.

        Every translation asks for a publish; under load thousands would queue, each
        re-rendering the feeds for nothing. A publish that has not started will see whatever is
        committed before it starts, so one waiting publish per language is enough (``force``
        sends regardless, for the sweeper). False when Redis is unreachable.
        """
        marked: str | None = None  # a mark this call set and has not sent the publish for yet
        try:
            with self.app.connection_for_write() as conn:
                client = conn.default_channel.client
                for lang in langs:
                    key = PUBLISH_PENDING_KEY.format(lang=lang)
                    if not force and not client.set(key, "1", nx=True, ex=PUBLISH_PENDING_TTL_S):
                        continue
                    marked = key
                    self.app.send_task(
                        PUBLISH_TASK, args=[lang], queue=PUBLISH_QUEUE, retry=True, retry_policy=_SEND_RETRY
                    )
                    marked = None
        except Exception as exc:  # kombu raises several unrelated types for a lost connection
            log.warning("could not send a publish: %s", exc)
            if marked is not None:
                # A mark with no publish behind it would swallow every request for its TTL.
                _forget_mark(self.settings, marked)
            return False
        return True

    def send_submitted(self, submitted: Iterable[tuple[str, int]]) -> bool:
        """After submit: the translations of each (article, revision) and a publish of the
        source language. False when Redis is unreachable (everything stays due in the database)."""
        keys = [
            JobKey(article_id, revision, lang)
            for article_id, revision in submitted
            for lang in self.settings.targets
        ]
        return self.send_translations(keys) and self.send_publish([self.settings.source_lang])

    def publish_or_render(self, store: Store, langs: Sequence[str]) -> bool:
        """Queue a publish of ``langs``; when Redis is down, render and write them here and now
        (an operator's command must not wait for the stack). Returns whether it was queued.
        Raises OSError or a database error if rendering here fails."""
        if self.reachable() and self.send_publish(langs):
            return True
        for lang in langs:
            publish_now(store, self.settings, lang)
        return False


def _forget_mark(settings: Settings, key: str) -> None:
    client = redis_client(settings)
    try:
        client.delete(key)
    except redis.RedisError as exc:
        log.warning("could not clear %s (it expires in %d s): %s", key, PUBLISH_PENDING_TTL_S, exc)
    finally:
        client.close()


def publish_started(client: redis.Redis, lang: str) -> None:
    """Called by a publish as it starts: from here on it sees everything committed, so a
    translation finishing later must queue another publish. Raises redis.RedisError when Redis
    is away or refuses writes (the mark then stays and swallows publish requests until it expires)."""
    client.delete(PUBLISH_PENDING_KEY.format(lang=lang))


def write_refusal(client: redis.Redis) -> str | None:
    """None if Redis takes a write now; else why not, in one line: its error reply (e.g.
    "ResponseError: MISCONF Errors writing to the AOF file: No space left on device",
    "ReadOnlyError: ...") or the connection error."""
    try:
        client.set(WRITE_PROBE_KEY, "1", ex=60)
    except redis.RedisError as exc:
        return f"{type(exc).__name__}: {exc}".splitlines()[0]
    return None


def wait_for_writes(
    client: redis.Redis, budget_s: float, what: str, sleep: Callable[[float], None] = time.sleep
) -> bool:
    """Back off until Redis takes writes, for at most ``budget_s`` seconds; whether it does.

    Sleeps with full jitter between tries, from WAIT_FIRST_S doubling to WAIT_CAP_S apart. Logs
    once when it starts waiting (naming ``what`` waits: e.g. "publish ru") and once when done.
    Raises nothing.
    """
    reason = write_refusal(client)
    if reason is None:
        return True
    log.warning("Redis refuses writes (%s); %s waits for it, up to %.0f s", reason, what, max(budget_s, 0))
    started = time.monotonic()
    deadline = started + budget_s
    delay = WAIT_FIRST_S
    while (left := deadline - time.monotonic()) > 0:
        sleep(min(random.uniform(0, delay), left))
        delay = min(delay * 2, WAIT_CAP_S)
        if write_refusal(client) is None:
            log.warning("Redis takes writes again after %.1f s; %s goes on", time.monotonic() - started, what)
            return True
    log.error("Redis still refuses writes after %.0f s; %s is left to the sweeper", budget_s, what)
    return False


def redis_problem(settings: Settings, timeout_s: float = 0.5) -> str | None:
    """None when Redis answers and takes writes; else one line saying which it does not, for
    `syndicate doctor` ("not reachable: ..." or "refuses writes: ...").

    A Redis that refuses writes for a full disk (MISCONF) refuses PING too, so the write probe,
    not PING, tells the two apart.
    """
    client = redis_client(settings, timeout_s)
    try:
        try:
            client.ping()
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            return f"not reachable: {exc}"
        except redis.RedisError:
            pass
        reason = write_refusal(client)
    finally:
        client.close()
    return None if reason is None else f"refuses writes: {reason}"


@dataclass(frozen=True)
class PublishResult:
    """What a publish did: entries newly published, files written, and on failure why."""

    lang: str
    entries: int = 0
    marked: int = 0
    written: int = 0
    error: str | None = None


def publish_now(
    store: Store, settings: Settings, lang: str, client: redis.Redis | None = None
) -> PublishResult:
    """Render ``lang``'s feeds and pages from the store, write them, then mark the jobs whose
    text they now hold published, and fail jobs whose stored revision could not be read. Then
    publish, one after the other, each other language whose documents that publish (or an
    earlier one) marked stale: a new version in ``lang`` gives their entries of the same
    article a related link (issue 12, item 2). Inline rather than through the queue: each
    takes only its own language's lock (never two at once), renders only its stale documents,
    and a queued publish could be swallowed by one already pending (``send_publish``).

    With ``client`` (the broker's Redis) the time or the failure is recorded for /metrics and
    `syndicate status`; a failure is returned, not raised: the previous documents stay whole,
    since every file is written by rename. Without ``client`` a failure raises (OSError or a
    database error) for the caller to report. Returns what the publish of ``lang`` did.
    """
    result = _publish_one(store, settings, lang, client)
    failed = {lang} if result.error else set()
    # Publishing one language may mark another's documents stale (its own new versions): go
    # round again, a bounded number of times, leaving out languages whose publish failed.
    for _ in range(len(settings.languages)):
        try:
            stale = store.stale.languages() & set(settings.languages) - failed
        except UNAVAILABLE as exc:
            if client is None:
                raise
            log.error("publish: cannot read the stale documents: %s", describe(exc))
            break
        for other in sorted(stale):
            if _publish_one(store, settings, other, client).error:
                failed.add(other)
        if not stale:
            break
    return result


def _publish_one(store: Store, settings: Settings, lang: str, client: redis.Redis | None) -> PublishResult:
    """One language's publish, as :func:`publish_now` describes."""
    from feeds.publish import publish_language

    started = time.perf_counter()
    try:
        unreadable: list[Unreadable] = []
        published = publish_language(store, settings, lang, unreadable=unreadable)
        lifecycle.fail_unreadable(store, unreadable)
        marked = lifecycle.mark_published(store, lang, published.article_ids)
    except (OSError, *UNAVAILABLE) as exc:
        if client is None:
            raise
        reason = describe(exc) if isinstance(exc, UNAVAILABLE) else f"{type(exc).__name__}: {exc}"
        metrics.record_publish_failure(client, lang, reason)  # before the log line
        log.error("publish %s failed: %s", lang, reason)
        return PublishResult(lang, error=reason)
    if client is not None:
        metrics.record_publish(client, lang, time.perf_counter() - started)
        metrics.clear_publish_failure(client, lang)
    return PublishResult(lang, len(published.article_ids), marked, len(published.written))
