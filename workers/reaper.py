"""Every worker's main process watches leases: a job whose holder stopped renewing (its worker
was killed whole) is sent again within ``lifecycle.REAP_EVERY_S`` of its lease expiring, so
recovery does not wait for the broker's visibility timeout. Several workers reaping at once is
safe: each job moves by compare-and-set, so it is sent once.
"""

from __future__ import annotations

import logging
import threading

from syndicate import lifecycle
from syndicate.config import Settings
from syndicate.sending import Sender
from syndicate.store import Store

log = logging.getLogger(__name__)

_store: Store | None = None
_started = threading.Event()


def reap_once(store: Store, sender: Sender) -> lifecycle.Reaped:
    """One look for expired leases; logs what it re-sent or failed."""
    reaped = lifecycle.reap_expired(store, sender)
    for key in reaped.requeued:
        log.warning(
            "lease expired (its worker stopped): sent %s %s again", key.article_id, key.lang,
            extra={"article_id": key.article_id, "lang": key.lang},
        )  # fmt: skip
    for key in reaped.failed:
        log.error("lease expired too often: %s %s failed", key.article_id, key.lang)
    return reaped


def start(settings: Settings, sender: Sender, every_s: float = lifecycle.REAP_EVERY_S) -> None:
    """Start the reaping thread (once per process; a daemon, it ends with the worker)."""
    global _store
    if _started.is_set():
        return
    _started.set()
    _store = Store(settings.database_url, busy_timeout_s=settings.database_busy_timeout)
    store = _store

    def loop() -> None:
        while True:
            try:
                reap_once(store, sender)
            except Exception as exc:  # Redis or the database away: keep looking
                log.warning("lease check skipped: %s", exc)
            threading.Event().wait(every_s)

    threading.Thread(target=loop, name="lease-reaper", daemon=True).start()


def forget_after_fork() -> None:
    """In a pool child: drop the parent's connections without closing them (they are the
    parent's), as SQLAlchemy advises for engines inherited across fork."""
    if _store is not None:
        _store.engine.dispose(close=False)
