"""A conformance run: every selected case's result plus the metadata the reports need."""

from __future__ import annotations

import shlex
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import kerasspec
from kerasspec.harness import _matrix, _protocol
from kerasspec.harness._outcomes import CaseResult
from kerasspec.vocabulary import CONTAINERS, Outcome, release_order

#: The outcomes of a scanner's answer that was judged (a crash or a timeout judged nothing).
_JUDGED_SCANS = (Outcome.PASS, Outcome.MISSED, Outcome.FALSE_ALARM)


def _suite() -> dict[str, Any]:
    from kerasspec import _versions

    return {"name": "kerasspec", "version": kerasspec.__version__, "spec": _versions.spec()}


@dataclass(repr=False)
class Run:
    """The results of a run so far; complete when ``executed == selected``."""

    parser: dict[str, Any]
    corpus: dict[str, Any]
    selection: dict[str, list[str]]
    options: dict[str, Any]
    selected: int
    started: str
    finished: str | None = None
    seconds: float = 0.0
    results: list[CaseResult] = field(default_factory=list)
    interrupted: bool = False
    unexpected_passes: list[str] = field(default_factory=list)  # known failures that passed
    stale_known_failures: list[str] = field(default_factory=list)  # patterns matching no selected case
    # The suite that made the run (the package and spec versions), as its results file recorded it.
    suite: dict[str, Any] = field(default_factory=lambda: _suite())
    protocol: int | None = _protocol.PROTOCOL_VERSION
    stopped: str | None = None  # why the run stopped before the end on purpose (--max-fail)

    def __repr__(self) -> str:
        # The dataclass repr would print every result; a run of the corpus has hundreds.
        counts = ", ".join(f"{outcome} {n}" for outcome, n in self.counts().items() if n)
        name = (self.implementation or {}).get("name", "?")
        return (
            f"<Run {name}: {'passed' if self.passed else 'failed'}, {self.executed}/{self.selected} cases ({counts})>"
        )

    @property
    def executed(self) -> int:
        return len(self.results)

    @property
    def implementation(self) -> dict[str, Any] | None:
        implementation: dict[str, Any] | None = self.parser.get("implementation")
        return implementation

    @property
    def track(self) -> str:
        """``scanner`` for a reader that declared itself one, else ``parser``."""
        return str(self.parser.get("track") or "parser")

    @property
    def containers(self) -> list[str]:
        """The containers the results were handed in (or whose JSON they read), in the spec's order."""
        present = {result.container for result in self.results if result.container}
        return [container for container in CONTAINERS if container in present]

    def by_container(self) -> dict[str, dict[str, int]]:
        """Outcome counts per container (only the outcomes that occur)."""
        counts: dict[str, Counter[str]] = {}
        for result in self.results:
            if result.container:
                counts.setdefault(result.container, Counter())[result.outcome.value] += 1
        return {container: dict(counts[container]) for container in self.containers}

    def scanner_counts(self) -> dict[str, int]:
        """Scanner track: code-carrying configs in the files judged, found, missed; false alarms; policy flags."""
        judged = [r for r in self.results if r.outcome in _JUDGED_SCANS]
        sites = sum(len(r.sites or ()) for r in judged)
        missed = sum(len(r.missed or ()) for r in judged)
        return {
            "sites": sites,
            "found": sites - missed,
            "missed": missed,
            "false_alarms": sum(len(r.false_alarms or ()) for r in judged),
            "policy_flags": sum(len(r.policy or ()) for r in judged),
        }

    def counts(self) -> dict[str, int]:
        """How many cases had each outcome (every outcome listed, zeros included)."""
        counter = Counter(result.outcome for result in self.results)
        return {outcome.value: counter.get(outcome, 0) for outcome in Outcome}

    @property
    def failures(self) -> list[CaseResult]:
        """Results that fail the run (known failures excluded)."""
        return [result for result in self.results if result.counts_as_failure]

    @property
    def known_failures(self) -> list[CaseResult]:
        return [result for result in self.results if result.known is not None]

    @property
    def passed(self) -> bool:
        """All selected cases ran, none failed unexpectedly, and no known failure started passing."""
        return self.executed == self.selected and not self.failures and not self.unexpected_passes

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    def problems(self) -> list[str]:
        """Why the run failed, one sentence each (empty when it passed)."""
        problems = []
        if self.executed < self.selected:
            problems.append(f"only {self.executed} of {self.selected} selected cases were executed")
        if self.failures:
            problems.append(f"{len(self.failures)} case(s) failed")
        if self.unexpected_passes:
            # Every one is named: the list is what a person deletes (or --write-known-failures prunes).
            problems.append(
                f"{len(self.unexpected_passes)} known failure(s) now pass; remove them from the "
                f"known-failures file (or rerun with --write-known-failures): {', '.join(self.unexpected_passes)}"
            )
        if self.stopped:
            problems.append(self.stopped)
        if self.parser.get("startup_problem"):
            problems.append(str(self.parser["startup_problem"]))
        return problems

    def rerun_arguments(self, case_id: str) -> list[str] | None:
        """The command line that runs ``case_id`` again the way this run did (``None`` for a run from Python)."""
        rerun = self.options.get("rerun")
        if not isinstance(rerun, list):
            return None
        return ["kerasspec", "check", "--case", case_id, *map(str, rerun)]

    def rerun_command(self, case_id: str) -> str:
        """The one command that runs ``case_id`` again the way this run did, ready to paste."""
        arguments = self.rerun_arguments(case_id)
        if arguments is None:  # a run from Python: the call, narrowed to the case
            return f"kerasspec.check(..., selection=kerasspec.corpus.Selection(ids=({case_id!r},)))"
        return shlex.join(arguments)

    def metadata(self) -> dict[str, Any]:
        """Everything about the run except the per-case results."""
        return {
            "suite": self.suite,
            "protocol": self.protocol,
            "corpus": self.corpus,
            "parser": self.parser,
            "selection": self.selection,
            "options": self.options,
            "started": self.started,
            "finished": self.finished,
            "seconds": round(self.seconds, 3),
        }

    def summary(self) -> dict[str, Any]:
        return {
            "selected": self.selected,
            "executed": self.executed,
            "interrupted": self.interrupted,
            "passed": self.passed,
            "counts": self.counts(),
            "failures": len(self.failures),
            "known_failures": len(self.known_failures),
            "unexpected_passes": list(self.unexpected_passes),
            "stale_known_failures": list(self.stale_known_failures),
            "stopped": self.stopped,
            "problems": self.problems(),
            "track": self.track,
            "by_container": self.by_container(),
            **({"scanner": self.scanner_counts()} if self.track == "scanner" else {}),
        }

    def to_json(self) -> dict[str, Any]:
        """The ``--report json`` document (``schemas/protocol/report.json``)."""
        return {
            **self.metadata(),
            "summary": self.summary(),
            "matrix": self.matrix(),
            "results": [result.to_json() for result in self.results],
        }

    def matrix(self) -> list[dict[str, Any]]:
        """The feature x release table: one row per (feature, format, release) that has cases."""
        cells = _matrix.by_feature_and(self.results, lambda r: f"{r.format}|{r.release}")
        rows: list[dict[str, Any]] = []
        for (feature, column), tally in cells.items():
            fmt, release = column.split("|", 1)
            rows.append(
                {
                    "feature": feature,
                    "format": fmt,
                    "release": release,
                    "passed": tally.passed,
                    "attempted": tally.attempted,
                    "unsupported": tally.unsupported,
                    "known": tally.known,
                }
            )
        rows.sort(key=lambda row: (row["feature"], row["format"], release_order(str(row["release"]))))
        return rows
