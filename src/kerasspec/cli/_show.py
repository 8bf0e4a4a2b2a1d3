"""``kerasspec show CASE [--results FILE]``: one case whole, and what a run's parser made of it."""

from __future__ import annotations

import difflib
from pathlib import Path

import click

from kerasspec import corpus as _corpus
from kerasspec.cli._common import fail_data_file
from kerasspec.harness._run import Run
from kerasspec.harness._runner import ResultsError, load_results
from kerasspec.harness._show import describe


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
            fail_data_file(error)
        recorded_root = run.corpus.get("root")
        if corpus_path is None and recorded_root and Path(recorded_root, "manifest.json").is_file():
            corpus_path = recorded_root
    try:
        loaded = _corpus.load(corpus_path)
        case = loaded.case(case_id)
    except _corpus.CorpusError as error:
        fail_data_file(error)
    except KeyError:
        near = difflib.get_close_matches(case_id, [c.id for c in loaded.cases], n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(near)}?" if near else "; `kerasspec check --list` lists the cases"
        raise click.BadParameter(f"no case {case_id} in corpus {loaded.version} ({loaded.root}){hint}") from None
    for line in describe(case, run, results or "", documents=not no_documents):
        click.echo(line)
