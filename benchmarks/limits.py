"""The true limit of raw CTranslate2 on this machine, and the service measured against it.

Used by ``benchmarks/translate.py``:

- :func:`sweep` tries a small set of raw ``translate_batch`` configurations (replicas x threads
  per replica within the cores, ``max_batch_size``, ``batch_type``, length-sorted input or not)
  on one model and one list of sentences, and keeps the best wall time of each; the fastest is
  "B best", the limit the service is held to.
- :func:`end_to_end` times one article from the library's submit call until every language is
  ``published``, through a real Redis and a real Celery worker process with its models loaded.

Every raw run decodes with the service's own options (``engine.decoding_options``: beam, Argos's
length penalty, the decoding cap), so raw and service paths do the same decoding work.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


@dataclasses.dataclass(frozen=True)
class RawConfig:
    """One raw CTranslate2 configuration: ``inter_threads`` translator replicas of
    ``intra_threads`` threads each, ``max_batch_size`` (0: one batch) counted in ``batch_type``
    units ("examples" or "tokens"), and whether the input is sorted by length before the call."""

    inter_threads: int
    intra_threads: int
    max_batch_size: int = 0
    batch_type: str = "examples"
    sort: bool = False

    def label(self) -> str:
        """A short name, e.g. ``2x1 mbs16 examples`` (``+sorted`` when sorted)."""
        size = f"mbs{self.max_batch_size}" + (" tokens" if self.batch_type == "tokens" else "")
        return f"{self.inter_threads}x{self.intra_threads} {size}" + (" +sorted" if self.sort else "")

    def as_dict(self) -> dict[str, Any]:
        """The configuration as JSON-ready fields."""
        return dataclasses.asdict(self)


def configurations(cores: int) -> list[RawConfig]:
    """The sweep: at most 16 configurations, replicas x threads never above ``cores``.

    One replica with every core, and one single-thread replica per core (as the worker runs),
    each with one batch or batches of 8, 16 and 32 sentences; token-counted batches of 256 and
    512 tokens on the replicas; and length-sorted input on the two likeliest winners
    (CTranslate2 already sorts by length when it splits a call into batches, its documented
    behaviour of ``max_batch_size``, so sorting should change nothing there: measured, not assumed).
    """
    shapes = [(1, cores)] + ([(cores, 1)] if cores > 1 else [])
    found: list[RawConfig] = []
    for inter, intra in shapes:
        for size in (0, 8, 16, 32):
            found.append(RawConfig(inter, intra, size))
    replicas = shapes[-1]
    for tokens in (256, 512):
        found.append(RawConfig(*replicas, tokens, "tokens"))
    found.append(RawConfig(*replicas, 16, sort=True))
    found.append(RawConfig(*shapes[0], 0, sort=True))
    return found[:16]


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """Best wall time in seconds of ``repeat`` runs (after one warm-up): the least disturbed by
    noise on a shared machine."""
    run()
    times = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


class RawTranslators:
    """CTranslate2 translators of one model directory, one per (replicas, threads) pair, loaded
    on first use and kept (loading takes longer than a run)."""

    def __init__(self, model_dir: Path, compute_type: str = "int8"):
        self.model_dir = model_dir
        self.compute_type = compute_type
        self._loaded: dict[tuple[int, int], Any] = {}

    def get(self, inter_threads: int, intra_threads: int) -> Any:
        """The ``ctranslate2.Translator`` with these threads, on the CPU."""
        key = (inter_threads, intra_threads)
        if key not in self._loaded:
            import ctranslate2

            self._loaded[key] = ctranslate2.Translator(
                str(self.model_dir),
                device="cpu",
                compute_type=self.compute_type,
                inter_threads=inter_threads,
                intra_threads=intra_threads,
            )
        return self._loaded[key]

    def run(self, config: RawConfig, tokens: Sequence[list[str]], beam_size: int) -> list[Any]:
        """Translate ``tokens`` (source tokens per sentence) once with ``config``; results in
        input order."""
        from syndicate.translation.engine import decoding_options

        order = list(range(len(tokens)))
        if config.sort:
            order.sort(key=lambda i: len(tokens[i]), reverse=True)
        batch = [list(tokens[i]) for i in order]
        results = self.get(config.inter_threads, config.intra_threads).translate_batch(
            batch,
            max_batch_size=config.max_batch_size,
            batch_type=config.batch_type,
            **decoding_options(beam_size, max((len(t) for t in batch), default=0)),
        )
        out: list[Any] = [None] * len(tokens)
        for position, index in enumerate(order):
            out[index] = results[position]
        return out


@dataclasses.dataclass(frozen=True)
class SweepResult:
    """One configuration's best wall time (seconds) for the whole list of sentences."""

    config: RawConfig
    seconds: float
    sentences: int

    @property
    def rate(self) -> float:
        """Sentences per second."""
        return self.sentences / self.seconds


def interleaved(repeat: int, runs: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Best wall time in seconds of each run: one warm-up of each, then ``repeat`` rounds that
    run each once in turn, so a burst of load from other jobs on a shared machine falls on all of
    them alike rather than on whichever ran at that moment."""
    for run in runs.values():
        run()
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(max(1, repeat)):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def sweep(
    translators: RawTranslators,
    tokens: Sequence[list[str]],
    configs: Sequence[RawConfig],
    *,
    beam_size: int = 4,
    repeat: int = 2,
) -> list[SweepResult]:
    """Time every configuration on the same sentences (best of ``repeat`` interleaved rounds,
    after a warm-up); results fastest first."""
    runs = {c.label(): (lambda c=c: translators.run(c, tokens, beam_size)) for c in configs}
    best = interleaved(repeat, runs)
    results = [SweepResult(c, best[c.label()], len(tokens)) for c in configs]
    return sorted(results, key=lambda r: r.seconds)


# -- resubmission: one changed sentence ----------------------------------------------------------


def engine_config(options: Any) -> RawConfig:
    """The raw configuration an Engine with these ``EngineOptions`` runs (its replicas, threads,
    batch size and type; the engine does not sort: CTranslate2 sorts when it splits batches)."""
    return RawConfig(options.inter_threads, options.intra_threads, options.max_batch_size, options.batch_type)


def resubmission(engine: Any, translators: RawTranslators, tokenizer: Any, article: Any,
                 sentences: list[str], store_url: str, rounds: int = 3) -> dict[str, Any]:  # fmt: skip
    """The service path re-translating an article whose body is ``sentences[1:21]`` (one
    paragraph each, so exactly one segment differs) after one sentence changed, against raw
    CTranslate2 translating only that sentence with the engine's own configuration.

    The article is first translated whole into ``ru`` with a translation memory in the store at
    ``store_url``; then each of ``rounds`` rounds changes the sentence with "every hour" to a new
    interval (so the memory never knows it) and times C (memory lookup, one segment through the
    model, reassembly, gate) and raw (that segment's tokens alone). Returns the best seconds of
    each (``c_s``, ``raw_s``), and the last round's ``segments`` and ``from_memory`` counts.
    Raises StopIteration when no body sentence says "every hour" (benchmarks/article.txt does).
    """
    from syndicate.model import Kind, Paragraph
    from syndicate.store import Store
    from syndicate.translation import translator

    def with_body(lines: list[str]) -> Any:
        return dataclasses.replace(article, paragraphs=tuple(Paragraph(Kind.PARAGRAPH, x) for x in lines))

    body = sentences[1:21]
    k = next(i for i, line in enumerate(body) if "every hour" in line)
    same = engine_config(engine.options)
    beam = engine.options.beam_size
    store = Store(store_url)
    try:
        translator.translate_articles(engine, [with_body(body)], "ru", memory=store.memory)
        best_c = best_raw = float("inf")
        last: Any = None
        for i in range(rounds):
            changed = body[k].replace("every hour", f"every {20 + 5 * i} minutes")
            start = time.perf_counter()
            (last,) = translator.translate_articles(
                engine, [with_body([*body[:k], changed, *body[k + 1 :]])], "ru", memory=store.memory
            )
            best_c = min(best_c, time.perf_counter() - start)
            one = [tokenizer.encode(changed)]
            start = time.perf_counter()
            translators.run(same, one, beam)
            best_raw = min(best_raw, time.perf_counter() - start)
    finally:
        store.close()
    return {"c_s": best_c, "raw_s": best_raw, "segments": last.segments, "from_memory": last.from_memory}


# -- end to end: submit -> Redis -> Celery worker -> published ------------------------------------


class Worker:
    """A real Redis (the embedded one of ``settings``) and one ``syndicate worker`` process with
    the benchmark's environment, started and stopped together (use as a context manager)."""

    def __init__(self, settings: Any, env: dict[str, str], log_path: Path):
        self.settings, self.env, self.log_path = settings, env, log_path
        self.redis: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None

    def __enter__(self) -> Worker:
        from syndicate.stack import start_redis

        self.redis = start_redis(self.settings)
        log = open(self.log_path, "ab")  # noqa: SIM115  (closed with the process)
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "syndicate", "worker", "--loglevel", "WARNING"],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def __exit__(self, *exc: object) -> None:
        from syndicate.stack import stop

        stop(self.worker, grace=60)
        stop(self.redis)

    def alive(self) -> bool:
        """Whether the worker process still runs."""
        return self.worker is not None and self.worker.poll() is None


def wait_until_done(
    store: Any, worker: Worker, article_id: str, start: float, timeout_s: float = 600, poll_s: float = 0.02
) -> tuple[float, dict[str, str]]:
    """Poll the store every ``poll_s`` seconds until every language of ``article_id`` is
    published or stopped (held, failed, review). Returns (seconds since ``start``, a
    ``time.perf_counter()`` reading, state per language). Raises RuntimeError when the worker
    dies or ``timeout_s`` passes."""
    from syndicate.model import JobState

    final = {JobState.PUBLISHED, JobState.HELD, JobState.FAILED, JobState.REVIEW}
    while time.perf_counter() - start < timeout_s:
        jobs = store.jobs.of_article(article_id)
        if jobs and all(j.state in final for j in jobs):
            return time.perf_counter() - start, {j.lang: str(j.state) for j in jobs}
        if not worker.alive():
            raise RuntimeError(f"the worker died: see {worker.log_path}")
        time.sleep(poll_s)
    raise RuntimeError(f"article {article_id} not done within {timeout_s} s: see {worker.log_path}")


def end_to_end(settings: Any, warm_up: Any, timed: bytes) -> tuple[float, dict[str, str], dict[str, str]]:
    """Seconds from the library's submit call to every language published, for one article
    file's bytes ``timed``, in a warm process (imports done, store open), with a worker whose
    models were loaded by translating ``warm_up`` (an Article with other sentences, so nothing
    of ``timed`` is in the translation memory) first. Returns (seconds, state per language of the
    timed article, of the warm-up one).

    The timed run goes through ``syndicate.submit.store_source`` (parsing the bytes, storing the
    article and its jobs) and ``Dispatcher.send_submitted`` (Celery over Redis), as `syndicate
    submit` does; the store is polled every 20 ms. Raises RuntimeError when the input is refused,
    the worker dies or a run takes over 10 minutes.
    """
    from syndicate import lifecycle
    from syndicate.store import Store
    from syndicate.submit import Source, store_source
    from workers.dispatch import Dispatcher

    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")}
    env["SYNDICATE_DATA_DIR"] = str(settings.data_dir)
    store = Store(settings.database_url)
    dispatcher = Dispatcher(settings)
    try:
        with Worker(settings, env, settings.data_dir / "worker.bench.log") as worker:
            start = time.perf_counter()
            warm = lifecycle.submit(store, warm_up, settings.languages, "warm-up")
            dispatcher.send_submitted([(warm.article_id, warm.revision)])
            _, warm_states = wait_until_done(store, worker, warm.article_id, start)

            start = time.perf_counter()
            outcome = store_source(Source("timed", timed), settings, store)
            if not outcome.ok or outcome.article_id is None or outcome.revision is None:
                raise RuntimeError(f"submit refused the timed article: {outcome.error}")
            dispatcher.send_submitted([(outcome.article_id, outcome.revision)])
            seconds, states = wait_until_done(store, worker, outcome.article_id, start)
            return seconds, states, warm_states
    finally:
        store.close()
