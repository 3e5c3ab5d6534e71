"""Editors in the loop from the command line (issue 16, items 2 to 4), with a real Redis, worker
and CLI: `export` an article as XLIFF, change a target with lxml as a CAT tool would, `import`
it, and the feed shows the edit; `edit` with an editor that changes one segment; TMX out and in;
bad files refused with one line, exit 2 and nothing changed.

Needs syndicate/editing.py (the store side of issue 16): skipped on a branch without it. The
demo models' output is not a translation; the edited targets here are real Russian.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from lxml import etree

from tests.integration.conftest import Site
from tests.integration.test_corrections import settle

pytest.importorskip("syndicate.editing", reason="needs the store side of issue 16 (syndicate/editing.py)")

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
EDITED = "Совет гавани утвердил новое расписание парома."
BY_EDITOR = "Это предложение исправил редактор."


def submit(site: Site, tmp_path: Path, n: int, extra: str = "") -> str:
    path = tmp_path / f"story-{n}.json"
    body = (
        f"The harbour council of town number {n} approved a new ferry timetable on Monday. "
        "The operators agreed after months of talks with the towns on both coasts. " + extra
    )
    path.write_text(
        json.dumps(
            {
                "title": f"Ferry timetable {n}",
                "published": f"2021-05-{n:02d}T10:00:00Z",
                "body": body,
                "url": f"https://harbour.example/ferry-{n}",
            }
        )
    )
    done = site.cli("submit", str(path))
    assert done.returncode == 0, done.stderr
    article_id = done.stdout.decode().strip()
    waited = site.cli("wait", article_id, "--timeout", "180")
    assert waited.returncode == 0, waited.stderr
    return article_id


def feed_text(site: Site, lang: str) -> str:
    return (site.settings.feeds_dir / "feeds" / lang / "feed.json").read_text()


def export(site: Site, article_id: str, out: Path) -> etree._Element:
    done = site.cli("export", article_id, "--lang", "ru", "-o", str(out))
    assert done.returncode == 0, done.stderr
    return etree.parse(str(out)).getroot()


def test_export_edit_with_lxml_import_and_the_feed_shows_it(site, worker, tmp_path):
    article_id = submit(site, tmp_path, 1)
    xlf = tmp_path / "out.xlf"
    root = export(site, article_id, xlf)
    (filenode,) = root.findall("x:file", NS)
    assert filenode.get("target-language") == "ru" and filenode.get("original").startswith(article_id)
    units = root.findall(".//x:trans-unit", NS)
    assert len(units) >= 3  # the title and two sentences
    assert {u.find("x:target", NS).get("state") for u in units} == {"needs-review-translation"}
    sentence = units[1]
    target = sentence.find("x:target", NS)
    target.text = EDITED
    target.set("state", "final")
    xlf.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))

    done = site.cli("import", str(xlf), "--json")
    assert done.returncode == 0, done.stderr
    (report,) = json.loads(done.stdout)
    (doc,) = report["documents"]
    assert doc["applied"] == [sentence.get("id")] and doc["stale"] == []
    settle(lambda: assert_in(EDITED, feed_text(site, "ru")))

    again = site.cli("import", str(xlf), "--json")  # the same file twice changes nothing
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)[0]["documents"][0]["applied"] == []
    # The edit is in the next export, as a human segment.
    root = export(site, article_id, tmp_path / "again.xlf")
    exported = {u.get("id"): u.find("x:target", NS) for u in root.findall(".//x:trans-unit", NS)}
    assert exported[sentence.get("id")].text == EDITED
    assert exported[sentence.get("id")].get("state") in ("final", "signed-off", "translated")


def assert_in(needle: str, haystack: str) -> None:
    assert needle in haystack, haystack[:500]


# An editor that replaces the translation of the second block (the first sentence).
EDITOR_SCRIPT = f"""
import sys
path = sys.argv[1]
lines = open(path, encoding="utf-8").read().split("\\n")
blocks = [i for i, line in enumerate(lines) if line.startswith("@@ ")]
i = blocks[1] + 1
while lines[i].startswith("#"):
    i += 1
lines[i] = {BY_EDITOR!r}
open(path, "w", encoding="utf-8").write("\\n".join(lines))
"""
DAMAGING_SCRIPT = """
import sys
open(sys.argv[1], "a", encoding="utf-8").write("@@ nope\\nчто-то\\n")
"""


def test_edit_in_an_editor_applies_the_changed_segment(site, worker, tmp_path):
    article_id = submit(site, tmp_path, 2)
    editor, damaging = tmp_path / "editor.py", tmp_path / "damaging.py"
    editor.write_text(EDITOR_SCRIPT)
    damaging.write_text(DAMAGING_SCRIPT)
    site.env.pop("VISUAL", None)
    # A shell command, as git runs it: the file's path is appended as the last argument.
    site.env["EDITOR"] = f"{sys.executable} {editor}"
    done = site.cli("edit", article_id, "ru")
    assert done.returncode == 0, done.stderr
    assert b"applied 1" in done.stdout, done.stdout
    settle(lambda: assert_in(BY_EDITOR, feed_text(site, "ru")))

    before = export(site, article_id, tmp_path / "before.xlf")
    site.env["EDITOR"] = "true"  # saves nothing: nothing changes
    unchanged = site.cli("edit", article_id, "ru")
    assert unchanged.returncode == 0 and b"nothing changed" in unchanged.stdout, unchanged
    after = export(site, article_id, tmp_path / "after.xlf")
    assert etree.tostring(before) == etree.tostring(after)

    site.env["VISUAL"] = f"{sys.executable} {damaging}"  # VISUAL comes before EDITOR
    damaged = site.cli("edit", article_id, "ru")
    assert damaged.returncode == 2, damaged
    # One line of reason (beside the demo-model notice every command prints).
    lines = [ln for ln in damaged.stderr.decode().strip().splitlines() if "NOTE: demo" not in ln]
    assert len(lines) == 1 and "no segment 'nope'" in lines[0] and "kept" in lines[0], lines
    assert etree.tostring(export(site, article_id, tmp_path / "after2.xlf")) == etree.tostring(after)


def test_bad_files_are_refused_with_one_line_and_nothing_changes(site, worker, tmp_path):
    article_id = submit(site, tmp_path, 3)
    good = tmp_path / "good.xlf"
    export(site, article_id, good)
    before = good.read_bytes()

    def variant(name: str, change) -> Path:  # type: ignore[no-untyped-def]
        copy = etree.fromstring(before)
        change(copy)
        path = tmp_path / name
        path.write_bytes(etree.tostring(copy))
        return path

    def unknown_article(r: etree._Element) -> None:
        r.find("x:file", NS).set("original", "zzzzzzzzzz@r1")

    def no_target_language(r: etree._Element) -> None:
        del r.find("x:file", NS).attrib["target-language"]

    def unit_without_id(r: etree._Element) -> None:
        del r.find(".//x:trans-unit", NS).attrib["id"]

    junk = tmp_path / "junk.xlf"
    junk.write_bytes(b"\x00 not xml")
    cases = [
        (junk, "not XML"),
        (variant("unknown.xlf", unknown_article), "no article"),
        (variant("nolang.xlf", no_target_language), "no target-language"),
        (variant("noid.xlf", unit_without_id), "without id"),
    ]
    edited = etree.fromstring(before)
    edited.findall(".//x:target", NS)[1].text = EDITED
    edited_path = tmp_path / "edited.xlf"
    edited_path.write_bytes(etree.tostring(edited))
    for path, reason in cases:
        # A good file first and a bad one after it: every file is read before anything changes.
        done = site.cli("import", str(edited_path), str(path))
        assert done.returncode == 2, (path, done)
        lines = done.stderr.decode().strip().splitlines()
        assert len(lines) == 1 and reason in lines[0], (path, lines)
        assert done.stdout == b""
    export(site, article_id, tmp_path / "after.xlf")
    assert (tmp_path / "after.xlf").read_bytes() == before
    assert EDITED not in feed_text(site, "ru")


OTHER_TOOL_TMX = Path(__file__).parent.parent / "testdata" / "exchange" / "other-tool.tmx"


def test_memory_export_and_import(site, worker, tmp_path):
    submit(site, tmp_path, 4)
    out = tmp_path / "memory.tmx"
    done = site.cli("memory", "export", "-o", str(out), "--origin", "machine")
    assert done.returncode == 0, done.stderr
    root = etree.parse(str(out)).getroot()
    assert root.get("version") == "1.4" and root.find("header").get("creationtool") == "syndicate"
    tus = root.findall("body/tu")
    assert tus and {tu.findtext("prop[@type='x-origin']") for tu in tus} == {"machine"}
    assert all(tu.findtext("prop[@type='x-model-version']") for tu in tus)
    assert all(tu.get("creationdate") and tu.get("changedate") for tu in tus)
    human = site.cli("memory", "export", "--origin", "human")
    assert human.returncode == 0 and etree.fromstring(human.stdout).findall("body/tu") == []

    seeded = site.cli("memory", "import", str(OTHER_TOOL_TMX), "--json")
    assert seeded.returncode == 0, seeded.stderr
    report = json.loads(seeded.stdout)
    assert report["seeded"] >= 4  # the en->ru and en->ja entries; de is not a target here
    assert any("left out" in n for n in report["notices"])
    exported = site.cli("memory", "export", "--origin", "human")
    sources = {tu.findtext("tuv/seg") for tu in etree.fromstring(exported.stdout).findall("body/tu")}
    assert "The minister resigned on Tuesday." in sources

    # A human segment from the memory wins over the (demo) model in a new article.
    submit(site, tmp_path, 5, "The minister resigned on Tuesday.")
    settle(lambda: assert_in("Министр ушёл в отставку во вторник.", feed_text(site, "ru")))

    junk = tmp_path / "junk.tmx"
    junk.write_bytes(b"<tmx><header")
    refused = site.cli("memory", "import", str(junk))
    assert refused.returncode == 2 and len(refused.stderr.decode().strip().splitlines()) == 1
