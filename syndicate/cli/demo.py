"""`syndicate demo`: the whole service on sample articles, with demo models if need be."""

from __future__ import annotations

from pathlib import Path

import click

from syndicate import config
from syndicate.cli.app import dispatcher, main, open_store
from syndicate.cli.articles import wait
from syndicate.cli.processes import print_urls, run_stack, settings_for_port


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

    settings, port = settings_for_port(port)
    _ensure_models(settings)
    articles = sorted(
        str(p)
        for p in resources.files("syndicate.demo").joinpath("articles").iterdir()
        if p.name.endswith(".txt")
    )

    def after_start(_stack: object) -> None:
        from syndicate.submit import Outcome, sources, store_source

        store = open_store(settings)
        ids: list[str] = []
        stored: list[tuple[str, int]] = []
        for source in sources(articles, settings.max_input_bytes):
            # An input that could not be read is already a failed Outcome.
            outcome = source if isinstance(source, Outcome) else store_source(source, settings, store)
            if not outcome.ok:
                raise click.ClickException(f"{outcome.source}: {outcome.error}")
            assert outcome.article_id is not None and outcome.revision is not None
            ids.append(outcome.article_id)
            stored.append((outcome.article_id, outcome.revision))
            click.echo(f"submitted {Path(outcome.source).name} as {outcome.article_id}", err=True)
        if not dispatcher(settings).send_submitted(stored):
            raise click.ClickException("the stack's Redis is not reachable")
        ctx = click.get_current_context()
        try:
            ctx.invoke(wait, article_ids=tuple(ids), timeout=timeout, quiet=False)
        except SystemExit as exc:
            if exc.code:
                raise click.ClickException("the demo articles were not published") from None
        print_urls(settings)

    run_stack(settings, port, after_start, once=once)


def _ensure_models(settings: config.Settings) -> None:
    from syndicate.translation import demo as demo_models
    from syndicate.translation import packages

    for lang in settings.targets:
        if packages.find(settings.packages_dir, settings.source_lang, lang) is None:
            click.echo(f"no {settings.source_lang}->{lang} model installed: building a demo model…", err=True)
            build_dir = settings.data_dir / "demo-build"
            archive = demo_models.build_package(lang, build_dir, from_code=settings.source_lang)
            packages.install_file(archive, settings.packages_dir)
