"""``kerasspec show CASE [--results FILE]``: one case whole, and what a run's parser made of it."""

from __future__ import annotations

import difflib
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import click

from kerasspec import corpus as _corpus
from kerasspec.canonical import differences
from kerasspec.harness._outcomes import CaseResult, display_path, error_line
from kerasspec.harness._run import Run
from kerasspec.harness._runner import ResultsError, load_results
from kerasspec.vocabulary import EXIT_BAD_INPUT

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


def _field(name: str, value: str) -> None:
    click.echo(f"{name:<12}{value}")


def _document(data: Any) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)


def _results(run: Run, case_id: str) -> list[CaseResult]:
    """The case's results: one, or one per container a reader of files was handed it in."""
    return [result for result in run.results if result.case == case_id]


def _place(item: dict[str, Any]) -> str:
    """A site or a finding of a scanner's result, in one line."""
    if "kind" in item:
        return f"{item['path']} ({item['kind']} in {' > '.join(item['layers']) or 'the model'})"
    return str(item.get("path") or (f"layer {item['layer']!r}" if item.get("layer") else "the file"))


@click.command("show")
@click.argument("case_id", metavar="CASE")
@click.option("--results", type=click.Path(dir_okay=False, exists=True), help="A results file of a run of the case.")
@click.option(
    "--corpus",
    "corpus_path",
    type=click.Path(file_okay=False),
    help="Corpus directory (default: bundled, or the one the results file names).",
)
@click.option("--no-documents", is_flag=True, help="Leave out the expected document and the parser's answer.")
def show_command(case_id: str, results: str | None, corpus_path: str | None, no_documents: bool) -> None:
    """Show one corpus case: what it is, its files and expected document; with --results, the parser's
    answer, every path where it differs, and the command that reruns the case."""
    run: Run | None = None
    if results is not None:
        try:
            run = load_results(results)
        except ResultsError as error:
            click.echo(f"error[{error.code}]: {error}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        recorded_root = run.corpus.get("root")
        if corpus_path is None and recorded_root and Path(recorded_root, "manifest.json").is_file():
            corpus_path = recorded_root
    try:
        loaded = _corpus.load(corpus_path)
        case = loaded.case(case_id)
    except _corpus.CorpusError as error:
        click.echo(f"error[{error.code}]: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except KeyError:
        near = difflib.get_close_matches(case_id, [c.id for c in loaded.cases], n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(near)}?" if near else "; `kerasspec check --list` lists the cases"
        raise click.BadParameter(f"no case {case_id} in corpus {loaded.version} ({loaded.root}){hint}") from None

    _field("case", case.id)
    _field("kind", f"{case.kind}: {_KIND_WORDS[case.kind]}")
    _field("format", case.format)
    _field("producer", _producer(case))
    if case.container:
        _field("container", case.container)
    if case.recipe:
        _field("recipe", case.recipe)
    _field("features", ", ".join(case.features) or "(none)")
    _field("description", case.description)
    _field("input", display_path(case.input_path))
    for name, relative in (("expected", case.expected), ("live", case.live)):
        if relative is not None:
            _field(name, display_path(case.root / relative))
    if case.error is not None:
        _field("error", f"error[{case.error}] (spec/errors.md)")

    if run is not None:
        _field("rerun", run.rerun_command(case.id))
    else:
        _field("rerun", f"kerasspec check --case {case.id} -- YOUR-PARSER")
    if case.expected is not None and not no_documents:
        click.echo("\nexpected document:")
        click.echo(_document(case.read_expected()))
    if run is None:
        return
    found_results = _results(run, case.id)
    if not found_results:
        click.echo("")
        _field("result", f"not in {results} (the run did not select or reach this case)")
    for result in found_results:
        click.echo("")
        _show_result(result, case, results, no_documents)


def _show_result(result: CaseResult, case: _corpus.Case, results: str | None, no_documents: bool) -> None:
    known = f" (known failure: {result.known})" if result.known else ""
    handed = f" [{result.container}]" if result.label != result.case else ""
    _field("result", f"{result.outcome.value}{handed}{known}, in {results}")
    for name, items in (("missed", result.missed), ("false alarm", result.false_alarms), ("policy", result.policy)):
        for item in items or ():
            _field(name, _place(item))
    if result.detail:
        _field("detail", result.detail)
    if result.error is not None:
        _field("answer", error_line(result.error))
    if result.document is not None and case.expected is not None:
        found = list(itertools.islice(differences(case.read_expected(), result.document), _PATHS_SHOWN + 1))
        more = f" (the first {_PATHS_SHOWN})" if len(found) > _PATHS_SHOWN else ""
        click.echo(f"\n{min(len(found), _PATHS_SHOWN)} differing path(s){more}:")
        for difference in found[:_PATHS_SHOWN]:
            click.echo(f"  {difference}")
    elif result.difference is not None:  # the document was too large to keep: the first difference only
        click.echo(f"\ndiffering path: {result.difference['path']}: {result.difference['reason']}")
    if result.document is not None and not no_documents:
        click.echo("\nthe parser's document:")
        click.echo(_document(result.document))
