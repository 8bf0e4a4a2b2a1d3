"""Helpers to run a real reader's adapter on a few corpus cases through the harness, as the matrix does."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kerasspec import corpus
from kerasspec.harness import CaseResult, ProtocolParser, run

REPO = Path(__file__).resolve().parents[2]


def run_adapter(
    argv: Sequence[str], cases: Sequence[corpus.Case], *, timeout: float, start_timeout: float
) -> dict[str, CaseResult]:
    """Every case through one adapter process (restarted by the harness when needed)."""
    done = run(ProtocolParser(list(argv), timeout=timeout, start_timeout=start_timeout), cases)
    assert done.executed == done.selected
    return {result.case: result for result in done.results}


def check(result: CaseResult, outcome: str, evidence: str) -> None:
    """The outcome, and the words of the reader's message or the first differing path that show why."""
    said = result.detail + " " + str((result.difference or {}).get("path", ""))
    assert (result.outcome.value, evidence in said) == (outcome, True), said[:600]
