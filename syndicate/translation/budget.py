"""Segments within the model's token budget: split before the model, rejoined after it.

A segment longer than the loaded model's token budget (``LoadedModel.token_budget``, counted
with its own tokenizer) is cut at clause boundaries (clauses.py); all pieces of all segments go
through one batched model call, and each segment's translated pieces are joined back. A piece
whose hypothesis stopped at the decoding cap instead of at the end token (cut short) is split
again into halves of its length and retranslated, up to MAX_ROUNDS times; one that cannot be
split (MIN_SPLIT_TOKENS or fewer, or no place to cut) is kept and marked ``capped``, and the
quality gate holds its segment (the ``truncated`` check).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from syndicate.translation import clauses
from syndicate.translation.engine import Engine, Hypothesis

# Rounds of retranslating capped pieces in smaller halves: 150 tokens become 9 in four.
MAX_ROUNDS = 4
# A capped piece this short is not split again: a model that runs away on it is looping, and
# the gate is the place to hold it.
MIN_SPLIT_TOKENS = 8

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Output:
    """One segment's translation: the text, how many pieces it was translated in (1: whole),
    and whether a piece of it still stopped at the decoding cap (so it may be cut short)."""

    text: str
    pieces: int = 1
    capped: bool = False


def translate(
    engine: Engine, from_code: str, to_code: str, segments: list[str], labels: list[str] | None = None
) -> list[Output]:
    """Translate ``segments`` (model input, placeholders included), one Output each, in order.

    Identical pieces are translated once. Logs (INFO) each segment that was split, with its
    token count, pieces and its ``labels`` entry (the article ids it belongs to: a batch holds
    several articles, and the log context names only the task's). Raises ModelMissing like the
    engine; ValueError when ``labels`` is not one per segment.
    """
    if labels is not None and len(labels) != len(segments):
        raise ValueError("budget.translate needs one label per segment")
    if not segments:
        return []
    model = engine.model(from_code, to_code)
    count, budget = model.count_tokens, model.token_budget
    plans = [_strip(clauses.split(s, count, budget)) or [s] for s in segments]
    done: dict[str, Hypothesis] = {}
    smaller: dict[str, list[str]] = {}  # a capped piece -> the pieces it was retranslated in
    pending = list(dict.fromkeys(p for plan in plans for p in plan))
    for round_ in range(MAX_ROUNDS + 1):
        if not pending:
            break
        retry: list[str] = []
        for piece, hypothesis in zip(
            pending, engine.translate_hypotheses(from_code, to_code, pending), strict=True
        ):
            done[piece] = hypothesis
            if not hypothesis.capped or round_ == MAX_ROUNDS:
                continue
            tokens = hypothesis.source_tokens
            halves = (
                _strip(clauses.split(piece, count, max(1, tokens // 2))) if tokens > MIN_SPLIT_TOKENS else []
            )
            if len(halves) > 1:
                smaller[piece] = halves
                retry.extend(h for h in halves if h not in done)
        pending = list(dict.fromkeys(retry))

    outputs = []
    for index, (source, plan) in enumerate(zip(segments, plans, strict=True)):
        texts, capped, count_pieces = _resolve(plan, done, smaller, to_code)
        if count_pieces > 1:
            log.info(
                "%ssegment of %d tokens (budget %d) translated in %d pieces%s: %.60r",
                f"article {labels[index]}: " if labels else "",
                count(source),
                budget,
                count_pieces,
                ", one still cut at the decoding cap" if capped else "",
                source,
            )
        outputs.append(Output(clauses.join(to_code, texts), count_pieces, capped))
    return outputs


def _strip(pieces: list[str]) -> list[str]:
    """Pieces without surrounding spaces, empty ones dropped (the model needs no spaces)."""
    return [p.strip() for p in pieces if p.strip()]


def _resolve(
    plan: list[str], done: dict[str, Hypothesis], smaller: dict[str, list[str]], lang: str
) -> tuple[list[str], bool, int]:
    """The translated texts of ``plan``'s pieces (a piece retranslated in smaller ones gives
    their joined texts), whether any final piece is capped, and how many final pieces there are."""
    texts: list[str] = []
    capped = False
    pieces = 0
    for piece in plan:
        if piece in smaller:
            inner, inner_capped, inner_pieces = _resolve(smaller[piece], done, smaller, lang)
            texts.append(clauses.join(lang, inner))
            capped, pieces = capped or inner_capped, pieces + inner_pieces
        else:
            texts.append(done[piece].text)
            capped, pieces = capped or done[piece].capped, pieces + 1
    return texts, capped, pieces
