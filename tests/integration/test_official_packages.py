"""A user's official Argos packages, end to end: installed with `syndicate models install FILE`
on a machine that has none, then used by a real worker (Redis, Celery) to translate and publish.

The packages have the official shape (index metadata, stanza/, SentencePiece or BPE) and the
demo cipher's weights: their output is NOT a translation, only the script is checked."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from syndicate.translation import demo
from tests.conftest import ARTICLES
from tests.integration.conftest import Site, free_port

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture
def site(data_dir) -> Site:
    """A site with no package installed (the conftest's installs the demo ones)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")}
    env.update(SYNDICATE_DATA_DIR=str(data_dir), SYNDICATE_PORT=str(free_port()))
    return Site(data_dir, env, int(env["SYNDICATE_PORT"]))


@pytest.mark.parametrize(
    "tokenizers",
    [{"ru": "bpe", "ja": "sentencepiece"}, {"ru": "sentencepiece", "ja": "bpe"}],
    ids=["ru-bpe", "ja-bpe"],
)
def test_official_packages_install_from_files_and_publish(site, worker, tmp_path, tokenizers):
    archives: dict[str, Path] = {
        lang: demo.build_package(lang, tmp_path / lang, tokenizer=tok, layout="official")
        for lang, tok in tokenizers.items()
    }
    for lang, archive in archives.items():
        result = site.cli("models", "install", str(archive))
        assert result.returncode == 0, result.stderr
        version = {"ru": "1.9", "ja": "1.1"}[lang]
        assert result.stdout.decode().strip() == f"installed en->{lang} argos-translate en->{lang} {version}"
    listed = json.loads(site.cli("models", "list", "--json").stdout)
    assert sorted((p["to_code"], p["demo"]) for p in listed) == [("ja", False), ("ru", False)]

    ids = [site.cli("submit", str(ARTICLES / name)).stdout.decode().strip()
           for name in ("storm-warning-2020.txt", "library-reopens-2017.txt")]  # fmt: skip
    waited = site.cli("wait", *ids, "--timeout", "150")
    assert waited.returncode == 0, waited.stderr.decode() + site.log("worker")[-3000:]
    for lang, script in (("ru", CYRILLIC), ("ja", JAPANESE)):
        feed = json.loads((site.settings.feeds_dir / "feeds" / lang / "feed.json").read_text("utf-8"))
        assert len(feed["items"]) == 2
        for item in feed["items"]:
            text = item.get("content_text") or item.get("content_html") or ""
            assert len(script.findall(text)) > 50, (lang, text[:300])
            # Entries name the model that made them (here the official package's name).
            assert f"argos-translate en->{lang}" in json.dumps(item, ensure_ascii=False)
    # The worker loaded both packages, through argostranslate's Package with their tokenizer.
    log = site.log("worker")
    assert (
        "loaded model argos-translate en->ru 1.9" in log and "loaded model argos-translate en->ja 1.1" in log
    )
