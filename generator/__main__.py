"""`python -m generator [--producer keras==3.15.1] [--recipe NAME] [--jobs 2]` or `--rewrite`."""

from __future__ import annotations

from pathlib import Path

import click

from generator._orchestrate import CORPUS_DIR, generate
from generator._orchestrate import rewrite as rewrite_corpus


@click.command()
@click.option(
    "--producer",
    "producers",
    multiple=True,
    help="A release to (re)generate: `keras==3.15.1`, or a matrix name like `keras-3.15.1-jax`. "
    "Repeatable; default: every producer in generator/matrix.toml.",
)
@click.option("--recipe", "recipes", multiple=True, help="Only this recipe (repeatable).")
@click.option("--jobs", default=2, show_default=True, help="Releases generated in parallel.")
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=CORPUS_DIR,
    show_default=True,
    help="Corpus folder to merge into and write.",
)
@click.option("--no-tables", is_flag=True, help="Do not rewrite spec/generated/.")
@click.option("--note", help="Why the corpus changes: the first line of its changelog entry.")
@click.option(
    "--rewrite",
    is_flag=True,
    help="Run no Keras: write the committed corpus back with the current writer (its layout).",
)
def main(
    producers: tuple[str, ...],
    recipes: tuple[str, ...],
    jobs: int,
    corpus_dir: Path,
    no_tables: bool,
    note: str | None,
    rewrite: bool,
) -> None:
    """Regenerate the corpus from real Keras releases (venvs in .cache/producers/, reused)."""
    if rewrite:
        if producers or recipes:
            raise click.UsageError("--rewrite runs no producer: drop --producer and --recipe")
        rewrite_corpus(corpus_dir=corpus_dir, tables=not no_tables, note=note)
        return
    summary = generate(
        list(producers), list(recipes), jobs=jobs, corpus_dir=corpus_dir, tables=not no_tables, note=note
    )
    if summary["failures"] or any(status != "ok" for _, status, _, _ in summary["runs"]):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
