"""Commands for editors: export, import, edit (XLIFF and the aligned text) and memory (TMX).

The store side (human segments, re-assembly, publishing) is syndicate/editing.py; the file
formats are syndicate/exchange/. Every bad input is one line on stderr and exit 2, with nothing
changed: every file is read and every document checked (apply_document with check_only:
article known, language a target, every target's protected spans) before the first change.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from syndicate.cli.app import (
    DEMO_WARNING,
    EXIT_BAD_INPUT,
    dispatcher,
    echo_json,
    fail,
    load_settings,
    main,
    open_store,
    resolve_article,
)
from syndicate.exchange.units import Document, ExchangeError

if TYPE_CHECKING:
    from syndicate.config import Settings
    from syndicate.store import Store


def _demo(settings: Settings, lang: str) -> bool:
    """Whether the package that translates into ``lang`` is a demo one (not a translation)."""
    from syndicate.translation import packages

    found = packages.find(settings.packages_dir, settings.source_lang, lang)
    return found is not None and found.demo


def _check_lang(settings: Settings, lang: str) -> None:
    if lang not in settings.targets:
        fail(f"{lang!r} is not a target language ({', '.join(settings.targets)})", EXIT_BAD_INPUT)


def _export(store: Store, settings: Settings, article_id: str, lang: str) -> Document:
    # syndicate/editing.py (the store side of issue 16) is imported in each command, not at the
    # top, so that this module loads on a branch without it; the ignore is for that branch.
    from syndicate import editing

    try:
        return editing.export_document(store, settings, article_id, lang)
    except editing.EditError as exc:
        fail(f"{article_id} {lang}: {exc}", EXIT_BAD_INPUT)


def _apply(
    store: Store, settings: Settings, doc: Document, *, check_only: bool = False, name: str | None = None
) -> Any:
    """Apply ``doc`` (read from the file ``name``, named in errors); publish its language's
    feeds when the translation was published. An EditError exits 2 (apply_document changes
    nothing when it raises). ``check_only``: check, change nothing, publish nothing."""
    from syndicate import editing

    try:
        report = editing.apply_document(store, settings, doc, check_only=check_only)
    except editing.EditError as exc:
        where = f"{name}: " if name else ""
        fail(f"{where}{doc.article_id} {doc.target_language}: {exc}", EXIT_BAD_INPUT)
    if report.published and not dispatcher(settings).publish_or_render(store, [doc.target_language]):
        click.echo("syndicate: Redis unreachable; published here", err=True)
    return report


def _summary(doc: Document, report: Any) -> str:
    line = (
        f"{doc.article_id} {doc.target_language}: applied {len(report.applied)}, "
        f"unchanged {len(report.unchanged)}, stale {len(report.stale)}"
    )
    if report.stale:
        line += f" (source changed since revision {doc.revision}: {', '.join(report.stale)})"
    if report.unknown:
        line += f"; unknown ids, not applied: {', '.join(report.unknown)}"
    return line + ("; published" if report.published else "; not published yet")


@main.command("export")
@click.argument("article_ids", nargs=-1, required=True)
@click.option("--lang", required=True, help="The target language of the translations to export.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here (default: stdout)."
)
def export(article_ids: tuple[str, ...], lang: str, output: str | None) -> None:
    """Write the LANG translations of articles as XLIFF 1.2 for a CAT tool (OmegaT, memoQ, Trados).

    One <file> per article, one <trans-unit> per segment (the title, then each sentence) with a
    stable id; machine targets are in state needs-review-translation, the quality gate's
    reasons are notes. Edit the targets, then `syndicate import FILE`.
    """
    from syndicate.exchange.xliff import write_xliff

    settings = load_settings()
    _check_lang(settings, lang)
    store = open_store(settings)
    ids = list(dict.fromkeys(resolve_article(store, a) for a in article_ids))
    docs = [_export(store, settings, article_id, lang) for article_id in ids]
    demo = _demo(settings, lang)
    if demo:
        click.echo(f"syndicate: {DEMO_WARNING}", err=True)
    data = write_xliff(docs, demo=demo)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        Path(output).write_bytes(data)
        click.echo(
            f"{output}: {len(docs)} article(s), {sum(len(d.units) for d in docs)} segment(s)", err=True
        )


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print what each file changed as JSON.")
def import_(files: tuple[str, ...], as_json: bool) -> None:
    """Apply the edited targets of XLIFF files as human segments and publish again.

    A target is human when its text differs from the stored one or its state is final or
    signed-off. A file for an older revision applies to the segments whose source still
    matches; the others are reported as stale. Every file is read and every document checked
    before anything changes; importing the same file twice changes nothing. A language under
    review (SYNDICATE_REVIEW) is published once all its segments are final or edited.
    """
    from syndicate.exchange.xliff import read_xliff

    settings = load_settings()
    store = open_store(settings)
    read: list[tuple[str, list[Document], list[str]]] = []
    for name in files:
        notices: list[str] = []
        try:
            docs = read_xliff(Path(name).read_bytes(), notices)
        except ExchangeError as exc:
            fail(f"{name}: {exc}", EXIT_BAD_INPUT)
        for doc in docs:
            if store.articles.resolve_id(doc.article_id) != doc.article_id:
                fail(f"{name}: no article {doc.article_id!r}", EXIT_BAD_INPUT)
            if doc.target_language not in settings.targets:
                fail(f"{name}: {doc.target_language!r} is not a target language", EXIT_BAD_INPUT)
        read.append((name, docs, notices))
    for name_, docs, _notices in read:  # every document checked before the first is applied
        for doc in docs:
            _apply(store, settings, doc, check_only=True, name=name_)
    results = [
        (name, [(doc, _apply(store, settings, doc, name=name)) for doc in docs], notices)
        for name, docs, notices in read
    ]
    if as_json:
        echo_json(
            [
                {
                    "file": name,
                    "documents": [
                        {
                            "article": doc.article_id,
                            "revision": doc.revision,
                            "lang": doc.target_language,
                            "applied": list(report.applied),
                            "unchanged": list(report.unchanged),
                            "stale": list(report.stale),
                            "unknown": list(report.unknown),
                            "published": report.published,
                        }
                        for doc, report in applied
                    ],
                    "notices": notices,
                }
                for name, applied, notices in results
            ]
        )
        return
    for name, applied, notices in results:
        for doc, report in applied:
            click.echo(f"{name}: {_summary(doc, report)}")
        for notice in notices:
            click.echo(f"  note: {notice}")


def _editor() -> str:
    """The editor command as git chooses it: $VISUAL, else $EDITOR, else vi."""
    return os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"


@main.command()
@click.argument("article_id")
@click.argument("lang")
def edit(article_id: str, lang: str) -> None:
    """Post-edit a translation in $VISUAL or $EDITOR (else vi), one segment per block.

    The file shows each segment's id, its source as a comment and its translation; change the
    translations, save and quit. What changed is applied as `syndicate import` does; an
    unchanged file changes nothing. If the file cannot be applied it is kept, and its path
    printed, so that nothing typed is lost.
    """
    from syndicate.exchange.aligned import read_aligned, write_aligned

    settings = load_settings()
    _check_lang(settings, lang)
    store = open_store(settings)
    full = resolve_article(store, article_id)
    doc = _export(store, settings, full, lang)
    demo = _demo(settings, lang)
    if demo:
        click.echo(f"syndicate: {DEMO_WARNING}", err=True)
    written = write_aligned(doc, demo=demo)
    # mkstemp makes the file readable by its owner only: unpublished text is confidential.
    handle, name = tempfile.mkstemp(prefix=f"syndicate-{full}-{lang}-", suffix=".txt")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(written)
    editor = _editor()
    # As git runs an editor: the command through the shell, the file as its last argument.
    status = subprocess.run(["/bin/sh", "-c", f'{editor} "$@"', editor, name]).returncode
    if status != 0:
        fail(f"the editor {editor!r} exited with status {status}; nothing changed (file kept: {name})")
    text = Path(name).read_text(encoding="utf-8", errors="replace")
    if text == written:
        os.unlink(name)
        click.echo(f"{full} {lang}: nothing changed")
        return
    notices: list[str] = []
    try:
        edited = read_aligned(text, doc, notices)
    except ExchangeError as exc:
        fail(f"{name}: {exc}; nothing changed (the file is kept)", EXIT_BAD_INPUT)
    try:
        report = _apply(store, settings, edited)
    except SystemExit:
        click.echo(f"syndicate: your edits are kept in {name}", err=True)
        raise
    os.unlink(name)
    click.echo(_summary(edited, report))
    for notice in notices:
        click.echo(f"  note: {notice}")


@main.group()
def memory() -> None:
    """Exchange the translation memory with translators' tools as TMX 1.4."""


@memory.command("export")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here (default: stdout)."
)
@click.option(
    "--origin",
    type=click.Choice(["human", "machine", "all"]),
    default="all",
    show_default=True,
    help="Only human segments, only machine ones, or both.",
)
def memory_export(output: str | None, origin: str) -> None:
    """Write the translation memory as TMX 1.4: each entry with its origin (x-origin), the
    model and model version of machine entries (x-model, x-model-version) and its dates."""
    from syndicate import editing
    from syndicate.exchange.tmx import write_tmx

    settings = load_settings()
    units = editing.memory_units(open_store(settings), origin=origin)
    data = write_tmx(units, settings.source_lang)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        Path(output).write_bytes(data)
        click.echo(f"{output}: {len(units)} entries", err=True)


@memory.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the counts and notes as JSON.")
def memory_import(file: str, as_json: bool) -> None:
    """Seed human segments from a newsroom's translation memory (TMX 1.4 from any tool).

    Entries without an x-origin prop are human. Entries whose languages this service does not
    translate are left out and counted.
    """
    from syndicate.exchange.tmx import read_tmx

    settings = load_settings()
    notices: list[str] = []
    try:
        units = read_tmx(Path(file).read_bytes(), notices)
    except ExchangeError as exc:
        fail(f"{file}: {exc}", EXIT_BAD_INPUT)
    usable = [
        u
        for u in units
        if u.source_language == settings.source_lang and u.target_language in settings.targets
    ]
    if len(usable) < len(units):
        notices.append(
            f"{len(units) - len(usable)} entries not from {settings.source_lang} into "
            f"{', '.join(settings.targets)} left out"
        )
    from syndicate import editing

    skipped: list[str] = []
    try:
        seeded = editing.seed_memory(open_store(settings), usable, skipped)
    except editing.EditError as exc:
        fail(f"{file}: {exc}", EXIT_BAD_INPUT)
    notices += [f"skipped {line}" for line in skipped]
    if as_json:
        echo_json({"file": file, "entries": len(units), "seeded": seeded, "notices": notices})
        return
    click.echo(f"{file}: {seeded} of {len(units)} entries seeded as human segments")
    for notice in notices:
        click.echo(f"  note: {notice}")
