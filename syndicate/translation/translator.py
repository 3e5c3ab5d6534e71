"""Articles in, translations out: segmentation, memory, one batched model call, reassembly, gate.

This is the service's translation path, as a worker runs it. Several articles of one language
go through a single ``translate_batch`` call; sentences already in memory, or repeated within
the batch, are not sent to the model at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from syndicate import segment
from syndicate.model import Article, Paragraph, Translation
from syndicate.translation import memory as tm
from syndicate.translation import quality
from syndicate.translation.engine import Engine
from syndicate.translation.glossary import EMPTY, Glossary
from syndicate.translation.placeholders import Protected, protect
from syndicate.translation.typography import compose, polish


@dataclass
class Result:
    """One article's translation, the quality gate's issues, its segments (title and sentences)
    and how many of them came from the memory."""

    translation: Translation
    issues: list[quality.Issue]
    segments: int
    from_memory: int

    @property
    def ok(self) -> bool:
        """Whether the quality gate found no issue."""
        return not self.issues


@dataclass
class _Unit:
    """One sentence (or title) of one article on its way through the model."""

    article: int
    paragraph: int  # -1 for the title
    source: str
    protected: Protected
    key: str
    output: str | None = None
    from_memory: bool = False


def translate_articles(
    engine: Engine,
    articles: list[Article],
    to_code: str,
    *,
    memory: tm.Memory | None = None,
    glossary: Glossary = EMPTY,
    use_memory: bool = True,
) -> list[Result]:
    """Translate articles (all from one source language) into ``to_code``.

    ``use_memory=False`` forces fresh model output and overwrites the memory entries, for
    `syndicate retranslate`.
    """
    if not articles:
        return []
    memory = memory or tm.NoMemory()
    from_code = articles[0].lang
    model = engine.model(from_code, to_code)
    model_id = tm.ModelId(model.package.name, model.package.version)

    units: list[_Unit] = []
    for a_index, article in enumerate(articles):
        if article.lang != from_code:
            raise ValueError("translate_articles needs articles of one source language")
        texts = [(-1, article.title)]
        for p_index, paragraph in enumerate(article.paragraphs):
            sentences = segment.sentences(paragraph.text, article.lang) or [paragraph.text]
            texts.extend((p_index, s) for s in sentences)
        for p_index, text in texts:
            protected = protect(text, to_code, glossary)
            key = tm.key(protected.text, from_code, to_code, model_id, protected.glossary_key)
            units.append(_Unit(a_index, p_index, text, protected, key))

    known = memory.lookup(sorted({u.key for u in units})) if use_memory else {}
    pending: dict[str, str] = {}
    for unit in units:
        if unit.key in known:
            unit.output, unit.from_memory = known[unit.key], True
        else:
            pending.setdefault(unit.key, unit.protected.text)
    if pending:
        outputs = engine.translate_segments(from_code, to_code, list(pending.values()))
        fresh = dict(zip(pending.keys(), outputs, strict=True))
        memory.remember(
            [tm.Entry(k, tm.normalise(pending[k]), fresh[k], from_code, to_code, model_id) for k in pending],
            replace=not use_memory,
        )
        for unit in units:
            if unit.output is None:
                unit.output = fresh[unit.key]

    provenance = model.provenance
    results = []
    for a_index, article in enumerate(articles):
        mine = [u for u in units if u.article == a_index]
        gate_segments: list[quality.Segment] = []
        finals: dict[int, list[str]] = {}  # paragraph index (-1: the title) -> its sentences
        for unit in mine:
            output = unit.output
            # Every unit got its output above, from the memory or from the model.
            assert output is not None
            restored, lost = unit.protected.restore(output)
            # Typography is applied to whole paragraphs (compose), where a quotation that runs
            # over several sentences can be matched; the gate sees each sentence polished alone.
            finals.setdefault(unit.paragraph, []).append(restored)
            gate_segments.append(
                quality.Segment(
                    unit.source, unit.protected.text, output, polish(restored, to_code), tuple(lost)
                )
            )
        paragraphs = tuple(
            Paragraph(p.kind, compose(to_code, finals.get(i, []))) for i, p in enumerate(article.paragraphs)
        )
        translation = Translation(to_code, compose(to_code, finals[-1]), paragraphs, provenance)
        results.append(
            Result(
                translation=translation,
                issues=quality.check(gate_segments, to_code, source=from_code),
                segments=len(mine),
                from_memory=sum(u.from_memory for u in mine),
            )
        )
    return results
