"""The `syndicate` command, one module per group of commands; ``main`` is the entry point.

Exit status: 0 success, 1 failure (a failed job, a stack that will not start), 2 bad input or
usage, 3 timeout. Every command has --help; commands that report take --json.
"""

from syndicate.cli import articles, demo, doctor, editing, models, processes, submit  # noqa: F401  (registers)
from syndicate.cli.app import main

__all__ = ["main"]
