"""Ingestion cost on ordinary and hostile inputs, side by side in one run.

    python -m benchmarks.ingest [--repeat N]

Each input is about the same size; each row gives the best wall time of N runs of one stage
(``decode`` = bytes to repaired text, ftfy included; ``clean_scrape`` = scraping leftovers
dropped and references decoded) and its ratio to the same stage on an ordinary article of that
size. Hostile inputs are the shapes that make backtracking patterns or per-line repairs
explode: unfinished tags in bulk, handler elements in bulk, mojibake on every line.
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Callable
from pathlib import Path

from syndicate.ingest.decode import decode
from syndicate.ingest.markup import clean_scrape
from syndicate.ingest.options import Reading

HERE = Path(__file__).parent
SIZE = 250_000  # characters per input


def _sized(unit: str) -> str:
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


def inputs() -> dict[str, str]:
    """Name -> text of about SIZE characters."""
    article = (HERE / "article.txt").read_text("utf-8")
    return {
        "ordinary article": _sized(article + "\n\n"),
        "unfinished tags '<a/'": _sized("<a/"),
        "unclosed attribute '<a x=\"'": _sized('<a x="'),
        "handler elements '<a onclick=x>'": _sized("<a onclick=x>"),
        "script links in sentences": _sized('The road <a href="javascript:x()">closed</a> today. '),
        "mojibake on every line": _sized("CafÃ© owners say the cityâ€™s rules are â€œunfairâ€\u009d.\n"),
    }


def best(fn: Callable[[], object], repeat: int) -> float:
    """The best wall time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = inputs()
    stages: dict[str, Callable[[str], object]] = {
        "decode": lambda t: decode(t.encode("utf-8"), 10 * SIZE, Reading()),
        "clean_scrape": lambda t: clean_scrape(t, Reading()),
    }
    print(f"{'input':<36} {'stage':<13} {'seconds':>8} {'x ordinary':>11}")
    for stage, run in stages.items():
        base = best(functools.partial(run, texts["ordinary article"]), args.repeat)
        for name, text in texts.items():
            seconds = best(functools.partial(run, text), args.repeat)
            print(f"{name:<36} {stage:<13} {seconds:>8.3f} {seconds / base:>11.1f}")


if __name__ == "__main__":
    main()
