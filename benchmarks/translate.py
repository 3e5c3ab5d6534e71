"""Translation speed, measured side by side on one transformer-base-sized model.

    python -m benchmarks.translate [--json PATH] [--repeat N]

Builds offline an Argos package the size of the official ones (6+6 layers, d_model 512, ffn
2048, 8 heads, 32k SentencePiece vocabulary, int8; a deterministic "cipher" whose output length
follows the input, so every path does the same decoding work; its output is NOT a translation),
then times on the same sentences with beam 4:

  A  argostranslate.translate with its defaults (what a user of Argos gets)
  B  one raw ctranslate2 translate_batch over all sentences, two intra-op threads (a baseline,
     not the limit: see B best below)
  C  the service's own path, as a worker runs it (segmentation, memory lookup in the store,
     batching, reassembly, typography, quality gate)

and the 20-articles-waiting case (B: one batch per article, one after another; C: the worker
takes them into one call), the greedy case; then against the true limit (benchmarks/limits.py):

  B best  the fastest raw configuration of a small sweep (replicas x threads, batch size and
          type, length-sorted input), decoding with the service's own options
  resubmission  C re-translating an article with one of twenty sentences changed (memory has
          the other nineteen) against raw CTranslate2 translating only that sentence
  end to end  one article from the library's submit call until every language is published,
          through a real Redis and Celery worker with its models loaded, against B best
          translating it into both languages in turn

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

from benchmarks import limits
from benchmarks.limits import best_of

HERE = Path(__file__).parent
ARTICLE = HERE / "article.txt"


@dataclasses.dataclass
class Timing:
    seconds: float
    sentences: int

    @property
    def rate(self) -> float:
        return self.sentences / self.seconds


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


# Each ratio's goal (issue 15): (key, comparison, goal).
GOALS = [
    ("c_over_a", ">=", 4.0),
    ("c_over_b_best", ">=", 0.95),
    ("multi_c_over_b", ">=", 1.5),
    ("resubmit_over_raw", "<=", 1.25),
    ("e2e_over_raw", "<=", 1.3),
]


def summary(figures: dict) -> str:
    """Every ratio of ``figures`` beside its goal, one line each, with whether it is met."""
    rows = ["ratio                measured  goal     met"]
    for key, op, goal in GOALS:
        value = figures[key]
        met = value >= goal if op == ">=" else value <= goal
        rows.append(f"{key:<21}{value:8.3f}  {op} {goal:<5}  {'yes' if met else 'NO'}")
    return "\n".join(rows)


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
    cores = config.available_cores()
    sentences = sentences_of(article)
    n = len(sentences)
    words = sum(len(s.split()) for s in sentences)
    print(f"model: {package.name}, 6+6 layers, d512, 32k vocab, int8 (built in {build_s:.1f} s)")
    print(f"article: {words} words, {n} segments (title + sentences); {cores} cores; beam 4\n")

    # B: one raw batch with every core as intra-op threads (the sweep below finds the limit).
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

    # Against the true limit: the sweep, then B best and C timed again in alternation.
    translators = limits.RawTranslators(package.model_dir)
    configs = limits.configurations(cores)
    print(f"sweep of raw CTranslate2 ({len(configs)} configurations, best of {args.repeat}):")
    swept = limits.sweep(translators, tokens, configs, repeat=args.repeat)
    for result in swept:
        print(f"  {result.config.label():<27}{result.rate:6.1f} sentences/s")
    best = swept[0].config
    again = limits.interleaved(
        args.repeat, {"b": lambda: translators.run(best, tokens, 4), "c": lambda: run_c()}
    )
    b_best = Timing(min(swept[0].seconds, again["b"]), n)
    c = Timing(min(c.seconds, again["c"]), n)
    line("B best " + best.label(), b_best, f"({b_best.seconds:.2f} s/article)")
    line("C service path", c, f"C/B best = {c.rate / b_best.rate:.2f}\n")

    resubmit = limits.resubmission(
        engine,
        translators,
        tokenizer,
        article,
        sentences,
        f"sqlite:///{work / 'resubmit.db'}",
        rounds=max(3, args.repeat + 1),
    )
    print(
        f"resubmission, 1 of 20 sentences changed: C {resubmit['c_s']:.3f} s, raw "
        f"{resubmit['raw_s']:.3f} s for that sentence alone = {resubmit['c_s'] / resubmit['raw_s']:.2f} "
        f"({resubmit['from_memory']} of {resubmit['segments']} segments from memory)\n"
    )

    # End to end through Redis and a Celery worker; B best translates both languages in turn.
    langs = list(settings.targets)
    tokens_by_lang = {"ru": tokens}
    for lang in langs:
        if lang not in tokens_by_lang:
            other_package = packages.install_file(
                demo.build_package(lang, work / "build", shape=demo.BASE, extra_text=training_text),
                packages_dir,
            )
            other = Package(other_package.path).tokenizer
            tokens_by_lang[lang] = [other.encode(s) for s in sentences]
    print(f"end to end: submit -> published in {', '.join(settings.languages)}, real Redis and worker…")
    e2e_s, states, warm_states = limits.end_to_end(settings, variant(article, 98), ARTICLE.read_bytes())
    raw_by_lang = {
        lang: translators if lang == "ru" else limits.RawTranslators(found.model_dir)
        for lang in langs
        if (found := packages.find(packages_dir, "en", lang))
    }

    def run_both() -> None:
        for lang in langs:
            raw_by_lang[lang].run(best, tokens_by_lang[lang], 4)

    e2e_raw_s = best_of(args.repeat, run_both)
    print(
        f"  {e2e_s:.2f} s until {states}; B best for {' then '.join(langs)}: {e2e_raw_s:.2f} s "
        f"= {e2e_s / e2e_raw_s:.2f} (warm-up article: {warm_states})\n"
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
        "b_best_sentences_per_s": round(b_best.rate, 2),
        "b_best_config": best.as_dict(),
        "c_over_b_best": round(c.rate / b_best.rate, 3),
        "sweep_sentences_per_s": {r.config.label(): round(r.rate, 2) for r in swept},
        "engine_config": limits.engine_config(engine.options).as_dict(),
        "resubmit_s": round(resubmit["c_s"], 4),
        "resubmit_raw_s": round(resubmit["raw_s"], 4),
        "resubmit_over_raw": round(resubmit["c_s"] / resubmit["raw_s"], 3),
        "e2e_s": round(e2e_s, 3),
        "e2e_raw_s": round(e2e_raw_s, 3),
        "e2e_over_raw": round(e2e_s / e2e_raw_s, 3),
        "e2e_states": states,
    }
    print(summary(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"\nwrote {args.json}")
    return figures


if __name__ == "__main__":
    main()
