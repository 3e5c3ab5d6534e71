"""The `syndicate` command.

Exit status: 0 success, 1 failure (a failed job, a stack that will not start), 2 bad input or
usage, 3 timeout. Every command has --help; commands that report take --json.
"""

from __future__ import annotations

import json
import signal
import sys
import time
from datetime import datetime
from pathlib import Path

import click

from syndicate import config
from syndicate.ingest import Format, LeadPolicy
from syndicate.model import JobState

EXIT_FAILED, EXIT_BAD_INPUT, EXIT_TIMEOUT = 1, 2, 3
SWEEP_EVERY_S = 60
DEMO_WARNING = (
    "NOTE: demo translation models are installed. Their output is NOT a translation; "
    "install real ones with `syndicate models install en ru` (and en ja)."
)


def _settings() -> config.Settings:
    try:
        return config.load()
    except config.ConfigError as exc:
        raise click.ClickException(f"configuration: {exc}") from None


def _store(settings: config.Settings):
    from syndicate.store import Store

    return Store(settings.database_url, busy_timeout_s=settings.database_busy_timeout)


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _demo_packages_in_use(settings: config.Settings) -> bool:
    from syndicate.translation import packages

    for lang in settings.targets:
        found = packages.find(settings.packages_dir, settings.source_lang, lang)
        if found is not None and found.demo:
            return True
    return False


class Commands(click.Group):
    """Turns a database that is locked, full or down into one line and exit status 1."""

    def invoke(self, ctx: click.Context):
        from syndicate.store.errors import UNAVAILABLE, describe

        try:
            return super().invoke(ctx)
        except UNAVAILABLE as exc:
            raise click.ClickException(describe(exc)) from None


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="syndicate")
def main() -> None:
    """Translate news articles offline and publish them as RSS, Atom and JSON Feed.

    Zero configuration: data lives in SYNDICATE_DATA_DIR (default: your user data folder).
    Start everything with `syndicate up`, then submit articles from another terminal.
    """


# -- submit ---------------------------------------------------------------------------------------


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
@click.option("--update", "update_of", metavar="ID", help="Store the input as a new revision of article ID.")
def submit(paths, as_json, dry_run, fmt, source_tz, lang, lead_policy, update_of) -> None:
    """Store articles and queue their translations; print each article id.

    PATHS are files, directories of files, or - for standard input: the plain-text scrape
    format, HTML pages or JSON objects ({"title", "published", "body" or "paragraphs", "url",
    "author"}). An input that cannot become an article is refused with a one-line reason and
    nothing is stored for it (exit status 2). The same content again is a duplicate; changed
    content with the URL of a stored article (or --update ID) is a new revision, translated
    again. If Redis is not running the articles are still stored, and their jobs are sent when
    `syndicate up` starts.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from syndicate.submit import Outcome, describe, options, parse_source, sources, store_source

    settings = _settings()
    if lang and lang != settings.source_lang:
        raise click.UsageError(
            f"this installation translates from {settings.source_lang} (SYNDICATE_SOURCE_LANG)"
        )
    try:
        zone = ZoneInfo(source_tz) if source_tz else None
    except (ZoneInfoNotFoundError, ValueError):
        raise click.UsageError(f"--source-tz: unknown time zone {source_tz!r}") from None
    opts = options(
        settings, zone=zone, format=Format(fmt), lead_policy=LeadPolicy(lead_policy) if lead_policy else None,
        check_language=False if lang else None,
    )  # fmt: skip
    inputs = list(sources(list(paths), settings.max_input_bytes))
    if dry_run:
        _dry_run(inputs, opts, as_json, parse_source, describe)
        return
    store = _store(settings)
    if update_of:
        update_of = _resolve(store, update_of)
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
                if outcome.duplicate:
                    click.echo(
                        f"syndicate: {outcome.source}: already stored as {outcome.article_id}", err=True
                    )
                elif outcome.revised:
                    note = f"revision {outcome.revision} of {outcome.article_id}"
                    click.echo(f"syndicate: {outcome.source}: {note}", err=True)

    fresh = [o for o in outcomes if o.ok and not o.duplicate]
    queued_later = False
    if fresh:
        queued_later = not _enqueue(settings, [(o.article_id, o.revision) for o in fresh])
    if as_json:
        _echo_json([o.__dict__ | {"queued_later": queued_later and o in fresh} for o in outcomes])
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
    trimmed = [o for o in fresh if o.lead_trimmed]
    for o in trimmed:
        click.echo(
            f"syndicate: {o.source}: the lead was cut off mid-word; trimmed to its last sentence", err=True
        )
    if fresh and _demo_packages_in_use(settings):
        click.echo(DEMO_WARNING, err=True)
    if any(not o.ok for o in outcomes):
        sys.exit(EXIT_BAD_INPUT)


def _dry_run(inputs, opts, as_json: bool, parse_source, describe) -> None:
    from syndicate.submit import Outcome

    results, failed = [], False
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
        if not as_json:
            click.echo(f"== {item.name}")
            click.echo(f"title:     {structure['title']}")
            click.echo(f"published: {structure['published']}")
            click.echo(f"author:    {structure['author'] or '-'}")
            click.echo(f"url:       {structure['url'] or '-'}")
            if structure["lead_trimmed"]:
                click.echo("note:      the lead was cut off mid-word and is trimmed to its last sentence")
            for p in structure["paragraphs"]:
                speaker = f" ({p['speaker']})" if p.get("speaker") else ""
                click.echo(f"[{p['kind']}{speaker}]")
                for sentence in p["sentences"]:
                    click.echo(f"    {sentence}")
    if as_json:
        _echo_json(results[0] if len(results) == 1 and len(inputs) == 1 else results)
    if failed:
        sys.exit(EXIT_BAD_INPUT)


def _enqueue(settings: config.Settings, jobs: list[tuple[str, int]]) -> bool:
    """Send jobs to the workers. False if Redis is unreachable (the jobs stay queued in the DB)."""
    from syndicate.stack import redis_reachable

    if not redis_reachable(settings.redis_url):
        return False
    from workers.app import create_app
    from workers.dispatch import send_jobs

    app = create_app(settings)
    try:
        for article_id, revision in jobs:
            send_jobs(app, article_id, revision, settings.languages, settings.source_lang)
    except Exception:  # kombu raises several unrelated types for a lost connection
        return False
    return True


# -- status, list, wait ---------------------------------------------------------------------------


def _resolve(store, article_id: str) -> str:
    full = store.resolve_id(article_id)
    if full is None:
        click.echo(f"syndicate: no article {article_id!r}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    return full


@main.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Print the states as JSON.")
def status(article_id: str, as_json: bool) -> None:
    """Show each language's state for an article: queued, translating, published, failed."""
    settings = _settings()
    store = _store(settings)
    full = _resolve(store, article_id)
    jobs = store.jobs(full)
    if as_json:
        _echo_json(
            {
                "id": full,
                "revision": jobs[0].revision if jobs else None,
                "languages": {
                    j.lang: {
                        "state": j.state,
                        "error": j.error,
                        "attempts": j.attempts,
                        "updated": j.updated_at,
                    }
                    for j in jobs
                },
            }
        )
        return
    click.echo(f"article {full} (revision {jobs[0].revision if jobs else '?'})")
    for job in jobs:
        state = str(job.state)
        if job.state == JobState.TRANSLATED:
            state = "translated (publishing)"
        elif job.state == JobState.HELD:
            state = "held by the quality gate (syndicate release ID LANG, or syndicate retranslate ID)"
        line = f"  {job.lang:<4} {state}"
        if job.error:
            line += f": {job.error}"
        click.echo(line)


@main.command("list")
@click.option("--limit", default=50, show_default=True, help="How many articles, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def list_(limit: int, as_json: bool) -> None:
    """List articles, newest first, with each language's state."""
    settings = _settings()
    rows = _store(settings).list_articles(limit)
    if as_json:
        _echo_json([r.__dict__ for r in rows])
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

    Exit 0 when all are published, 1 as soon as one has failed or was held by the quality
    gate (see `syndicate status`), 3 on timeout.
    """
    settings = _settings()
    store = _store(settings)
    ids = [_resolve(store, a) for a in article_ids]
    deadline = time.monotonic() + timeout
    last_report = ""
    while True:
        pending, failed = [], []
        for article_id in ids:
            for job in store.jobs(article_id):
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
    """Remove articles from every feed, archive page and page (their data stays in the store)."""
    settings = _settings()
    store = _store(settings)
    for article_id in article_ids:
        full = _resolve(store, article_id)
        if not store.retract(full):
            click.echo(f"syndicate: {full} was already retracted", err=True)
    from syndicate.stack import redis_reachable

    if redis_reachable(settings.redis_url):
        from workers.app import create_app
        from workers.dispatch import send_publish

        app = create_app(settings)
        for lang in settings.languages:
            send_publish(app, lang)
    else:
        from feeds.publish import publish_language

        for lang in settings.languages:
            publish_language(store, settings, lang)
    for article_id in article_ids:
        click.echo(_resolve(store, article_id))


@main.command()
@click.argument("article_id")
@click.argument("lang")
def release(article_id: str, lang: str) -> None:
    """Publish a translation the quality gate held, as it is."""
    settings = _settings()
    store = _store(settings)
    full = _resolve(store, article_id)
    if not store.release(full, lang):
        click.echo(f"syndicate: {full} has no held {lang} translation", err=True)
        sys.exit(EXIT_BAD_INPUT)
    from workers.app import create_app
    from workers.dispatch import send_publish

    try:
        send_publish(create_app(settings), lang)
    except Exception:  # kombu raises several unrelated types for a lost connection
        click.echo("syndicate: released; Redis unreachable, publishing when `syndicate up` starts", err=True)
        return
    click.echo(f"released {full} {lang}")


@main.command()
@click.argument("article_ids", nargs=-1, required=True)
@click.option(
    "--lang", "langs", multiple=True, help="Only these languages (repeatable). Default: all targets."
)
def retranslate(article_ids: tuple[str, ...], langs: tuple[str, ...]) -> None:
    """Translate articles again with the models installed now, ignoring the translation memory.

    Use it after installing a new model version or editing the glossary. The current text
    stays in the feeds until the new one replaces it.
    """
    settings = _settings()
    store = _store(settings)
    targets = list(langs or settings.targets)
    unknown = [lang for lang in targets if lang not in settings.targets]
    if unknown:
        raise click.UsageError(f"{', '.join(unknown)} not among the targets {', '.join(settings.targets)}")
    jobs = []
    for article_id in article_ids:
        full = _resolve(store, article_id)
        revision = store.requeue(full, targets)
        jobs.extend((full, revision, lang) for lang in targets)
    from syndicate.stack import redis_reachable

    if not redis_reachable(settings.redis_url):
        click.echo(
            "syndicate: queued; Redis unreachable, the jobs are sent when `syndicate up` starts", err=True
        )
        return
    from workers.app import create_app
    from workers.dispatch import send_translation

    app = create_app(settings)
    for full, revision, lang in jobs:
        send_translation(app, full, revision, lang, fresh=True)
    for full in dict.fromkeys(j[0] for j in jobs):
        click.echo(full)


# -- processes ------------------------------------------------------------------------------------


@main.command()
@click.option("--concurrency", "-c", type=int, default=None, help="Worker processes (default: config).")
@click.option(
    "--queues", "-Q", default=None, help="Comma-separated queues (default: every target and publish)."
)
@click.option("--loglevel", default="INFO", show_default=True)
def worker(concurrency: int | None, queues: str | None, loglevel: str) -> None:
    """Run a Celery worker that translates and publishes."""
    settings = _settings()
    import os

    from workers.app import PUBLISH_QUEUE, app, translate_queue

    queue_list = queues or ",".join([translate_queue(lang) for lang in settings.targets] + [PUBLISH_QUEUE])
    from syndicate import logs

    logs.configure(settings.log_format, loglevel)  # before Celery's own start-up warnings
    # JSON logs: no start-up banner (printed, not logged), so every line is one JSON object.
    argv = (["--quiet"] if settings.log_format == "json" else []) + [
        "worker",
        "--loglevel", loglevel,
        "--queues", queue_list,
        "--concurrency", str(concurrency or settings.worker_concurrency),
        "--pool", "prefork",
        "--hostname", f"syndicate-{os.getpid()}@%h",
        "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    app.worker_main(argv=argv)


def _metrics_renderer(settings: config.Settings):
    """/metrics: job states from the database, queue depths and worker figures from Redis."""
    from prometheus_client import CollectorRegistry, generate_latest

    from syndicate.metrics import ServiceCollector

    registry = CollectorRegistry()
    registry.register(ServiceCollector(settings, _store(settings)))
    return lambda: generate_latest(registry)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", "-p", type=int, default=None, help="Port (default: SYNDICATE_PORT or 8080).")
def serve(host: str, port: int | None) -> None:
    """Serve the feeds and pages over HTTP (ETag, Last-Modified, 304, gzip, HEAD).

    Also serves Prometheus metrics at /metrics: jobs by language and state, queue depths,
    translation and publish times, sentences translated and translation-memory hits.
    """
    settings = _settings()
    from feeds.server import make_server
    from syndicate import logs

    logs.configure(settings.log_format)

    port = port or settings.port
    server = make_server(settings.feeds_dir, host, port, metrics=_metrics_renderer(settings))
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    click.echo(f"serving {settings.feeds_dir} at http://{host}:{port}/", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@main.command()
@click.option("--port", "-p", type=int, default=None, help="Port for the feed server (default 8080).")
def up(port: int | None) -> None:
    """Start everything on this machine: a private Redis, one worker and the feed server.

    Other `syndicate` commands with the same SYNDICATE_DATA_DIR find and use this stack.
    Ctrl-C stops all of it. `up` submits nothing by itself.
    """
    settings, port = _settings_for_port(port)
    _run_stack(settings, port, lambda stack: _print_urls(settings), once=False)


def _settings_for_port(port: int | None) -> tuple[config.Settings, int]:
    import os

    if port is not None:
        os.environ["SYNDICATE_PORT"] = str(port)
    settings = _settings()
    return settings, settings.port


def _print_urls(settings: config.Settings) -> None:
    from feeds.document import FORMATS, feed_url

    click.echo("Feeds:")
    for lang in settings.languages:
        for fmt in FORMATS:
            click.echo(f"  {feed_url(settings.base_url, lang, fmt)}")
    click.echo(f"Pages: {settings.base_url}/{settings.source_lang}/")


def _run_stack(settings: config.Settings, port: int, after_start, once: bool) -> None:
    from syndicate.stack import Stack, StackError

    stack = Stack(settings, port)
    stopping = {"flag": False}

    def _stop(*_):
        stopping["flag"] = True

    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        stack.start()
    except StackError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        click.echo(f"stack running: data in {settings.data_dir}, logs in {stack.logs_dir}", err=True)
        _sweep(settings, min_age_s=0)
        if _demo_packages_in_use(settings):
            click.echo(DEMO_WARNING, err=True)
        after_start(stack)
        if once:
            return
        click.echo("Ctrl-C to stop.", err=True)
        last_sweep = time.monotonic()
        while not stopping["flag"]:
            dead = stack.dead_child()
            if dead:
                raise click.ClickException(f"stopping: {dead}")
            if time.monotonic() - last_sweep > SWEEP_EVERY_S:
                _sweep(settings, min_age_s=SWEEP_EVERY_S)
                last_sweep = time.monotonic()
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        click.echo("stopping…", err=True)
        stack.stop()
        signal.signal(signal.SIGTERM, previous)


def _sweep(settings: config.Settings, min_age_s: float = 0) -> None:
    """Send again the jobs the database says are due but Redis does not carry."""
    from datetime import timedelta

    from workers.sweeper import sweep as run_sweep

    swept = run_sweep(settings, _store(settings), timedelta(seconds=min_age_s))
    if swept.translations or swept.publishes:
        click.echo(
            f"re-sent {swept.translations} unfinished job(s) and {swept.publishes} publish(es) "
            "from the database",
            err=True,
        )


@main.command()
@click.option("--every", type=float, default=0, help="Repeat every this many seconds (0: once).")
@click.option(
    "--min-age", type=float, default=120, show_default=True, help="Only jobs waiting this long (s)."
)
def sweep(every: float, min_age: float) -> None:
    """Re-send work the database says is due but Redis lost (e.g. Redis was down at submit).

    A language is only swept when its queue is empty, so a backlog is never flooded.
    """
    settings = _settings()
    if every:
        from syndicate import logs

        logs.configure(settings.log_format)
    while True:
        _sweep(settings, min_age)
        if not every:
            return
        time.sleep(every)


@main.command()
def doctor() -> None:
    """Check Redis, the database, the feeds directory, the models and network use; one line each.

    Exit status 1 if any check fails.
    """
    import tempfile
    from urllib.parse import urlsplit

    from syndicate.stack import redis_reachable
    from syndicate.translation import packages

    settings = _settings()
    failures = 0

    def report(ok: bool, name: str, detail: str) -> None:
        nonlocal failures
        failures += not ok
        click.echo(f"{'ok  ' if ok else 'FAIL'} {name:<9} {detail}")

    try:
        from syndicate.store import migrate

        store = _store(settings)
        report(True, "database", f"{store.engine.url.render_as_string(hide_password=True)}: "
               f"{store.count_articles()} articles, schema {migrate.current(store.engine)}")  # fmt: skip
    except Exception as exc:  # any driver error is the answer here
        report(False, "database", f"{settings.database_url}: {exc}".splitlines()[0])
    reachable = redis_reachable(settings.redis_url)
    report(
        reachable,
        "redis",
        settings.redis_url + ("" if reachable else " is not reachable; start `syndicate up`"),
    )
    try:
        settings.feeds_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=settings.feeds_dir, prefix=".doctor-"):
            pass
        report(True, "feeds", f"{settings.feeds_dir} is writable")
    except OSError as exc:
        report(False, "feeds", f"{settings.feeds_dir}: {exc.strerror or exc}")
    for lang in settings.targets:
        found = packages.find(settings.packages_dir, settings.source_lang, lang)
        if found is None:
            report(
                False,
                f"model {lang}",
                f"no {settings.source_lang}->{lang} package in {settings.packages_dir}",
            )
        else:
            demo = " (DEMO: output is not a translation)" if found.demo else ""
            report(True, f"model {lang}", f"{found.name} {found.version}{demo}")
    remote = []
    for name, url in (("redis", settings.redis_url), ("database", settings.database_url),
                      ("websub hub", settings.websub_hub or "")):  # fmt: skip
        host = urlsplit(url).hostname if "://" in url else None
        if host and host not in ("127.0.0.1", "localhost", "::1"):
            remote.append(f"{name} at {host}")
    report(
        True,
        "network",
        "translation runs offline on installed packages; "
        + (f"connects to: {', '.join(remote)}" if remote else "nothing else leaves this machine"),
    )
    if failures:
        sys.exit(EXIT_FAILED)


# -- demo -----------------------------------------------------------------------------------------


@main.command()
@click.option("--once", is_flag=True, help="Exit after the feeds are published instead of serving.")
@click.option("--port", "-p", type=int, default=None, help="Port for the feed server (default 8080).")
@click.option("--timeout", default=600.0, show_default=True, help="Seconds to wait for publishing.")
def demo(once: bool, port: int | None, timeout: float) -> None:
    """The main job on the embedded default, end to end.

    Installs demo models if no models are installed, starts the stack, submits the bundled
    sample articles, waits until they are translated and published, and prints the feed URLs.
    """
    from importlib import resources

    settings, port = _settings_for_port(port)
    _ensure_models(settings)
    articles = sorted(
        str(p)
        for p in resources.files("syndicate.demo").joinpath("articles").iterdir()
        if p.name.endswith(".txt")
    )

    def after_start(_stack) -> None:
        from syndicate.submit import sources, store_source

        store = _store(settings)
        ids = []
        for source in sources(articles, settings.max_input_bytes):
            outcome = store_source(source, settings, store)
            if not outcome.ok:
                raise click.ClickException(f"{outcome.source}: {outcome.error}")
            ids.append(outcome.article_id)
            click.echo(f"submitted {Path(outcome.source).name} as {outcome.article_id}", err=True)
        if not _enqueue(settings, [(i, 1) for i in ids]):
            raise click.ClickException("the stack's Redis is not reachable")
        ctx = click.get_current_context()
        try:
            ctx.invoke(wait, article_ids=tuple(ids), timeout=timeout, quiet=False)
        except SystemExit as exc:
            if exc.code:
                raise click.ClickException("the demo articles were not published") from None
        _print_urls(settings)

    _run_stack(settings, port, after_start, once=once)


def _ensure_models(settings: config.Settings) -> None:
    from syndicate.translation import demo as demo_models
    from syndicate.translation import packages

    for lang in settings.targets:
        if packages.find(settings.packages_dir, settings.source_lang, lang) is None:
            click.echo(f"no {settings.source_lang}->{lang} model installed: building a demo model…", err=True)
            build_dir = settings.data_dir / "demo-build"
            archive = demo_models.build_package(lang, build_dir, from_code=settings.source_lang)
            packages.install_file(archive, settings.packages_dir)


# -- models ---------------------------------------------------------------------------------------


@main.group()
def models() -> None:
    """List and install Argos Translate packages."""


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the packages as JSON.")
def models_list(as_json: bool) -> None:
    """List installed packages and whether each target language has one."""
    from syndicate.translation import packages

    settings = _settings()
    found = packages.installed(settings.packages_dir)
    if as_json:
        _echo_json([p.__dict__ for p in found])
        return
    for p in found:
        demo_note = "  DEMO: output is not a translation" if p.demo else ""
        click.echo(f"{p.from_code}->{p.to_code}  {p.name}  {p.version}  {p.path}{demo_note}")
    for lang in settings.targets:
        if packages.find(settings.packages_dir, settings.source_lang, lang) is None:
            click.echo(f"missing: {settings.source_lang}->{lang}", err=True)


@models.command("install")
@click.argument("what", nargs=-1, required=True)
def models_install(what: tuple[str, ...]) -> None:
    """Install a package.

    \b
    syndicate models install PATH.argosmodel   from a file (air-gapped machines)
    syndicate models install en ru             from the official Argos index (needs the network)
    syndicate models install --demo            (see `syndicate models demo`)
    """
    from syndicate.translation import packages

    settings = _settings()
    try:
        if len(what) == 1:
            installed = packages.install_file(Path(what[0]), settings.packages_dir)
        elif len(what) == 2:

            def progress(done: int, total: int) -> None:
                pct = f"{100 * done // total}%" if total else f"{done // 1024} KiB"
                click.echo(f"\rdownloading {pct}", nl=False, err=True)

            installed = packages.install_from_index(settings.packages_dir, what[0], what[1], progress)
            click.echo("", err=True)
        else:
            raise click.UsageError("give a .argosmodel path, or FROM TO language codes")
    except FileNotFoundError as exc:
        click.echo(f"syndicate: {exc.filename}: no such file", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except packages.PackageError as exc:
        click.echo(f"syndicate: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    click.echo(f"installed {installed.from_code}->{installed.to_code} {installed.name} {installed.version}")
    click.echo("restart workers to load it", err=True)


@models.command("demo")
@click.option("--force", is_flag=True, help="Rebuild and reinstall even if a package is installed.")
def models_demo(force: bool) -> None:
    """Build and install tiny demo packages offline. Their output is NOT a translation."""
    from syndicate.translation import demo as demo_models
    from syndicate.translation import packages

    settings = _settings()
    for lang in settings.targets:
        if not force and packages.find(settings.packages_dir, settings.source_lang, lang):
            click.echo(f"{settings.source_lang}->{lang}: already installed")
            continue
        archive = demo_models.build_package(
            lang, settings.data_dir / "demo-build", from_code=settings.source_lang
        )
        installed = packages.install_file(archive, settings.packages_dir)
        click.echo(f"installed {installed.name} {installed.version}")
    click.echo(DEMO_WARNING, err=True)


# -- publishing -----------------------------------------------------------------------------------


@main.command()
@click.argument("langs", nargs=-1)
def publish(langs: tuple[str, ...]) -> None:
    """Render and write the feeds of LANGS (default: all) now, without a worker."""
    from feeds.publish import publish_language

    settings = _settings()
    store = _store(settings)
    for lang in langs or settings.languages:
        if lang not in settings.languages:
            raise click.UsageError(f"{lang} is not one of {', '.join(settings.languages)}")
        result = publish_language(store, settings, lang)
        store.mark_published(lang, result.article_ids)
        click.echo(f"{lang}: {len(result.article_ids)} entries, {len(result.written)} file(s) changed")


if __name__ == "__main__":
    main()
