"""Paths shared by the harness tests: the fixture corpus and the fake parsers (fakes/parser.py)."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURE_CORPUS = HERE / "data" / "corpus"
FAKE = HERE / "fakes" / "parser.py"


def fake_command(behaviour: str) -> list[str]:
    """The command line of the fake parser with ``behaviour`` (see fakes/parser.py)."""
    return [sys.executable, str(FAKE), behaviour, str(FIXTURE_CORPUS)]
