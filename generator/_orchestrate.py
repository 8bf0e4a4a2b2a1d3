"""`python -m generator`: regenerate the corpus (all of it, or some producers / recipes)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from generator import _corpus, _invalid, _rules, _tables
from generator._matrix import REPO_ROOT, Environment, load_matrix, select
from generator._run import ProducerRun, run_all
from generator.recipes import RECIPES
from kerasspec.vocabulary import Producer

CORPUS_DIR = REPO_ROOT / "corpus"
GENERATED_BY = "python -m generator (kerasspec generator/, recipes in generator/recipes/)"
FIRST_VERSION = "0.1.0"


def applicable(producer: Producer, wanted: list[str]) -> list[str]:
    """The recipes the producer's worker runs (its own test repeated, for the progress display)."""
    names = wanted or sorted(RECIPES)
    release = producer.version[:3]
    legacy = producer.old_era

    def runs(name: str) -> bool:
        recipe = RECIPES[name]
        maximum = recipe.max_version.get(producer.format)
        return (
            producer.format in recipe.formats
            and not (maximum and release >= tuple(maximum))
            and not (legacy and "real-world" in recipe.tags)
        )

    return [n for n in names if runs(n)]


def generate(
    producer_args: list[str],
    recipe_args: list[str],
    *,
    jobs: int,
    corpus_dir: Path = CORPUS_DIR,
    tables: bool = True,
    console: Console | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Run the workers, merge with the committed corpus, write it; return summary figures."""
    console = console or Console()
    unknown = [r for r in recipe_args if r not in RECIPES]
    if unknown:
        raise SystemExit(f"unknown recipe(s): {', '.join(unknown)}")
    matrix = load_matrix()
    chosen = select(matrix, producer_args)
    started = time.monotonic()
    runs = run_all(chosen, lambda e: applicable(e.producer, recipe_args), jobs=jobs, signatures=not recipe_args)
    return write_corpus(
        runs, recipe_args, matrix, started=started, corpus_dir=corpus_dir, tables=tables, console=console, note=note
    )


def rewrite(
    *, corpus_dir: Path = CORPUS_DIR, tables: bool = True, console: Console | None = None, note: str | None = None
) -> dict[str, Any]:
    """Write the committed corpus back with the current writer, running no Keras (a new layout)."""
    return write_corpus(
        [],
        [],
        load_matrix(),
        started=time.monotonic(),
        corpus_dir=corpus_dir,
        tables=tables,
        console=console or Console(),
        note=note,
    )


def write_corpus(
    runs: list[ProducerRun],
    recipe_args: list[str],
    matrix: list[Environment],
    *,
    started: float,
    corpus_dir: Path,
    tables: bool,
    console: Console,
    note: str | None,
) -> dict[str, Any]:
    """Merge the runs' results into the committed corpus and write it; return summary figures."""
    generation_seconds = time.monotonic() - started
    old_manifest, old_cases = _corpus.load_cases(corpus_dir)
    # A failed worker replaces nothing: its producer keeps the committed cases.
    done = {run.producer.release for run in runs if run.status == "ok"}

    def replaced(producer: str, recipe: str) -> bool:
        return producer in done and (not recipe_args or recipe in recipe_args)

    old_invalid = [c for c in old_cases if c.id.startswith("invalid/")]
    old_handmade = [c for c in old_cases if c.id.startswith("handmade/")]
    kept = [
        c
        for c in old_cases
        if not c.id.startswith(("invalid/", "handmade/"))
        and not replaced(_corpus.producer_name_of(c.id), c.meta["recipe"])
    ]
    fresh, unbuildable, failures = collect([run for run in runs if run.status == "ok"])
    old_unbuildable = [
        u for u in (old_manifest or {}).get("unbuildable", []) if not replaced(u["producer"], u["recipe"])
    ]
    cases = kept + fresh
    cases += _invalid.build_invalid_cases(cases, old_invalid) + _invalid.build_handmade_cases(cases, old_handmade)
    cases.sort(key=lambda c: c.id)
    files = _corpus.lay_out(cases)

    manifest = {
        "generated_by": GENERATED_BY,
        "producers": producer_entries(matrix, runs, old_manifest),
        "cases": _rules.annotate([_corpus.manifest_case(c) for c in cases]),
        "unbuildable": sorted(unbuildable + old_unbuildable, key=lambda u: (u["producer"], u["recipe"])),
    }
    version, changes = next_version(old_manifest, manifest, old_cases, cases)
    manifest = {"version": version, **manifest}
    _corpus.write_files(corpus_dir, files)
    (corpus_dir / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    if changes:
        add_changelog(corpus_dir, version, ([note] if note else []) + changes)
    if tables:
        _tables.write_tables(manifest, corpus_dir, runs)
        _rules.write_rules_table(manifest)
    n_files, size = _corpus.corpus_size(corpus_dir)
    summary = {
        "runs": [(r.producer.release, r.status, r.seconds, len(r.results)) for r in runs],
        "generation_seconds": generation_seconds,
        "total_seconds": time.monotonic() - started,
        "cases": len(cases),
        "files": n_files,
        "bytes": size,
        "version": version,
        "failures": failures,
    }
    print_summary(console, summary)
    return summary


def collect(runs: list[ProducerRun]) -> tuple[list[_corpus.Case], list[dict[str, str]], list[str]]:
    cases: list[_corpus.Case] = []
    unbuildable: list[dict[str, str]] = []
    failures: list[str] = []
    for run in runs:
        for result in run.results:
            recipe = RECIPES[result["recipe"]]
            if result["status"] == "ok":
                cases += _corpus.cases_from_result(run.producer, recipe, result)
            else:
                error = result["error"]
                if result["status"] == "failed":  # the generator's own problem: shout
                    error = f"generator: {error}"
                    failures.append(f"{run.producer.release} {recipe.name}: {result['error']}")
                unbuildable.append({"recipe": recipe.name, "producer": run.producer.release, "error": error})
    return cases, unbuildable, failures


def producer_entries(
    matrix: list[Environment], runs: list[ProducerRun], old: dict[str, Any] | None
) -> list[dict[str, Any]]:
    by_name = {r.producer.release: r for r in runs}
    old_by_key = {(p["package"], p["version"], p["backend"]): p for p in (old or {}).get("producers", [])}
    entries = []
    for producer in (environment.producer for environment in matrix):
        entry: dict[str, Any] = {**_corpus.producer_ref(producer), "format": producer.format}
        run = by_name.get(producer.release)
        if run is not None:
            entry.update(status=run.status, error=run.error)
        else:
            previous = old_by_key.get((producer.package, producer.version_text, producer.backend), {})
            entry.update(status=previous.get("status", "not-generated"), error=previous.get("error"))
        entries.append(entry)
    return entries


def next_version(
    old: dict[str, Any] | None, new: dict[str, Any], old_cases: list[_corpus.Case], new_cases: list[_corpus.Case]
) -> tuple[str, list[str]]:
    """Same content keeps the version; any change bumps the minor (0.x: still unstable)."""
    if old is None:
        return FIRST_VERSION, [f"First corpus: {len(new_cases)} cases."]
    old_body = {k: v for k, v in old.items() if k != "version"}
    if old_body == new:
        return old["version"], []
    major, minor, _ = (int(p) for p in old["version"].split("."))
    before = {c.id: c.files for c in old_cases}
    after = {c.id: c.files for c in new_cases}
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(i for i in set(before) & set(after) if before[i] != after[i])
    changes = [f"{len(new_cases)} cases: {len(added)} added, {len(removed)} removed, {len(changed)} changed."]
    for label, ids in (("added", added), ("removed", removed), ("changed", changed)):
        if ids:
            changes.append(f"{label}: {summarize_ids(ids)}")
    if not (added or removed or changed):
        changes.append("manifest metadata changed (producers, unbuildable, descriptions or tags).")
    return f"{major}.{minor + 1}.0", changes


def summarize_ids(ids: list[str]) -> str:
    """Group ids by producer folder so that a changelog line stays short."""
    groups: dict[str, int] = {}
    for case_id in ids:
        key = "/".join(case_id.split("/")[:2])
        groups[key] = groups.get(key, 0) + 1
    return ", ".join(f"{k} ({n})" for k, n in sorted(groups.items()))


def add_changelog(corpus_dir: Path, version: str, changes: list[str]) -> None:
    path = corpus_dir / "CHANGELOG.md"
    head = "# Corpus changelog\n\nOne entry per manifest version (newest first), written by `python -m generator`.\n"
    body = path.read_text()[len(head) :] if path.exists() and path.read_text().startswith(head) else ""
    entry = f"\n## {version}\n\n" + "".join(f"- {line}\n" for line in changes)
    path.write_text(head + entry + body)


def print_summary(console: Console, summary: dict[str, Any]) -> None:
    table = Table(title="corpus generation")
    for column in ("producer", "status", "seconds", "recipes"):
        table.add_column(column)
    for name, status, seconds, n in summary["runs"]:
        table.add_row(name, status, f"{seconds:.1f}", str(n))
    console.print(table)
    for failure in summary["failures"]:
        console.print(f"[red]generator failure:[/red] {failure}")
    console.print(
        f"total {summary['total_seconds']:.1f}s (workers {summary['generation_seconds']:.1f}s); "
        f"corpus {summary['version']}: {summary['cases']} cases, {summary['files']} files, "
        f"{summary['bytes'] / 1e6:.2f} MB"
    )
