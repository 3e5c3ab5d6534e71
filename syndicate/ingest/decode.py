"""Bytes to clean text: size and binary checks, decoding, Unicode normalisation."""

from __future__ import annotations

import codecs
import re
import unicodedata

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

# C0/C1 controls except tab and newline, zero-width and bidi controls, and non-characters:
# none of them is legal or useful in a feed.
_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufffe\uffff]"
)


def decode(data: bytes, max_bytes: int, reading: Reading | None = None) -> str:
    """Decode an input file, refusing what is not text. Returns NFC text with LF line ends.

    ``max_bytes`` is the size limit in bytes. UTF-16 needs a BOM; otherwise UTF-8 (a BOM is
    dropped), then the legacy code page charset-normalizer finds (:func:`_detected`). The text
    then goes through :func:`normalise`. A legacy code page is noted on ``reading``. Raises
    TooLarge, Empty (nothing but whitespace or control characters), Binary (a known file
    signature, or NUL bytes without a UTF-16 BOM) or Undecodable.
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
    return normalise(text)


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


def normalise(text: str) -> str:
    """NFC, LF line ends, no control/zero-width/bidi characters; typographic quotes are kept.

    CR, CRLF and U+2028 become LF, no-break spaces plain spaces. Raises Empty when nothing but
    whitespace is left.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u00a0", " ")
    text = unicodedata.normalize("NFC", text)
    text = _UNWANTED.sub("", text)
    if not text.strip():
        raise Empty("empty input (only whitespace or control characters)")
    return text
