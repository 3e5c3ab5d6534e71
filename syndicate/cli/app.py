"""The `syndicate` command.

Exit status: 0 success, 1 failure (a failed job, a stack that will not start), 2 bad input or
usage, 3 timeout. Every command has --help; commands that report take --json.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any, NoReturn

import click

from syndicate import config

if TYPE_CHECKING:
    from syndicate.store import Store
    from workers.dispatch import Dispatcher

EXIT_FAILED, EXIT_BAD_INPUT, EXIT_TIMEOUT = 1, 2, 3
SWEEP_EVERY_S = 60
DEMO_WARNING = (
    "NOTE: demo translation models are installed. Their output is NOT a translation; "
    "install real ones with `syndicate models install en ru` (and en ja)."
)


def load_settings() -> config.Settings:
    """The settings (:func:`config.load`); a ConfigError becomes a one-line ClickException (exit 1).

    Also creates the data directory (mode 0711) if it is missing and takes group and other
    permissions off what syndicate keeps in it (:func:`syndicate.filemodes.prepare_data_dir`).
    """
    from syndicate import filemodes

    try:
        settings = config.load()
    except config.ConfigError as exc:
        raise click.ClickException(f"configuration: {exc}") from None
    filemodes.prepare_data_dir(settings.data_dir, settings.database_url)
    return settings


def open_store(settings: config.Settings) -> Store:
    """The store at ``settings.database_url``, migrated to the newest schema; SQLite writes wait
    up to ``database_busy_timeout`` seconds for a lock. Database errors propagate."""
    from syndicate.store import Store

    return Store(settings.database_url, busy_timeout_s=settings.database_busy_timeout)


def dispatcher(settings: config.Settings) -> Dispatcher:
    """What sends work to the workers (workers/dispatch.py), for the commands that send."""
    from workers.dispatch import Dispatcher

    return Dispatcher(settings)


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON, non-ASCII as is; datetimes as ISO 8601, other values
    json cannot encode as ``str()``."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def demo_packages_in_use(settings: config.Settings) -> bool:
    """Whether the package that would translate any target language is a demo one (not a translation)."""
    from syndicate.translation import packages

    for lang in settings.targets:
        found = packages.find(settings.packages_dir, settings.source_lang, lang)
        if found is not None and found.demo:
            return True
    return False


def missing_models(settings: config.Settings) -> list[str]:
    """Target languages with no installed model."""
    from syndicate.translation import packages

    return [
        lang
        for lang in settings.targets
        if packages.find(settings.packages_dir, settings.source_lang, lang) is None
    ]


def install_hint(settings: config.Settings, langs: list[str]) -> str:
    """The exact commands that install models for ``langs``."""
    real = "; ".join(f"syndicate models install {settings.source_lang} {lang}" for lang in langs)
    return (
        f"{real} (needs the network), or `syndicate models demo` for offline demo models (not a translation)"
    )


class Commands(click.Group):
    """Turns a database that is locked, full or down into one line and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a database error in store.errors.UNAVAILABLE becomes a ClickException
        with :func:`~syndicate.store.errors.describe`'s line. Other exceptions propagate."""
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
    # Unpublished articles are confidential: whatever this command and the processes it starts
    # create (database, logs, Redis AOF, packages) is its owner's only; public/ is opened up
    # explicitly where it is written (syndicate/filemodes.py).
    from syndicate import filemodes

    filemodes.private_umask()


def resolve_article(store: Store, article_id: str) -> str:
    """The full id of an article given by id or unambiguous prefix; exits 2 if there is none."""
    full = store.articles.resolve_id(article_id)
    if full is None:
        fail(f"no article {article_id!r}", EXIT_BAD_INPUT)
    return full


def fail(message: str, status: int = EXIT_FAILED) -> NoReturn:
    """One line on stderr, then exit with ``status``."""
    click.echo(f"syndicate: {message}", err=True)
    sys.exit(status)
