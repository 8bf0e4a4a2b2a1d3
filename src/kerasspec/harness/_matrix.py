"""Pass rates by feature, wire format and producer release: what every report tabulates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

from kerasspec.harness._outcomes import CaseResult
from kerasspec.vocabulary import CONTAINERS, Outcome, release_order

NO_FEATURE = "(untagged)"


@dataclass
class Tally:
    """Outcome counts of a group of cases; ``rate`` ignores unsupported cases."""

    counts: Counter[Outcome] = field(default_factory=Counter)
    known: int = 0

    def add(self, result: CaseResult) -> None:
        self.counts[result.outcome] += 1
        if result.known is not None:
            self.known += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def passed(self) -> int:
        return self.counts[Outcome.PASS]

    @property
    def unsupported(self) -> int:
        return self.counts[Outcome.UNSUPPORTED]

    @property
    def attempted(self) -> int:
        return self.total - self.unsupported

    @property
    def failed(self) -> int:
        return self.attempted - self.passed

    @property
    def rate(self) -> float | None:
        """Share of attempted cases that passed, or ``None`` when none was attempted."""
        return self.passed / self.attempted if self.attempted else None

    def cell(self) -> str:
        """``12/14`` (passed/attempted), or ``n/a`` when every case was unsupported."""
        return f"{self.passed}/{self.attempted}" if self.attempted else "n/a"


def tally(results: Iterable[CaseResult], key: Callable[[CaseResult], Iterable[Hashable]]) -> dict[Hashable, Tally]:
    """Group ``results`` by each key ``key(result)`` yields (a result can count in several groups)."""
    groups: dict[Hashable, Tally] = {}
    for result in results:
        for group in key(result):
            groups.setdefault(group, Tally()).add(result)
    return groups


def features_of(result: CaseResult) -> tuple[str, ...]:
    """The rows a result counts in: its feature tags, and for an invalid case ``invalid: <code>``."""
    if result.expected_error is not None:
        return (*result.features, f"invalid: {result.expected_error}")
    return result.features or (NO_FEATURE,)


def by_feature_and(results: Iterable[CaseResult], column: Callable[[CaseResult], str]) -> dict[tuple[str, str], Tally]:
    """The feature x ``column`` matrix (column: the format, or the release)."""
    cells = tally(results, lambda r: [(feature, column(r)) for feature in features_of(r)])
    return {key: value for key, value in cells.items() if isinstance(key, tuple)}


def containers(results: Iterable[CaseResult]) -> dict[str, Tally]:
    """Outcome counts per container (where the model JSON came from, or the file a reader was handed),
    in the spec's order."""
    groups = tally(results, lambda r: [r.container] if r.container else [])
    return {str(c): groups[c] for c in CONTAINERS if c in groups}


def scanner_line(counts: dict[str, int]) -> str:
    """A scanner's run in one sentence: what it found, missed, flagged wrongly and by policy."""
    return (
        f"code-carrying configs: {counts['found']} of {counts['sites']} found, {counts['missed']} missed; "
        f"{counts['false_alarms']} false alarm(s); {counts['policy_flags']} flag(s) on TensorFlow-op layers (policy)"
    )


def releases(results: Iterable[CaseResult]) -> list[tuple[str, str]]:
    """(format, release) pairs present, ordered by format then release."""
    pairs = {(r.format, r.release) for r in results}
    return sorted(pairs, key=lambda pair: (pair[0], release_order(pair[1])))
