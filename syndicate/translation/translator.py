"""Articles in, translations out: segmentation, memory, one batched model call, reassembly, gate.

This is the service's translation path, as a worker runs it. Several articles of one language
go through a single ``translate_batch`` call; sentences already in memory, or repeated within
the batch, are not sent to the model at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from syndicate import segment
from syndicate.inline import Mark, parse, render
from syndicate.model import Article, Paragraph, Translation
from syndicate.translation import budget, quality, segments
from syndicate.translation import inline as markup
from syndicate.translation import memory as tm
from syndicate.translation.engine import Engine
from syndicate.translation.glossary import EMPTY, Applied, Glossary
from syndicate.translation.placeholders import Protected, protect
from syndicate.translation.typography import join_sentences, polish


@dataclass
class Result:
    """One article's translation, the quality gate's issues, its segments (title and sentences)
    and how many of them came from the memory."""

    translation: Translation
    issues: list[quality.Issue]
    segments: int
    from_memory: int
    glossary: list[Applied] = field(default_factory=list)  # the entries applied, where
    # One record per segment (translation/segments.py), and how many were human segments.
    records: list[dict] = field(default_factory=list)
    from_human: int = 0

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
    # The sentence's inline markup behind placeholders (translation/inline.py); None without.
    markup: markup.Sentence | None = None
    output: str | None = None
    from_memory: bool = False
    capped: bool = False
    human_key: str = ""
    human: segments.HumanSegment | None = None  # a person's translation, used as written


def translate_articles(
    engine: Engine,
    articles: list[Article],
    to_code: str,
    *,
    memory: tm.Memory | None = None,
    glossary: Glossary = EMPTY,
    use_memory: bool = True,
    human: segments.HumanMemory | None = None,
    ids: list[str] | None = None,
) -> list[Result]:
    """Translate articles (all from one source language) into ``to_code``.

    ``use_memory=False`` forces fresh model output and overwrites the memory entries, for
    `syndicate retranslate`. A sentence with a human segment in ``human`` takes it as written,
    before the memory and the model, whatever ``use_memory`` (translation/segments.py). ``ids``
    (one per article) name the articles in log lines about single segments (budget.py); by
    default their positions in the batch.
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
        texts: list[tuple[int, str, markup.Sentence | None]] = [(-1, article.title, None)]
        for p_index, paragraph in enumerate(article.paragraphs):
            sentences = segment.sentences(paragraph.text, article.lang) or [paragraph.text]
            hidden = markup.split(paragraph.text, paragraph.html, sentences, glossary, to_code)
            texts.extend((p_index, s, h) for s, h in zip(sentences, hidden, strict=True))
        for p_index, text, inline in texts:
            protected = (
                protect(inline.text, to_code, glossary, inline.keep)
                if inline
                else protect(text, to_code, glossary)
            )
            key = tm.key(protected.text, from_code, to_code, model_id, protected.glossary_key)
            hkey = segments.human_key(text, from_code, to_code, protected.glossary_key)
            units.append(_Unit(a_index, p_index, text, protected, key, inline, human_key=hkey))

    people = human.lookup_human(sorted({u.human_key for u in units})) if human else {}
    known = memory.lookup(sorted({u.key for u in units if u.human_key not in people})) if use_memory else {}
    pending: dict[str, str] = {}
    owners: dict[str, list[str]] = {}  # key -> the articles holding that segment
    for unit in units:
        if unit.human_key in people:
            unit.human = people[unit.human_key]
        elif unit.key in known:
            unit.output, unit.from_memory = known[unit.key], True
        else:
            pending.setdefault(unit.key, unit.protected.text)
            name = ids[unit.article] if ids is not None else f"#{unit.article + 1} of the batch"
            owners.setdefault(unit.key, [])
            if name not in owners[unit.key]:
                owners[unit.key].append(name)
    if pending:
        # Segments over the model's token budget are split at clauses and rejoined (budget.py).
        outputs = dict(
            zip(
                pending,
                budget.translate(
                    engine,
                    from_code,
                    to_code,
                    list(pending.values()),
                    [", ".join(owners[k]) for k in pending],
                ),
                strict=True,
            )
        )
        fresh = {k: o.text for k, o in outputs.items()}
        memory.remember(
            # An output cut at the decoding cap is held by the gate, and not remembered.
            [
                tm.Entry(k, tm.normalise(pending[k]), fresh[k], from_code, to_code, model_id)
                for k in pending
                if not outputs[k].capped
            ],
            replace=not use_memory,
        )
        for unit in units:
            if unit.output is None and unit.human is None:
                unit.output, unit.capped = fresh[unit.key], outputs[unit.key].capped

    provenance = model.provenance
    results = []
    for a_index, article in enumerate(articles):
        mine = [u for u in units if u.article == a_index]
        gate_segments: list[quality.Segment] = []
        finals: dict[int, list[str]] = {}  # paragraph index (-1: the title) -> its sentences
        applied: list[Applied] = []
        marked: dict[int, list[tuple[str, list[Mark]]]] = {}  # the same, with their inline marks
        problems: list[str] = []
        records: list[dict] = []
        seg_ids = segments.segment_ids([u.source for u in mine])
        for index, unit in enumerate(mine):
            applied.extend(
                Applied(entry, seen, index, unit.paragraph) for entry, seen in unit.protected.glossary
            )
            if unit.human is not None:
                final, marks, missing = _human_final(unit)
                gate_segments.append(
                    quality.Segment(unit.source, unit.protected.text, final, final, missing, human=True)
                )
                finals.setdefault(unit.paragraph, []).append(final)
                marked.setdefault(unit.paragraph, []).append((final, marks))
                records.append(_record(seg_ids[index], unit, final, marks, []))
                continue
            output = unit.output
            # Every other unit got its output above, from the memory or from the model.
            assert output is not None
            lost: list[str] = []

            def restore(text: str, unit: _Unit = unit, lost: list[str] = lost) -> str:
                restored, missing = unit.protected.restore(text)
                lost.extend(missing)
                return restored

            # Typography before restoring, so protected text (code, URLs) stays byte-identical;
            # so it runs per sentence (typography.compose, on whole paragraphs, would reach
            # into protected text and move inline marks).
            carried = unit.markup.carry(output) if unit.markup else None
            found: list[str] = []
            if carried:
                final, marks, found = carried.finish(carried.text, lambda t: polish(t, to_code), restore)
                problems += found
            else:
                final, marks = restore(polish(output, to_code)), []
            records.append(_record(seg_ids[index], unit, final, marks, found))
            finals.setdefault(unit.paragraph, []).append(final)
            marked.setdefault(unit.paragraph, []).append((final, marks))
            gate_segments.append(
                quality.Segment(
                    unit.source, unit.protected.text, output, final, tuple(lost), unit.capped,
                    repeated=tuple(unit.protected.repeated(output)),
                )
            )  # fmt: skip
        paragraphs = tuple(
            Paragraph(
                p.kind,
                join_sentences(to_code, finals.get(i, [])),
                html=markup.paragraph_html(to_code, marked.get(i, [])) if p.html else None,
            )
            for i, p in enumerate(article.paragraphs)
        )
        people_here = sum(u.human is not None for u in mine)
        _, written, approved = segments.counts(records)
        mine_provenance = replace(
            provenance, segments=len(mine), human_segments=written, approved_segments=approved
        )
        translation = Translation(to_code, join_sentences(to_code, finals[-1]), paragraphs, mine_provenance)
        each, overall = quality.check_each(gate_segments, to_code, source=from_code)
        for record, found_here in zip(records, each, strict=True):
            record["issues"] = [str(i) for i in found_here] + record["issues"]
        results.append(
            Result(
                translation=translation,
                issues=[i for found_here in each for i in found_here] + overall + markup.issues(problems),
                segments=len(mine),
                from_memory=sum(u.from_memory for u in mine),
                glossary=applied,
                records=records,
                from_human=people_here,
            )
        )
    return results


def _human_final(unit: _Unit) -> tuple[str, list[Mark], tuple[str, ...]]:
    """A human segment's (final text as written, its inline marks, the protected texts of the
    source it lacks: the gate's ``protected`` check still applies to it)."""
    assert unit.human is not None
    final = unit.human.target
    marks: list[Mark] = []
    if unit.human.target_html:
        text, found = parse(unit.human.target_html)
        marks = found if text == final else []
    return final, marks, tuple(segments.missing_spans(unit.source, final))


def _record(identifier: str, unit: _Unit, final: str, marks: list[Mark], problems: list[str]) -> dict:
    """The segment record of ``unit`` (translation/segments.py); the gate's issues are added
    by the caller in front of ``problems`` (the markup issues of this unit)."""
    source_marks = list(unit.markup.marks) if unit.markup else []
    return {
        "id": identifier,
        "paragraph": unit.paragraph,
        "source": unit.source,
        "source_html": render(unit.source, source_marks) if source_marks else None,
        "target": final,
        "target_html": render(final, marks) if marks else None,
        "origin": segments.HUMAN if unit.human else segments.MACHINE,
        "reviewed": unit.human is not None,
        # Machine output an editor approved unchanged: post-edited, not a person's text.
        "approved": bool(unit.human and unit.human.approved),
        "issues": [str(i) for i in markup.issues(problems)],
        "key": unit.human_key,
        "glossary_key": unit.protected.glossary_key,
    }
