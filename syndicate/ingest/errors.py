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


class NoTitle(Rejected):
    """No title could be found (or the line after the date is a paragraph)."""

    reason = "no-title"


class NoBody(Rejected):
    """No paragraph of article text."""

    reason = "no-body"


class BadDate(Rejected):
    """No publication date, one that cannot be parsed, or one in the future."""

    reason = "bad-date"
