"""The run loop: every selected case through the parser, one outcome each, streamed to disk.

The loop never stops early: a crash, a hang or garbage from the parser is that case's outcome,
and the parser is restarted for the next one. Each result is appended to the results file (JSON
Lines) and flushed as it arrives, so an interrupted run keeps everything it had.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from kerasspec.corpus import Case, Corpus, Selection
from kerasspec.errors import DataFileError
from kerasspec.harness._known import KnownFailures, key, split
from kerasspec.harness._outcomes import CaseResult, judge
from kerasspec.harness._parsers import Parser, declared
from kerasspec.harness._run import Run
from kerasspec.harness._scan import judge_scan
from kerasspec.vocabulary import CONTAINERS, Outcome


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ResultsFile:
    """JSON Lines: a ``run`` header, one ``case`` line per result (flushed), a ``summary`` at the end.

    The file is locked while the run writes it; a second run given the same path at the same time
    writes beside it (``-2``, ``-3``, ... added to the name) instead, so both keep intact results (``path`` says where).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path, self._file = claim(Path(path))

    def write(self, kind: str, data: dict[str, Any]) -> None:
        self._file.write(json.dumps({"type": kind, **data}, allow_nan=True) + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def _sibling(path: Path, number: int) -> Path:
    return path if number == 1 else path.with_name(f"{path.stem}-{number}{path.suffix}")


def claim(path: Path) -> tuple[Path, IO[str]]:
    """``path`` opened for writing, or the first free ``path-N`` when another run holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for number in range(1, 1000):
        candidate = _sibling(path, number)
        file = candidate.open("a", encoding="utf-8")  # not "w": that would empty a file another run writes
        if _lock(file):
            file.truncate(0)
            return candidate, file
        file.close()
    raise OSError(f"{path}: 999 runs at once hold this results file and its siblings")


def _lock(file: IO[str]) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; runs at once must be given their own --results
        return True
    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class ResultsError(DataFileError):
    """A results file that cannot be read back (exit 65)."""

    code = "bad-results"


def load_results(path: str | os.PathLike[str]) -> Run:
    """The run a results file recorded, complete or not (a run killed mid-way has no summary line).

    Lets reports be written after the fact, e.g. for a run that was interrupted.
    """
    file = Path(path)
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ResultsError(f"cannot read {file}: {error.strerror}") from None
    records = []
    for number, line in enumerate(lines, start=1):
        try:
            records.append(json.loads(line))
        except ValueError:
            if number == len(lines):
                break  # the last line was being written when the run was killed
            raise ResultsError(f"{file}:{number} is not JSON") from None
    if not records or records[0].get("type") != "run":
        raise ResultsError(f"{file} does not start with a run line; is it a kerasspec results file?")
    header, summary = records[0], records[-1] if records[-1].get("type") == "summary" else {}
    try:
        results = [CaseResult.from_json(_without_type(r)) for r in records if r.get("type") == "case"]
        run = Run(
            parser=summary.get("parser", header["parser"]),
            corpus=header["corpus"],
            selection=header["selection"],
            options=header["options"],
            selected=header["selected"],
            started=header["started"],
            finished=summary.get("finished"),
            seconds=summary.get("seconds", sum(result.seconds for result in results)),
            results=results,
            interrupted=summary.get("interrupted", True),
            unexpected_passes=summary.get("unexpected_passes", []),
            stale_known_failures=summary.get("stale_known_failures", []),
            suite=dict(header.get("suite") or {}),
            protocol=header.get("protocol"),
            stopped=summary.get("stopped"),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ResultsError(f"{file} has a malformed record: {error!r}") from None
    return run


def _without_type(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key != "type"}


def verify_files(cases: Sequence[Case]) -> None:
    """Read every file of ``cases`` and check its sha256; :class:`~kerasspec.corpus.CorpusError` if one is off."""
    for case in cases:
        case.verify()


def handings(cases: Sequence[Case], containers: Sequence[str] | None, corpus: Corpus | None = None) -> list[Case]:
    """The cases as a reader of ``containers`` is handed them (spec/protocol.md#containers), in order.

    A reader of text gets each case once. A reader of files gets a case whose JSON is ``to_json``'s
    once in each container it reads that the case's producer writes (all three for a hand-made case)
    and for which the corpus has no case of its own (``<id>/h5``: what Keras writes into that
    container, where it differs); a case from a container, in that one. A case handed in no
    container stays, once, to be recorded as unsupported.
    """
    if containers is None:
        return list(cases)
    own = {case.id for case in (corpus.cases if corpus is not None else cases)}
    handed: list[Case] = []
    for case in cases:
        if (case.container or "to_json") != "to_json":
            handed.append(case)
            continue
        written = case.producer.containers if case.producer is not None else CONTAINERS
        chosen = [c for c in written if c in containers and (c == "to_json" or f"{case.id}/{c}" not in own)]
        if chosen:
            handed.extend(replace(case, container=c) for c in chosen)
        else:
            handed.append(case)
    return handed


def run(
    parser: Parser,
    cases: Sequence[Case],
    *,
    corpus: Corpus | None = None,
    selection: Selection | None = None,
    strict_errors: bool = False,
    known: KnownFailures | None = None,
    results_path: str | os.PathLike[str] | None = None,
    on_result: Callable[[CaseResult], None] | None = None,
    options: dict[str, Any] | None = None,
    verify: bool = True,
    max_fail: int | None = None,
    results: ResultsFile | None = None,
) -> Run:
    """Run ``cases`` through ``parser``; always returns the run, complete or interrupted (Ctrl-C).

    Unless ``verify`` is false, the corpus files of every case are checked against their sha256
    first, so a damaged corpus stops the run before the parser starts (``CorpusError``). With
    ``max_fail`` the run stops after that many failures (known failures aside). ``results`` is an
    already claimed results file (else one is opened at ``results_path``).
    """
    if verify:
        verify_files(cases)
    reads = declared(parser)  # a protocol parser is started to tell
    cases = handings(cases, reads.containers, corpus)
    state = Run(
        parser=parser.describe(),
        corpus={"root": str(corpus.root), "version": corpus.version} if corpus else {},
        selection=selection.describe() if selection else {},
        options={
            "strict_errors": strict_errors,
            "known_failures": known.source if known else None,
            **(options or {}),
        },
        selected=len(cases),
        started=_now(),
    )
    if known is not None:
        state.stale_known_failures = known.unused((case.id, case.container) for case in cases)
    sink = results if results is not None else ResultsFile(results_path) if results_path is not None else None
    clock = time.perf_counter()
    failing = 0
    try:
        if sink is not None:
            sink.write("run", state.metadata() | {"selected": state.selected})
        work = ((case, case.read_input(verify=False)) for case in cases)  # checked up front, or not asked for
        for case, answer, seconds in parser.answers(work):
            # Asked per answer: a parser whose first start failed declares its track when it starts.
            if answer.kind == "findings" or getattr(parser, "track", reads.track) == "scanner":
                judged = judge_scan(case, answer, case.read_input(verify=False), seconds=seconds)
            else:
                expected = case.read_expected(verify=False) if case.kind != "invalid" else None
                judged = judge(case, answer, expected, strict_errors=strict_errors, seconds=seconds)
            result = _known_failure(judged, known, state)
            state.results.append(result)
            if sink is not None:
                sink.write("case", result.to_json())
            if on_result is not None:
                on_result(result)
            failing += result.counts_as_failure
            if max_fail is not None and failing >= max_fail and state.executed < state.selected:
                state.stopped = f"stopped after {failing} failure(s) (--max-fail {max_fail})"
                break
    except KeyboardInterrupt:
        state.interrupted = True
    finally:
        parser.close()
        # A case listed for every container, handed in several, passed only if it passed in every one
        # (an entry for one container is named with it, and is no case id).
        still_failing = {result.case for result in state.results if result.outcome.failing}
        state.unexpected_passes = [c for c in dict.fromkeys(state.unexpected_passes) if c not in still_failing]
        state.parser = parser.describe()
        state.finished = _now()
        state.seconds = time.perf_counter() - clock
        if sink is not None:
            # The header was written before the parser started; the summary names what it turned out to be.
            ending = {"finished": state.finished, "seconds": round(state.seconds, 3), "parser": state.parser}
            sink.write("summary", state.summary() | ending)
            sink.close()
    return state


def _known_failure(result: CaseResult, known: KnownFailures | None, state: Run) -> CaseResult:
    """``result`` marked with its known-failures reason; a listed case that passed is noted in ``state``."""
    entry = known.entry(result.case, result.container) if known is not None else None
    if entry is None or known is None:
        return result
    if result.outcome is Outcome.PASS:
        state.unexpected_passes.append(result.case if split(entry)[1] is None else key(result.case, result.container))
        return result
    if result.outcome.failing:
        return replace(result, known=known.entries[entry])
    return result
