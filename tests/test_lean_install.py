"""The lean runtime install leaves out what argostranslate declares but syndicate never imports.

deploy/lean-excludes.txt names stanza, spaCy and MiniSBD (so no torch or onnxruntime); these
tests fail if the service's code starts importing any of them, or the project starts needing
one directly, which would break `./dev`, the Dockerfile and compose at run time."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

from syndicate.translation import demo, packages

ROOT = Path(__file__).parent.parent
EXCLUDED = [
    line.strip()
    for line in (ROOT / "deploy" / "lean-excludes.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]
# What the excluded packages pull in; none may be imported either.
HEAVY_MODULES = ["stanza", "spacy", "minisbd", "torch", "onnxruntime", "thinc"]

# The serving path only: building packages (ctranslate2.specs) imports torch where it is
# installed, which the lean venv shows to be optional (./dev demo builds them there).
SCRIPT = """
import json, sys
from pathlib import Path
from syndicate.translation.engine import Engine, EngineOptions
import syndicate.cli, syndicate.lifecycle, workers.tasks, feeds.server  # the services' entry points
for folder in sys.argv[1:]:
    text = Engine(EngineOptions(Path(folder), intra_threads=1)).translate_segments(
        "en", "ru", ["The ferry carries 400 passengers."])
    assert "400" in text[0], text
from syndicate.translation.glossary import Glossary, Term  # lemminflect would import spaCy
assert Glossary((Term("e-scooter", {"ru": "x"}),)).matches("Two e-scooters.", "ru")
print(json.dumps(sorted(m.split(".")[0] for m in sys.modules)))
"""


def test_excludes_name_only_what_argostranslate_alone_declares():
    assert sorted(EXCLUDED) == ["minisbd", "spacy", "stanza"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + [d for ds in project["optional-dependencies"].values() for d in ds]
    names = {d.split(";")[0].split("[")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower()
             for d in declared}  # fmt: skip
    assert names.isdisjoint(EXCLUDED) and "argostranslate" in names


def test_service_paths_import_none_of_the_excluded_packages(tmp_path):
    """Translating with SentencePiece and BPE packages and loading every service's entry point
    imports nothing the lean install leaves out (checked in a fresh interpreter)."""
    folders = []
    for tok in ("sentencepiece", "bpe"):
        archive = demo.build_package("ru", tmp_path / tok, tokenizer=tok, layout="official")
        folders.append(str(packages.install_file(archive, tmp_path / f"pk-{tok}").path.parent))
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, *folders], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    loaded = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert "ctranslate2" in loaded and "argostranslate" in loaded and "sacremoses" in loaded
    assert loaded.isdisjoint(HEAVY_MODULES), loaded & set(HEAVY_MODULES)
