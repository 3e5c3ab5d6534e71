"""What the library knows about sending work, without a broker: queue and task names, and the
interface of whatever sends (workers/dispatch.py implements it with Celery over Redis).

The library never imports Celery, ``workers`` or ``feeds``; commands and the stack hand a
``Sender`` to the library functions that must send work (syndicate/lifecycle.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from syndicate.store.jobs import JobKey

PUBLISH_QUEUE = "publish"
TRANSLATE_TASK = "syndicate.translate"
PUBLISH_TASK = "syndicate.publish"


def translate_queue(lang: str) -> str:
    """The queue of one target language's translations: ``translate.<lang>``."""
    return f"translate.{lang}"


def queues(targets: Iterable[str]) -> list[str]:
    """Every queue of a service translating into ``targets``: one per language, then publish."""
    return [translate_queue(lang) for lang in targets] + [PUBLISH_QUEUE]


def translate_task_id(key: JobKey, fresh: bool = False) -> str:
    """Deterministic: the same job always has the same task id (``fresh``: a retranslation)."""
    return f"translate:{key.article_id}:{key.revision}:{key.lang}" + (":fresh" if fresh else "")


class Sender(Protocol):
    """Sends work to the workers. Each method returns False, having sent nothing more, when the
    broker cannot be reached: the jobs stay due in the database, and the sweeper sends them."""

    def send_translations(self, keys: Sequence[JobKey], fresh: bool = False) -> bool:
        """Queue the translation of each job (``fresh``: bypass the translation memory)."""
        ...

    def send_publish(self, langs: Iterable[str]) -> bool:
        """Queue a publish of each language, unless one is already waiting."""
        ...
