"""Built-in adapters: the parsers ``kerasspec check --adapter NAME`` knows how to start.

An adapter is a command that speaks the protocol on stdin/stdout. Adding one is adding an entry.
"""

from __future__ import annotations

import sys

ADAPTERS: dict[str, list[str]] = {
    # The reference parser, kerasspec.parse, in a child process like any other parser.
    "reference": [sys.executable, "-m", "kerasspec.harness.reference"],
    # kerasspec.code.code_sites as a scanner of .json, .keras and .h5 files (spec/protocol.md#tracks).
    "reference-scanner": [sys.executable, "-m", "kerasspec.harness.reference_scanner"],
}


def command(name: str) -> list[str]:
    """The command line of built-in adapter ``name`` (``KeyError`` if there is none)."""
    return list(ADAPTERS[name])
