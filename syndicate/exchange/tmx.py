"""TMX 1.4b (LISA/GALA Translation Memory eXchange): translation memory entries.

translate-toolkit (translate.storage.tmx) reads and writes the XML. Each ``<tu>`` carries the
entry's dates as ``creationdate``/``changedate`` (TMX 1.4 section 3.1: ``YYYYMMDDThhmmssZ``,
UTC) and what this service knows of its origin as ``<prop>`` elements of its own types
(``x-origin``: human or machine; ``x-model`` and ``x-model-version`` for a machine entry;
TMX 1.4 reserves ``x-`` types for tools).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from lxml import etree
from translate.misc.xml_helpers import getText, getXMLlang
from translate.storage import tmx as toolkit

from syndicate.exchange import xmlcheck
from syndicate.exchange.units import ExchangeError, MemoryUnit

TOOL = "syndicate"
ORIGINS = ("human", "machine")
PROPS = {"origin": "x-origin", "model": "x-model", "model_version": "x-model-version"}
DATE_FORMAT = "%Y%m%dT%H%M%SZ"


def _date(value: datetime) -> str:
    return value.astimezone(UTC).strftime(DATE_FORMAT)


def write_tmx(units: list[MemoryUnit], source_language: str = "en") -> bytes:
    """TMX 1.4 as UTF-8 bytes: a header naming ``syndicate`` as creation tool with ``srclang``
    the units' one source language (``source_language`` when there are none; ``*all*`` when
    they differ), and one ``<tu>`` per unit with its props and dates, in order."""
    languages = {unit.source_language for unit in units}
    store = toolkit.tmxfile(sourcelanguage=next(iter(languages)) if len(languages) == 1 else source_language)
    header = store.document.getroot().find("header")
    assert header is not None  # translate-toolkit's skeleton has one
    header.set("creationtool", TOOL)
    header.set("creationtoolversion", _version())
    header.set("creationdate", _date(datetime.now(UTC)))
    if len(languages) > 1:
        header.set("srclang", "*all*")
    for unit in units:
        entry = store.addsourceunit(unit.source, unit.source_language)
        entry.settarget(unit.target, unit.target_language, append=True)
        entry.xmlelement.set("creationdate", _date(unit.created))
        entry.xmlelement.set("changedate", _date(unit.changed))
        for name, kind in PROPS.items():
            value = getattr(unit, name)
            if value is not None:
                prop = etree.Element("prop", type=kind)
                prop.text = value
                # TMX 1.4 (the <tu> content model): note and prop come before any tuv.
                entry.xmlelement.insert(len(entry.xmlelement.findall("prop")), prop)
    return bytes(store)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("syndicate")
    except PackageNotFoundError:
        return "0"


def read_tmx(data: bytes, notices: list[str] | None = None) -> list[MemoryUnit]:
    """The entries of a TMX 1.4 file, one per (``<tu>``, target language): a ``<tu>`` with
    several target languages gives one entry for each.

    The source language is the ``<tu>``'s ``srclang``, else the header's. Language tags are
    read by their primary subtag, lower-cased (``ru-RU`` is ``ru``; RFC 5646 section 2.2.1).
    An entry without an ``x-origin`` prop is human (a newsroom's memory); without dates it
    takes the header's ``creationdate``, else now. Repairs and ``<tu>`` left out (no source
    segment, no target, empty text) are appended to ``notices``, one line each.

    Raises ExchangeError (one line) for bytes that are not XML, another root element, no
    ``<header>``/``<body>``, no source language, an ``x-origin`` other than human or machine.
    A TMX without ``<tu>`` (an empty memory) is no error: the result is empty."""
    notices = notices if notices is not None else []
    store = _parse(data)
    root = store.document.getroot()
    header = root.find("header")
    if header is None or root.find("body") is None:
        raise ExchangeError("not TMX: no <header> or <body>")
    default_date = _read_date(header.get("creationdate"), "header", notices) or datetime.now(UTC)
    units: list[MemoryUnit] = []
    renamed: set[tuple[str, str]] = set()
    for number, element in enumerate(root.iter("tu"), start=1):
        try:
            units.extend(_read_tu(element, number, header, default_date, notices, renamed))
        except ExchangeError:
            raise
        except Exception as exc:  # noqa: BLE001 - a file a user sends never crashes the command
            raise ExchangeError(f"<tu> {number} (line {element.sourceline}) unreadable ({exc})") from None
    for tag, short in sorted(renamed):
        notices.append(f"language {tag!r} read as {short!r}")
    return units


def _parse(data: bytes) -> Any:
    xmlcheck.check(data, "tmx", "TMX")
    try:
        return toolkit.tmxfile.parsestring(data)
    except (AssertionError, StopIteration, AttributeError, ValueError):
        # A <tmx> in a namespace, or without the structure translate-toolkit expects.
        raise ExchangeError("not TMX 1.4: no <header> or <body> where TMX has them") from None


def _language(tag: str, renamed: set[tuple[str, str]]) -> str:
    short = tag.replace("_", "-").split("-")[0].lower()
    if short != tag.lower():
        renamed.add((tag, short))
    return short


def _read_tu(
    element: Any,
    number: int,
    header: Any,
    default_date: datetime,
    notices: list[str],
    renamed: set[tuple[str, str]],
) -> list[MemoryUnit]:
    where = f"<tu> {number}" + (f" (tuid {element.get('tuid')!r})" if element.get("tuid") else "")
    entry = toolkit.tmxunit.createfromxmlElement(element)
    srclang = element.get("srclang") or header.get("srclang")
    if not srclang or srclang == "*all*":
        raise ExchangeError(f"{where}: no source language (srclang)")
    source_key = _language(srclang, renamed)
    source: str | None = None
    targets: dict[str, str] = {}
    codes = 0
    for tuv in entry.getlanguageNodes():
        tag = getXMLlang(tuv) or tuv.get("lang") or ""
        text, dropped = _segment_text(tuv)
        codes += dropped
        if not tag or not text.strip():
            continue
        key = _language(tag, renamed)
        if key == source_key:
            source = source if source is not None else text
        else:
            targets.setdefault(key, text)
    if codes:
        notices.append(f"{where}: {codes} inline code element(s) (bpt/ept/ph/it/ut) dropped")
    if source is None or not targets:
        notices.append(f"{where}: no source or no target segment, left out")
        return []
    props = {p.get("type"): (p.text or "").strip() for p in element.findall("prop")}
    origin = props.get("x-origin") or "human"
    if origin not in ORIGINS:
        raise ExchangeError(f"{where}: x-origin {origin!r} is neither human nor machine")
    created = _read_date(element.get("creationdate"), where, notices) or default_date
    changed = _read_date(element.get("changedate"), where, notices) or created
    return [
        MemoryUnit(
            source=source,
            target=target,
            source_language=source_key,
            target_language=lang,
            origin=origin,
            created=created,
            changed=changed,
            model=props.get("x-model") if origin == "machine" else None,
            model_version=props.get("x-model-version") if origin == "machine" else None,
        )
        for lang, target in targets.items()
    ]


def _segment_text(tuv: Any) -> tuple[str, int]:
    """The text of a ``<tuv>``'s ``<seg>`` without its inline codes (TMX 1.4 section 3.6:
    ``bpt``/``ept``/``ph``/``it``/``ut`` hold the original format's codes, not text; ``hi``
    and ``sub`` hold text) and how many codes were dropped."""
    seg = tuv.find("seg")
    if seg is None:
        return "", 0
    seg = copy.deepcopy(seg)
    codes = list(seg.iter("bpt", "ept", "ph", "it", "ut"))
    for code in codes:
        parent = code.getparent()
        if parent is None:
            continue
        previous = code.getprevious()
        if code.tail:
            if previous is not None:
                previous.tail = (previous.tail or "") + code.tail
            else:
                parent.text = (parent.text or "") + code.tail
        parent.remove(code)
    return getText(seg), len(codes)


def _read_date(value: str | None, where: str, notices: list[str]) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        notices.append(f"{where}: date {value!r} is not YYYYMMDDThhmmssZ, ignored")
        return None
