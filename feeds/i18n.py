"""The pages' interface text and dates in each language: gettext catalogues and CLDR formats.

Catalogues are gettext ``.po`` files, ``feeds/locale/{lang}/LC_MESSAGES/pages.po``, kept in the
repository as the only source; there is no ``.mo`` file and no build step. The first use of a
language compiles its ``.po`` in memory with Babel (``babel.messages.mofile.write_mo``) and
loads the result with the standard library's ``gettext.GNUTranslations``, so lookups and
plural forms (the catalogue's ``Plural-Forms`` header: three forms in Russian, one in
Japanese) are gettext's own. A language without a catalogue (the source language, usually
English) gets the msgids, which are the English text. tests/test_pages.py checks that every
string the page modules mark (``gettext``/``ngettext`` calls, as ``pybabel extract`` finds them)
is translated in every catalogue.

Dates follow the locale's CLDR patterns (``babel.dates.format_datetime``): the long date, the
short time, always in UTC (the store's time zone), e.g. ``January 5, 2021, 10:07 AM UTC``,
``5 января 2021 г., 10:07 UTC``, ``2021年1月5日 10:07 UTC``.
"""

from __future__ import annotations

import functools
import gettext
import io
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime, get_datetime_format
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from syndicate import languages
from syndicate.model import Provenance

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "pages"


def catalogue_path(lang: str) -> Path:
    """Where ``lang``'s catalogue lives (it may not exist)."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def messages(lang: str) -> gettext.NullTranslations:
    """``lang``'s translations: ``.gettext(msgid)`` and ``.ngettext(singular, plural, n)``.

    Without a catalogue, a NullTranslations that returns the (English) msgids. Fuzzy entries
    are left out, as ``msgfmt`` does. Raises OSError or babel's PoFileError for an unreadable
    or malformed catalogue: a broken catalogue must fail the tests, not render English."""
    path = catalogue_path(lang)
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN, abort_invalid=True)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _locale(lang: str) -> Locale:
    """Babel's locale for a language code; English for a code CLDR does not know."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale("en")


@functools.cache
def _pattern(lang: str) -> str:
    """``lang``'s CLDR pattern for a date and time: long date, short time, then the zone."""
    locale = _locale(lang)
    date = locale.date_formats["long"].pattern
    time = locale.time_formats["short"].pattern + " z"
    return str(get_datetime_format("long", locale=locale)).replace("{1}", date).replace("{0}", time)


def format_when(when: datetime, lang: str) -> str:
    """``when`` (aware; a naive value is taken as UTC) in ``lang``'s format, in UTC."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return format_datetime(when, _pattern(lang), tzinfo=UTC, locale=_locale(lang))


def language_name(lang: str) -> str:
    """The language's name in itself, capitalised (``English``, ``Русский``, ``日本語``); the
    code itself when CLDR does not know it."""
    try:
        name = Locale.parse(lang.replace("-", "_")).get_display_name(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        name = None
    return (name[:1].upper() + name[1:]) if name else lang


def provenance_text(provenance: Provenance, lang: str) -> str:
    """The sentence shown under a translated entry, in ``lang``: who translated (machine
    translation, post-edited machine translation or human translation: Provenance.kind), the
    model's name and version unless a person translated every segment, and for a demo model's
    machine segments the warning that its output is not a translation (the English text is
    Provenance.describe's)."""
    _ = messages(lang).gettext
    if provenance.kind == "human":
        return _("Human translation.")
    values = {"model": provenance.model_name, "version": provenance.model_version}
    if provenance.kind == "post-edited":
        text = _("Machine translation by %(model)s (version %(version)s), post-edited by a person.") % values
    else:
        text = _("Machine translation by %(model)s (version %(version)s).") % values
    if provenance.demo:
        warning = _("This is a demo model: its output is NOT a translation.")
        # Japanese sentences follow each other without a space.
        text += warning if text.endswith("。") else " " + warning
    return text


def unreviewed_note(lang: str) -> str:
    """The sentence, in ``lang``, that ends the provenance of a translation the review grace
    period (SYNDICATE_REVIEW_GRACE) published without an editor's approval."""
    return messages(lang).gettext("Published without an editor's review.")


def with_unreviewed_note(text: str, lang: str) -> str:
    """``text`` (a provenance sentence in ``lang``) followed by :func:`unreviewed_note`, joined
    as ``lang`` joins sentences (the language registry: no space after 。)."""
    found = languages.find(lang)
    separator = found.sentence_separator if found is not None else " "
    return text + separator + unreviewed_note(lang)


def feed_title(publisher: str, lang: str, demo: bool) -> str:
    """A feed's title in its own language: the publisher, the language code, and for a demo
    model's translations a warning readers see in their subscription list."""
    title = f"{publisher} [{lang}]"
    return title + " " + messages(lang).gettext("DEMO MODEL: NOT A TRANSLATION") if demo else title


def feed_description(publisher: str, lang: str, machine: bool) -> str:
    """A feed's description in its own language; ``machine``: its text is machine-translated."""
    _ = messages(lang).gettext
    text = _("Articles from %(publisher)s in %(language)s") % {
        "publisher": publisher,
        "language": language_name(lang),
    }
    return text + " " + _("(machine translation)") if machine else text


def translation_kind_label(kind: str, lang: str) -> str:
    """A short name, in ``lang``, for who translated an entry (``kind``: "machine",
    "post-edited" or "human"): the label of its Atom category."""
    _ = messages(lang).gettext
    labels = {
        "machine": _("Machine translation"),
        "post-edited": _("Post-edited machine translation"),
        "human": _("Human translation"),
    }
    return labels.get(kind, kind)
