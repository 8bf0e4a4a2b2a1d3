"""One case whole, and what a run's parser made of it: the text of ``kerasspec show`` (the command's
arguments are :mod:`kerasspec.cli._show`'s)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

from kerasspec import corpus as _corpus
from kerasspec.canonical import differences
from kerasspec.harness._outcomes import CaseResult, display_path, error_line
from kerasspec.harness._run import Run
from kerasspec.harness._scan import place

_PATHS_SHOWN = 200  # differing paths listed at most (a parser that got everything wrong differs everywhere)
_KIND_WORDS = {
    "valid": "the parser must produce the expected document",
    "lossy": "the parser must produce the expected document; live.json shows what the JSON lost",
    "invalid": "the parser must reject the input",
}


def _producer(case: _corpus.Case) -> str:
    producer = case.producer
    if producer is None:
        return "hand-made (no Keras release wrote it)"
    extras = [f"backend {producer.backend}"] if producer.backend else []
    if producer.tensorflow:
        extras.append(f"TensorFlow {producer.tensorflow}")
    return f"{producer.package} {producer.version_text}" + (f" ({', '.join(extras)})" if extras else "")


def _field(name: str, value: str) -> str:
    return f"{name:<12}{value}"


def _document(data: Any) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)


def _results(run: Run, case_id: str) -> list[CaseResult]:
    """The case's results: one, or one per container a reader of files was handed it in."""
    return [result for result in run.results if result.case == case_id]


def describe(case: _corpus.Case, run: Run | None = None, results: str = "", *, documents: bool = True) -> Iterator[str]:
    """The lines that show ``case``: what it is, its files and expected document; with the ``run``
    recorded in the file ``results``, the parser's answer, every path where it differs from the
    expected document and the command that reruns the case. ``documents=False`` leaves the
    documents out."""
    yield _field("case", case.id)
    yield _field("kind", f"{case.kind}: {_KIND_WORDS[case.kind]}")
    yield _field("format", case.format)
    yield _field("producer", _producer(case))
    if case.container:
        yield _field("container", case.container)
    if case.recipe:
        yield _field("recipe", case.recipe)
    yield _field("features", ", ".join(case.features) or "(none)")
    yield _field("description", case.description)
    yield _field("input", display_path(case.input_path))
    for name, relative in (("expected", case.expected), ("live", case.live)):
        if relative is not None:
            yield _field(name, display_path(case.root / relative))
    if case.error is not None:
        yield _field("error", f"error[{case.error}] (spec/errors.md)")

    if run is not None:
        yield _field("rerun", run.rerun_command(case.id))
    else:
        yield _field("rerun", f"kerasspec check --case {case.id} -- YOUR-PARSER")
    if case.expected is not None and documents:
        yield "\nexpected document:"
        yield _document(case.read_expected())
    if run is None:
        return
    found_results = _results(run, case.id)
    if not found_results:
        yield ""
        yield _field("result", f"not in {results} (the run did not select or reach this case)")
    for result in found_results:
        yield ""
        yield from _result_lines(result, case, results, documents)


def _result_lines(result: CaseResult, case: _corpus.Case, results: str, documents: bool) -> Iterator[str]:
    known = f" (known failure: {result.known})" if result.known else ""
    handed = f" [{result.container}]" if result.label != result.case else ""
    yield _field("result", f"{result.outcome.value}{handed}{known}, in {results}")
    for name, items in (("missed", result.missed), ("false alarm", result.false_alarms), ("policy", result.policy)):
        for item in items or ():
            yield _field(name, place(item))
    if result.detail:
        yield _field("detail", result.detail)
    if result.error is not None:
        yield _field("answer", error_line(result.error))
    if result.document is not None and case.expected is not None:
        found = list(itertools.islice(differences(case.read_expected(), result.document), _PATHS_SHOWN + 1))
        more = f" (the first {_PATHS_SHOWN})" if len(found) > _PATHS_SHOWN else ""
        yield f"\n{min(len(found), _PATHS_SHOWN)} differing path(s){more}:"
        for difference in found[:_PATHS_SHOWN]:
            yield f"  {difference}"
    elif result.difference is not None:  # the document was too large to keep: the first difference only
        yield f"\ndiffering path: {result.difference['path']}: {result.difference['reason']}"
    if result.document is not None and documents:
        yield "\nthe parser's document:"
        yield _document(result.document)
