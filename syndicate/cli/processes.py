"""Commands that run the service: worker, serve, up, sweep."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from syndicate import config
from syndicate.cli.app import (
    DEMO_WARNING,
    SWEEP_EVERY_S,
    demo_packages_in_use,
    install_hint,
    load_settings,
    main,
    missing_models,
    open_store,
)

if TYPE_CHECKING:
    from syndicate.stack import Stack
    from syndicate.store import Store


def checked_settings() -> config.Settings:
    """The settings, refused in one line when the timeouts would let a task run twice."""
    settings = load_settings()  # first: importing workers.app reads the configuration itself
    from workers.app import timeout_problem

    problem = timeout_problem(settings)
    if problem:
        raise click.ClickException(f"configuration: {problem}")
    return settings


@main.command()
@click.option("--concurrency", "-c", type=int, default=None, help="Worker processes (default: config).")
@click.option(
    "--queues", "-Q", default=None, help="Comma-separated queues (default: every target and publish)."
)
@click.option("--loglevel", default="INFO", show_default=True)
def worker(concurrency: int | None, queues: str | None, loglevel: str) -> None:
    """Run a Celery worker that translates and publishes.

    Every worker also looks for jobs whose worker died (expired leases) every 10 s and sends
    them again.
    """
    settings = checked_settings()
    import os

    from syndicate.sending import queues as all_queues
    from workers.app import app

    queue_list = queues or ",".join(all_queues(settings.targets))
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


def _metrics_renderer(settings: config.Settings) -> Callable[[], bytes]:
    """/metrics: job states from the database, queue depths and worker figures from Redis.

    Returns a function giving the Prometheus text exposition of one scrape, as bytes.
    """
    from prometheus_client import CollectorRegistry, generate_latest

    from syndicate.metrics import ServiceCollector

    registry = CollectorRegistry()
    registry.register(ServiceCollector(settings, lambda: open_store(settings)))
    return lambda: generate_latest(registry)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", "-p", type=int, default=None, help="Port (default: SYNDICATE_PORT or 8080).")
def serve(host: str, port: int | None) -> None:
    """Serve the feeds and pages over HTTP (ETag, Last-Modified, 304, gzip, HEAD).

    Also serves Prometheus metrics at /metrics: jobs by language and state, queue depths,
    translation and publish times, sentences translated and translation-memory hits.
    """
    settings = load_settings()
    from feeds.server import make_server
    from syndicate import logs

    logs.configure(settings.log_format)

    port = port or settings.port
    try:
        server = make_server(settings.feeds_dir, host, port, metrics=_metrics_renderer(settings))
    except OSError as exc:  # e.g. the port is taken: one line (`up` restarts us and says so)
        raise click.ClickException(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
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
    A child that dies is restarted (after 0.5 s, doubling up to 10 s), saying so here and in
    logs/up.log; `up` gives up, exiting 1, only when one dies after more than 5 restarts in
    5 minutes. Ctrl-C stops all of it; if `up` itself dies, its children end with it.
    `up` submits nothing by itself.
    """
    settings, port = settings_for_port(port)
    run_stack(settings, port, lambda stack: print_urls(settings), once=False)


def settings_for_port(port: int | None) -> tuple[config.Settings, int]:
    """(checked settings, the TCP port to serve on). A given ``port`` is first set as SYNDICATE_PORT
    in os.environ, so the settings (the default base URL too) follow it. Raises ClickException
    for a bad configuration."""
    import os

    if port is not None:
        os.environ["SYNDICATE_PORT"] = str(port)
    settings = checked_settings()
    return settings, settings.port


def print_urls(settings: config.Settings) -> None:
    """Print the URL of every language's feed in every format, then the source language's pages."""
    from feeds.document import FORMATS, feed_url

    click.echo("Feeds:")
    for lang in settings.languages:
        for fmt in FORMATS:
            click.echo(f"  {feed_url(settings.base_url, lang, fmt)}")
    click.echo(f"Pages: {settings.base_url}/{settings.source_lang}/")


def run_stack(settings: config.Settings, port: int, after_start: Callable[[Stack], None], once: bool) -> None:
    """Start the stack on ``port``, sweep once, call ``after_start(stack)``, then (unless
    ``once``) until Ctrl-C or SIGTERM: restart any child that died (saying so) and sweep every
    SWEEP_EVERY_S seconds; stop the stack in every case.

    Raises click.ClickException, in one line, when the stack cannot start or a child is in a
    crash loop (more than 5 restarts in 5 minutes).
    """
    from syndicate.stack import CrashLoop, Stack, StackError

    stack = Stack(settings, port)
    stopping = {"flag": False}

    def _stop(*_: object) -> None:
        stopping["flag"] = True

    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        stack.start()
    except StackError as exc:
        signal.signal(signal.SIGTERM, previous)
        raise click.ClickException(str(exc)) from None
    try:
        for note in stack.notes:
            click.echo(note, err=True)
        click.echo(f"stack running: data in {settings.data_dir}, logs in {stack.logs_dir}", err=True)
        store = open_store(settings)
        _sweep_in_stack(settings, store, min_age_s=0)
        if demo_packages_in_use(settings):
            click.echo(DEMO_WARNING, err=True)
        missing = missing_models(settings)
        if missing:
            click.echo(
                f"no model for {', '.join(missing)}: articles wait (waiting-for-model) until one is "
                f"installed, then resume by themselves. Install: {install_hint(settings, missing)}",
                err=True,
            )
        after_start(stack)
        if once:
            return
        click.echo("Ctrl-C to stop.", err=True)
        last_sweep = time.monotonic()
        while not stopping["flag"]:
            try:
                for line in stack.supervise():
                    click.echo(line, err=True)
            except CrashLoop as exc:
                raise click.ClickException(str(exc)) from None
            if time.monotonic() - last_sweep > SWEEP_EVERY_S:
                _sweep_in_stack(settings, store, min_age_s=SWEEP_EVERY_S)
                last_sweep = time.monotonic()
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        click.echo("stopping…", err=True)
        stack.stop()
        signal.signal(signal.SIGTERM, previous)


def _sweep_in_stack(settings: config.Settings, store: Store, min_age_s: float) -> None:
    """Sweep once in `up`'s own loop; a sweep that fails is said in one line and tried again at
    the next round, so the sweeper never stops the stack."""
    try:
        said = _sweep(settings, store, min_age_s)
    except SweepFailed as exc:  # Redis down: the stack restarts it; keep serving meanwhile
        said = f"sweep skipped: {exc}"
    except Exception as exc:  # anything else: the next round tries again
        said = f"sweep failed, trying again in {SWEEP_EVERY_S} s: {type(exc).__name__}: {exc}"
    if said:
        click.echo(said, err=True)


def _sweep(settings: config.Settings, store: Store, min_age_s: float = 0) -> str:
    """Send again the jobs the database says are due but Redis does not carry; say what was done.

    Raises SweepFailed with one line when Redis or the database cannot be reached.
    """
    from datetime import timedelta

    import redis

    from syndicate.store.errors import UNAVAILABLE, describe
    from workers.sweeper import sweep as run_sweep

    try:
        swept = run_sweep(settings, store, timedelta(seconds=min_age_s))
    except redis.RedisError as exc:
        raise SweepFailed(f"Redis unreachable at {settings.redis_url}: {exc}") from None
    except UNAVAILABLE as exc:
        raise SweepFailed(describe(exc)) from None
    unreviewed = (
        f"published {swept.unreviewed} translation(s) without review: their grace period ran out"
        if swept.unreviewed
        else ""
    )
    if not (swept.translations or swept.publishes):
        return unreviewed
    said = (
        f"re-sent {swept.translations} unfinished job(s) and {swept.publishes} publish(es) from the database"
    )
    details = [f"{n} {what}" for n, what in ((swept.expired, "whose worker stopped"),
                                              (swept.resumed, "that waited for a model")) if n]  # fmt: skip
    said += f" ({', '.join(details)})" if details else ""
    return f"{said}; {unreviewed}" if unreviewed else said


class SweepFailed(RuntimeError):
    """A sweep could not read the database or reach Redis; nothing was sent."""


@main.command()
@click.option("--every", type=float, default=0, help="Repeat every this many seconds (0: once).")
@click.option(
    "--min-age", type=float, default=120, show_default=True, help="Only jobs waiting this long (s)."
)
def sweep(every: float, min_age: float) -> None:
    """Re-send work the database says is due but Redis lost (e.g. Redis was down at submit).

    A language is only swept when its queue is empty, so a backlog is never flooded.
    """
    settings = load_settings()
    store = open_store(settings)
    if not every:
        try:
            said = _sweep(settings, store, min_age)
        except SweepFailed as exc:
            raise click.ClickException(f"sweep: {exc}") from None
        if said:
            click.echo(said, err=True)
        return
    # Repeating (compose runs it so): log lines, in JSON if asked, and an outage of Redis or the
    # database is waited out rather than ending the sweeper.
    import logging

    from syndicate import logs

    logs.configure(settings.log_format)
    log = logging.getLogger("syndicate.sweep")
    while True:
        try:
            said = _sweep(settings, store, min_age)
            if said:
                log.info("%s", said)
        except SweepFailed as exc:
            log.warning("sweep skipped: %s", exc)
        time.sleep(every)
