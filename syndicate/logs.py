"""Log lines that say which article and language they are about, as text or as JSON.

Every record gets ``article_id`` and ``lang`` from the work in progress (``-`` when there is
none), so ``grep``, or a log pipeline reading JSON, can follow one language version of one
article across processes and machines.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from typing import TextIO

from pythonjsonlogger.json import JsonFormatter

_article: ContextVar[str] = ContextVar("article_id", default="-")
_lang: ContextVar[str] = ContextVar("lang", default="-")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(processName)s %(name)s [%(article_id)s %(lang)s] %(message)s"
JSON_FIELDS = ["asctime", "levelname", "name", "processName", "article_id", "lang", "message"]
FORMATS = ("text", "json")


class WorkContext(logging.Filter):
    """Stamps every record with the article and language being worked on.

    Sets ``record.article_id`` and ``record.lang`` (strings, ``-`` when none) from what
    :func:`set_work` last said in this context; a value passed with ``extra={...}`` wins. Never
    drops a record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        # A value passed with extra={...} wins over the context.
        if not hasattr(record, "article_id"):
            record.article_id = _article.get()
        if not hasattr(record, "lang"):
            record.lang = _lang.get()
        return True


def set_work(article_id: str | None = None, lang: str | None = None) -> None:
    """Say what this process works on now (a worker sets it as each task starts)."""
    _article.set(article_id or "-")
    _lang.set(lang or "-")


def formatter(fmt: str) -> logging.Formatter:
    """The formatter for ``fmt``: ``"json"`` gives one JSON object per record with the keys
    time, level, logger, process, article_id, lang and message (non-ASCII kept as is); anything
    else gives TEXT_FORMAT lines. Records must have passed :class:`WorkContext`."""
    if fmt == "json":
        return JsonFormatter(
            JSON_FIELDS,
            rename_fields={
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "processName": "process",
            },
            json_ensure_ascii=False,
        )
    return logging.Formatter(TEXT_FORMAT)


def configure(fmt: str = "text", level: str | int = "INFO", stream: TextIO | None = None) -> None:
    """Send every logger's records (Celery's too) to ``stream`` in ``fmt``: one handler on root.

    ``fmt`` is ``"text"`` or ``"json"`` (see :func:`formatter`); ``level`` a level name (any case)
    or number; ``stream`` defaults to stderr. Replaces any handler already on the root logger and
    routes ``warnings`` through logging. Raises ValueError for an unknown level name.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter(fmt))
    handler.addFilter(WorkContext())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    # Python warnings (Celery's "running as root", deprecations) become records too, so a JSON
    # log stays one object per line.
    logging.captureWarnings(True)
