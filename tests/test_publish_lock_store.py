"""``store.publications.lock``: held for the block, released after it, even when the block raises."""

from __future__ import annotations

import fcntl
import os

import pytest
from sqlalchemy import text

from syndicate.store import Store
from syndicate.store.publications import publish_lock_key


def free_elsewhere(store: Store, lang: str) -> bool:
    """Whether someone else could take ``lang``'s publish lock now (taking and dropping it)."""
    if store.engine.dialect.name == "postgresql":
        other = Store(str(store.engine.url.render_as_string(hide_password=False)), migrate=False)
        try:
            with other.engine.connect() as conn:
                key = publish_lock_key(lang)
                got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
                if got:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                return got
        finally:
            other.close()
    fd = os.open(f"{store.engine.url.database}.publish-{lang}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


@pytest.fixture
def store(database_url):
    store = Store(database_url)
    yield store
    store.close()


def test_the_lock_is_held_for_the_block_and_per_language(store):
    with store.publications.lock("ru"):
        assert not free_elsewhere(store, "ru")
        assert free_elsewhere(store, "ja")  # languages publish independently
    assert free_elsewhere(store, "ru")


def test_the_lock_is_released_when_the_block_raises(store):
    with pytest.raises(OSError), store.publications.lock("ru"):
        raise OSError("disk full")
    assert free_elsewhere(store, "ru")
    with store.publications.lock("ru"):  # and the pooled connection does not still hold it
        assert not free_elsewhere(store, "ru")
    assert free_elsewhere(store, "ru")


def test_the_key_is_stable_and_differs_per_language():
    assert publish_lock_key("ru") == publish_lock_key("ru")
    assert publish_lock_key("ru") != publish_lock_key("ja")
    assert -(2**63) <= publish_lock_key("ja") < 2**63
