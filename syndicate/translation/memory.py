"""Sentence-level translation memory: never pay twice for the same sentence.

Keyed by the normalised model input, the language pair, the model's name and version, and the
glossary entries applied to the sentence. A new model version simply misses: old entries stay,
new ones are added beside them. Values are raw model output (placeholders intact), so restoring
protected text and typography always use the current rules.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

_SPACES = re.compile(r"\s+")


def normalise(sentence: str) -> str:
    """NFC, each run of whitespace one space, stripped: what the memory keys and stores."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", sentence)).strip()


@dataclass(frozen=True)
class ModelId:
    """A model package's name and version."""

    name: str
    version: str


def key(sentence: str, from_code: str, to_code: str, model: ModelId, glossary_key: str = "") -> str:
    """SHA-256 (64 hex digits) of the normalised sentence, the pair, the model and ``glossary_key``
    (placeholders.Protected's; "" for none), joined by U+001F."""
    parts = (normalise(sentence), from_code, to_code, model.name, model.version, glossary_key)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One sentence to remember: its :func:`key`, the normalised model input and the raw output."""

    key: str
    source: str
    target: str
    from_code: str
    to_code: str
    model: ModelId


class Memory(Protocol):
    """Where the translator looks sentences up and stores new ones (the store's is the real one)."""

    def lookup(self, keys: list[str]) -> dict[str, str]:
        """``{key: target}`` for each of ``keys`` stored; keys not stored are absent."""

    def remember(self, entries: list[Entry], replace: bool = False) -> None:
        """Store ``entries``; an existing key keeps its target unless ``replace``."""


class NoMemory:
    """For benchmarks and callers that must always run the model."""

    def lookup(self, keys: list[str]) -> dict[str, str]:
        return {}

    def remember(self, entries: list[Entry], replace: bool = False) -> None:
        return None


class DictMemory:
    """In-process memory, for tests of the translator without a database."""

    def __init__(self) -> None:
        self.entries: dict[str, str] = {}

    def lookup(self, keys: list[str]) -> dict[str, str]:
        return {k: self.entries[k] for k in keys if k in self.entries}

    def remember(self, entries: list[Entry], replace: bool = False) -> None:
        for entry in entries:
            if replace or entry.key not in self.entries:
                self.entries[entry.key] = entry.target
