"""What a fault test reports: of the articles submitted, how many every feed published, how many
were lost, and how many entries appear more than once. Read from the published Atom documents
(the main feed and every RFC 5005 archive page), as a subscriber would see them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from syndicate.config import Settings
from syndicate.model import entry_id

ATOM_ID = "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}id"


@dataclass(frozen=True)
class Tally:
    submitted: int
    published: int
    lost: int
    duplicated: int

    def __str__(self) -> str:
        return (
            f"submitted={self.submitted} published={self.published} "
            f"lost={self.lost} duplicated={self.duplicated}"
        )


def _ids(path: Path) -> list[str]:
    return [el.text for el in etree.parse(str(path)).getroot().iterfind(ATOM_ID)]


def tally(settings: Settings, article_ids: list[str]) -> Tally:
    """An article counts as published when every language's feeds carry it exactly once."""
    published, duplicated = set(article_ids), 0
    for lang in settings.languages:
        root = settings.feeds_dir / "feeds" / lang
        main = _ids(root / "atom.xml") if (root / "atom.xml").is_file() else []
        archived = Counter(i for page in sorted(root.glob("archive/*/atom.xml")) for i in _ids(page))
        in_main = Counter(main)
        # The main feed repeats the newest entries of the last archive page; within the main
        # feed, or across archive pages, an entry must appear once.
        duplicated += sum(n - 1 for n in archived.values()) + sum(n - 1 for n in in_main.values())
        present = set(archived) | set(in_main)
        published &= {a for a in article_ids if entry_id(a, lang) in present}
    return Tally(len(article_ids), len(published), len(article_ids) - len(published), duplicated)


def report(site, article_ids: list[str]) -> Tally:
    """Print what the subscriber sees and fail on anything lost or duplicated."""
    outcome = tally(site.settings, article_ids)
    print(outcome)
    assert outcome.lost == 0 and outcome.duplicated == 0, outcome
    return outcome
