"""The raw-limit sweep and the resubmission measure of benchmarks/limits.py, on the tiny demo
models (whose output is gibberish in the target script, not a translation). No timings are
asserted: only that the configurations are valid and that every path translates the same."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from benchmarks import limits, translate
from syndicate import ingest
from syndicate.translation import packages
from syndicate.translation.engine import Engine, EngineOptions


@pytest.mark.parametrize("cores", [1, 2, 4, 8])
def test_configurations_fit_the_cores(cores):
    configs = limits.configurations(cores)
    assert 1 < len(configs) <= 16
    assert len({c.label() for c in configs}) == len(configs)
    for c in configs:
        assert c.inter_threads * c.intra_threads <= cores
        assert c.batch_type in ("examples", "tokens")


def test_the_workers_own_configuration_is_in_the_sweep():
    # A worker on 2 cores runs two single-thread replicas with batches of 16 (config.py).
    assert limits.RawConfig(2, 1, 16) in limits.configurations(2)


@pytest.fixture
def raw(installed_packages):
    found = packages.find(installed_packages, "en", "ru")
    assert found is not None
    return limits.RawTranslators(found.model_dir)


@pytest.fixture
def engine(installed_packages):
    return Engine(EngineOptions(installed_packages, intra_threads=1, inter_threads=2, max_batch_size=2))


SENTENCES = [
    "The council met.",
    "The ferry will carry up to 400 passengers and 60 cars from the new harbour in 2012.",
    "Officials agreed on Monday.",
    "A short one.",
    "The bridge over the river, closed since the flood, opens again next spring.",
]


def test_sweep_times_each_configuration_and_sorts_fastest_first(raw, engine):
    tokenizer = engine.model("en", "ru").tokenizer
    tokens = [tokenizer.encode(s) for s in SENTENCES]
    configs = [limits.RawConfig(1, 1, 0), limits.RawConfig(2, 1, 2, sort=True)]
    results = limits.sweep(raw, tokens, configs, repeat=1)
    assert sorted(r.config.label() for r in results) == sorted(c.label() for c in configs)
    assert results[0].seconds <= results[1].seconds
    assert all(r.sentences == len(SENTENCES) and r.rate > 0 for r in results)


@pytest.mark.parametrize(
    "config",
    [
        limits.RawConfig(1, 1, 0),
        limits.RawConfig(2, 1, 2, sort=True),
        limits.RawConfig(1, 2, 16, "tokens"),
    ],
    ids=lambda c: c.label(),
)
def test_raw_runs_decode_as_the_engine_does_in_input_order(raw, engine, config):
    """Sorting, batching and replicas change nothing in the output, and the raw runs use the
    engine's decoding options: same hypotheses as the service's engine, sentence by sentence."""
    model = engine.model("en", "ru")
    tokens = [model.tokenizer.encode(s) for s in SENTENCES]
    expected = [h.text for h in engine.translate_hypotheses("en", "ru", SENTENCES)]
    results = raw.run(config, tokens, beam_size=4)
    texts = [model.tokenizer.decode(r.hypotheses[0][:-1]).strip() for r in results]
    assert texts == expected
    assert len(set(texts)) == len(texts)  # distinct outputs: a mixed-up order would show


def test_resubmission_sends_only_the_changed_sentence(raw, engine, tmp_path):
    article = ingest.parse_bytes(translate.ARTICLE.read_bytes(), zone=ZoneInfo("UTC"), max_bytes=10**6)
    sentences = translate.sentences_of(article)
    tokenizer = engine.model("en", "ru").tokenizer
    found = limits.resubmission(
        engine, raw, tokenizer, article, sentences, f"sqlite:///{tmp_path / 'tm.db'}", rounds=2
    )
    assert found["segments"] == 21  # the title and twenty body sentences
    assert found["from_memory"] == 20
    assert found["c_s"] > 0 and found["raw_s"] > 0


def test_engine_config_mirrors_the_engine_options(installed_packages):
    options = EngineOptions(installed_packages, intra_threads=1, inter_threads=2, max_batch_size=16)
    assert limits.engine_config(options) == limits.RawConfig(2, 1, 16, "examples", sort=False)


def test_summary_shows_every_ratio_beside_its_goal():
    figures = {"c_over_a": 9.1, "c_over_b_best": 0.9, "multi_c_over_b": 1.6, "resubmit_over_raw": 1.1,
               "e2e_over_raw": 1.4}  # fmt: skip
    lines = translate.summary(figures).splitlines()[1:]
    assert [line.split()[0] for line in lines] == [key for key, _, _ in translate.GOALS]
    met = {line.split()[0]: line.split()[-1] for line in lines}
    assert met == {
        "c_over_a": "yes",
        "c_over_b_best": "NO",
        "multi_c_over_b": "yes",
        "resubmit_over_raw": "yes",
        "e2e_over_raw": "NO",
    }
