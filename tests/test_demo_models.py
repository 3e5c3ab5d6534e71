"""The demo packages are real Argos packages: argostranslate's own code reads them."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from syndicate.translation import packages
from syndicate.translation.engine import Engine, EngineOptions, ModelMissing

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def test_archive_layout(demo_archives):
    with zipfile.ZipFile(demo_archives["ru"]) as zf:
        names = zf.namelist()
        tops = {n.split("/")[0] for n in names}
        assert tops == {"translate-en_ru-demo"}
        meta = json.loads(zf.read("translate-en_ru-demo/metadata.json"))
    assert {"translate-en_ru-demo/model/model.bin", "translate-en_ru-demo/sentencepiece.model"} <= set(names)
    assert meta["from_code"] == "en" and meta["to_code"] == "ru"
    assert meta[packages.DEMO_KEY] is True


def test_argostranslate_reads_installed_package(installed_packages):
    from argostranslate.package import Package

    pkg = Package(installed_packages / "translate-en_ja-demo")
    assert (pkg.from_code, pkg.to_code) == ("en", "ja")
    assert pkg.tokenizer.encode("The ferry carries 400 passengers.")


@pytest.fixture
def engine(installed_packages):
    return Engine(EngineOptions(installed_packages, intra_threads=1))


def test_output_is_in_target_script_and_keeps_numbers(engine):
    src = ["The ferry will carry up to 400 passengers and 60 cars in 2012.", "Officials agreed."]
    ru = engine.translate_segments("en", "ru", src)
    ja = engine.translate_segments("en", "ja", src)
    for out in ru:
        assert CYRILLIC.search(out) and not LATIN.search(out)
    for out in ja:
        assert JAPANESE.search(out) and not LATIN.search(out)
    for out in (ru[0], ja[0]):
        assert "400" in out and "60" in out and "2012" in out


def test_output_is_deterministic_and_length_follows_input(engine):
    short, long_ = "Hello there.", " ".join(["The council met again on Monday to discuss the bridge."] * 4)
    first = engine.translate_segments("en", "ru", [short, long_])
    assert first == engine.translate_segments("en", "ru", [short, long_])
    assert len(first[1]) > 3 * len(first[0])


def test_missing_pair_is_explained(engine):
    with pytest.raises(ModelMissing, match="syndicate models install en de"):
        engine.translate_segments("en", "de", ["Hi."])


def test_invalid_archives_are_refused(tmp_path):
    not_zip = tmp_path / "x.argosmodel"
    not_zip.write_bytes(b"hello")
    with pytest.raises(packages.PackageError, match="not a zip"):
        packages.validate_archive(not_zip)
    two_tops = tmp_path / "two.argosmodel"
    with zipfile.ZipFile(two_tops, "w") as zf:
        zf.writestr("a/metadata.json", "{}")
        zf.writestr("b/metadata.json", "{}")
    with pytest.raises(packages.PackageError, match="exactly one top-level folder"):
        packages.validate_archive(two_tops)
    no_model = tmp_path / "nomodel.argosmodel"
    with zipfile.ZipFile(no_model, "w") as zf:
        zf.writestr("p/metadata.json", json.dumps({"from_code": "en", "to_code": "ru"}))
        zf.writestr("p/sentencepiece.model", "x")
    with pytest.raises(packages.PackageError, match="model/model.bin"):
        packages.validate_archive(no_model)
    assert packages.installed(tmp_path / "pk") == []


def test_reinstall_replaces_in_place(installed_packages, demo_archives):
    again = packages.install_file(demo_archives["ru"], installed_packages)
    assert again.to_code == "ru"
    assert len([p for p in packages.installed(installed_packages) if p.to_code == "ru"]) == 1
    assert not any(p.name.startswith(".") for p in installed_packages.iterdir())


def test_index_unreachable_fails_with_a_clear_message(tmp_path, monkeypatch):
    from argostranslate import settings as argos_settings

    # A closed local port stands in for "no network": refused at once, never a hang.
    monkeypatch.setattr(argos_settings, "remote_package_index", "http://127.0.0.1:9/index.json")
    with pytest.raises(packages.PackageError, match="cannot reach the Argos package index"):
        packages.install_from_index(tmp_path / "pk", "en", "ru")
    assert packages.installed(tmp_path / "pk") == []


def test_concurrent_demo_builds_and_installs_do_not_collide(tmp_path):
    """Two `syndicate models demo --force` at once: each builds under a name of its own and the
    installs take turns, so both succeed and the installed packages are whole."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")}
    env.update(SYNDICATE_DATA_DIR=str(tmp_path), SYNDICATE_TARGETS="ru")
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "syndicate", "models", "demo", "--force"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for _ in range(3)
    ]
    outcomes = [(p.wait(300), p.stderr.read().decode()) for p in runs]
    assert [code for code, _ in outcomes] == [0, 0, 0], outcomes
    (installed,) = packages.installed(tmp_path / "argos-packages")
    assert installed.demo and (installed.path / "model" / "model.bin").is_file()
    assert not list((tmp_path / "demo-build").glob("*.partial"))
