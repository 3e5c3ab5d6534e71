"""The store: the database is the source of truth (SQLAlchemy Core; SQLite or PostgreSQL).

One module per concern, reached through a ``Store``:

- ``store.articles``: articles and revisions (syndicate/store/articles.py)
- ``store.jobs``: the jobs table; its writes belong to syndicate/lifecycle.py (jobs.py)
- ``store.translations`` and ``store.memory``: translated text, the translation memory
  (translations.py, memory.py); ``store.human``: human segments, which win over both (human.py)
- ``store.publications``: feed positions and the entries each feed shows (publications.py)
- ``store.snapshots``: what one publish renders, read at once, and clearing it (snapshots.py);
  ``store.stale``: the feed documents marked for rendering again (stale.py)
- ``store.counts``: aggregates for metrics (counts.py)
"""

from __future__ import annotations

from syndicate.store.articles import Articles, ArticleSummary, Submitted, new_article_id
from syndicate.store.counts import Counts
from syndicate.store.db import make_engine, now
from syndicate.store.entries import Unreadable
from syndicate.store.human import HumanSegments
from syndicate.store.jobs import Job, JobKey, Jobs
from syndicate.store.memory import Memory
from syndicate.store.publications import Publications
from syndicate.store.snapshots import Snapshot, Snapshots
from syndicate.store.stale import Stale
from syndicate.store.translations import Translations

__all__ = [
    "ArticleSummary",
    "Job",
    "JobKey",
    "Snapshot",
    "Store",
    "Submitted",
    "Unreadable",
    "make_engine",
    "new_article_id",
    "now",
]


class Store:
    """The database, opened at ``url`` (any SQLAlchemy URL) and migrated to the newest schema
    unless ``migrate`` is False. ``busy_timeout_s``: seconds a SQLite write waits for another
    process's lock before failing with "database is locked" (an OperationalError)."""

    def __init__(self, url: str, migrate: bool = True, busy_timeout_s: float = 30) -> None:
        self.engine = make_engine(url, busy_timeout_s)
        if migrate:
            from syndicate.store import migrate as migrations

            migrations.upgrade(self.engine)
        self.articles = Articles(self.engine)
        self.jobs = Jobs(self.engine)
        self.translations = Translations(self.engine)
        self.memory = Memory(self.engine)
        self.human = HumanSegments(self.engine)
        self.publications = Publications(self.engine)
        self.snapshots = Snapshots(self.engine)
        self.stale = Stale(self.engine)
        self.counts = Counts(self.engine)

    def close(self) -> None:
        """Close the engine's pooled database connections."""
        self.engine.dispose()
