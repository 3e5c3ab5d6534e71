"""The translation engine: loaded models and one batched CTranslate2 call for many segments.

argostranslate's translate() runs one batch per paragraph; the service sends every sentence of
an article, or of several articles, through a single ``translate_batch`` (see translator.py).
Tokenizers come from argostranslate's own Package class, so SentencePiece and BPE packages work.

An Engine loads each model once and keeps it: create it in the worker process after fork
(CTranslate2 translators are not fork-safe), never at import time.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from syndicate.model import Provenance
from syndicate.translation import packages

# Decoding stops at this many tokens per segment whatever the model does (CTranslate2's own
# default is 256); a runaway loop cannot eat a worker.
MAX_DECODING_TOKENS = 512


log = logging.getLogger(__name__)


class ModelMissing(RuntimeError):
    """No installed package translates this language pair."""


@dataclass
class LoadedModel:
    package: packages.InstalledPackage
    translator: object  # ctranslate2.Translator
    tokenizer: object  # argostranslate.tokenizer.Tokenizer
    target_prefix: str

    @property
    def provenance(self) -> Provenance:
        return Provenance(self.package.name, self.package.version, self.package.demo)


@dataclass(frozen=True)
class EngineOptions:
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
    def from_settings(cls, settings) -> EngineOptions:
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
    def __init__(self, options: EngineOptions):
        self.options = options
        self._models: dict[tuple[str, str], LoadedModel] = {}
        self._lock = threading.Lock()
        packages.use_packages_dir(options.packages_dir)

    def model(self, from_code: str, to_code: str) -> LoadedModel:
        key = (from_code, to_code)
        with self._lock:
            if key not in self._models:
                self._models[key] = self._load(from_code, to_code)
            return self._models[key]

    def _load(self, from_code: str, to_code: str) -> LoadedModel:
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
        return LoadedModel(found, translator, argos_package.tokenizer, argos_package.target_prefix or "")

    def translate_segments(self, from_code: str, to_code: str, segments: list[str]) -> list[str]:
        """Translate independent segments in one batched call, keeping their order."""
        if not segments:
            return []
        loaded = self.model(from_code, to_code)
        tokenized = [loaded.tokenizer.encode(s) for s in segments]
        longest = max(len(t) for t in tokenized)
        prefix = [[loaded.target_prefix]] * len(tokenized) if loaded.target_prefix else None
        results = loaded.translator.translate_batch(
            tokenized,
            target_prefix=prefix,
            beam_size=self.options.beam_size,
            length_penalty=0.2,
            replace_unknowns=True,
            max_decoding_length=min(MAX_DECODING_TOKENS, 2 * longest + 16),
            max_batch_size=self.options.max_batch_size,
            batch_type=self.options.batch_type,
        )
        out = []
        for result in results:
            text = loaded.tokenizer.decode(result.hypotheses[0])
            if loaded.target_prefix and text.startswith(loaded.target_prefix):
                text = text[len(loaded.target_prefix) :]
            out.append(text.strip())
        return out
