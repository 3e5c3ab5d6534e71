"""`syndicate models`: list, install and build translation packages."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from syndicate.cli.app import (
    DEMO_WARNING,
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    dispatcher,
    echo_json,
    load_settings,
    main,
    open_store,
)
from syndicate.config import Settings

if TYPE_CHECKING:
    from syndicate.translation.packages import InstalledPackage


def _resume(settings: Settings, langs: list[str]) -> None:
    """Jobs that waited for these languages' models are queued and sent now."""
    from syndicate import lifecycle

    resumed = lifecycle.resume_waiting(open_store(settings), langs, dispatcher(settings))
    if resumed:
        click.echo(f"resumed {len(resumed)} job(s) that waited for a model", err=True)


@main.group()
def models() -> None:
    """List and install Argos Translate packages."""


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the packages as JSON.")
@click.option("--available", is_flag=True, help="List the official packages (saved index; no network).")
def models_list(as_json: bool, available: bool) -> None:
    """List installed packages and whether each target language has one."""
    from syndicate.translation import packages

    settings = load_settings()
    found = packages.installed(settings.packages_dir)
    if available:
        _list_available(found, as_json)
        return
    if as_json:
        echo_json([p.__dict__ for p in found])
        return
    for p in found:
        demo_note = "  DEMO: output is not a translation" if p.demo else ""
        click.echo(f"{p.from_code}->{p.to_code}  {p.name}  {p.version}  {p.path}{demo_note}")
    for lang in settings.targets:
        if packages.find(settings.packages_dir, settings.source_lang, lang) is None:
            click.echo(f"missing: {settings.source_lang}->{lang}", err=True)


def _list_available(found: list[InstalledPackage], as_json: bool) -> None:
    """The saved official index, each entry with the installed version of its pair (or None)."""
    from syndicate.translation import packages

    have = {(p.from_code, p.to_code): p.version for p in found}
    rows: list[dict[str, Any]] = [
        {**e, "installed": have.get((e["from_code"], e["to_code"]))} for e in packages.saved_index()
    ]
    if as_json:
        echo_json(rows)
        return
    click.echo(f"the official Argos index as saved on {packages.SAVED_INDEX_DATE} (not fetched)", err=True)
    for row in rows:
        mark = f"  installed {row['installed']}" if row["installed"] else ""
        link = (row.get("links") or ["(no link)"])[0]
        click.echo(f"{row['from_code']}->{row['to_code']}  {row.get('from_name', '')} -> "
                   f"{row.get('to_name', '')}  {row.get('package_version', '?')}  {link}{mark}")  # fmt: skip


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

    settings = load_settings()
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
    click.echo("workers load it at their next job; one that loaded an older version keeps it until restarted",
               err=True)  # fmt: skip
    if installed.from_code == settings.source_lang:
        _resume(settings, [installed.to_code])


@models.command("demo")
@click.option("--force", is_flag=True, help="Rebuild and reinstall even if a package is installed.")
def models_demo(force: bool) -> None:
    """Build and install tiny demo packages offline. Their output is NOT a translation."""
    from syndicate.translation import demo as demo_models
    from syndicate.translation import packages

    settings = load_settings()
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
    _resume(settings, list(settings.targets))
