"""English abbreviation rules: does a word ending in a period end its sentence?

pysbd splits after any abbreviation it does not know and after many it knows when a capitalised
word follows (``9 a.m. Monday``, ``Corp. Chairman``, ``Gen. Robert``: issue 11). :func:`decide`
settles the cases whose answer depends on the abbreviation's kind and on the next word; for
every other period it has no opinion and pysbd's answer stands.

The kinds and their word lists are ours, written for news text (AP style, where a month is
abbreviated only before a day or year and a state after a city); the choices are measured
against tests/testdata/sentences.toml (see :mod:`syndicate.segment`).
"""

from __future__ import annotations

import re
from enum import Enum


class Kind(Enum):
    """How an abbreviation behaves before the next word (see :func:`decide`)."""

    TITLE = "title"  # goes before a name or a number: never ends a sentence (Gen., Mr., approx.)
    TIME = "time"  # a.m./p.m.: goes on only before a day, month, zone or "... time"
    NUMBERED = "numbered"  # No. 5: goes on before a number, else pysbd decides
    COMPANY = "company"  # Corp.: goes on only before a title (Chairman) or a capitals-only word
    NAME_SUFFIX = "name suffix"  # Jr.: goes on only before what is named after someone (Day)
    DATE = "date"  # Oct.: goes on before a number or another day/month word
    ENDING = "ending"  # bn., Ill.: ends the sentence before any capitalised word
    GENERAL = "general"  # U.S., St., J.: ends the sentence only before a usual sentence starter


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _with_capitals(text: str) -> frozenset[str]:
    """Lower-case abbreviations also open sentences (``Approx. 40 people``)."""
    words = text.split()
    return frozenset(words + [w[0].upper() + w[1:] for w in words])


_MONTH_ABBREVIATIONS = _words("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec")
_WEEKDAY_ABBREVIATIONS = _words("Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun")
_DAYS_AND_MONTHS = (
    _MONTH_ABBREVIATIONS
    | _WEEKDAY_ABBREVIATIONS
    | _words(
        "January February March April May June July August September October November December "
        "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
    )
)

# Keys are the abbreviation without its final period, spelt as written.
_KINDS: dict[str, Kind] = {}
for _kind, _names in (
    (
        Kind.TITLE,
        _words(
            "Mr Mrs Ms Mx Messrs Mmes Mme Mlle Prof Profs Gen Gens Lt Col Maj Capt Cmdr Cdr Adm Brig "
            "Sgt Cpl Pvt Pfc Spc Ens Gov Govs Sen Sens Rep Reps Rev Revs Hon Pres Supt Insp Det Amb "
            "Atty Msgr Fr Rt Mt Ft"
        )
        | _with_capitals("approx e.g i.e vs v cf viz ca a.k.a incl"),
    ),
    (Kind.NUMBERED, _words("No Nos no nos Fig Figs Vol Vols Art Arts p pp Ch Sec Para Tel Ext")),
    (Kind.COMPANY, _words("Corp Inc Ltd Co Cos LLC LLP L.L.C Plc plc PLC Bros Pty")),
    (Kind.NAME_SUFFIX, _words("Jr Sr Jnr Snr Esq")),
    (Kind.DATE, _MONTH_ABBREVIATIONS | _WEEKDAY_ABBREVIATIONS),
    (
        Kind.ENDING,
        _with_capitals("bn mn tn bln mln trn")
        # AP's state abbreviations, written after a city ("Springfield, Ill.").
        | _words(
            "Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Ky La Md Mass Mich Minn Miss Mo Mont "
            "Neb Nev Okla Ore Pa Tenn Va Vt Wash Wis Wyo"
        ),
    ),
    (
        Kind.GENERAL,
        _words(
            "St Ste Dr Ave Rd Blvd Hwy Rte Sq Pkwy Dept Depts Univ Inst Govt Assn Intl Natl Ph.D est Est al"
        ),
    ),
):
    _KINDS.update(dict.fromkeys(_names, _kind))

# Words that usually open an English sentence and rarely follow an abbreviation inside one.
STARTERS = _words(
    "The A An He She It We They I You His Her Its Our Their My Your This That These Those There Here "
    "Then Thus But And Or Nor So Yet However Meanwhile Still Also Now Later Earlier Today Yesterday "
    "Tomorrow Tonight After Before When While If Although Though As Since Because Once Until Unless "
    "Whether In On At By For From With Without Within Under Over During Despite Among Between Into "
    "Through According Some Many Most All Both Each Every Either Neither No None Other Others Another "
    "Such What Who Why How Where Which Last Next First One Several Few Instead Moreover Indeed"
)
# After a company suffix: the title of someone at the company ("Harland Marine Corp. Chairman").
TITLE_WORDS = _words(
    "Chairman Chairwoman Chairperson Chair President Vice Chief Executive Director Managing Spokesman "
    "Spokeswoman Spokesperson Founder Co-founder Cofounder Head Manager General Counsel Board Secretary "
    "Treasurer Analyst Economist Partner Owner Senior Deputy Unit Group Subsidiary Division Holdings"
)
# After Jr./Sr.: what is named after a person ("Martin Luther King Jr. Day").
NAMED_WORDS = _words(
    "Day Boulevard Blvd Avenue Ave Street St Drive Dr Road Rd Way Memorial Park Bridge Center Centre "
    "Library Airport Hall Stadium Arena Award Prize Foundation Institute Museum Hospital Building Plaza "
    "Square High Elementary Middle School Highway Parkway Expressway Freeway National Federal Academy "
    "College University Trail"
)
# After a.m./p.m.: a day, a month or a time zone carries the sentence on.
TIME_WORDS = _DAYS_AND_MONTHS | (
    _words("Eastern Central Mountain Pacific Atlantic Alaska Hawaii Greenwich Universal Coordinated Local")
)
_ZONE = re.compile(r"[A-Z]{1,4}T|GMT|UTC|Z")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
OPENING = "\"'“‘«([{"
_CLOSING = ",;:!?\"'”’»)]}"


def kind(token: str) -> Kind | None:
    """The kind of a token ending in a period (``"Gen."``, ``"(U.S."``), or None for a word
    pysbd should judge alone. Opening quotes and brackets are ignored; a.m./p.m. in either case
    and glued to a time (``9a.m.``), dotted capitals (``U.S.``, ``J.``) are GENERAL."""
    token = token.lstrip(OPENING)
    low = token.lower()
    if low.endswith(("a.m.", "p.m.")) and (len(low) == 4 or low[:-4].replace(":", "").isdigit()):
        return Kind.TIME
    found = _KINDS.get(token[:-1])
    if found is None and _INITIALS.fullmatch(token):
        return Kind.GENERAL
    return found


def _is_zone_or_time(following: list[str]) -> bool:
    """``ET``, ``Monday``, or up to three capitalised words then "time" (``New York time``)."""
    first = following[0].rstrip(_CLOSING + ".")
    if first in TIME_WORDS or _ZONE.fullmatch(first):
        return True
    for word in following[:4]:
        bare = word.rstrip(_CLOSING + ".")
        if bare.lower() == "time":
            return True
        if not bare[:1].isupper():
            return False
    return False


def decide(token: str, following: list[str]) -> bool | None:
    """Whether the sentence ends after ``token`` (a word ending in a period): True (it ends),
    False (it goes on), None (no opinion: pysbd decides).

    ``following`` holds the next words in order (at least one, up to four are read); a leading
    quote or bracket of the next word is ignored. Before a lower-case word every kind goes on;
    before a number TITLE, NUMBERED, COMPANY, DATE, ENDING and GENERAL go on; before a
    capitalised word each kind has its rule (see :class:`Kind`).
    """
    found = kind(token)
    if found is None or not following:
        return None
    word = following[0].lstrip(OPENING)
    if not word:
        return None
    first = word[0]
    if first.islower():
        return False
    if first.isdigit() or first in "$€£#":
        return None if found in (Kind.TIME, Kind.NAME_SUFFIX) else False
    if not first.isupper():
        return None
    bare = word.rstrip(_CLOSING)
    if found == Kind.TITLE:
        return False
    if found == Kind.TIME:
        return not _is_zone_or_time([word, *following[1:]])
    if found == Kind.NUMBERED:
        return None
    if found == Kind.COMPANY:
        goes_on = bare in TITLE_WORDS or (bare.isupper() and len(bare) > 1) or kind(bare) == Kind.COMPANY
        return not goes_on
    if found == Kind.NAME_SUFFIX:
        return bare.rstrip(".") not in NAMED_WORDS
    if found == Kind.DATE:
        return bare.rstrip(".") not in _DAYS_AND_MONTHS
    if found == Kind.ENDING:
        return True
    return bare in STARTERS
