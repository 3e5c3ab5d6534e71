import io
import json
import logging

import pytest

from syndicate import logs


@pytest.fixture(autouse=True)
def root_logger_restored():
    """configure() rewires the root logger; give pytest's back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.captureWarnings(False)
    logs.set_work()


def test_every_line_names_the_article_and_language_in_progress():
    out = io.StringIO()
    logs.configure("json", "INFO", stream=out)
    log = logging.getLogger("test.logs")
    log.info("idle")
    logs.set_work("abc123", "ja")  # as a worker does when a task starts
    log.warning("translating")
    logs.set_work()
    log.info("explicit", extra={"article_id": "zzz", "lang": "ru"})
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(r["article_id"], r["lang"], r["message"]) for r in records] == [
        ("-", "-", "idle"),
        ("abc123", "ja", "translating"),
        ("zzz", "ru", "explicit"),
    ]
    assert records[1]["level"] == "WARNING" and records[1]["logger"] == "test.logs"


def test_text_lines_carry_the_same_fields():
    out = io.StringIO()
    logs.configure("text", "INFO", stream=out)
    logs.set_work("abc123", "ru")
    logging.getLogger("x").info("hello")
    assert "[abc123 ru] hello" in out.getvalue()
