"""What an operator watches: /metrics on the server and the workers' log lines."""

from __future__ import annotations

import json

from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import write_articles
from tests.integration.conftest import wait_for_log


def samples(body: bytes) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(body.decode()):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


def test_metrics_and_json_logs_follow_the_work(site, redis, server, tmp_path):
    site.env.update(SYNDICATE_TARGETS="ru", SYNDICATE_LOG_FORMAT="json")
    first, second = write_articles(tmp_path / "articles", 2)
    worker = site.spawn("worker", "worker")
    wait_for_log(site, "worker", " ready.", worker)
    try:
        one = site.cli("submit", str(first)).stdout.decode().strip()
        assert site.cli("wait", one, "--timeout", "120").returncode == 0
        # The second article shares most sentences with the first: they come from memory.
        two = site.cli("submit", str(second)).stdout.decode().strip()
        assert site.cli("wait", two, "--timeout", "120").returncode == 0

        status, headers, body = site.fetch("/metrics")
        assert status == 200 and headers["Content-Type"].startswith("text/plain; version=0.0.4")
        m = samples(body)
        ru = (("lang", "ru"),)
        assert m[("syndicate_jobs", (("lang", "ru"), ("state", "published")))] == 2
        assert m[("syndicate_jobs", (("lang", "en"), ("state", "published")))] == 2
        assert m[("syndicate_articles", (("state", "active"),))] == 2
        assert m[("syndicate_queue_depth", (("queue", "translate.ru"),))] == 0
        assert m[("syndicate_redis_up", ())] == 1
        assert m[("syndicate_publish_failing", ru)] == 0
        assert m[("syndicate_translate_seconds_count", ru)] >= 1
        assert m[("syndicate_translate_seconds_sum", ru)] > 0
        assert m[("syndicate_publish_seconds_count", ru)] >= 2
        sentences = m[("syndicate_sentences_total", ru)]
        hits = m[("syndicate_memory_hits_total", ru)]
        assert 0 < hits < sentences, (hits, sentences)
    finally:
        worker.terminate()
        worker.wait(60)

    # Celery prints its shutdown notice ("worker: Warm shutdown (MainProcess)") straight to
    # stdout from the signal handler, outside logging: the one line that cannot be JSON.
    lines = [x for x in site.log("worker").splitlines() if x.strip() and not x.startswith("worker: ")]
    not_json = [line for line in lines if not is_json_object(line)]
    assert not not_json, not_json[:5]  # every line is one JSON object
    records = [json.loads(line) for line in lines]
    assert all({"time", "level", "logger", "article_id", "lang", "message"} <= r.keys() for r in records)
    done = [r for r in records if "succeeded" in r["message"] and "syndicate.translate" in r["message"]]
    assert {(r["article_id"], r["lang"]) for r in done} >= {(one, "ru"), (two, "ru")}


def is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False
