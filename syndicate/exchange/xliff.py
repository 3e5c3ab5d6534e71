"""XLIFF 1.2 (OASIS XLIFF 1.2 Specification, 2008): documents of segments for CAT tools.

One ``<file>`` per :class:`~syndicate.exchange.units.Document`: ``original`` is the article id
and revision (``ID@rN``), ``source-language``/``target-language`` its pair, ``datatype``
plaintext. One ``<trans-unit>`` per unit with its stable id, ``<source>``, ``<target state>``
and the quality gate's reasons as ``<note from="quality-gate">``; inline markup as ``<g>``/
``<x/>`` (syndicate/exchange/inline_xliff.py). translate-toolkit (translate.storage.xliff) reads
and writes the XML; this module maps its units to ours and checks what the spec requires.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from translate.storage import xliff as toolkit

from syndicate.exchange import inline_xliff, xmlcheck
from syndicate.exchange.aligned import DEMO_NOTE
from syndicate.exchange.units import HUMAN_STATES, Document, ExchangeError, Unit

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
GATE = "quality-gate"
# XLIFF 1.2 section 2.4.4 (state): the predefined values; others must start with "x-".
STATES = frozenset(
    {
        "final",
        "needs-adaptation",
        "needs-l10n",
        "needs-review-adaptation",
        "needs-review-l10n",
        "needs-review-translation",
        "needs-translation",
        "new",
        "signed-off",
        "translated",
    }
)
# A target without a state attribute: what a tool that writes none (OmegaT) means by it.
UNSTATED = "translated"
ORIGINAL = re.compile(r"(?P<article>[^@\s]+)@r(?P<revision>[1-9][0-9]{0,9})")


class _Unit12(toolkit.xliffunit):
    """translate-toolkit's trans-unit, made in the XLIFF 1.2 namespace."""

    namespace = NAMESPACE


class _Xliff12(toolkit.xlifffile):
    """translate-toolkit's XLIFF store, writing version 1.2 with the xhtml prefix declared once."""

    UnitClass = _Unit12
    namespace = NAMESPACE
    XMLskeleton = (
        f'<?xml version="1.0" encoding="UTF-8"?><xliff version="1.2" xmlns="{NAMESPACE}" '
        f'xmlns:xhtml="{inline_xliff.XHTML_NS}"><file original="NoName" source-language="en" '
        'datatype="plaintext"><body></body></file></xliff>'
    )


def original(doc: Document) -> str:
    """The ``<file original>`` of ``doc``: ``ARTICLE@rREVISION``."""
    return f"{doc.article_id}@r{doc.revision}"


def write_xliff(docs: list[Document], demo: bool = False) -> bytes:
    """XLIFF 1.2 as UTF-8 bytes: one ``<file>`` per document, in order, one ``<trans-unit>``
    per unit. A unit with an empty target gets no ``<target>``. With ``demo``, each file's
    ``<header>`` has a note saying that the machine targets are not a translation. Raises
    ValueError for no documents, the same article twice or an id that XML cannot carry."""
    if not docs:
        raise ValueError("no documents to write")
    if len({original(doc) for doc in docs}) < len(docs):
        raise ValueError("the same article and revision twice")
    store = _Xliff12(sourcelanguage=docs[0].source_language, targetlanguage=docs[0].target_language)
    for doc in docs:
        store.switchfile(original(doc), createifmissing=True)
        filenode = store.getfilenode(original(doc))
        filenode.set("source-language", doc.source_language)
        filenode.set("target-language", doc.target_language)
        filenode.set("datatype", "plaintext")
        if demo:
            # XLIFF 1.2: <header> is the first child of <file>.
            header = etree.Element(store.namespaced("header"))
            etree.SubElement(header, store.namespaced("note")).text = DEMO_NOTE
            filenode.insert(0, header)
        for unit in doc.units:
            _write_unit(store, doc, unit)
    return bytes(store)


def _write_unit(store: _Xliff12, doc: Document, unit: Unit) -> None:
    entry = store.addsourceunit(unit.source, filename=original(doc))
    entry.setid(unit.id)
    ids: list[tuple[str, str | None, str]] = []
    entry.rich_source = [inline_xliff.to_placeables(unit.source, unit.source_html, ids)]
    if unit.target:
        entry.rich_target = [inline_xliff.to_placeables(unit.target, unit.target_html, ids)]
        target = entry.get_target_dom()
        target.set("state", unit.state)
        entry.markapproved(unit.state in HUMAN_STATES)
    for note in unit.notes:
        entry.addnote(note, origin=GATE)


def read_xliff(data: bytes, notices: list[str] | None = None) -> list[Document]:
    """The documents of an XLIFF 1.2 file, one per ``<file>``, as CAT tools write it.

    A trans-unit whose target is missing or blank is left out (untranslated: its segment stays
    as it is); ``<mrk>`` markers are unwrapped; ``<alt-trans>`` suggestions and notes other than
    the gate's are ignored; language tags are read by their primary subtag (``ru-RU`` is
    ``ru``). A target without ``state`` is read as ``translated`` (``signed-off`` when the
    trans-unit says ``approved="yes"``); a unit's ``origin`` is "human" when its state is
    ``final`` or ``signed-off``. Whatever is left out or repaired is appended to ``notices``
    (one line each); the inline elements read are those of syndicate/exchange/inline_xliff.py.

    Raises ExchangeError (one line) for: bytes that are not XML, another root element, XLIFF 2,
    no ``<file>``, a ``<file>`` whose ``original`` is not ``ID@rN`` or that lacks
    ``source-language``/``target-language``, the same article twice, a file without
    trans-units, a trans-unit without id or ``<source>``, a repeated id, a state outside the
    spec's list, entity references, a trans-unit translate-toolkit cannot read."""
    notices = notices if notices is not None else []
    store = _parse(data)
    files = list(store.document.getroot().iterchildren(store.namespaced("file")))
    if not files:
        raise ExchangeError("no <file> element: not an XLIFF document of segments")
    docs: list[Document] = []
    seen: set[tuple[str, str]] = set()
    for filenode in files:
        doc = _read_file(store, filenode, notices)
        if (doc.article_id, doc.target_language) in seen:
            raise ExchangeError(f"<file original={original(doc)!r}>: the article appears twice")
        seen.add((doc.article_id, doc.target_language))
        docs.append(doc)
    return docs


def _parse(data: bytes) -> Any:
    xmlcheck.check(data, "xliff", "XLIFF")
    try:
        return _Xliff12.parsestring(data)
    except StopIteration:
        raise ExchangeError("no <file> element: not an XLIFF document of segments") from None
    except (ValueError, AssertionError) as exc:
        # translate-toolkit refuses XLIFF 2 with a ValueError of several sentences.
        first = str(exc).split(". ")[0].rstrip(".") or "not XLIFF 1.2"
        raise ExchangeError(f"{first}; export XLIFF 1.2 from the CAT tool") from None


def _read_file(store: Any, filenode: Any, notices: list[str]) -> Document:
    name = filenode.get("original") or ""
    where = f"<file original={name!r}>"
    match = ORIGINAL.fullmatch(name)
    if match is None:
        raise ExchangeError(f"{where}: not an article exported by syndicate (original must be ID@rN)")
    source_language = filenode.get("source-language")
    target_language = filenode.get("target-language")
    if not source_language:
        raise ExchangeError(f"{where}: no source-language")
    if not target_language:
        raise ExchangeError(f"{where}: no target-language")
    source_language = _language(source_language, where, notices)
    target_language = _language(target_language, where, notices)
    elements = list(filenode.iterdescendants(store.namespaced("trans-unit")))
    if not elements:
        raise ExchangeError(f"{where}: no trans-unit")
    units: list[Unit] = []
    ids: set[str] = set()
    for element in elements:
        try:
            unit = _read_unit(_Unit12.createfromxmlElement(element), where, notices)
        except ExchangeError:
            raise
        except Exception as exc:  # noqa: BLE001 - a file a user sends never crashes the command
            line = element.sourceline
            raise ExchangeError(f"{where}: trans-unit at line {line} unreadable ({exc})") from None
        if unit is None:
            continue
        if unit.id in ids:
            raise ExchangeError(f"{where}: trans-unit id {unit.id!r} appears twice")
        ids.add(unit.id)
        units.append(unit)
    return Document(
        article_id=match["article"],
        revision=int(match["revision"]),
        source_language=source_language,
        target_language=target_language,
        units=tuple(units),
    )


def _language(tag: str, where: str, notices: list[str]) -> str:
    """The primary subtag of a language tag, lower-cased (RFC 5646 section 2.2.1): CAT tools
    write regions (``ru-RU``) where this service has languages (``ru``)."""
    short = tag.replace("_", "-").split("-")[0].lower()
    if short != tag.lower():
        notices.append(f"{where}: language {tag!r} read as {short!r}")
    return short


def _read_unit(entry: Any, where: str, notices: list[str]) -> Unit | None:
    entry.namespace = etree.QName(entry.xmlelement).namespace
    ident = entry.xmlelement.get("id")
    if not ident:
        line = entry.xmlelement.sourceline
        raise ExchangeError(f"{where}: a trans-unit without id (line {line})")
    here = f"{where} trans-unit {ident!r}"
    if entry.get_source_dom() is None:
        raise ExchangeError(f"{here}: no <source>")
    source = inline_xliff.from_placeables(entry.rich_source[0], {})
    target_node = entry.get_target_dom()
    if target_node is None:
        notices.append(f"{here}: no target, left as it is")
        return None
    target = inline_xliff.from_placeables(entry.rich_target[0], source.elements)
    dropped = [f"source: {line}" for line in source.dropped] + [f"target: {line}" for line in target.dropped]
    notices.extend(f"{here}: {line}" for line in dict.fromkeys(dropped))
    if not target.text.strip():
        notices.append(f"{here}: empty target, left as it is")
        return None
    state = target_node.get("state")
    if state is None:
        state = "signed-off" if entry.isapproved() else UNSTATED
        notices.append(f"{here}: target without state, read as {state!r}")
    elif state not in STATES and not state.startswith("x-"):
        raise ExchangeError(f"{here}: state {state!r} is not an XLIFF 1.2 state")
    return Unit(
        id=ident,
        source=source.text,
        target=target.text,
        state=state,
        notes=tuple(entry._getnotelist(origin=GATE)),
        origin="human" if state in HUMAN_STATES else "machine",
        source_html=source.html,
        target_html=target.html,
        markup=True,
    )
