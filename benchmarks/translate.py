"""Translation speed, measured side by side on one transformer-base-sized model.

    python -m benchmarks.translate [--json PATH] [--repeat N]

Builds offline an Argos package the size of the official ones (6+6 layers, d_model 512, ffn
2048, 8 heads, 32k SentencePiece vocabulary, int8; a deterministic "cipher" whose output length
follows the input, so every path does the same decoding work; its output is NOT a translation),
then times on the same sentences with beam 4:

  A  argostranslate.translate with its defaults (what a user of Argos gets)
  B  one raw ctranslate2 translate_batch over all sentences (the limit for this model here)
  C  the service's own path, as a worker runs it (segmentation, memory lookup in the store,
     batching, reassembly, typography, quality gate)

and the 20-articles-waiting case (B: one batch per article, one after another; C: the worker
takes them into one call), the greedy case, and a resubmission with one of twenty sentences
changed (translation memory).

One deviation from A's defaults: argostranslate's sentence splitter (MiniSBD) downloads a model
at first use, which fails offline, so A splits with the same pysbd splitter as the service.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).parent
ARTICLE = HERE / "article.txt"


@dataclasses.dataclass
class Timing:
    seconds: float
    sentences: int

    @property
    def rate(self) -> float:
        return self.sentences / self.seconds


def best_of(repeat: int, run) -> float:
    """Best wall time of ``repeat`` runs (after one warm-up): the least disturbed by noise."""
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


TAGS = [
    "North",
    "South",
    "East",
    "West",
    "Coast",
    "Lake",
    "Hill",
    "River",
    "Bay",
    "Cape",
    "Port",
    "Valley",
    "Forest",
    "Island",
    "Plain",
    "Ridge",
    "Field",
    "Harbour",
    "Bridge",
    "Station",
]


def variant(article, k: int):
    """Article k of the waiting batch: every sentence differs from every other article's (no
    memory hits between them), one word longer."""
    from syndicate import segment
    from syndicate.model import Paragraph

    tag = TAGS[k % len(TAGS)] + ("" if k < len(TAGS) else f" {k}")

    def tagged(sentence: str) -> str:
        return sentence.replace(" the ", f" the {tag} ", 1) if " the " in sentence else f"{tag}: {sentence}"

    paragraphs = tuple(
        Paragraph(p.kind, " ".join(tagged(s) for s in segment.sentences(p.text)) or p.text)
        for p in article.paragraphs
    )
    return dataclasses.replace(article, title=tagged(article.title), paragraphs=paragraphs)


def sentences_of(article) -> list[str]:
    from syndicate import segment

    out = [article.title]
    for p in article.paragraphs:
        out.extend(segment.sentences(p.text, article.lang) or [p.text])
    return out


def line(label: str, timing: Timing, extra: str = "") -> None:
    print(f"{label:<29}{timing.rate:6.1f} sentences/s  {extra}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per path (best is kept)")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="syn-bench-"))
    from syndicate import config

    settings = config.load({"SYNDICATE_DATA_DIR": str(work)})  # a worker's defaults
    packages_dir = settings.packages_dir
    from syndicate.translation import packages

    packages.use_packages_dir(packages_dir)  # before argostranslate is first imported
    os.environ.setdefault("ARGOS_DEVICE_TYPE", "cpu")

    import ctranslate2

    from syndicate import ingest
    from syndicate.store import Store
    from syndicate.translation import demo, translator
    from syndicate.translation.engine import Engine, EngineOptions

    article = ingest.parse_bytes(ARTICLE.read_bytes(), zone=ZoneInfo("UTC"), max_bytes=10**6)
    waiting = [variant(article, k) for k in range(20)]
    # A real model's 32k vocabulary covers ordinary English; ours learns it from these texts.
    training_text = [s for a in [article, *waiting, variant(article, 99)] for s in sentences_of(a)]
    t0 = time.perf_counter()
    package = packages.install_file(
        demo.build_package("ru", work / "build", shape=demo.BASE, extra_text=training_text), packages_dir
    )
    build_s = time.perf_counter() - t0
    cores = os.cpu_count() or 1
    sentences = sentences_of(article)
    n = len(sentences)
    words = sum(len(s.split()) for s in sentences)
    print(f"model: {package.name}, 6+6 layers, d512, 32k vocab, int8 (built in {build_s:.1f} s)")
    print(f"article: {words} words, {n} segments (title + sentences); {cores} cores; beam 4\n")

    # B: the raw limit.
    from argostranslate.package import Package

    tokenizer = Package(package.path).tokenizer
    tokens = [tokenizer.encode(s) for s in sentences]
    raw = ctranslate2.Translator(
        str(package.model_dir), device="cpu", compute_type="int8", intra_threads=cores
    )

    def run_b(beam: int = 4, batches=(tokens,)):
        for batch in batches:
            raw.translate_batch(batch, beam_size=beam)

    b = Timing(best_of(args.repeat, run_b), n)

    # C: the service path with a worker's default options, and an empty memory in a real store.
    engine = Engine(EngineOptions.from_settings(settings))
    # A worker's store is long-lived: open each run's (empty) store before the clock starts.
    stores = iter([Store(f"sqlite:///{work / f'c{i}.db'}") for i in range(4 * (args.repeat + 1) + 4)])

    def run_c(articles=(article,), eng=engine):
        translator.translate_articles(eng, list(articles), "ru", memory=next(stores).memory)

    c = Timing(best_of(args.repeat, run_c), n)

    # A: argostranslate's own translate().
    import argostranslate.sbd
    import argostranslate.translate

    from syndicate import segment

    argostranslate.sbd.MiniSBDSentencizer.split_sentences = lambda self, text: segment.sentences(text)

    def as_text(a) -> str:
        return "\n".join([a.title, *(p.text for p in a.paragraphs)])

    # argostranslate caches the paragraphs of its previous call: translate another text in
    # between, so every timed run really translates.
    text, other = as_text(article), as_text(variant(article, 99))
    a_times = []
    for _ in range(args.repeat):
        argostranslate.translate.translate(other, "en", "ru")
        start = time.perf_counter()
        argostranslate.translate.translate(text, "en", "ru")
        a_times.append(time.perf_counter() - start)
    a = Timing(min(a_times), n)

    line("A argostranslate.translate", a, f"({a.seconds:.2f} s/article)")
    line("B raw translate_batch", b, f"({b.seconds:.2f} s/article)")
    line("C service path", c, f"({c.seconds:.2f} s/article)")
    print(f"  C/B = {c.rate / b.rate:.2f}   C/A = {c.rate / a.rate:.2f}\n")

    # Twenty articles waiting: B one batch per article; C one worker call for all of them.
    multi_tokens = [[tokenizer.encode(s) for s in sentences_of(w)] for w in waiting]
    multi_n = sum(len(t) for t in multi_tokens)
    b_multi = Timing(best_of(1, lambda: run_b(batches=multi_tokens)), multi_n)
    c_multi = Timing(best_of(1, lambda: run_c(waiting)), multi_n)
    print(f"20 articles waiting ({multi_n} segments):")
    line("B one batch per article", b_multi, f"({b_multi.seconds / 20:.2f} s/article)")
    line("C worker batch across them", c_multi, f"({c_multi.seconds / 20:.2f} s/article)")
    print(f"  multi C/B = {c_multi.rate / b_multi.rate:.2f}\n")

    # Greedy decoding.
    b_greedy = Timing(best_of(args.repeat, lambda: run_b(beam=1)), n)
    greedy_engine = Engine(dataclasses.replace(EngineOptions.from_settings(settings), beam_size=1))
    c_greedy = Timing(best_of(args.repeat, lambda: run_c(eng=greedy_engine)), n)
    print("greedy (beam 1):")
    line("B raw translate_batch", b_greedy)
    line("C service path", c_greedy, f"C/B = {c_greedy.rate / b_greedy.rate:.2f}")
    print()

    # Resubmission with one of twenty sentences changed: each sentence its own paragraph, so the
    # split is unambiguous and exactly one segment differs.
    from syndicate.model import Kind, Paragraph

    def with_body(lines: list[str]):
        return dataclasses.replace(article, paragraphs=tuple(Paragraph(Kind.PARAGRAPH, x) for x in lines))

    body = sentences[1:21]
    # An editor's correction: one figure in one sentence changes.
    k = next(i for i, line in enumerate(body) if "every hour" in line)
    edited = [*body[:k], body[k].replace("every hour", "every half hour"), *body[k + 1 :]]
    store = Store(f"sqlite:///{work / 'resubmit.db'}")
    start = time.perf_counter()
    translator.translate_articles(engine, [with_body(body)], "ru", memory=store.memory)
    first_s = time.perf_counter() - start
    start = time.perf_counter()
    (again,) = translator.translate_articles(engine, [with_body(edited)], "ru", memory=store.memory)
    resubmit_s = time.perf_counter() - start
    store.close()
    print(
        f"resubmission, 1 of 20 sentences changed: {resubmit_s:.2f} s vs {first_s:.2f} s first "
        f"= {resubmit_s / first_s:.3f} ({again.from_memory} of {again.segments} segments from memory)"
    )

    figures = {
        "machine": f"{platform.machine()}, {cores} cores, Python {platform.python_version()}",
        "model": "cipher demo package, 6+6 layers, d512, ffn 2048, 8 heads, 32k vocab, int8",
        "article_words": words,
        "article_segments": n,
        "beam_size": 4,
        "a_sentences_per_s": round(a.rate, 2),
        "b_sentences_per_s": round(b.rate, 2),
        "c_sentences_per_s": round(c.rate, 2),
        "c_over_b": round(c.rate / b.rate, 3),
        "c_over_a": round(c.rate / a.rate, 3),
        "multi_b_sentences_per_s": round(b_multi.rate, 2),
        "multi_c_sentences_per_s": round(c_multi.rate, 2),
        "multi_c_over_b": round(c_multi.rate / b_multi.rate, 3),
        "greedy_b_sentences_per_s": round(b_greedy.rate, 2),
        "greedy_c_sentences_per_s": round(c_greedy.rate, 2),
        "greedy_c_over_b": round(c_greedy.rate / b_greedy.rate, 3),
        "resubmit_first_s": round(first_s, 3),
        "resubmit_s": round(resubmit_s, 3),
        "resubmit_fraction": round(resubmit_s / first_s, 4),
    }
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"\nwrote {args.json}")
    return figures


if __name__ == "__main__":
    main()
