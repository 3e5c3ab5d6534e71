"""The translation engine: loaded models and one batched CTranslate2 call for many segments.

argostranslate's translate() runs one batch per paragraph; the service sends every sentence of
an article, or of several articles, through a single ``translate_batch`` (see translator.py).
Tokenizers come from argostranslate's own Package class, so SentencePiece and BPE packages work.

An Engine loads each model once and keeps it: create it in the worker process after fork
(CTranslate2 translators are not fork-safe), never at import time.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypedDict

from syndicate.model import Provenance
from syndicate.translation import packages

if TYPE_CHECKING:
    from syndicate.config import Settings

# Decoding stops at this many tokens per segment whatever the model does (CTranslate2's own
# default is 256); a runaway loop cannot eat a worker.
MAX_DECODING_TOKENS = 512
# CTranslate2 cuts every input after this many tokens, silently (its own default, passed
# explicitly so the limit is ours to read).
MAX_INPUT_TOKENS = 1024
# Source tokens a segment may have before it is split at clause boundaries (see clauses.py).
# Chosen by hand, well under both limits: 150 source tokens get a decoding cap of 2 x 150 + 16 =
# 316 < MAX_DECODING_TOKENS, so an output up to twice its input still ends by itself, and the
# input is a seventh of MAX_INPUT_TOKENS. It is also under the 200 tokens that OpenNMT-py (which
# argos-train uses) keeps by default when training (its ``filtertoolong`` transform,
# ``src_seq_length=200``): longer sentences are ones the model has rarely or never seen.
SEGMENT_TOKEN_BUDGET = 150
# The end-of-sentence token when a model's config.json does not name one (OpenNMT's default).
DEFAULT_END_TOKEN = "</s>"
# Argos Translate's own length penalty (argostranslate.translate), so output lengths match its.
LENGTH_PENALTY = 0.2


log = logging.getLogger(__name__)


class ModelMissing(RuntimeError):
    """No installed package translates this language pair."""


class Tokenizer(Protocol):
    """What we use of ``argostranslate.tokenizer.Tokenizer`` (SentencePiece or BPE)."""

    def encode(self, sentence: str) -> list[str]:
        """The sentence as the model's source tokens (SentencePiece pieces or BPE subwords)."""
        ...

    def decode(self, tokens: list[str]) -> str:
        """Target tokens back to text."""
        ...


class TranslationResult(Protocol):
    """What we use of ``ctranslate2.TranslationResult``: hypotheses as token lists, best first."""

    @property
    def hypotheses(self) -> list[list[str]]: ...


class Translator(Protocol):
    """What we use of ``ctranslate2.Translator`` (which ships no type hints)."""

    def translate_batch(
        self,
        source: list[list[str]],
        *,
        target_prefix: list[list[str]] | None,
        beam_size: int,
        length_penalty: float,
        replace_unknowns: bool,
        max_input_length: int,
        max_decoding_length: int,
        return_end_token: bool,
        max_batch_size: int,
        batch_type: str,
    ) -> Sequence[TranslationResult]: ...


@dataclass(frozen=True)
class Hypothesis:
    """The model's best output for one segment: its text, the source and output lengths in
    tokens (end token excluded), and whether decoding stopped at the cap instead of at the end
    token (the output is then probably cut short)."""

    text: str
    source_tokens: int
    output_tokens: int
    capped: bool = False


@dataclass
class LoadedModel:
    """One installed package, loaded: its CTranslate2 translator and its tokenizer.

    ``target_prefix`` is the token some multilingual packages put before the output to pick the
    target language ("" for none); it is sent as the decoder's prefix and stripped from results.
    """

    package: packages.InstalledPackage
    translator: Translator
    tokenizer: Tokenizer
    target_prefix: str
    end_token: str = DEFAULT_END_TOKEN

    @property
    def token_budget(self) -> int:
        """Most source tokens one segment is sent with (SEGMENT_TOKEN_BUDGET, and never more than
        the input limit or half the decoding cap leave room for)."""
        return min(SEGMENT_TOKEN_BUDGET, MAX_INPUT_TOKENS - 1, (MAX_DECODING_TOKENS - 16) // 2)

    def count_tokens(self, text: str) -> int:
        """How many source tokens the model sees for ``text`` (its own tokenizer; the end token
        CTranslate2 may add is not counted)."""
        return len(self.tokenizer.encode(text))

    @property
    def provenance(self) -> Provenance:
        """The model's name and version as shown to readers, and whether it is a demo model."""
        return Provenance(self.package.name, self.package.version, self.package.demo)


@dataclass(frozen=True)
class EngineOptions:
    """How models are loaded and run.

    ``beam_size``: hypotheses kept per decoding step (1 is greedy). ``compute_type``: a
    CTranslate2 compute type (``int8``, ``float32``, ...). ``intra_threads``: CPU threads per
    translator replica; ``inter_threads``: replicas, each running one batch at a time.
    ``max_batch_size``: segments per batch (``batch_type`` ``"examples"``) or tokens
    (``"tokens"``), 0 for one batch. Measured on 2 cores (``benchmarks/translate.py``, figures in
    the README): two single-thread replicas with batches of 16 beat one two-thread batch, and
    are within 0.4% of the fastest raw configuration of the sweep in ``benchmarks/limits.py``.
    """

    packages_dir: Path
    beam_size: int = 4
    compute_type: str = "int8"
    intra_threads: int = 1
    inter_threads: int = 1
    # 0: one batch of everything. Smaller batches over several translator replicas
    # (inter_threads) are faster when many articles wait (see benchmarks/translate.py).
    max_batch_size: int = 0
    batch_type: str = "examples"

    @classmethod
    def from_settings(cls, settings: Settings) -> EngineOptions:
        """The options a worker process uses: threads x replicas never exceed its share of cores."""
        return cls(
            packages_dir=settings.packages_dir,
            beam_size=settings.beam_size,
            compute_type=settings.compute_type,
            intra_threads=settings.intra_threads(),
            inter_threads=settings.effective_inter_threads(),
            max_batch_size=settings.max_batch_size,
        )


class Engine:
    """Loaded models of one process, and batched translation with them.

    Each language pair is loaded once, on first use, and kept; loading is serialised by a lock,
    so threads may share an Engine. Creating one points argostranslate at
    ``options.packages_dir`` (creating it): do that before anything imports argostranslate.
    """

    def __init__(self, options: EngineOptions):
        self.options = options
        self._models: dict[tuple[str, str], LoadedModel] = {}
        self._lock = threading.Lock()
        packages.use_packages_dir(options.packages_dir)

    def model(self, from_code: str, to_code: str) -> LoadedModel:
        """The loaded model for a pair of ISO 639-1 codes, loading it on first use.

        Raises ModelMissing when no installed package translates the pair; errors of
        CTranslate2 or argostranslate reading a broken package propagate.
        """
        key = (from_code, to_code)
        with self._lock:
            if key not in self._models:
                self._models[key] = self._load(from_code, to_code)
            return self._models[key]

    def _load(self, from_code: str, to_code: str) -> LoadedModel:
        """Load the newest installed package of the pair on the CPU. Raises ModelMissing."""
        found = packages.find(self.options.packages_dir, from_code, to_code)
        if found is None:
            raise ModelMissing(
                f"no Argos package installed for {from_code}->{to_code} in {self.options.packages_dir}; "
                f"run: syndicate models install {from_code} {to_code}"
            )
        import ctranslate2
        from argostranslate.package import Package

        translator = ctranslate2.Translator(
            str(found.model_dir),
            device="cpu",
            compute_type=self.options.compute_type,
            inter_threads=self.options.inter_threads,
            intra_threads=self.options.intra_threads,
        )
        argos_package = Package(found.path)
        log.warning(
            "loaded model %s %s (%s->%s) in process %d",
            found.name,
            found.version,
            from_code,
            to_code,
            os.getpid(),
        )
        return LoadedModel(
            found,
            translator,
            argos_package.tokenizer,
            argos_package.target_prefix or "",
            _end_token(found.model_dir),
        )

    def translate_segments(self, from_code: str, to_code: str, segments: list[str]) -> list[str]:
        """Translate independent segments in one batched call, keeping their order: the texts of
        :meth:`translate_hypotheses`. Raises ModelMissing."""
        return [h.text for h in self.translate_hypotheses(from_code, to_code, segments)]

    def translate_hypotheses(self, from_code: str, to_code: str, segments: list[str]) -> list[Hypothesis]:
        """Translate independent segments in one batched call, keeping their order.

        Returns one Hypothesis per segment, in order (an empty list for no segments). Beam
        search with ``options.beam_size``, Argos's length penalty, unknown tokens copied from the
        source; decoding stops after twice the longest input plus 16 tokens, at most
        MAX_DECODING_TOKENS, so a model caught in a loop ends; a hypothesis that stopped there
        rather than at the model's end token is marked ``capped``. Inputs longer than
        MAX_INPUT_TOKENS are cut by CTranslate2: callers split them first (see budget.py).
        Raises ModelMissing.
        """
        if not segments:
            return []
        loaded = self.model(from_code, to_code)
        tokenized = [loaded.tokenizer.encode(s) for s in segments]
        longest = max(len(t) for t in tokenized)
        prefix = [[loaded.target_prefix]] * len(tokenized) if loaded.target_prefix else None
        results = loaded.translator.translate_batch(
            tokenized,
            target_prefix=prefix,
            max_batch_size=self.options.max_batch_size,
            batch_type=self.options.batch_type,
            **decoding_options(self.options.beam_size, longest),
        )
        out: list[Hypothesis] = []
        for source, result in zip(tokenized, results, strict=True):
            tokens = result.hypotheses[0]
            finished = bool(tokens) and tokens[-1] == loaded.end_token
            if finished:
                tokens = tokens[:-1]
            text = loaded.tokenizer.decode(tokens)
            if loaded.target_prefix and text.startswith(loaded.target_prefix):
                text = text[len(loaded.target_prefix) :]
            out.append(Hypothesis(text.strip(), len(source), len(tokens), capped=not finished))
        return out


class DecodingOptions(TypedDict):
    """The ``translate_batch`` keywords of :func:`decoding_options`."""

    beam_size: int
    length_penalty: float
    replace_unknowns: bool
    max_input_length: int
    max_decoding_length: int
    return_end_token: bool


def decoding_options(beam_size: int, longest: int) -> DecodingOptions:
    """How the service decodes a batch whose longest input has ``longest`` source tokens: beam
    search of ``beam_size``, Argos's length penalty, unknown tokens copied from the source, a cap
    of twice the longest input plus 16 tokens (at most MAX_DECODING_TOKENS), and the end token
    returned. Shared with ``benchmarks/limits.py``, so raw CTranslate2 is timed doing the same
    decoding work."""
    return DecodingOptions(
        beam_size=beam_size,
        length_penalty=LENGTH_PENALTY,
        replace_unknowns=True,
        max_input_length=MAX_INPUT_TOKENS,
        max_decoding_length=min(MAX_DECODING_TOKENS, 2 * longest + 16),
        # The end token tells a finished hypothesis from one cut at the decoding cap.
        return_end_token=True,
    )


def _end_token(model_dir: Path) -> str:
    """The end token named in a CTranslate2 model's config.json, or DEFAULT_END_TOKEN (models
    converted by older CTranslate2 versions have no config.json)."""
    try:
        config = json.loads((model_dir / "config.json").read_text("utf-8"))
    except (OSError, ValueError):
        return DEFAULT_END_TOKEN
    token = config.get("eos_token") if isinstance(config, dict) else None
    return token if isinstance(token, str) and token else DEFAULT_END_TOKEN
