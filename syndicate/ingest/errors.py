"""Typed rejections: every reason an input is refused, with a one-line message for the operator."""

from __future__ import annotations


class Rejected(ValueError):
    """The input cannot become an article.

    ``reason`` is a short machine-readable code, one per subclass; ``message`` is the one line
    shown to the operator (``syndicate submit`` prints it and exits with status 2).
    """

    reason = "rejected"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Empty(Rejected):
    """Nothing but whitespace or control characters."""

    reason = "empty"


class Binary(Rejected):
    """A known binary file signature (PDF, image, archive, executable) or NUL bytes."""

    reason = "binary"


class Undecodable(Rejected):
    """Neither UTF-8/UTF-16 nor a legacy code page fits the bytes."""

    reason = "undecodable"


class TooLarge(Rejected):
    """More bytes than ``SYNDICATE_MAX_INPUT_BYTES``."""

    reason = "too-large"

    @classmethod
    def of(cls, size: int, limit: int, exact: bool = True) -> TooLarge:
        """The rejection of an input of ``size`` bytes over the ``limit`` (bytes), e.g. "too
        large: 3.2 MB (3,201,000 bytes), the limit is 2.0 MB"; with ``exact`` False the input
        did not end and ``size`` is what was read ("more than ...")."""
        more = "" if exact else "more than "
        return cls(f"too large: {more}{size_text(size)} ({size:,} bytes), the limit is {size_text(limit)}")


class NoTitle(Rejected):
    """No title could be found (or the line after the date is a paragraph)."""

    reason = "no-title"


class NoBody(Rejected):
    """No paragraph of article text."""

    reason = "no-body"


class BadDate(Rejected):
    """No publication date, one that cannot be parsed, or one in the future."""

    reason = "bad-date"


def size_text(n: int) -> str:
    """``n`` bytes in decimal units, as file sizes are usually shown: "950 bytes", "12.5 kB",
    "3.2 MB", "1.1 GB" (one decimal, so sizes just over a limit show the exact count beside it)."""
    if n < 1000:
        return f"{n} bytes"
    value, unit = n / 1000, "kB"
    for bigger in ("MB", "GB"):
        if round(value, 1) < 1000:  # 999,999 bytes is 1.0 MB, not 1000.0 kB
            break
        value, unit = value / 1000, bigger
    return f"{value:.1f} {unit}"
