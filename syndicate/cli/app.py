"""The `syndicate` command.

Exit status: 0 success, 1 failure (a failed job, a stack that will not start), 2 bad input or
usage, 3 timeout. Every command has --help; commands that report take --json.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime

import click

from syndicate import config

EXIT_FAILED, EXIT_BAD_INPUT, EXIT_TIMEOUT = 1, 2, 3
SWEEP_EVERY_S = 60
DEMO_WARNING = (
    "NOTE: demo translation models are installed. Their output is NOT a translation; "
    "install real ones with `syndicate models install en ru` (and en ja)."
)


def load_settings() -> config.Settings:
    try:
        return config.load()
    except config.ConfigError as exc:
        raise click.ClickException(f"configuration: {exc}") from None


def open_store(settings: config.Settings):
    from syndicate.store import Store

    return Store(settings.database_url, busy_timeout_s=settings.database_busy_timeout)


def echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def demo_packages_in_use(settings: config.Settings) -> bool:
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


def resolve_article(store, article_id: str) -> str:
    full = store.resolve_id(article_id)
    if full is None:
        click.echo(f"syndicate: no article {article_id!r}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    return full
