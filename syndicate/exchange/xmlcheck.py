"""The first look at an exchange file: well-formed XML, the expected root, no entity references."""

from __future__ import annotations

from lxml import etree

from syndicate.exchange.units import ExchangeError


def check(data: bytes, root_name: str, format_name: str) -> None:
    """Raise ExchangeError (one line) unless ``data`` is well-formed XML whose root element is
    named ``root_name`` (any namespace) and that has no entity references. Entities are never
    expanded (no external files, no billion laughs): translate-toolkit cannot read unexpanded
    references, so a file that uses them is refused rather than read in part."""
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        message = str(exc).splitlines()[0] if str(exc) else "empty"
        raise ExchangeError(f"not XML: {message}") from None
    name = etree.QName(root).localname
    if name != root_name:
        raise ExchangeError(f"not {format_name}: the root element is <{name}>, not <{root_name}>")
    if any(True for _ in root.iter(etree.Entity)):
        raise ExchangeError(f"entity references (&name;) are not allowed in a {format_name} file")
