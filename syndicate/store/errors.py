"""Database failures an operator can act on (locked, full, read-only, unreachable), said in one line."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InternalError, OperationalError

# What the database is doing, not a fault in what was asked of it: retry later. PostgreSQL says
# "cannot execute UPDATE in a read-only transaction" (a standby, or default_transaction_read_only)
# as an InternalError (SQLSTATE class 25); a full disk (53100) and SQLite's own refusals are
# OperationalErrors.
UNAVAILABLE = (OperationalError, InternalError)

HINTS = {
    "database is locked": "another process holds a write lock; try again when it is done",
    "database or disk is full": "free disk space, then try again",
    "no space left on device": "free disk space, then try again",
    "disk i/o error": "check the disk holding the database",
    "unable to open database file": "check that the data directory exists and is writable",
    "readonly database": "the database file is read-only",
    "read-only transaction": "it only reads now, as a standby does; use the primary",
}


def describe(exc: DBAPIError) -> str:
    """One line for the operator: the database's own words and what to do about them."""
    first = str(exc.orig if exc.orig is not None else exc).strip().splitlines()
    reason = first[0] if first else type(exc).__name__
    hint = next((h for key, h in HINTS.items() if key in reason.lower()), "")
    return f"database unavailable: {reason}" + (f" ({hint})" if hint else "")
