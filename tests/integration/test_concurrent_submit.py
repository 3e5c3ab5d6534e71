"""Several operators (or cron jobs) submitting the same files at once store each article once."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from syndicate.store import Store
from tests.conftest import write_articles


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_concurrent_submits_of_one_directory_store_each_article_once(site, tmp_path, database):
    from tests.conftest import POSTGRES_URL, _reset_postgres

    if database == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("SYNDICATE_TEST_POSTGRES_URL is not set (.ci/run starts PostgreSQL and sets it)")
        _reset_postgres(POSTGRES_URL)
        site.env["SYNDICATE_DATABASE_URL"] = POSTGRES_URL
    folder = tmp_path / "batch"
    paths = write_articles(folder, 30)
    Store(site.settings.database_url).close()  # schema first, as a running service would have it
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "syndicate", "submit", "--json", str(folder)],
            env=site.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for _ in range(4)
    ]
    outputs = [(p.communicate(timeout=300), p.returncode) for p in runs]
    assert [code for _, code in outputs] == [0] * 4, [err.decode()[-2000:] for (_, err), _ in outputs]
    ids = [[o["article_id"] for o in json.loads(out)] for (out, _), _ in outputs]
    assert all(len(run) == len(paths) for run in ids)
    assert ids[0] == ids[1] == ids[2] == ids[3]  # every process names the one stored article
    new = sum(not o["duplicate"] for (out, _), _ in outputs for o in json.loads(out))
    assert new == len(paths)  # each file stored by exactly one of the processes
    store = Store(site.settings.database_url)
    try:
        assert store.articles.count() == len(paths)
        assert {s.id for s in store.articles.summaries(100)} == set(ids[0])
    finally:
        store.close()
