"""The domain model: what an article is, independent of storage, Celery and feeds."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

# Namespace for per-language entry ids; fixed forever so ids survive restarts and moves.
ENTRY_NAMESPACE = uuid.UUID("6f1c2a52-3c55-4a7e-9a57-1f0b5f3de0a1")


class Kind(StrEnum):
    """What a paragraph is: the lead (the first body paragraph), other body text, a heading, a
    quote, or one item of a list (consecutive items form one list, in order)."""

    LEAD = "lead"
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    QUOTE = "quote"
    ITEM = "item"


class JobState(StrEnum):
    """Where one language version of one revision is; the machine names are what `syndicate
    status --json` and `syndicate list --state` show. Transitions: syndicate/lifecycle.py."""

    QUEUED = "queued"
    # No installed model translates this pair: waits, and resumes when one is installed.
    WAITING_FOR_MODEL = "waiting-for-model"
    TRANSLATING = "translating"
    TRANSLATED = "translated"
    # The quality gate refused the translation; `syndicate release` or `retranslate` moves on.
    HELD = "held"
    # A person must approve the translation before it is published.
    REVIEW = "review"
    PUBLISHED = "published"
    FAILED = "failed"


@dataclass(frozen=True)
class Paragraph:
    """One block of an article or translation, in reading order."""

    kind: Kind
    text: str
    # For quotes: who spoke, where the sentence says so.
    speaker: str | None = None
    # The text with its inline markup (links, emphasis, code, sup/sub, line breaks), a sanitised
    # HTML fragment whose text content is ``text`` (syndicate/inline.py); None without markup.
    html: str | None = None

    def to_dict(self) -> dict:
        """``{"kind", "text"}``, plus ``"speaker"`` and ``"html"`` when there are: the stored and
        JSON form (absent rather than null, so content hashes of paragraphs without them stay)."""
        data = {"kind": str(self.kind), "text": self.text}
        if self.speaker:
            data["speaker"] = self.speaker
        if self.html:
            data["html"] = self.html
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Paragraph:
        """The inverse of :meth:`to_dict`; KeyError without "kind" or "text", ValueError for an
        unknown kind."""
        return cls(Kind(data["kind"]), data["text"], data.get("speaker"), data.get("html"))


@dataclass(frozen=True)
class Article:
    """A parsed source article: the structure that is stored, translated and published."""

    title: str
    published: datetime
    paragraphs: tuple[Paragraph, ...]
    lang: str = "en"
    author: str | None = None
    url: str | None = None
    # Set when ingestion cut a lead that the scraper had truncated mid-word.
    lead_trimmed: bool = False
    # When the source says it last changed ("Updated: ..."), aware; None when it does not say.
    updated: datetime | None = None
    # Every repair or assumption ingestion made, one line each ("mojibake repaired", "zone EDT
    # read as America/New_York"): told to the operator and stored with the revision. Not part of
    # the content: two inputs that read the same are the same revision, whatever was repaired.
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.published.tzinfo is None:
            raise ValueError("Article.published must be timezone-aware")
        if self.updated is not None and self.updated.tzinfo is None:
            raise ValueError("Article.updated must be timezone-aware")

    def content_hash(self) -> str:
        """Hash of everything a reader sees; equal hashes mean the same revision."""
        fields = {
            "title": self.title,
            "published": self.published.isoformat(),
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "lang": self.lang,
            "author": self.author,
            "url": self.url,
        }
        if self.updated is not None:  # absent rather than null: earlier hashes stay what they were
            fields["updated"] = self.updated.isoformat()
        payload = json.dumps(
            fields,
            ensure_ascii=False,
            sort_keys=True,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Provenance:
    """Who translated: the model, and how many of the ``segments`` (title and sentences) a
    person translated (``human_segments``: an editor's post-edits, a seeded memory) and how
    many are the model's output a person approved unchanged (``approved_segments``: still
    machine translation, so never "human"). Shown to readers with every translated entry.
    Counts are 0 for a translation stored before segments were recorded (read as machine
    translation)."""

    model_name: str
    model_version: str
    demo: bool = False
    segments: int = 0
    human_segments: int = 0
    approved_segments: int = 0

    @property
    def kind(self) -> str:
        """ "machine" (no segment a person wrote or approved), "human" (a person wrote every
        segment) or "post-edited" (anything between, approved model output included)."""
        if self.human_segments <= 0 and self.approved_segments <= 0:
            return "machine"
        return "human" if self.human_segments >= self.segments else "post-edited"

    def describe(self) -> str:
        """The sentence readers see: who translated, the model's name and version unless a
        person translated every segment, and a warning for a demo model's machine segments."""
        if self.kind == "human":
            return "Human translation."
        text = f"Machine translation by {self.model_name} (version {self.model_version})"
        text += ", post-edited by a person." if self.kind == "post-edited" else "."
        if self.demo:
            text += " This is a demo model: its output is NOT a translation."
        return text


@dataclass(frozen=True)
class Translation:
    """One language version of an article: its title, one paragraph per source paragraph (same
    kinds, same order) and the model that made it."""

    lang: str
    title: str
    paragraphs: tuple[Paragraph, ...]
    provenance: Provenance
    # Published after the review grace period (SYNDICATE_REVIEW_GRACE) without an editor's approval.
    unreviewed: bool = False


@dataclass(frozen=True)
class StoredArticle:
    """An article as read back from the store, with its identity."""

    id: str
    revision: int
    article: Article
    created_at: datetime
    translations: dict[str, Translation] = field(default_factory=dict)
    # When each language's text last changed: drives Atom/JSON `updated`.
    updated: dict[str, datetime] = field(default_factory=dict)
    # Position in the feed of the language it was read for (1 = first ever published).
    seq: int = 0


def entry_id(article_id: str, lang: str) -> str:
    """A stable id per language version: never equal across languages, never changes."""
    return f"urn:uuid:{uuid.uuid5(ENTRY_NAMESPACE, f'{article_id}/{lang}')}"
