"""`syndicate doctor`: one line per thing the service needs, non-zero if one is missing."""

from __future__ import annotations

import sys

import click

from syndicate.cli.app import (
    EXIT_FAILED,
    dispatcher,
    install_hint,
    load_settings,
    main,
    open_store,
)
from syndicate.model import JobState


@main.command()
def doctor() -> None:
    """Check Redis, the database, the feeds directory, the models and network use; one line each.

    Exit status 1 if any check fails.
    """
    import tempfile
    from urllib.parse import urlsplit

    from syndicate.translation import packages

    settings = load_settings()
    failures = 0

    def report(ok: bool, name: str, detail: str) -> None:
        nonlocal failures
        failures += not ok
        click.echo(f"{'ok  ' if ok else 'FAIL'} {name:<9} {detail}")

    waiting: dict[str, int] = {}
    try:
        from syndicate.store import migrate

        store = open_store(settings)
        report(True, "database", f"{store.engine.url.render_as_string(hide_password=True)}: "
               f"{store.articles.count()} articles, schema {migrate.current(store.engine)}")  # fmt: skip
        counts = store.counts.jobs().items()
        waiting = {lang: n for (lang, state), n in counts if state == JobState.WAITING_FOR_MODEL}
    except Exception as exc:  # any driver error is the answer here
        report(False, "database", f"{settings.database_url}: {exc}".splitlines()[0])
    reachable = dispatcher(settings).reachable()
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
                f"no {settings.source_lang}->{lang} package in {settings.packages_dir}"
                + (f"; {waiting[lang]} job(s) waiting-for-model" if waiting.get(lang) else "")
                + f"; install: {install_hint(settings, [lang])}",
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
