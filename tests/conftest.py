"""Shared fixtures. Demo packages are built once per session (about 2 s each)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from syndicate.translation import demo, packages

TESTDATA = Path(__file__).parent / "testdata"
ARTICLES = TESTDATA / "articles"


def write_articles(directory: Path, count: int) -> list[Path]:
    """``count`` distinct articles in the scrape format, each a variation of a real test article
    (its own title, date and figures), for tests that need many."""
    template = (ARTICLES / "storm-warning-2020.txt").read_text()
    title = "Coastal towns prepare for the strongest storm in a decade"
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        text = template.replace(title, f"Coastal towns prepare for storm number {n + 1}")
        text = text.replace("30 Oct, 2020 06:15", f"30 Oct, 2020 {n // 60 % 24:02d}:{n % 60:02d}")
        text = text.replace("14 towns", f"{n + 2} towns")
        path = directory / f"storm-{n + 1:04d}.txt"
        path.write_text(text)
        paths.append(path)
    return paths


SUBJECTS = (
    "The city council",
    "A group of engineers",
    "The regional museum",
    "Local fishermen",
    "The harbour authority",
    "Farmers in the valley",
    "The national weather service",
    "Volunteers from the school",
    "The railway company",
    "Doctors at the hospital",
    "The mayor",
    "Residents of the old town",
    "A team of scientists",
    "The ferry operator",
)
VERBS = (
    "opened",
    "inspected",
    "repaired",
    "announced plans for",
    "voted to close",
    "rebuilt",
    "criticised",
    "studied",
    "cleaned",
    "expanded",
    "painted",
    "reopened",
    "measured",
)
OBJECTS = (
    "the northern bridge",
    "a new library",
    "the flooded road",
    "the fish market",
    "the old lighthouse",
    "a solar farm",
    "the mountain railway",
    "the children's hospital",
    "the river embankment",
    "a public garden",
    "the tram depot",
    "the concert hall",
)
WHEN = (
    "on Monday",
    "last week",
    "after the storm",
    "before the holidays",
    "this morning",
    "in the spring",
    "at the end of the month",
    "despite the rain",
    "for the first time",
)


def write_varied_articles(directory: Path, count: int, seed: int = 7) -> list[Path]:
    """``count`` articles in the scrape format made of distinct English sentences (few repeat
    across articles, so the translation memory does not do the work), for load tests."""
    import random

    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)

    def sentence() -> str:
        return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(WHEN)}."

    paths = []
    for n in range(count):
        title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}, report {n + 1}"
        day = 1 + n % 28
        paragraphs = [" ".join(sentence() for _ in range(2)) for _ in range(6)]
        text = f"{day} Oct, 2020 {n // 60 % 24:02d}:{n % 60:02d}\n\n{title}\n\n" + "\n\n".join(paragraphs)
        path = directory / f"report-{n + 1:04d}.txt"
        path.write_text(text + "\n")
        paths.append(path)
    return paths


@pytest.fixture(scope="session")
def demo_archives(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("demo-archives")
    return {lang: demo.build_package(lang, out) for lang in ("ru", "ja")}


@pytest.fixture
def data_dir():
    """A short data directory: the embedded Redis socket path must fit in 100 bytes."""
    path = Path(tempfile.mkdtemp(prefix="syn-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def installed_packages(data_dir, demo_archives) -> Path:
    packages_dir = data_dir / "argos-packages"
    for archive in demo_archives.values():
        packages.install_file(archive, packages_dir)
    return packages_dir


@pytest.fixture
def env(data_dir, monkeypatch) -> dict[str, str]:
    """A clean SYNDICATE_* environment pointing at ``data_dir``."""
    for key in list(os.environ):
        if key.startswith("SYNDICATE_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("SYNDICATE_DATA_DIR", str(data_dir))
    return {"SYNDICATE_DATA_DIR": str(data_dir)}


POSTGRES_URL = os.environ.get("SYNDICATE_TEST_POSTGRES_URL")


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """Each store test runs on SQLite and on a real PostgreSQL (.ci/run starts one and sets
    SYNDICATE_TEST_POSTGRES_URL; without it the PostgreSQL run is skipped, saying so)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    if not POSTGRES_URL:
        pytest.skip("SYNDICATE_TEST_POSTGRES_URL is not set (.ci/run starts PostgreSQL and sets it)")
    _reset_postgres(POSTGRES_URL)
    return POSTGRES_URL
