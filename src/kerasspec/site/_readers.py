"""The readers a site shows: one results file each, with the tallies its pages need."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kerasspec.harness import CaseResult, Run, load_results
from kerasspec.harness._matrix import Tally, features_of
from kerasspec.vocabulary import HAND_MADE, release_order

# The front page's columns: what kind of input a reader is judged on.
COLUMNS = (
    ("keras2", "keras2 models"),
    ("keras3", "keras3 models"),
    ("must-reject", "must reject"),
)
# Where a scanner's results count (spec/protocol.md#tracks): files whose code it found, all of it and
# nothing else. The front page has this column when one of its results files is a scanner's.
SCANNERS = ("scanner", "scanners")


def columns(readers: Sequence[Reader]) -> tuple[tuple[str, str], ...]:
    """The front page's columns for ``readers``: the scanners column only where a scanner is among them."""
    return COLUMNS + ((SCANNERS,) if any(reader.scanner for reader in readers) else ())


def column_of(result: CaseResult) -> str:
    """The front-page column a result counts in: its wire format, or ``must-reject`` for an invalid case."""
    return "must-reject" if result.kind == "invalid" else result.format


@dataclass
class Reader:
    """One results file: the run, a stable slug for its folder, and its tallies."""

    slug: str
    source: Path
    run: Run
    columns: dict[str, Tally] = field(default_factory=dict)
    grid: dict[tuple[str, str, str], Tally] = field(default_factory=dict)  # (format, release, row)

    @property
    def name(self) -> str:
        implementation = self.run.implementation or {}
        return str(implementation.get("name") or self.source.stem)

    @property
    def version(self) -> str:
        implementation = self.run.implementation or {}
        return str(implementation.get("version") or "")

    @property
    def scanner(self) -> bool:
        """Whether the results are a scanner's (its run declared the scanner track)."""
        return self.run.track == "scanner"

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}".strip()

    @property
    def failing(self) -> list[CaseResult]:
        """Results with a failing outcome (known failures included: they are still wrong)."""
        return [result for result in self.run.results if result.outcome.failing]

    def suite(self) -> dict[str, str]:
        """The suite's four versions the run was made with (``?`` where the file does not say)."""
        protocol = self.run.protocol
        return {
            "package": str(self.run.suite.get("version", "?")),
            "spec": str(self.run.suite.get("spec", "?")),
            "corpus": str(self.run.corpus.get("version", "?")),
            "protocol": "?" if protocol is None else str(protocol),
        }

    def releases(self, fmt: str) -> list[str]:
        found = {release for (f, release, _) in self.grid if f == fmt}
        return sorted(found, key=lambda release: (release == HAND_MADE, release_order(release)))

    def rows(self, fmt: str) -> list[str]:
        found = {row for (f, _, row) in self.grid if f == fmt}
        return sorted(found, key=lambda row: (row.startswith("invalid: "), row))

    def formats(self) -> list[str]:
        return sorted({fmt for (fmt, _, _) in self.grid})


def slug(text: str) -> str:
    """A file-name-safe form of ``text`` (lower case letters, digits, dots and dashes)."""
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-.") or "x"


def load(paths: Sequence[str | os.PathLike[str]]) -> list[Reader]:
    """A :class:`Reader` per results file, slugs made unique (``ResultsError`` for a bad file)."""
    readers: list[Reader] = []
    taken: set[str] = set()
    for path in paths:
        run = load_results(path)
        base = slug(Path(path).stem)
        name, number = base, 1
        while name in taken:
            number += 1
            name = f"{base}-{number}"
        taken.add(name)
        reader = Reader(slug=name, source=Path(path), run=run)
        _tally(reader, run.results)
        readers.append(reader)
    return readers


def _tally(reader: Reader, results: Iterable[CaseResult]) -> None:
    columns, grid = reader.columns, reader.grid
    scanner = reader.scanner
    for result in results:
        column = SCANNERS[0] if scanner else column_of(result)
        if column not in columns:  # not setdefault: a Tally built per call costs more than the count
            columns[column] = Tally()
        columns[column].add(result)
        for row in features_of(result):
            key = (result.format, result.release, row)
            if key not in grid:
                grid[key] = Tally()
            grid[key].add(result)
