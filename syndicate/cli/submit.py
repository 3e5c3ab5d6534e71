"""`syndicate submit`: ingest files, stdin or directories; store; enqueue."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from syndicate.cli.app import (
    DEMO_WARNING,
    EXIT_BAD_INPUT,
    demo_packages_in_use,
    dispatcher,
    echo_json,
    load_settings,
    main,
    open_store,
    resolve_article,
)
from syndicate.ingest import Format, IngestOptions, LeadPolicy

if TYPE_CHECKING:  # imported when the command runs: it needs the store (SQLAlchemy)
    from syndicate.submit import Outcome, Source, Structure


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--json", "as_json", is_flag=True, help="Print JSON (outcomes, or with --dry-run the structure)."
)
@click.option(
    "--dry-run", is_flag=True, help="Show the structure that would be stored; store and send nothing."
)
@click.option(
    "--format", "fmt", type=click.Choice([f.value for f in Format]), default="auto", show_default=True,
    help="Input format; auto looks at the content.",
)  # fmt: skip
@click.option("--source-tz", help="IANA zone of the date lines (default: SYNDICATE_SOURCE_TZ or UTC).")
@click.option("--lang", help="Declare the source language instead of detecting it.")
@click.option(
    "--lead", "lead_policy", type=click.Choice([p.value for p in LeadPolicy]),
    help="A lead cut off mid-word: trim to its last sentence (default), keep, or reject.",
)  # fmt: skip
@click.option(
    "--page-url", metavar="URL",
    help="The absolute URL a saved page came from: a relative canonical link is resolved against it.",
)  # fmt: skip
@click.option("--update", "update_of", metavar="ID", help="Store the input as a new revision of article ID.")
def submit(
    paths: tuple[str, ...],
    as_json: bool,
    dry_run: bool,
    fmt: str,
    source_tz: str | None,
    lang: str | None,
    lead_policy: str | None,
    page_url: str | None,
    update_of: str | None,
) -> None:
    """Store articles and queue their translations; print each article id.

    PATHS are files, directories of files, or - for standard input: the plain-text scrape
    format, HTML pages or JSON objects ({"title", "published", "body" or "paragraphs", "url",
    "author"}). An input that cannot become an article is refused with a one-line reason and
    nothing is stored for it (exit status 2). The same content again is a duplicate; changed
    content with the URL of a stored article (or --update ID) is a new revision, translated
    again. Every repair or assumption made reading an input (a zone assumed, mojibake repaired,
    markup dropped, a date clamped) is one line on stderr, and is stored with the revision
    (`syndicate status` shows it). If Redis is not running the articles are still stored, and
    their jobs are sent when `syndicate up` starts.
    """
    from urllib.parse import urlsplit
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from syndicate.submit import Outcome, options, sources, store_source

    settings = load_settings()
    if lang and lang != settings.source_lang:
        raise click.UsageError(
            f"this installation translates from {settings.source_lang} (SYNDICATE_SOURCE_LANG)"
        )
    if page_url and urlsplit(page_url).scheme not in ("http", "https"):
        raise click.UsageError(f"--page-url: not an absolute http(s) URL: {page_url!r}")
    try:
        zone = ZoneInfo(source_tz) if source_tz else None
    except (ZoneInfoNotFoundError, ValueError):
        raise click.UsageError(f"--source-tz: unknown time zone {source_tz!r}") from None
    opts = options(
        settings, zone=zone, format=Format(fmt), lead_policy=LeadPolicy(lead_policy) if lead_policy else None,
        check_language=False if lang else None, page_url=page_url,
    )  # fmt: skip
    inputs = list(sources(list(paths), settings.max_input_bytes))
    if dry_run:
        _dry_run(inputs, opts, as_json)
        return
    store = open_store(settings)
    if update_of:
        update_of = resolve_article(store, update_of)
    outcomes: list[Outcome] = []
    show_progress = len(inputs) > 1 and not as_json
    with click.progressbar(inputs, label="submitting", file=sys.stderr, hidden=not show_progress) as bar:
        for item in bar:
            outcome = (
                item if isinstance(item, Outcome) else store_source(item, settings, store, opts, update_of)
            )
            outcomes.append(outcome)
            if not outcome.ok:
                click.echo(f"\nsyndicate: {outcome.source}: {outcome.error}" if show_progress else
                           f"syndicate: {outcome.source}: {outcome.error}", err=True)  # fmt: skip
            elif not as_json:
                click.echo(outcome.article_id)
                for note in outcome.notes if not outcome.duplicate else ():
                    click.echo(f"syndicate: {outcome.source}: {note}", err=True)
                if outcome.duplicate:
                    gone = store.articles.retracted_at(outcome.article_id or "")
                    said = f" (retracted {gone:%Y-%m-%d %H:%M} UTC: in no feed)" if gone else ""
                    click.echo(
                        f"syndicate: {outcome.source}: already stored as {outcome.article_id}{said}", err=True
                    )
                elif outcome.revised:
                    note = f"revision {outcome.revision} of {outcome.article_id}"
                    click.echo(f"syndicate: {outcome.source}: {note}", err=True)

    fresh = [o for o in outcomes if o.ok and not o.duplicate]
    queued_later = False
    if fresh:
        queued_later = not dispatcher(settings).send_submitted(
            [(o.article_id, o.revision) for o in fresh if o.article_id and o.revision]
        )
    if as_json:
        echo_json([o.__dict__ | {"queued_later": queued_later and o in fresh} for o in outcomes])
    if queued_later:
        click.echo(
            f"syndicate: stored and queued; Redis ({settings.redis_url}) is not reachable, so the jobs "
            "will be sent when `syndicate up` starts",
            err=True,
        )
    if len(outcomes) > 1:
        click.echo(
            f"submitted {sum(o.ok and not o.duplicate and not o.revised for o in outcomes)}, "
            f"revised {sum(o.revised for o in outcomes)}, duplicates {sum(o.duplicate for o in outcomes)}, "
            f"rejected {sum(not o.ok for o in outcomes)}",
            err=True,
        )
    if fresh and demo_packages_in_use(settings):
        click.echo(DEMO_WARNING, err=True)
    if any(not o.ok for o in outcomes):
        sys.exit(EXIT_BAD_INPUT)


def _dry_run(inputs: list[Source | Outcome], opts: IngestOptions, as_json: bool) -> None:
    """Print what each input would be stored as (JSON with ``as_json``); store nothing.

    Exits with EXIT_BAD_INPUT (SystemExit) after printing if any input was refused.
    """
    from syndicate.submit import Outcome, describe, parse_source

    results: list[Structure] = []
    failed = False
    for item in inputs:
        if isinstance(item, Outcome):
            click.echo(f"syndicate: {item.source}: {item.error}", err=True)
            failed = True
            continue
        article, error = parse_source(item, opts)
        if article is None:
            click.echo(f"syndicate: {item.name}: {error}", err=True)
            failed = True
            continue
        structure = describe(article)
        results.append(structure)
        for note in structure["notes"]:  # as `submit` says them: stdout stays the structure
            click.echo(f"syndicate: {item.name}: {note}", err=True)
        if not as_json:
            click.echo(f"== {item.name}")
            click.echo(f"title:     {structure['title']}")
            click.echo(f"published: {structure['published']}")
            if structure["updated"]:
                click.echo(f"updated:   {structure['updated']}")
            click.echo(f"author:    {structure['author'] or '-'}")
            click.echo(f"url:       {structure['url'] or '-'}")
            for p in structure["paragraphs"]:
                speaker = f" ({p['speaker']})" if p.get("speaker") else ""
                click.echo(f"[{p['kind']}{speaker}]")
                for sentence in p["sentences"]:
                    click.echo(f"    {sentence}")
    if as_json:
        echo_json(results[0] if len(results) == 1 and len(inputs) == 1 else results)
    if failed:
        sys.exit(EXIT_BAD_INPUT)
