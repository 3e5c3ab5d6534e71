"""Whether one segment's output covers all of its source: the quality gate's per-segment checks
against output cut short (issue 14: a 430-word list sentence came out in Russian at 45% and in
Japanese at 20% of its length, and was published).

Three signs of a cut, each checked on one segment, plus the engine's own word for it:

- ``truncated``: decoding stopped at the cap instead of at the model's end token, even after
  the segment was split (budget.py);
- ``coverage`` (length): output/input characters under MIN_COVERAGE of the pair's typical ratio
  (the registry's ``length_ratio``) for a source of at least MIN_CHARS characters;
- ``coverage`` (closing): the source ends a sentence (``. ! ? …``, before closing quotes or
  brackets) and the output does not end with any sentence-final mark;
- ``coverage`` (list): a source with at least MIN_LIST_SEPARATORS list separators (a comma or
  semicolon before a space) whose output has under MIN_LIST_SHARE as many (``,`` or ``;``
  not between two digits, or ``、`` ``，`` ``；`` ``・``).
"""

from __future__ import annotations

import re

from syndicate import languages

# Output characters per source character of a usual translation from English: each target's
# ``length_ratio`` in the language registry (syndicate/languages.py, measured there); a code the
# registry lacks gets this, set by hand: alphabetic languages run about as long as English.
DEFAULT_TYPICAL_RATIO = 1.0
# Least share of the typical ratio a segment's output must reach. Set by hand between the
# shortest hand translation above (ja 0.25 = 0.62 of typical, ru 0.81 = 0.80) and the cut
# outputs of issue 14 (ja 0.20 = 0.50, ru 0.45).
MIN_COVERAGE = 0.55
MIN_CHARS = 40  # source characters; shorter segments vary too much to judge by length
MIN_LIST_SEPARATORS = 4
MIN_LIST_SHARE = 0.5  # set by hand: a translation may merge or reword some list items

_CLOSERS = "\"'”’»」』)]）】›"
_SOURCE_FINAL = ".!?…"
_TARGET_FINAL = ".!?…。！？．"
_SOURCE_SEPARATOR = re.compile(r"[,;](?=\s)")
# In the output, any , or ; except between digits (a decimal or grouping mark: ru "1 234,56"):
# languages written without spaces put none after it.
_TARGET_SEPARATOR = re.compile(r"(?<!\d)[,;]|[,;](?!\d)|[、，；・]")


def typical_ratio(lang: str) -> float:
    """Output/input characters of a usual translation into ``lang`` (its base before ``-``)."""
    entry = languages.find(lang.split("-")[0])
    return entry.length_ratio if entry else DEFAULT_TYPICAL_RATIO


def _short(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, for messages."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def problems(source: str, output: str, lang: str, capped: bool = False) -> list[tuple[str, str]]:
    """The signs that ``output`` (the model's, placeholders included) is cut short of
    ``source`` (the model input), as (check, detail) pairs: check ``truncated`` or
    ``coverage``. ``capped``: the engine stopped at the decoding cap. Never raises."""
    found: list[tuple[str, str]] = []
    if capped:
        found.append(("truncated", f"decoding stopped at its cap in {_short(output)!r}"))
    source, output = source.strip(), output.strip()
    if len(source) >= MIN_CHARS:
        ratio = len(output) / len(source)
        least = typical_ratio(lang) * MIN_COVERAGE
        if ratio < least:
            found.append(
                (
                    "coverage",
                    f"output is {ratio:.2f} of the input's length (least {least:.2f}) for {_short(source)!r}",
                )
            )
    if source.rstrip(_CLOSERS)[-1:] in tuple(_SOURCE_FINAL) and output.rstrip(_CLOSERS)[-1:] not in tuple(
        _TARGET_FINAL
    ):
        found.append(("coverage", f"the sentence's end is missing: {_short(output[-40:])!r}"))
    separators = len(_SOURCE_SEPARATOR.findall(source))
    if separators >= MIN_LIST_SEPARATORS:
        kept = len(_TARGET_SEPARATOR.findall(output))
        if kept < separators * MIN_LIST_SHARE:
            found.append(("coverage", f"{kept} of {separators} list separators kept in {_short(output)!r}"))
    return found
