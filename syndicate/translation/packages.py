"""The Argos package registry: what is installed, installing from a file or the official index.

Packages are read and installed with argostranslate's own package code, so official packages
and the project's demo packages go through the same path. argostranslate reads its settings
(ARGOS_PACKAGES_DIR among them) once at import: ``use_packages_dir`` must run first.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Metadata key that marks a package built by syndicate.translation.demo: not a translation model.
DEMO_KEY = "syndicate_demo"
INDEX_TIMEOUT_S = 10


class PackageError(RuntimeError):
    """A package is missing, invalid, or cannot be fetched."""


@dataclass(frozen=True)
class InstalledPackage:
    path: Path
    from_code: str
    to_code: str
    name: str
    version: str
    demo: bool

    @property
    def model_dir(self) -> Path:
        return self.path / "model"


def use_packages_dir(path: Path) -> None:
    """Point argostranslate at our packages directory; must precede its first import."""
    path.mkdir(parents=True, exist_ok=True)
    os.environ["ARGOS_PACKAGES_DIR"] = str(path)
    # Keep argostranslate's own defaults off the network and off the GPU.
    os.environ.setdefault("ARGOS_DEVICE_TYPE", "cpu")


def _read(path: Path) -> InstalledPackage | None:
    meta_path = path / "metadata.json"
    if not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
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


def _version_key(version: str) -> tuple:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def validate_archive(archive: Path) -> dict:
    """Check an .argosmodel before unpacking it: one top folder, metadata, model and tokenizer."""
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
            meta = json.loads(zf.read(f"{top}/metadata.json"))
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
    that breaks listing for every package; a rename is all or nothing.
    """
    meta = validate_archive(archive)
    packages_dir.mkdir(parents=True, exist_ok=True)
    staging_root = packages_dir.parent / ".packages-staging"
    staging_root.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=staging_root) as staging:
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(staging)
        (top,) = [p for p in Path(staging).iterdir() if p.is_dir()]
        target = packages_dir / top.name
        if target.exists():
            old = Path(staging) / ".replaced"
            target.rename(old)
        top.rename(target)
    package = _read(target)
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
    index ourselves with a timeout so an air-gapped machine fails fast with a clear message.
    """
    use_packages_dir(packages_dir)
    from argostranslate import settings as argos_settings

    index_url = argos_settings.remote_package_index
    try:
        with urllib.request.urlopen(index_url, timeout=INDEX_TIMEOUT_S) as resp:
            index = json.load(resp)
    except (urllib.error.URLError, OSError, TimeoutError, json.JSONDecodeError) as exc:
        raise PackageError(
            f"cannot reach the Argos package index ({exc}); on an offline machine, copy the "
            f".argosmodel file here and run: syndicate models install PATH.argosmodel"
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
    shutil.rmtree(package.path)
