"""Targets beyond ru and ja, end to end with demo models (whose output is NOT a translation):
an article submitted is translated into de and es (Latin script, like the English source) beside
ru and ja, passes the quality gate, and is published in each language's feeds with that
language's quotation marks. An unknown target stops `syndicate up` and `syndicate worker` at
start with one line."""

from __future__ import annotations

import json

from syndicate.translation import demo, packages
from tests.conftest import ARTICLES
from tests.integration.conftest import wait_for_log

TARGETS = ("ru", "ja", "de", "es")
# The article's quotation “We wanted the building to feel open again,” in each language's marks.
QUOTES = {"ru": ("«", "»"), "ja": ("「", "」"), "de": ("„", "“"), "es": ("«", "»")}


def test_an_article_is_published_in_de_and_es_beside_ru_and_ja(site, redis, tmp_path):
    for lang in ("de", "es"):
        packages.install_file(demo.build_package(lang, tmp_path), site.settings.packages_dir)
    site.env["SYNDICATE_TARGETS"] = ",".join(TARGETS)
    worker = site.spawn("worker", "worker", "--loglevel", "INFO")
    try:
        wait_for_log(site, "worker", " ready.", worker)
        submitted = site.cli("submit", str(ARTICLES / "library-reopens-2017.txt"))
        assert submitted.returncode == 0, submitted.stderr
        article_id = submitted.stdout.decode().strip()
        waited = site.cli("wait", article_id, "--timeout", "180")
        assert waited.returncode == 0, (waited.stdout, waited.stderr, site.log("worker")[-3000:])
    finally:
        worker.terminate()
        worker.wait(60)
    for lang in TARGETS:
        root = site.settings.feeds_dir / "feeds" / lang
        feed = json.loads((root / "feed.json").read_text("utf-8"))
        assert feed["language"] == lang and len(feed["items"]) == 1
        item = feed["items"][0]
        text = item.get("content_text") or item["content_html"]
        opening, closing = QUOTES[lang]
        assert opening in text and closing in text, (lang, text[:400])
        assert "“We wanted" not in text  # the English marks were rewritten
        # The entry names its demo model, whose output is not a translation.
        assert f"en->{lang} (not a translation model)" in json.dumps(item, ensure_ascii=False)
        assert (root / "atom.xml").read_text("utf-8").count("<entry") == 1


def test_an_unknown_target_stops_up_and_worker_at_start(site):
    site.env["SYNDICATE_TARGETS"] = "ru,xx"
    for command in (("up",), ("worker",), ("submit", str(ARTICLES / "library-reopens-2017.txt"))):
        result = site.cli(*command, timeout=60)
        lines = result.stderr.decode().strip().splitlines()
        assert result.returncode != 0 and len(lines) == 1, (command, result.stderr)
        assert lines[0].startswith("Error: configuration: targets: no language 'xx' in the language registry")
