"""Bytes to clean text: size and binary checks, decoding, mojibake repair, Unicode normalisation.

Every repair made here is noted on the :class:`Reading` (issue 11): mojibake, C1 controls that
were Windows-1252 punctuation, ligatures, terminal escapes and removed invisible characters.
"""

from __future__ import annotations

import codecs
import difflib
import re
import unicodedata
from collections import Counter

import ftfy

from syndicate.ingest.errors import Binary, Empty, TooLarge, Undecodable
from syndicate.ingest.options import Reading

# Signatures of the binary files operators most often send by mistake.
_MAGIC = {
    b"%PDF-": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
    b"RIFF": "a RIFF (audio/video/image) file",
}

# Characters that are invisible, or controls, and never carry meaning in a news article's plain text;
# left in, they split words for the model and the translation memory's key (issue 11). C0/C1 controls
# except tab and newline; soft hyphen; Arabic letter mark; Mongolian vowel separator (Mongolian is not a
# source language); zero-width space, joiners and direction marks; bidi embeddings and isolates (they
# also reorder what a reader sees: "Trojan Source"); word joiner and invisible math operators; deprecated
# format characters; BOM / zero-width no-break space; interlinear annotation and object replacement;
# non-characters; shorthand and musical format controls; the deprecated language tag.
# Kept on purpose: variation selectors and emoji tag sequences (they are part of emoji), and U+200C
# ZERO WIDTH NON-JOINER next to a letter of a script whose spelling needs it (see _keeps_zwnj).
# U+200D ZERO WIDTH JOINER goes everywhere, as before: an emoji sequence falls apart into its emoji
# (family -> man, woman, girl), which keeps its meaning, and no source language needs it.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b\u200d-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffc\ufffe\uffff\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001]"
)
# Scripts that join letters or form conjuncts, where U+200C changes spelling (Persian "می‌خواهم"):
# Arabic, Syriac, Thaana, N'Ko, Arabic Supplement/Extended, Indic (Devanagari to Sinhala), Myanmar,
# Khmer, Mongolian, Arabic presentation forms.
_JOINING = re.compile("[\u0600-\u08ff\u0900-\u0dff\u1000-\u109f\u1780-\u18af\ufb50-\ufdff\ufe70-\ufefc]")
_ZWNJ = "\u200c"

# ftfy (https://ftfy.readthedocs.io, TextFixerConfig): everything that repairs, nothing that restyles.
# Curly quotes stay (uncurl_quotes); entities are each format's business (an HTML page's "&lt;" must
# reach the HTML parser as is); fullwidth letters and digits are ordinary Japanese and Chinese
# typography (fix_character_width); controls and invisible characters are removed and counted here.
# Ligatures (U+FB00-FB06, from PDF copy) are spelled out: no model or memory key knows "ﬁ".
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False, uncurl_quotes=False, fix_character_width=False, remove_control_chars=False,
    normalization="NFC", explain=True,
)  # fmt: skip
# UTF-8 read as Windows-1252 with undefined bytes replaced: the right double quote U+201D (E2 80 9D)
# arrives as "â€" + U+FFFD. Of the five characters E2 80 xx whose last byte Windows-1252 leaves
# undefined (81, 8D, 8F, 90, 9D: em quad, ZWJ, RLM, hyphen, right double quote) only the quote is
# common in articles (field case 09), so it is assumed, with a note; ftfy then repairs the rest.
# Not after an emoji's mojibake ("ðŸ..."), where the lost character is most likely a ZWJ.
_LOST_QUOTE = re.compile("(?<!ðŸ..)â€\ufffd")
# Some pipelines drop the undefined byte instead: "â€œwe are pleasedâ€ with it". Then "â€" before
# a space reads as the dagger † (E2 80 A0, its no-break space made a space), and before anything
# else as nothing. "â€" with no third byte (before whitespace, ASCII punctuation or the end of the
# line) is taken for the right double quote only after a mojibake opening quote "â€œ" on the same
# line that no closing quote has closed yet; a lone "â€ " (a mojibake dagger) stays a dagger.
_QUOTE_PARTS = re.compile("â€(?:(œ)|(\x9d)|(?=[\\s!-/:-@\\[-`{-~]|$))")
# ftfy's names of the code pages text was wrongly read in, as an operator knows them.
_CODEPAGES = {"latin-1": "Windows-1252", "sloppy-windows-1252": "Windows-1252", "macroman": "Mac Roman",
              "cp437": "DOS code page 437"}  # fmt: skip
# ftfy's steps for Latin-1 text that was meant as Windows-1252 (U+0093 for a curly quote).
_C1_STEPS = {("decode", "windows-1252"), ("transcode", "fix_c1_controls"), ("apply", "fix_c1_controls")}
_INVISIBLE_NOTE = "removed invisible characters:"
_COUNT = re.compile(r"(\d+) × (.+?) \((U\+[0-9A-F]{4,6})\)")


def decode(data: bytes, max_bytes: int, reading: Reading | None = None) -> str:
    """Decode an input file, refusing what is not text. Returns NFC text with LF line ends.

    ``max_bytes`` is the size limit in bytes. UTF-16 needs a BOM; otherwise UTF-8 (a BOM is
    dropped), then the legacy code page charset-normalizer finds (:func:`_detected`). The text
    then goes through :func:`normalise`. A legacy code page is noted on ``reading``, and so is
    every repair :func:`normalise` makes. Raises TooLarge, Empty (nothing but whitespace, control
    or invisible characters), Binary (a known file signature, or NUL bytes without a UTF-16 BOM)
    or Undecodable.
    """
    if len(data) > max_bytes:
        raise TooLarge.of(len(data), max_bytes)
    if not data.strip():
        raise Empty("empty input")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise Binary(f"binary input: looks like {what}, not text")

    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        if b"\x00" in data:
            raise Binary("binary input: contains NUL bytes")
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        detected = _detected(data)
        if detected is None:
            raise Undecodable(
                f"not valid UTF-8 (byte {exc.start}) and no other encoding fits; save the file as UTF-8"
            ) from None
        text, name = detected
        if reading is not None:
            reading.note(f"not UTF-8: read as {name}")
    return normalise(text, reading)


def _detected(data: bytes) -> tuple[str, str] | None:
    """Legacy encodings (Windows-1251/1252, KOI8-R, ...), found by charset-normalizer.

    Returns (text, charset-normalizer's name of the encoding). The least chaotic match wins;
    Windows-1252 or Latin-1 within 0.02 of it wins a tie. None when
    nothing matches or the winner's chaos (charset-normalizer's mess ratio, 0 to 1) exceeds 0.2,
    its own default threshold.
    """
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = min(matches, key=lambda m: m.chaos)
    # Short English texts fit several Latin code pages equally well; Windows-1252 is by far
    # the most common for English sources, so it wins a tie.
    western = [m for m in matches if m.encoding in ("cp1252", "latin_1") and m.chaos <= best.chaos + 0.02]
    chosen = western[0] if western else best
    return None if chosen.chaos > 0.2 else (str(chosen), chosen.encoding)


def normalise(text: str, reading: Reading | None = None) -> str:
    """LF line ends, then :func:`repair`: returns NFC text without controls or invisible
    characters, mojibake repaired, typographic quotes kept.

    CR, CRLF, U+2028 and U+2029 become LF (U+0085 is read as Windows-1252's ellipsis, as ftfy
    reads C1 controls). Repairs are noted on ``reading`` (none when it is None). Raises Empty
    when nothing but whitespace is left.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = repair(text, reading)
    if not text.strip():
        raise Empty("empty input (only whitespace, control or invisible characters)")
    return text


def repair(text: str, reading: Reading | None = None) -> str:
    """``text`` with mojibake repaired (ftfy), no-break spaces as plain spaces, controls (but tab
    and newline) and invisible format characters removed (``_INVISIBLE``), in NFC. Idempotent.

    Each kind of repair is noted once on ``reading`` (issue 11: the operator is told), with its
    first example: mojibake (UTF-8 read as Windows-1252 or another code page, once or twice),
    Windows-1252 punctuation stored as C1 controls, a right double quote assumed where its last
    byte was lost, characters lost for good (left as U+FFFD), ligatures spelled out, terminal
    escapes, and the invisible characters removed, counted by kind across calls. Line breaks
    stay where they are (a line is repaired on its own, so one bad line does not decide for the
    others); U+2029 becomes LF.
    """
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.isascii() and "\x1b" not in line:
            continue  # nothing ftfy would change: spares the work on most lines
        lines[i] = _fix_line(line, reading)
    text = "\n".join(lines).replace("\u00a0", " ")
    text = _remove_invisible(text, reading)
    return unicodedata.normalize("NFC", text)


def _fix_line(line: str, reading: Reading | None) -> str:
    """One line through ftfy (``_FTFY``), its repairs noted on ``reading``."""
    prepared, quotes = _LOST_QUOTE.subn("â€\x9d", line)
    prepared, missing = _closing_quotes(prepared)
    fixed, steps = ftfy.fix_and_explain(prepared, config=_FTFY)
    if fixed == line or reading is None:
        return fixed
    actions = {(step.action, step.parameter) for step in steps or []}
    example = _example(line, fixed)
    utf8 = [step for step in steps or [] if step.action == "decode" and step.parameter.startswith("utf-8")]
    if utf8 or ("apply", "decode_inconsistent_utf8") in actions:
        first = next((step.parameter for step in steps or [] if step.action == "encode"), "latin-1")
        codepage = _CODEPAGES.get(first, first.removeprefix("sloppy-").title())
        twice = " twice" if len(utf8) > 1 else ""
        _note_once(reading, "mojibake repaired", f"(UTF-8 read as {codepage}{twice}): {example}")
        if (quotes or missing) and "\u201d" in fixed:
            lost = "'â€�'" if quotes else "'â€' after 'â€œ'"
            _note_once(reading, "assumed a right double quote", f"(”) where its last byte was lost ({lost})")
        if "\ufffd" in fixed:
            _note_once(reading, "characters lost in mis-decoding could not be restored:", "left as U+FFFD")
    elif actions & _C1_STEPS:
        _note_once(reading, "Windows-1252 punctuation stored as C1 control codes restored:", example)
    if ("apply", "fix_latin_ligatures") in actions:
        _note_once(reading, "ligatures spelled out:", example)
    if ("apply", "remove_terminal_escapes") in actions:
        _note_once(reading, "terminal colour codes removed", "")
    if ("apply", "fix_surrogates") in actions:
        _note_once(reading, "UTF-16 surrogate pairs joined", "")
    return fixed


def _closing_quotes(line: str) -> tuple[str, int]:
    """``line`` with each "â€" that lost its last byte after an open "â€œ" (see ``_QUOTE_PARTS``)
    given the right double quote's byte back (as "â€\\x9d"), and how many were."""
    parts, position, is_open, count = [], 0, False, 0
    for match in _QUOTE_PARTS.finditer(line):
        if match.group(1) or match.group(2):
            is_open = bool(match.group(1))
        elif is_open:
            parts += [line[position : match.end()], "\x9d"]
            position, is_open, count = match.end(), False, count + 1
    return "".join(parts) + line[position:], count


def _example(before: str, after: str, limit: int = 40) -> str:
    """The first words that differ between ``before`` and ``after``, as ``'old' -> 'new'``."""
    old, new = before.split(), after.split()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:
            i2, j2 = i1 + 1, j1 + 1  # word for word: the first word is example enough
        if tag != "equal":
            return f"{' '.join(old[i1:i2])[:limit]!r} -> {' '.join(new[j1:j2])[:limit]!r}"
    return f"{before[:limit]!r} -> {after[:limit]!r}"


def _note_once(reading: Reading, kind: str, detail: str) -> None:
    """Note ``kind detail`` unless a note of that kind was made already (one note per kind)."""
    if not any(note.startswith(kind) for note in reading.notes):
        reading.note(f"{kind} {detail}")


def _keeps_zwnj(text: str, at: int) -> bool:
    """Whether the U+200C at ``at`` stands next to a letter of a script that needs it."""
    return any(0 <= i < len(text) and _JOINING.match(text[i]) for i in (at - 1, at + 1))


def _remove_invisible(text: str, reading: Reading | None) -> str:
    """``text`` without ``_INVISIBLE`` characters (U+200C kept where :func:`_keeps_zwnj`), the
    count of each kind merged into one note on ``reading``."""
    removed: Counter[str] = Counter(_INVISIBLE.findall(text))
    if removed:
        text = _INVISIBLE.sub("", text)
    if _ZWNJ in text:
        kept = [c for i, c in enumerate(text) if c != _ZWNJ or _keeps_zwnj(text, i)]
        removed[_ZWNJ] += len(text) - len(kept)
        text = "".join(kept)
    removed = +removed
    if removed and reading is not None:
        _merge_invisible_note(reading, removed)
    return text


def _merge_invisible_note(reading: Reading, removed: Counter[str]) -> None:
    """Add ``removed`` (character -> count) to the one note of removed invisible characters."""
    counts = {
        f"U+{ord(c):04X}": (n, unicodedata.name(c, "control character").lower()) for c, n in removed.items()
    }
    for index, note in enumerate(reading.notes):
        if note.startswith(_INVISIBLE_NOTE):
            for number, name, code in _COUNT.findall(note):
                n, _ = counts.get(code, (0, name))
                counts[code] = (n + int(number), name)
            del reading.notes[index]
            break
    ordered = sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))
    parts = ", ".join(f"{n} × {name} ({code})" for code, (n, name) in ordered)
    reading.note(f"{_INVISIBLE_NOTE} {parts}")
