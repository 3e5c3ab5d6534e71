"""Database failures an operator can act on (locked, full, unreachable), said in one line."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError

# What the database is doing, not a fault in what was asked of it: retry later.
UNAVAILABLE = (OperationalError,)

HINTS = {
    "database is locked": "another process holds a write lock; try again when it is done",
    "database or disk is full": "free disk space, then try again",
    "disk i/o error": "check the disk holding the database",
    "unable to open database file": "check that the data directory exists and is writable",
    "readonly database": "the database file is read-only",
}


def describe(exc: DBAPIError) -> str:
    """One line for the operator: the database's own words and what to do about them."""
    first = str(exc.orig if exc.orig is not None else exc).strip().splitlines()
    reason = first[0] if first else type(exc).__name__
    hint = next((h for key, h in HINTS.items() if key in reason.lower()), "")
    return f"database unavailable: {reason}" + (f" ({hint})" if hint else "")
