"""Typed rejections: every reason an input is refused, with a one-line message for the operator."""

from __future__ import annotations


class Rejected(ValueError):
    """The input cannot become an article. ``reason`` is a short machine-readable code."""

    reason = "rejected"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Empty(Rejected):
    reason = "empty"


class Binary(Rejected):
    reason = "binary"


class Undecodable(Rejected):
    reason = "undecodable"


class TooLarge(Rejected):
    reason = "too-large"


class NoTitle(Rejected):
    reason = "no-title"


class NoBody(Rejected):
    reason = "no-body"


class BadDate(Rejected):
    reason = "bad-date"
