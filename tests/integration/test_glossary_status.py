"""`syndicate status` tells the operator which glossary entries matched where (issue 14)."""

from __future__ import annotations

import json

ARTICLE = """30 Oct, 2020 06:15

The harbour authority bans e-scooters from the quay

Ships kept sailing on Friday while the wind rose over the bay. The Harbour Authorities' new rules
take effect next week, and riders of e-scooters face fines of up to 200 euros.

A spokesman said the quay would stay open to walkers and cyclists throughout the winter season.
"""

GLOSSARY = """[terms."Harbour Authority"]
ru = "Управление порта"
[terms."e-scooter"]
ru = "электросамокат"
ja = "電動キックボード"
[terms."Kuril Islands"]
ru = "Курильские острова"
"""


def test_status_shows_the_glossary_matches_of_each_translation(site, worker, tmp_path):
    (site.data_dir / "glossary.toml").write_text(GLOSSARY, "utf-8")
    path = tmp_path / "scooters.txt"
    path.write_text(ARTICLE, "utf-8")
    article_id = site.cli("submit", str(path)).stdout.decode().strip()
    assert site.cli("wait", article_id, "--timeout", "120").returncode == 0
    status = json.loads(site.cli("status", article_id, "--json").stdout)
    ru = [
        (m["entry"], m["seen"], m["segment"], m["paragraph"]) for m in status["languages"]["ru"]["glossary"]
    ]
    assert ru == [
        ("Harbour Authority", "harbour authority", 0, -1),
        ("e-scooter", "e-scooters", 0, -1),
        ("Harbour Authority", "Harbour Authorities'", 2, 0),
        ("e-scooter", "e-scooters", 2, 0),
    ]
    ja = [(m["entry"], m["seen"]) for m in status["languages"]["ja"]["glossary"]]
    assert ja == [("e-scooter", "e-scooters"), ("e-scooter", "e-scooters")]
    assert status["languages"]["en"]["glossary"] == []
    # "Kuril Islands" matched nothing: not an error, both languages are published.
    assert {lang: s["state"] for lang, s in status["languages"].items()} == {
        "en": "published", "ru": "published", "ja": "published",
    }  # fmt: skip
    text = site.cli("status", article_id).stdout.decode()
    assert "glossary 'Harbour Authority' as \"Harbour Authorities'\" in segment 2 (paragraph 1)" in text
    assert "glossary 'e-scooter' as 'e-scooters' in segment 0 (title)" in text
