"""Sentence splitting: pysbd alone against syndicate.segment, for accuracy and for speed.

    python -m benchmarks.sentences [--repeat N] [--json PATH]

Accuracy: the cases of tests/testdata/sentences.toml (hand-written tricky sentences, issue 11)
right out of all, per language, for both splitters ("pysbd alone" is the splitter as it was
before issue 11: whitespace collapsed, pysbd with clean=False, pieces stripped).

Speed: both split the same paragraphs (benchmarks/article.txt and the corpus texts, per
language); the best wall time of N runs after a warm-up, printed as sentences per second side
by side (the sentences counted once, as syndicate.segment splits them, so that both rates share
one count), with the ratio of the times (ours / pysbd alone).
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from syndicate import segment

HERE = Path(__file__).parent
CORPUS = HERE.parent / "tests" / "testdata" / "sentences.toml"
_SPACES = re.compile(r"\s+")


def pysbd_alone(text: str, lang: str) -> list[str]:
    """The splitter before issue 11, for comparison."""
    import pysbd

    text = _SPACES.sub(" ", text).strip()
    if not text:
        return []
    seg = _pysbd_cache.setdefault(lang, pysbd.Segmenter(language=lang, clean=False))
    return [s.strip() for s in seg.segment(text) if s.strip()]


_pysbd_cache: dict[str, Any] = {}
SPLITTERS: dict[str, Callable[[str, str], list[str]]] = {
    "pysbd alone": pysbd_alone,
    "syndicate.segment": segment.sentences,
}


def accuracy(cases: list[dict[str, Any]]) -> dict[str, dict[str, list[int]]]:
    """{splitter: {lang: [right, total]}} over the corpus cases (lang "all" for the sum)."""
    result: dict[str, dict[str, list[int]]] = {}
    for name, split in SPLITTERS.items():
        counts: dict[str, list[int]] = {"all": [0, 0]}
        for case in cases:
            lang = case.get("lang", "en")
            right = int(split(case["text"], lang) == case["sentences"])
            for key in ("all", lang):
                counts.setdefault(key, [0, 0])
                counts[key][0] += right
                counts[key][1] += 1
        result[name] = counts
    return result


def best_of(repeat: int, run: Callable[[], None]) -> float:
    """The best wall time in seconds of ``repeat`` runs after a warm-up (the least disturbed)."""
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def paragraphs(cases: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The paragraphs timed, per language: the article's (en) and every corpus text."""
    texts: dict[str, list[str]] = {"en": []}
    for para in re.split(r"\n\s*\n", (HERE / "article.txt").read_text("utf-8"))[2:]:
        texts["en"].append(para)
    for case in cases:
        texts.setdefault(case.get("lang", "en"), []).append(case["text"])
    return texts


def main() -> None:
    """Print the accuracy table and the speed table; with --json, write both to a file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    cases = tomllib.loads(CORPUS.read_text("utf-8"))["case"]
    report: dict[str, Any] = {"python": platform.python_version(), "machine": platform.machine()}

    report["accuracy"] = accuracy(cases)
    print(f"Accuracy on {CORPUS.relative_to(HERE.parent)} (cases right / cases):")
    for name, counts in report["accuracy"].items():
        langs = ", ".join(f"{lang} {r}/{n}" for lang, (r, n) in counts.items() if lang != "all")
        print(f"  {name:18} {counts['all'][0]}/{counts['all'][1]}  ({langs})")

    report["speed"] = {}
    print(f"\nSpeed (best of {args.repeat}):")
    header = ("lang", "paragraphs", "sentences", "pysbd alone", "syndicate.segment", "ratio")
    print("  {:4} {:>10} {:>9} {:>16} {:>18} {:>6}".format(*header))
    for lang, texts in paragraphs(cases).items():
        count = sum(len(segment.sentences(t, lang)) for t in texts)
        row: dict[str, Any] = {"paragraphs": len(texts), "sentences": count}
        for name, split in SPLITTERS.items():

            def run(
                split: Callable[[str, str], list[str]] = split, lang: str = lang, texts: list[str] = texts
            ) -> None:
                for text in texts:
                    split(text, lang)

            seconds = best_of(args.repeat, run)
            row[name] = {"seconds": seconds, "sentences_per_s": count / seconds}
        ratio = row["syndicate.segment"]["seconds"] / row["pysbd alone"]["seconds"]
        row["time_ratio"] = ratio
        report["speed"][lang] = row
        print(
            f"  {lang:4} {len(texts):>10} {count:>9} {row['pysbd alone']['sentences_per_s']:>12,.0f} s/s"
            f" {row['syndicate.segment']['sentences_per_s']:>14,.0f} s/s {ratio:>5.2f}x"
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
