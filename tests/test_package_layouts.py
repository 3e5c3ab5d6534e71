"""Packages shaped as the official Argos ones (index metadata, stanza/, SentencePiece or BPE)
install and translate through the same path as the demo ones; the saved index lists them.

The weights are the demo cipher's: their output is NOT a translation."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from syndicate.translation import demo, demo_variants, packages
from syndicate.translation.engine import Engine, EngineOptions

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
SCRIPT = {"ru": CYRILLIC, "ja": JAPANESE}
SOURCE = [
    "The ferry will carry up to 400 passengers and 60 cars in 2012.",
    "Officials agreed on Tuesday.",
    "Zyxwvut Qoplk, unheard words appear here.",  # nothing like it in the training text
]
# Every field an entry of the official index has; metadata.json has all but links and code.
INDEX_FIELDS = {"package_version", "argos_version", "from_code", "from_name", "to_code", "to_name"}


@pytest.fixture(scope="module")
def official(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Official-layout archives: (tokenizer, target) -> .argosmodel."""
    out = tmp_path_factory.mktemp("official")
    return {
        (tok, lang): demo.build_package(lang, out / tok, tokenizer=tok, layout="official")
        for tok in ("sentencepiece", "bpe")
        for lang in ("ru", "ja")
    }


def cli(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SYNDICATE_", "ARGOS_"))}
    clean.update(SYNDICATE_DATA_DIR=str(data_dir), **env)
    return subprocess.run(
        [sys.executable, "-m", "syndicate", *args], env=clean, capture_output=True, text=True, timeout=120
    )


def test_saved_index_is_the_official_one():
    index = packages.saved_index()
    assert len(index) == 96  # the copy in shared/argos, commit fd6868d
    assert all(INDEX_FIELDS | {"links", "code"} <= set(e) for e in index)
    pairs = {(e["from_code"], e["to_code"]): e for e in index}
    assert pairs["en", "ru"]["package_version"] == "1.9" and pairs["en", "ja"]["package_version"] == "1.1"
    assert pairs["en", "ru"]["links"][0].endswith("translate-en_ru-1_9.argosmodel")
    assert [(e["from_code"], e["to_code"]) for e in index] == sorted(pairs)  # one per pair here, sorted


@pytest.mark.parametrize("tok", ["sentencepiece", "bpe"])
@pytest.mark.parametrize("lang", ["ru", "ja"])
def test_official_layout(official, tok, lang):
    archive = official[tok, lang]
    version = {"ru": "1.9", "ja": "1.1"}[lang]
    top = f"translate-en_{lang}-{version.replace('.', '_')}"
    assert archive.name == f"{top}.argosmodel"
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        meta = json.loads(zf.read(f"{top}/metadata.json"))
    tokenizer_file = "sentencepiece.model" if tok == "sentencepiece" else "bpe.model"
    assert {f"{top}/model/model.bin", f"{top}/{tokenizer_file}", f"{top}/stanza/resources.json",
            f"{top}/README.md"} <= names  # fmt: skip
    other = "bpe.model" if tok == "sentencepiece" else "sentencepiece.model"
    assert f"{top}/{other}" not in names
    assert set(meta) == INDEX_FIELDS and meta["package_version"] == version
    assert packages.validate_archive(archive) == meta


@pytest.mark.parametrize("tok, kind", [("sentencepiece", "SentencePieceTokenizer"), ("bpe", "BPETokenizer")])
def test_argostranslate_reads_them_as_official(official, tmp_path, tok, kind):
    from argostranslate.package import Package

    installed = packages.install_file(official[tok, "ru"], tmp_path / "pk")
    assert not installed.demo and installed.version == "1.9"
    assert installed.name == "argos-translate en->ru"  # official metadata has no name
    pkg = Package(installed.path)
    assert type(pkg.tokenizer).__name__ == kind
    assert pkg.packaged_sbd_path == installed.path / "stanza"
    # Every token of any input is in the model's vocabulary: no <unk>, even for unseen words.
    vocab = set(json.loads((installed.model_dir / "shared_vocabulary.json").read_text()))
    for sentence in SOURCE:
        tokens = pkg.tokenizer.encode(sentence)
        assert tokens and set(tokens) <= vocab, set(tokens) - vocab


@pytest.mark.parametrize("tok", ["sentencepiece", "bpe"])
def test_official_packages_translate_through_the_engine(official, tmp_path, tok):
    for lang in ("ru", "ja"):
        packages.install_file(official[tok, lang], tmp_path / "pk")
    engine = Engine(EngineOptions(tmp_path / "pk", intra_threads=1))
    for lang in ("ru", "ja"):
        out = engine.translate_segments("en", lang, SOURCE)
        assert out == engine.translate_segments("en", lang, SOURCE)  # deterministic
        for text in out:
            assert SCRIPT[lang].search(text) and not LATIN.search(text), (lang, text)
        assert all(n in out[0] for n in ("400", "60", "2012")), out[0]


def test_bpe_codes_segment_unseen_words_into_known_subwords():
    codes, subwords = demo_variants.train_bpe({"en": demo.corpus("en")})
    assert codes.startswith("#version: 0.2")  # subword-nmt's format, which apply_bpe reads
    assert "Z@@" in subwords and "t" in subwords
    from argostranslate.apply_bpe import BPE

    segmented = BPE(io.StringIO(codes)).segment_tokens(["Zyxwvut", "the"])
    assert segmented[-1] == "the" and segmented[0].endswith("@@") and set(segmented) <= set(subwords)


def test_models_list_available_reads_the_saved_index(tmp_path, official):
    listed = cli(tmp_path, "models", "list", "--available", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {(r["from_code"], r["to_code"]): r for r in json.loads(listed.stdout)}
    assert len(rows) == 96 and rows["en", "ru"]["installed"] is None
    assert cli(tmp_path, "models", "install", str(official["bpe", "ru"])).returncode == 0
    text = cli(tmp_path, "models", "list", "--available")
    line = next(x for x in text.stdout.splitlines() if x.startswith("en->ru "))
    assert "English -> Russian  1.9" in line and line.endswith("installed 1.9")
    assert "saved on 2026-11-29 (not fetched)" in text.stderr
    # Installed official packages are not marked as demo models.
    assert "DEMO" not in cli(tmp_path, "models", "list").stdout


@pytest.mark.parametrize("index", ["http://127.0.0.1:9/", "http://192.0.2.1:9/"])
def test_models_install_from_the_index_fails_fast_offline(tmp_path, index):
    """A refused port and an unroutable address (TEST-NET-1, RFC 5737) both stand in for "no
    network": the command fails with the way out, within the index timeout, installing nothing."""
    start = time.monotonic()
    result = cli(tmp_path, "models", "install", "en", "ru", ARGOS_PACKAGE_INDEX=index)
    elapsed = time.monotonic() - start
    assert result.returncode == 1
    assert "cannot reach the Argos package index" in result.stderr
    assert "syndicate models install PATH.argosmodel" in result.stderr
    assert elapsed < packages.INDEX_TIMEOUT_S + 10, elapsed
    assert packages.installed(tmp_path / "argos-packages") == []
