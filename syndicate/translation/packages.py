"""The Argos package registry: what is installed, installing from a file or the official index.

Packages are read and installed with argostranslate's own package code, so official packages
and the project's demo packages go through the same path. argostranslate reads its settings
(ARGOS_PACKAGES_DIR among them) once at import: ``use_packages_dir`` must run first.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypedDict

if TYPE_CHECKING:
    from packaging.version import Version

# Metadata key that marks a package built by syndicate.translation.demo: not a translation model.
DEMO_KEY: Final = "syndicate_demo"
INDEX_TIMEOUT_S = 10
# The official index as saved in this package (MIT; source, commit and date in its .LICENSE).
SAVED_INDEX: Final = "argos-index.json"
SAVED_INDEX_DATE: Final = "2026-11-29"


class PackageError(RuntimeError):
    """A package is missing, invalid, or cannot be fetched."""


class PackageMetadata(TypedDict, total=False):
    """An Argos package's ``metadata.json``: the keys read here (argostranslate reads more).

    Only ``from_code`` and ``to_code`` (ISO 639-1) are required, checked by :func:`_read` and
    :func:`validate_archive`; ``syndicate_demo`` (DEMO_KEY) marks this project's demo packages.
    """

    package_version: str
    argos_version: str
    from_code: str
    from_name: str
    to_code: str
    to_name: str
    name: str
    syndicate_demo: bool


class IndexEntry(PackageMetadata, total=False):
    """One package in the Argos index (``argostranslate.settings.remote_package_index``)."""

    code: str  # e.g. "translate-en_ru"
    links: list[str]  # download URLs of the .argosmodel, in preference order


def saved_index() -> list[IndexEntry]:
    """The official Argos package index as saved in this package (SAVED_INDEX, of
    SAVED_INDEX_DATE): entries with from_code and to_code, sorted by them and then by
    ``package_version``, newest first. Entries without both codes are dropped: the listing
    never shows a package nobody can ask for. Raises OSError or ValueError only for a broken
    install of syndicate itself."""
    text = resources.files("syndicate.translation").joinpath(SAVED_INDEX).read_text("utf-8")
    entries: list[IndexEntry] = [e for e in json.loads(text) if e.get("from_code") and e.get("to_code")]
    entries.sort(key=lambda e: _version_key(str(e.get("package_version", ""))), reverse=True)
    entries.sort(key=lambda e: (e["from_code"], e["to_code"]))
    return entries


@dataclass(frozen=True)
class InstalledPackage:
    """A package unpacked under the packages directory, as read from its metadata.json.

    ``path`` is the package's folder; ``version`` its ``package_version`` ("unknown" when
    absent); ``demo`` is True for packages built by :mod:`syndicate.translation.demo`, whose
    output is not a translation.
    """

    path: Path
    from_code: str
    to_code: str
    name: str
    version: str
    demo: bool

    @property
    def model_dir(self) -> Path:
        """The CTranslate2 model folder (``model.bin`` and vocabularies)."""
        return self.path / "model"


def use_packages_dir(path: Path) -> None:
    """Point argostranslate at our packages directory; must precede its first import."""
    path.mkdir(parents=True, exist_ok=True)
    os.environ["ARGOS_PACKAGES_DIR"] = str(path)
    # Keep argostranslate's own defaults off the network and off the GPU.
    os.environ.setdefault("ARGOS_DEVICE_TYPE", "cpu")


def _read(path: Path) -> InstalledPackage | None:
    """The package in folder ``path``; None when its metadata.json is missing, unreadable, not
    JSON, or lacks from_code/to_code."""
    meta_path = path / "metadata.json"
    if not meta_path.is_file():
        return None
    try:
        meta: PackageMetadata = json.loads(meta_path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    if not meta.get("from_code") or not meta.get("to_code"):
        return None
    return InstalledPackage(
        path=path,
        from_code=meta["from_code"],
        to_code=meta["to_code"],
        name=meta.get("name") or f"argos-translate {meta['from_code']}->{meta['to_code']}",
        version=str(meta.get("package_version") or "unknown"),
        demo=bool(meta.get(DEMO_KEY)),
    )


def installed(packages_dir: Path) -> list[InstalledPackage]:
    """Every readable package under ``packages_dir``, by folder name; folders that are not
    packages are skipped, and a missing directory holds none."""
    if not packages_dir.is_dir():
        return []
    found = (_read(p) for p in sorted(packages_dir.iterdir()) if p.is_dir())
    return [p for p in found if p is not None]


def find(packages_dir: Path, from_code: str, to_code: str) -> InstalledPackage | None:
    """The installed package for a pair; the newest version if several are installed."""
    matches = [p for p in installed(packages_dir) if (p.from_code, p.to_code) == (from_code, to_code)]
    if not matches:
        return None
    return max(matches, key=lambda p: _version_key(p.version))


def _version_key(version: str) -> tuple[int, Version | str]:
    """Sort key: PEP 440 versions in version order, above any version that is not PEP 440."""
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def validate_archive(archive: Path) -> PackageMetadata:
    """Check an .argosmodel before unpacking it: one top folder, metadata, model and tokenizer.

    An .argosmodel is a zip archive of one folder holding ``metadata.json``, ``model/model.bin``
    and ``sentencepiece.model`` or ``bpe.model`` (the layout argostranslate installs). Returns
    the metadata. Raises PackageError for anything else, for an absolute or ``..`` member path
    (zip slip), and for metadata that is not JSON or lacks from_code/to_code.
    """
    try:
        with zipfile.ZipFile(archive) as zf:
            names = zf.namelist()
            tops = {n.split("/", 1)[0] for n in names if n.strip("/")}
            if len(tops) != 1:
                raise PackageError(
                    f"{archive.name}: must hold exactly one top-level folder, found {len(tops)}"
                )
            top = tops.pop()
            required = [f"{top}/metadata.json", f"{top}/model/model.bin"]
            missing = [r for r in required if r not in names]
            if missing:
                raise PackageError(f"{archive.name}: missing {', '.join(missing)}")
            if f"{top}/sentencepiece.model" not in names and f"{top}/bpe.model" not in names:
                raise PackageError(f"{archive.name}: no sentencepiece.model or bpe.model")
            for name in names:
                if name.startswith("/") or ".." in Path(name).parts:
                    raise PackageError(f"{archive.name}: unsafe path {name!r}")
            meta: PackageMetadata = json.loads(zf.read(f"{top}/metadata.json"))
    except zipfile.BadZipFile:
        raise PackageError(f"{archive.name}: not a zip archive (.argosmodel)") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise PackageError(f"{archive.name}: metadata.json is not valid JSON") from None
    if not meta.get("from_code") or not meta.get("to_code"):
        raise PackageError(f"{archive.name}: metadata.json lacks from_code/to_code")
    return meta


def install_file(archive: Path, packages_dir: Path) -> InstalledPackage:
    """Install an .argosmodel atomically: unpack beside the packages folder, then rename in.

    argostranslate's own installer unpacks in place, so a crash leaves a half-written package
    that breaks listing for every package; a rename is all or nothing. A package with the same
    folder name is replaced. Returns the installed package. Raises PackageError (see
    :func:`validate_archive`, or metadata that cannot be read back) and OSError.
    """
    meta = validate_archive(archive)
    packages_dir.mkdir(parents=True, exist_ok=True)
    staging_root = packages_dir.parent / ".packages-staging"
    staging_root.mkdir(exist_ok=True)
    # Two installs of one package at once (two `models demo`) take turns at the swap.
    with (
        open(staging_root / ".install.lock", "a") as lock,
        tempfile.TemporaryDirectory(dir=staging_root) as staging,
    ):
        fcntl.flock(lock, fcntl.LOCK_EX)
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(staging)
        (top,) = [p for p in Path(staging).iterdir() if p.is_dir()]
        target = packages_dir / top.name
        if target.exists():
            old = Path(staging) / ".replaced"
            target.rename(old)
        top.rename(target)
        package = _read(target)  # before another install may swap it
    if package is None:
        raise PackageError(f"{archive.name}: installed, but its metadata cannot be read")
    if (package.from_code, package.to_code) != (meta["from_code"], meta["to_code"]):
        raise PackageError(f"{archive.name}: metadata changed during install")
    return package


def install_from_index(
    packages_dir: Path,
    from_code: str,
    to_code: str,
    progress: Callable[[int, int], None] | None = None,
) -> InstalledPackage:
    """Download and install the official package for a pair.

    argostranslate's own index code recurses until RecursionError when offline; we fetch the
    index ourselves with a timeout (INDEX_TIMEOUT_S seconds) so an air-gapped machine fails fast
    with a clear message. The newest version of the pair is taken, from its first link.
    ``progress(done, total)`` is called with bytes downloaded and the Content-Length (0 when
    unknown). Raises PackageError when the index cannot be read, has no such package or link,
    or the download fails, and whatever :func:`install_file` raises.
    """
    use_packages_dir(packages_dir)
    from argostranslate import settings as argos_settings

    index_url = argos_settings.remote_package_index
    try:
        with urllib.request.urlopen(index_url, timeout=INDEX_TIMEOUT_S) as resp:
            index: list[IndexEntry] = json.load(resp)
    except (urllib.error.URLError, OSError, TimeoutError, json.JSONDecodeError) as exc:
        raise PackageError(
            f"cannot reach the Argos package index ({exc}); on an offline machine, copy the "
            f".argosmodel file here and run: syndicate models install PATH.argosmodel "
            f"(`syndicate models list --available` shows the saved index and its links)"
        ) from None
    candidates = [p for p in index if p.get("from_code") == from_code and p.get("to_code") == to_code]
    if not candidates:
        raise PackageError(f"the Argos index has no {from_code}->{to_code} package")
    entry = max(candidates, key=lambda p: _version_key(str(p.get("package_version", ""))))
    links = entry.get("links") or []
    if not links:
        raise PackageError(f"the Argos index lists no download link for {from_code}->{to_code}")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"{from_code}_{to_code}.argosmodel"
        _download(links[0], target, progress)
        return install_file(target, packages_dir)


def _download(url: str, target: Path, progress: Callable[[int, int], None] | None) -> None:
    """Stream ``url`` to ``target`` in 1 MiB chunks (60 s timeout per read). Raises PackageError."""
    try:
        with urllib.request.urlopen(url, timeout=60) as resp, target.open("wb") as out:
            total = int(resp.headers.get("Content-Length") or 0)
            done = 0
            while chunk := resp.read(1 << 20):
                out.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise PackageError(f"download failed: {exc}") from None


def remove(package: InstalledPackage) -> None:
    """Delete an installed package's folder. Raises OSError."""
    shutil.rmtree(package.path)
