"""A 430-word sentence through the whole service: submit, worker, gate, published feeds (issue 14).

THE DEMO MODELS' OUTPUT IS NOT A TRANSLATION; they copy digits, so every number of the list
must reach each language's feed when the sentence is not cut short.
"""

from __future__ import annotations

import re
from html import unescape

from syndicate.store import JobKey, Store
from tests.integration.accounting import report

WAREHOUSES = ("north", "south", "east", "west")


def test_a_430_word_list_sentence_is_published_whole_in_every_language(site, worker, tmp_path):
    items = [f"item number {i} from the {WAREHOUSES[i % 4]} warehouse" for i in range(1, 61)]
    sentence = "The inventory listed " + ", ".join(items) + ", and the rest of the stock."
    assert 420 <= len(sentence.split()) <= 440
    path = tmp_path / "inventory.txt"
    path.write_text(
        "12 May, 2020 10:00\n\nThe harbour warehouse inventory\n\n"
        f"The harbour authority published its yearly count on Tuesday.\n\n{sentence}\n"
    )
    submitted = site.cli("submit", str(path))
    assert submitted.returncode == 0, submitted.stderr
    article_id = submitted.stdout.decode().strip()
    waited = site.cli("wait", article_id, "--timeout", "180")
    assert waited.returncode == 0, waited.stdout.decode() + site.cli("status", article_id).stdout.decode()

    store = Store(site.settings.database_url)
    try:
        for lang in ("ru", "ja"):
            translation = store.translations.get(JobKey(article_id, 1, lang))
            text = translation.paragraphs[-1].text
            assert sorted(int(n) for n in re.findall(r"\d+", text)) == list(range(1, 61)), lang
            feed = unescape((site.settings.feeds_dir / "feeds" / lang / "atom.xml").read_text("utf-8"))
            assert all(str(n) in feed for n in range(1, 61))
            assert text.rstrip().endswith((".", "。"))  # the sentence's end came through (ja: 。)
    finally:
        store.close()
    # The worker says it split the sentence (INFO) instead of doing it silently.
    assert re.search(r"segment of \d+ tokens \(budget \d+\) translated in \d+ pieces", site.log("worker"))
    report(site, [article_id])
