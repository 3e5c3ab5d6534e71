"""The language registry, and what reads from it: config, the gate's language checks, the demo models."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from syndicate import config, languages
from syndicate.translation import demo, packages
from syndicate.translation.engine import Engine, EngineOptions
from syndicate.translation.quality import Segment, check

NBSP = "\u00a0"


def test_every_entry_is_complete():
    import lingua

    assert {"en", "ru", "ja", "de", "es", "uk", "zh"} <= set(languages.LANGUAGES)
    for code, lang in languages.LANGUAGES.items():
        assert lang.code == code
        assert hasattr(lingua.Language, lang.lingua), code
        assert languages.IDENTIFIED[code] == lang.lingua
        marks = (lang.quotes.open, lang.quotes.close, lang.quotes.inner_open, lang.quotes.inner_close)
        assert all(len(m) == 1 for m in marks) and len(set(marks)) >= 3, code
        # A language without spaces needs its own full stop and comma.
        assert lang.spaced or (lang.full_stop and lang.comma), code
        # Adding a target is an entry plus a model: every entry has a demo corpus for `syndicate demo`.
        corpus = resources.files("syndicate.demo").joinpath(f"corpus/{code}.txt").read_text("utf-8")
        letters = [c for c in corpus if c.isalpha()]
        assert sum(lang.in_script(c) for c in letters) / len(letters) > 0.95, code


@pytest.mark.parametrize(
    "code, decimal, group",
    [
        ("en", ".", ","),
        ("ru", ",", NBSP),
        ("uk", ",", NBSP),
        ("de", ",", "."),
        ("es", ",", "."),
        ("ja", ".", ","),
    ],
)
def test_number_forms_come_from_cldr(code, decimal, group):
    lang = languages.get(code)
    assert (lang.decimal_symbol, lang.group_symbol) == (decimal, group)


def test_lookup_by_code_and_subtag():
    assert languages.get("de-AT").code == "de"
    assert languages.get(" RU ").code == "ru"
    assert languages.find("xx") is None
    with pytest.raises(languages.UnknownLanguage, match=r"unknown language 'fr': the registry knows de, en"):
        languages.get("fr")


@pytest.mark.parametrize(
    "key, value, message",
    [
        (
            "SYNDICATE_TARGETS",
            "ru,fr",
            r"^targets: no language 'fr' in the language registry \(known: de, en, es",
        ),
        ("SYNDICATE_TARGETS", "klingon", r"^targets: no language 'klingon'"),
        ("SYNDICATE_SOURCE_LANG", "tlh", r"^source_lang: no language 'tlh'"),
    ],
)
def test_config_refuses_unknown_languages_in_one_line(tmp_path, key, value, message):
    with pytest.raises(config.ConfigError, match=message) as caught:
        config.load({"SYNDICATE_DATA_DIR": str(tmp_path), key: value})
    assert "\n" not in str(caught.value)


def test_config_accepts_every_registered_target(tmp_path):
    s = config.load({"SYNDICATE_DATA_DIR": str(tmp_path), "SYNDICATE_TARGETS": "de,es,uk,zh,ru,ja"})
    assert s.targets == ("de", "es", "uk", "zh", "ru", "ja")


SOURCE = "The council said the project would take pressure off the two road bridges in 2014."


def issues(output: str, lang: str, source: str = SOURCE) -> set[str]:
    return {i.check for i in check([Segment(source, source, output, output)], lang)}


@pytest.mark.parametrize(
    "output, lang",
    [
        ("Der Stadtrat sagte, die Harbour Authority werde die zwei Straßenbrücken 2014 entlasten.", "de"),
        ("Apple und die New York Times berichteten 2014 über die zwei Brücken.", "de"),
        ("El ayuntamiento dijo que la Harbour Authority aliviará los dos puentes en 2014.", "es"),
        ("Рада заявила, що проєкт розвантажить два мости у 2014 році.", "uk"),
        ("市议会表示，该项目将在2014年减轻两座桥的压力。", "zh"),
    ],
)
def test_translations_with_english_names_pass(output, lang):
    assert issues(output, lang) == set()


@pytest.mark.parametrize(
    "output, lang",
    [
        # The whole sentence left in English, in Latin-script targets the script check cannot see.
        ("The council said the project would ease the bridges in 2014.", "de"),
        ("The council said the project would ease the bridges in 2014.", "es"),
        # Translated at the start only.
        ("Der Stadtrat said the project would take pressure off the two bridges in 2014.", "de"),
        ("El ayuntamiento said the project would take pressure off the bridges in 2014.", "es"),
        # Non-Latin targets still catch runs of Latin words.
        ("Совет said the project would ease bridges 2014.", "ru"),
    ],
)
def test_english_left_in_any_target_is_untranslated(output, lang):
    assert "untranslated" in issues(output, lang)


def test_short_segments_are_not_identified():
    # Two words read as English in any language ("Team Manager" in German): not judged.
    assert issues("Team Manager", "de", source="Team manager") == set()


def test_script_check_covers_latin_targets():
    assert "script" in issues("Совет заявил, что проект разгрузит два моста в 2014 году.", "de")
    assert "script" in issues("市议会表示，该项目将在2014年减轻两座桥的压力。", "es")


@pytest.fixture(scope="module")
def latin_engine(tmp_path_factory):
    out = tmp_path_factory.mktemp("latin-demo")
    for lang in ("de", "es"):
        packages.install_file(demo.build_package(lang, out / "archives"), out / "packages")
    return Engine(EngineOptions(out / "packages", intra_threads=1))


ARTICLE = [
    "The city council voted on Tuesday to build a footbridge linking the old harbour with the new quarter.",
    "Deputy mayor Sofia Lindqvist said the project would take pressure off the two road bridges.",
    "The bridge will be 240 metres long and wide enough for cyclists.",
    "Earlier designs were rejected in 2008 and 2011 because they blocked the passage of tall ships.",
    "Critics warned that the schedule depends on a subsidy that has not been approved.",
]


@pytest.mark.parametrize("lang", ["de", "es"])
def test_latin_demo_output_does_not_read_as_english(latin_engine, lang):
    """The demo models' output is not a translation; for a Latin-script target it is made of
    pieces only the target's corpus uses, so the gate's language identification does not take
    it for English, and it keeps the numbers."""
    outputs = latin_engine.translate_segments("en", lang, ARTICLE)
    segments = [Segment(s, s, o, o) for s, o in zip(ARTICLE, outputs, strict=True)]
    assert check(segments, lang) == []
    assert [languages.identify(o) for o in outputs].count("en") == 0
    assert "240" in outputs[2] and "2008" in outputs[3] and "2011" in outputs[3]
    assert all(re.search(r"[A-Za-zÄÖÜäöüßÁÉÍÑÓÚáéíñóú]", o) for o in outputs)
