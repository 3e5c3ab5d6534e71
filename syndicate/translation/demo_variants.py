"""Demo packages in the other shapes real Argos packages come in: BPE, and the official layout.

THE OUTPUT OF THESE MODELS IS NOT A TRANSLATION (see :mod:`syndicate.translation.demo`). They
exist so tests can prove that a user's official packages go through the same install and
translation path as the demo ones:

- **BPE tokenization.** Besides ``sentencepiece.model``, argostranslate's ``Package`` accepts a
  ``bpe.model``: subword-nmt merge codes, applied after Moses punctuation normalization and
  tokenization of the source (sacremoses); the target is joined on ``@@`` and Moses-detokenized
  (``argostranslate.tokenizer.BPETokenizer``). The codes are learned here with subword-nmt's own
  learner, so the file has the format argostranslate's vendored ``apply_bpe`` reads.
- **The official layout.** Official packages carry the index's metadata fields (no
  ``syndicate_demo`` marker and no ``name``), a ``stanza/`` folder (Stanza's sentence
  splitter, which this project does not load: it splits sentences with pysbd) and a README.md,
  in a top folder named like ``translate-en_ru-1_9``.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

from syndicate.translation import packages

# Merge operations learned for the demo BPE model; the corpora are small, so few are useful.
BPE_MERGES = 2000


def _moses(lang: str) -> tuple[Any, Any]:
    """sacremoses's punctuation normalizer and tokenizer for ``lang``, as argostranslate makes
    them for a BPE package's source (the target side is tokenized the same way here)."""
    from sacremoses.normalize import MosesPunctNormalizer
    from sacremoses.tokenize import MosesTokenizer

    return MosesPunctNormalizer(lang), MosesTokenizer(lang)


def _tokenized(lines: list[str], lang: str) -> list[list[str]]:
    """Each line normalized and Moses-tokenized (with Moses's XML escaping, as argostranslate)."""
    normalizer, tokenizer = _moses(lang)
    return [tokenizer.tokenize(normalizer.normalize(line)) for line in lines]


def train_bpe(text_by_lang: dict[str, list[str]], merges: int = BPE_MERGES) -> tuple[str, list[str]]:
    """Learn joint BPE codes on every language's text; return (codes file text, subwords).

    The subwords are every token the codes make of the training text, plus every character of
    it alone and with ``@@`` (any word then splits into known subwords), in first-seen order
    (so the vocabulary is reproducible). Needs subword-nmt (the test extra).
    """
    from argostranslate.apply_bpe import BPE
    from subword_nmt.learn_bpe import learn_bpe

    tokenized = [toks for lang, lines in text_by_lang.items() for toks in _tokenized(lines, lang)]
    codes = io.StringIO()
    # Its progress bar and "no pair has frequency >= 2. Stopping" (the corpora are small) go to
    # stderr: kept out of the CLI's output.
    with contextlib.redirect_stderr(io.StringIO()):
        learn_bpe(io.StringIO("\n".join(" ".join(t) for t in tokenized)), codes, merges, min_frequency=2)
    bpe = BPE(io.StringIO(codes.getvalue()))
    seen: dict[str, None] = {}
    for toks in tokenized:
        for word in toks:
            for char in word:
                seen.setdefault(char, None)
                seen.setdefault(char + "@@", None)
        for sub in bpe.segment_tokens(toks):
            seen.setdefault(sub, None)
    return codes.getvalue(), list(seen)


def official_metadata(from_code: str, to_code: str, version: str | None) -> dict[str, str]:
    """metadata.json as an official package of the pair has it: the saved index's entry less its
    ``links`` and ``code`` (fields: package_version, argos_version, from/to code and name).

    ``version`` replaces the entry's package_version when given. A pair the index lacks gets
    the same fields, with the codes as names and argos_version "1.9".
    """
    entry = next(
        (e for e in packages.saved_index() if (e["from_code"], e["to_code"]) == (from_code, to_code)),
        None,
    )
    if entry is None:
        meta = {"package_version": "1.0", "argos_version": "1.9", "from_code": from_code,
                "from_name": from_code, "to_code": to_code, "to_name": to_code}  # fmt: skip
    else:
        meta = {k: str(v) for k, v in entry.items() if k not in ("links", "code")}
    if version is not None:
        meta["package_version"] = version
    return meta


def official_folder(meta: dict[str, str]) -> str:
    """The top folder of an official archive: ``translate-en_ru-1_9`` for en->ru 1.9."""
    return f"translate-{meta['from_code']}_{meta['to_code']}-{meta['package_version'].replace('.', '_')}"


def write_official_extras(root: Path, from_code: str) -> None:
    """The files an official package has beside model/ and the tokenizer: a ``stanza/`` folder
    (resources.json and a tokenize model file for the source language; the file here is a
    placeholder, as nothing loads it) and a README.md saying these weights are a demo."""
    stanza = root / "stanza"
    (stanza / from_code / "tokenize").mkdir(parents=True)
    resources = {from_code: {"default_processors": {"tokenize": "combined"}, "lang_name": from_code}}
    (stanza / "resources.json").write_text(json.dumps(resources, indent=2), "utf-8")
    (stanza / from_code / "tokenize" / "combined.pt").write_bytes(b"placeholder, never loaded\n")
    (root / "README.md").write_text(
        "Demo weights in the official Argos package layout, built by syndicate for its tests.\n"
        "Its output is NOT a translation.\n",
        "utf-8",
    )
