"""The ratchet: a known-failures list rewritten from a run (``check --write-known-failures``).

Entries whose cases now pass are pruned; cases that fail and no entry covers are added with the
outcome and first difference as the reason; every other entry, with its reason, is kept as it was
(also those for cases the run did not select, so a filtered run never loses an entry). A case
handed in several containers that fails in some of them only is added once per failing container
(``"<case id> [h5]"``), so that a failure in another container still fails the run.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass

from kerasspec.harness._known import KnownFailures, is_glob, key, split
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
    handed: dict[tuple[str, str | None], bool] = {}  # (case, container): failed there
    for result in run.results:
        handing = (result.case, result.container)
        handed[handing] = handed.get(handing, False) or result.outcome.failing
    # Whether each case failed: in any container (for an entry naming none), or in each container.
    outcomes: dict[str | None, dict[str, bool]] = {None: {}}
    handed_in: dict[str, set[str | None]] = {}  # the containers each case was handed in
    for (case, there), failed in handed.items():
        outcomes[None][case] = outcomes[None].get(case, False) or failed
        outcomes.setdefault(there, {})[case] = failed
        handed_in.setdefault(case, set()).add(there)
    kept: dict[str, str] = {}
    pruned: list[str] = []
    for entry, why in (previous.entries if previous is not None else {}).items():
        pattern, container = split(entry)
        reached = outcomes.get(container, {})
        if is_glob(pattern):
            matched = [failed for case, failed in reached.items() if fnmatch.fnmatchcase(case, pattern)]
            # A glob stays while one of its cases fails, or when the run did not reach any of them.
            keep = not matched or any(matched)
        else:
            keep = reached.get(pattern, True)
        if keep:
            kept[entry] = why
        else:
            pruned.append(entry)
    covering = KnownFailures(kept)
    uncovered: dict[str, dict[str | None, CaseResult]] = {}
    for result in run.results:
        if result.outcome.failing and covering.entry(result.case, result.container) is None:
            uncovered.setdefault(result.case, {}).setdefault(result.container, result)
    added: dict[str, CaseResult] = {}
    for case, failing in uncovered.items():
        if len(failing) == len(handed_in[case]):  # it fails wherever it was handed: one entry for the case
            added[case] = next(iter(failing.values()))
        else:
            added.update((key(case, container), result) for container, result in failing.items())
    entries = dict(kept)
    entries.update((entry, reason(result)) for entry, result in added.items())
    return Change(entries, tuple(added), tuple(pruned))
