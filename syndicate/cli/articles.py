"""Commands about stored articles: status, list, wait, retract, approve (alias release),
retranslate, publish."""

from __future__ import annotations

import sys
import time
from datetime import datetime

import click

from syndicate import lifecycle
from syndicate.cli.app import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_TIMEOUT,
    dispatcher,
    echo_json,
    fail,
    install_hint,
    load_settings,
    main,
    open_store,
    resolve_article,
)
from syndicate.config import Settings
from syndicate.model import JobState
from syndicate.store import Job


def _publish_failures(settings: Settings) -> dict[str, str]:
    """Why languages could not be published lately, as workers told Redis ({} if unreachable)."""
    import redis

    from syndicate.metrics import publish_failures

    client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=0.5, socket_timeout=1)
    try:
        return publish_failures(client)
    except redis.RedisError:
        return {}
    finally:
        client.close()


def _describe(job: Job, failing: dict[str, str], settings: Settings, unreviewed: datetime | None) -> str:
    """One language's state for a person; ``unreviewed``: when the grace period published its
    translation without review."""
    if job.state == JobState.TRANSLATED and job.lang in failing:
        return f"translated; publishing failed, retrying: {failing[job.lang]}"
    if job.state == JobState.TRANSLATED:
        return "translated (publishing)"
    if job.state == JobState.HELD:
        return "held by the quality gate (syndicate approve ID LANG, or syndicate retranslate ID)"
    if job.state == JobState.REVIEW:
        text = "review: waits for an editor (syndicate approve ID LANG)"
        grace = settings.review_grace
        if grace is not None:
            text += f"; published without review at {job.updated_at + grace:%Y-%m-%d %H:%M} UTC otherwise"
        return text
    if job.state == JobState.PUBLISHED and unreviewed is not None:
        return f"published without review (the grace period ran out at {unreviewed:%Y-%m-%d %H:%M} UTC)"
    if job.state == JobState.WAITING_FOR_MODEL:
        return f"waiting-for-model: install one with {install_hint(settings, [job.lang])}"
    return str(job.state) + (f": {job.error}" if job.error else "")


@main.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Print the states as JSON.")
def status(article_id: str, as_json: bool) -> None:
    """Show each language's state for an article, what was repaired or assumed reading it, and
    which glossary entries its translations applied where (form seen, segment, paragraph).

    States: queued, waiting-for-model, translating, translated, held, review, published, failed.
    """
    from syndicate.store import JobKey

    settings = load_settings()
    store = open_store(settings)
    full = resolve_article(store, article_id)
    jobs = store.jobs.of_article(full)
    retracted = store.articles.retracted_at(full)
    failing = _publish_failures(settings)
    notes = store.articles.notes(full, jobs[0].revision) if jobs else []
    glossary = {j.lang: store.translations.glossary(JobKey(full, j.revision, j.lang)) for j in jobs}
    unreviewed = {j.lang: store.translations.review_skipped(JobKey(full, j.revision, j.lang)) for j in jobs}
    if as_json:
        echo_json(
            {
                "id": full,
                "revision": jobs[0].revision if jobs else None,
                "retracted": retracted,
                "notes": notes,
                "languages": {
                    j.lang: {
                        "state": j.state,
                        "error": j.error,
                        "attempts": j.attempts,
                        "updated": j.updated_at,
                        "publish_error": failing.get(j.lang) if j.state == JobState.TRANSLATED else None,
                        "glossary": glossary[j.lang],
                        "published_without_review": unreviewed[j.lang],
                    }
                    for j in jobs
                },
            }
        )
        return
    click.echo(f"article {full} (revision {jobs[0].revision if jobs else '?'})")
    for note in notes:
        click.echo(f"  note: {note}")
    if retracted is not None:
        click.echo(
            f"  retracted {retracted:%Y-%m-%d %H:%M} UTC: in no feed or page; its jobs are not pursued"
        )
        return
    for job in jobs:
        line = f"  {job.lang:<4} {_describe(job, failing, settings, unreviewed[job.lang])}"
        if job.error and job.state in (JobState.HELD, JobState.TRANSLATED):
            line += f": {job.error}"
        click.echo(line)
        for use in glossary[job.lang]:
            where = "title" if use["paragraph"] < 0 else f"paragraph {use['paragraph'] + 1}"
            click.echo(
                f"       glossary {use['entry']!r} as {use['seen']!r} in segment {use['segment']} ({where})"
            )


@main.command("list")
@click.option("--limit", default=50, show_default=True, help="How many articles, newest first.")
@click.option(
    "--state", type=click.Choice([s.value for s in JobState]),
    help="Only articles with a language in this state.",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def list_(limit: int, state: str | None, as_json: bool) -> None:
    """List articles, newest first, with each language's state."""
    settings = load_settings()
    rows = open_store(settings).articles.summaries(limit, JobState(state) if state else None)
    if as_json:
        echo_json([r.__dict__ for r in rows])
        return
    for row in rows:
        states = " ".join(f"{lang}:{state}" for lang, state in sorted(row.states.items()))
        click.echo(f"{row.id}  {row.published:%Y-%m-%d}  {row.title[:60]:<60}  {states}")


@main.command()
@click.argument("article_ids", nargs=-1, required=True)
@click.option(
    "--timeout", default=600.0, show_default=True, help="Seconds to wait before giving up (exit 3)."
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing while waiting.")
def wait(article_ids: tuple[str, ...], timeout: float, quiet: bool) -> None:
    """Wait until every language of these articles is published.

    Exit 0 when all are published, 1 as soon as one has failed, was held by the quality gate
    or is retracted (see `syndicate status`), 3 on timeout. A language waiting for a model keeps waiting
    (install one and it resumes); so does one in review, until `syndicate approve` or the
    review grace period publishes it.
    """
    settings = load_settings()
    store = open_store(settings)
    ids = [resolve_article(store, a) for a in article_ids]
    deadline = time.monotonic() + timeout
    last_report = ""
    while True:
        pending, failed = [], []
        for article_id in ids:
            if store.articles.retracted_at(article_id) is not None:
                failed.append(f"{article_id} retracted")
                continue
            for job in store.jobs.of_article(article_id):
                if job.state in (JobState.FAILED, JobState.HELD):
                    failed.append(f"{article_id} {job.lang} {job.state}: {job.error}")
                elif job.state != JobState.PUBLISHED:
                    pending.append(f"{article_id}:{job.lang}:{job.state}")
        if failed:
            for line in failed:
                click.echo(f"syndicate: failed: {line}", err=True)
            sys.exit(EXIT_FAILED)
        if not pending:
            if not quiet:
                click.echo(f"published: {len(ids)} article(s) in {', '.join(settings.languages)}", err=True)
            return
        report = f"waiting for {len(pending)} job(s): {' '.join(pending[:6])}"
        if not quiet and report != last_report:
            click.echo(report, err=True)
            last_report = report
        if time.monotonic() >= deadline:
            click.echo(f"syndicate: timed out after {timeout:.0f}s; still {', '.join(pending)}", err=True)
            sys.exit(EXIT_TIMEOUT)
        time.sleep(0.3)


@main.command()
@click.argument("article_ids", nargs=-1, required=True)
def retract(article_ids: tuple[str, ...]) -> None:
    """Remove articles from every feed, archive page and page (their data stays in the store).

    With Redis down the feeds are rewritten here and now.
    """
    settings = load_settings()
    store = open_store(settings)
    ids = [resolve_article(store, article_id) for article_id in article_ids]
    for full in ids:
        if not lifecycle.retract(store, full):
            click.echo(f"syndicate: {full} was already retracted", err=True)
    dispatcher(settings).publish_or_render(store, settings.languages)
    for full in ids:
        click.echo(full)


def _approve(article_id: str, lang: str, verb: str) -> None:
    """Publish the ``lang`` translation of ``article_id`` waiting in review or held (lifecycle.approve)."""
    settings = load_settings()
    store = open_store(settings)
    full = resolve_article(store, article_id)
    if not lifecycle.approve(store, full, lang):
        fail(f"{full} has no {lang} translation in review or held by the quality gate", EXIT_BAD_INPUT)
    if not dispatcher(settings).publish_or_render(store, [lang]):
        click.echo("syndicate: Redis unreachable; published here", err=True)
    click.echo(f"{verb} {full} {lang}")


@main.command()
@click.argument("article_id")
@click.argument("lang")
def approve(article_id: str, lang: str) -> None:
    """Publish a translation waiting in review (SYNDICATE_REVIEW) or held by the quality gate, as it is."""
    _approve(article_id, lang, "approved")


@main.command()
@click.argument("article_id")
@click.argument("lang")
def release(article_id: str, lang: str) -> None:
    """The same as `syndicate approve` (its name before review existed)."""
    _approve(article_id, lang, "released")


@main.command()
@click.argument("article_ids", nargs=-1, required=True)
@click.option(
    "--lang", "langs", multiple=True, help="Only these languages (repeatable). Default: all targets."
)
@click.option(
    "--discard-edits", is_flag=True,
    help="Forget the human segments (editors' corrections) of these articles' sentences first.",
)  # fmt: skip
def retranslate(article_ids: tuple[str, ...], langs: tuple[str, ...], discard_edits: bool) -> None:
    """Translate articles again with the models installed now, ignoring the machine translation
    memory. Human segments (editors' corrections) are kept unless --discard-edits, which forgets
    them for every article with the same sentence.

    Use it after installing a new model version or editing the glossary. The current text
    stays in the feeds until the new one replaces it.
    """
    from syndicate import editing
    from syndicate.store import JobKey

    settings = load_settings()
    store = open_store(settings)
    targets = list(langs or settings.targets)
    unknown = [lang for lang in targets if lang not in settings.targets]
    if unknown:
        raise click.UsageError(f"{', '.join(unknown)} not among the targets {', '.join(settings.targets)}")
    ids = [resolve_article(store, article_id) for article_id in article_ids]
    if discard_edits:
        for full in ids:
            gone = editing.discard_edits(store, full, targets)
            click.echo(f"syndicate: {full}: {gone} human segment(s) discarded", err=True)
    keys = [JobKey(full, lifecycle.requeue(store, full, targets), lang) for full in ids for lang in targets]
    if not dispatcher(settings).send_translations(keys, fresh=True):
        click.echo(
            "syndicate: queued; Redis unreachable, the jobs are sent when `syndicate up` starts", err=True
        )
        return
    for full in ids:
        click.echo(full)


@main.command()
@click.argument("langs", nargs=-1)
def publish(langs: tuple[str, ...]) -> None:
    """Render and write the feeds of LANGS (default: all) now, without a worker."""
    from workers.dispatch import publish_now

    settings = load_settings()
    store = open_store(settings)
    for lang in langs or settings.languages:
        if lang not in settings.languages:
            raise click.UsageError(f"{lang} is not one of {', '.join(settings.languages)}")
    for lang in langs or settings.languages:
        result = publish_now(store, settings, lang)
        click.echo(f"{lang}: {result.entries} entries, {result.written} file(s) changed")
