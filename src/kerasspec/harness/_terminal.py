"""The terminal side of a run: a progress bar while it runs, summary tables when it ends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from kerasspec.harness import _matrix
from kerasspec.harness._outcomes import CaseResult
from kerasspec.harness._run import Run

_FAILURES_SHOWN = 20


@contextmanager
def progress(console: Console, total: int, enabled: bool = True) -> Iterator[Callable[[CaseResult], None]]:
    """A callback to give each result to; draws a bar with the running pass/fail counts."""
    if not enabled:
        yield lambda result: None
        return
    failed = 0
    bar = Progress(
        TextColumn("[bold]checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    with bar:
        task = bar.add_task("cases", total=total, status="")

        def advance(result: CaseResult) -> None:
            nonlocal failed
            failed += result.counts_as_failure
            status = f"[red]{failed} failing" if failed else "[green]all passing"
            bar.update(task, advance=1, status=status)

        yield advance


def _rate(tally: _matrix.Tally) -> Text:
    rate = tally.rate
    if rate is None:
        return Text("n/a", style="dim")
    style = "green" if rate == 1 else "red" if rate == 0 else "yellow"
    return Text(f"{tally.cell()} {rate:.0%}", style=style)


def summary(console: Console, run: Run) -> None:
    """Tables: by producer release, by feature x format, the first failures; then the verdict."""
    implementation = run.implementation or {}
    console.print(
        f"[bold]{implementation.get('name', 'parser')} {implementation.get('version', '')}[/] "
        f"({implementation.get('language', '?')}): {run.executed}/{run.selected} cases in {run.seconds:.2f} s"
    )
    by_release = Table(title="By producer release", title_justify="left")
    for column in ("format", "release", "cases", "passed", "failing", "unsupported", "known"):
        by_release.add_column(column, justify="left" if column in ("format", "release") else "right")
    releases = _matrix.tally(run.results, lambda r: [(r.format, r.release)])
    for fmt, release in _matrix.releases(run.results):
        tally = releases[(fmt, release)]
        failing = sum(n for outcome, n in tally.counts.items() if outcome.failing)
        by_release.add_row(
            fmt,
            release,
            str(tally.total),
            _rate(tally),
            str(failing - tally.known),
            str(tally.unsupported),
            str(tally.known),
        )
    console.print(by_release)

    formats = sorted({r.format for r in run.results})
    matrix = _matrix.by_feature_and(run.results, lambda r: r.format)
    failing_releases = _matrix.by_feature_and([r for r in run.results if r.outcome.failing], lambda r: r.release)
    by_feature = Table(title="By feature x format", title_justify="left")
    by_feature.add_column("feature")
    for fmt in formats:
        by_feature.add_column(fmt, justify="right")
    by_feature.add_column("releases with failures")
    for feature in sorted({feature for feature, _ in matrix}):
        cells = [_rate(matrix[(feature, fmt)]) if (feature, fmt) in matrix else Text("") for fmt in formats]
        bad = sorted({rel for (feat, rel) in failing_releases if feat == feature}, key=_matrix.release_order)
        by_feature.add_row(feature, *cells, Text(", ".join(bad), style="red"))
    console.print(by_feature)

    failures = run.failures
    if failures:
        table = Table(title=f"Failures ({len(failures)})", title_justify="left", show_lines=False)
        table.add_column("case", overflow="fold")
        table.add_column("outcome", style="red")
        table.add_column("detail", overflow="fold")
        for result in failures[:_FAILURES_SHOWN]:
            table.add_row(result.case, result.outcome.value, result.detail[:300])
        console.print(table)
        if len(failures) > _FAILURES_SHOWN:
            console.print(f"... and {len(failures) - _FAILURES_SHOWN} more (see the results file or a report)")
    counts = ", ".join(f"{outcome} {n}" for outcome, n in run.counts().items() if n)
    console.print(f"outcomes: {counts or 'none'}")
    for problem in run.problems():
        console.print(f"[red]✗ {problem}", soft_wrap=True)
    if run.stale_known_failures:
        console.print(
            f"[yellow]known-failures entries matching no selected case: {', '.join(run.stale_known_failures)}",
            soft_wrap=True,
        )
    console.print("[bold green]PASSED" if run.passed else "[bold red]FAILED")
