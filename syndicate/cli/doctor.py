"""`syndicate doctor`: one line per thing the service needs, non-zero if one is missing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from syndicate.cli.app import (
    EXIT_FAILED,
    install_hint,
    load_settings,
    main,
    open_store,
)
from syndicate.config import Settings
from syndicate.model import JobState

# Free space under which `doctor` fails. An absolute floor, not a share of the disk: what the
# service needs does not grow with the disk (1% of 2 TB is 20 GB, plenty; 1% of 1 GB is 10 MB,
# not enough): Redis's AOF rewrite writes a second copy of its data, SQLite's WAL grows by
# megabytes between checkpoints, a publish rewrites a language's feeds and pages. When the disk
# fills, Redis refuses every write (MISCONF), nothing is queued or published, and workers wait.
MIN_FREE_BYTES = 100 * 1024 * 1024


def size_text(n: float) -> str:
    """``n`` bytes in binary units, one decimal: "0 B", "512 B", "3.2 MiB", "1.5 GiB"."""
    if n < 1024:
        return f"{n:.0f} B"
    for unit in ("KiB", "MiB", "GiB"):
        n /= 1024
        if n < 1024:
            return f"{n:.1f} {unit}"
    return f"{n / 1024:.1f} TiB"


def space_problem(free: int, minimum: int = MIN_FREE_BYTES) -> str | None:
    """Why ``free`` bytes are too few (under ``minimum`` bytes), in words for the operator; or None."""
    if free >= minimum:
        return None
    return (
        f"under {size_text(minimum)} free: when it fills, Redis refuses writes and nothing is "
        "queued or published until space is freed"
    )


def data_filesystems(settings: Settings) -> list[Path]:
    """One existing path per filesystem holding the data directory, the embedded Redis's AOF
    and a SQLite database (the nearest existing folder of each; several on one filesystem
    count once)."""
    wanted = [settings.data_dir, settings.redis_dir]
    if settings.database_url.startswith("sqlite:///"):
        wanted.append(Path(settings.database_url.removeprefix("sqlite:///")).parent)
    found: dict[int, Path] = {}
    for path in wanted:
        path = path.absolute()
        while not path.exists() and path != path.parent:
            path = path.parent
        found.setdefault(os.stat(path).st_dev, path)
    return list(found.values())


@main.command()
def doctor() -> None:
    """Check the database, Redis (reachable, taking writes), free disk space, the feeds directory,
    the models and network use; one line each.

    Disk fails under 100 MiB free on a filesystem holding the data directory, Redis's AOF or a
    SQLite database. Exit status 1 if any check fails.
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
    from workers.dispatch import redis_problem

    problem = redis_problem(settings)
    if problem is None:
        report(True, "redis", settings.redis_url)
    elif problem.startswith("not reachable"):
        report(False, "redis", f"{settings.redis_url} is not reachable; start `syndicate up`")
    else:
        report(False, "redis", f"{settings.redis_url} {problem}")
    for path in data_filesystems(settings):
        disk = os.statvfs(path)
        free, total = disk.f_bavail * disk.f_frsize, disk.f_blocks * disk.f_frsize
        low = space_problem(free)
        report(low is None, "disk", f"{path}: {size_text(free)} free of {size_text(total)}"
               + (f" ({low})" if low else ""))  # fmt: skip
    try:
        settings.feeds_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=settings.feeds_dir, prefix=".doctor-") as probe:
            probe.write(b"x")  # an empty file needs no free block: a full disk would pass
            probe.flush()
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
