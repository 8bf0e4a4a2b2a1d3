"""The ratchet: a known-failures list rewritten from a run (``check --write-known-failures``).

Entries whose cases now pass are pruned; cases that fail and no entry covers are added with the
outcome and first difference as the reason; every other entry, with its reason, is kept as it was
(also those for cases the run did not select, so a filtered run never loses an entry).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kerasspec.harness._known import KnownFailures, is_glob
from kerasspec.harness._outcomes import CaseResult
from kerasspec.harness._run import Run

#: A written reason is cut to this many characters (the results file keeps the whole detail).
REASON_CHARACTERS = 200


@dataclass(frozen=True, slots=True)
class Change:
    """The rewritten list and what changed."""

    entries: Mapping[str, str]
    added: tuple[str, ...]
    pruned: tuple[str, ...]


def reason(result: CaseResult) -> str:
    """``<outcome>: <first difference or detail>``, one line."""
    detail = " ".join(result.detail.split())
    text = f"{result.outcome.value}: {detail}" if detail else result.outcome.value
    return text if len(text) <= REASON_CHARACTERS else text[: REASON_CHARACTERS - 3] + "..."


def update(previous: KnownFailures | None, run: Run) -> Change:
    """The known-failures entries after ``run``."""
    outcomes: dict[str, bool] = {}
    for result in run.results:  # a case handed in several containers fails if it fails in one
        outcomes[result.case] = outcomes.get(result.case, False) or result.outcome.failing
    failing = [result for result in run.results if result.outcome.failing]
    kept: dict[str, str] = {}
    pruned: list[str] = []
    for pattern, why in (previous.entries if previous is not None else {}).items():
        if is_glob(pattern):
            matched = [
                failed for case, failed in outcomes.items() if previous is not None and previous.covers(pattern, case)
            ]
            # A glob stays while one of its cases fails, or when the run did not reach any of them.
            keep = not matched or any(matched)
        else:
            keep = outcomes.get(pattern, True)
        if keep:
            kept[pattern] = why
        else:
            pruned.append(pattern)
    covering = KnownFailures(kept)
    added = list({result.case: result for result in failing if covering.reason(result.case) is None}.values())
    entries = dict(kept)
    entries.update((result.case, reason(result)) for result in added)
    return Change(entries, tuple(result.case for result in added), tuple(pruned))
