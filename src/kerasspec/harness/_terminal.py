"""The terminal side of a run: progress while it runs, summary tables when it ends.

On a terminal the progress is a bar; elsewhere (CI logs) it is a line at least every
:data:`PROGRESS_SECONDS`. The summary fits :data:`WIDTH` columns without cutting a name: failing
releases are counted, not listed, and failures are printed as lines, not table cells.
"""

from __future__ import annotations

import shlex
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from kerasspec._text import printable
from kerasspec.harness import _matrix
from kerasspec.harness._outcomes import CaseResult
from kerasspec.harness._run import Run
from kerasspec.vocabulary import release_order

_FAILURES_SHOWN = 20
#: Seconds between two progress lines when the output is not a terminal (a CI log).
PROGRESS_SECONDS = 8.0
#: Columns the summary fits in when the output is not a terminal.
WIDTH = 100
#: A feature's failing releases are named up to this many; past it they are counted.
_RELEASES_NAMED = 2


def console(*, stderr: bool = False) -> Console:
    """A console for the run's output: :data:`WIDTH` columns when it is not a terminal."""
    found = Console(stderr=stderr)
    return found if found.is_terminal else Console(stderr=stderr, width=WIDTH)


@contextmanager
def progress(
    console: Console, total: int, enabled: bool = True, interval: float | None = None
) -> Iterator[Callable[[CaseResult], None]]:
    """A callback to give each result to: a bar on a terminal, else a line every ``interval`` seconds
    (default :data:`PROGRESS_SECONDS`)."""
    if not enabled:
        yield lambda result: None
        return
    if not console.is_terminal:
        with _progress_lines(console, total, PROGRESS_SECONDS if interval is None else interval) as advance:
            yield advance
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


@contextmanager
def _progress_lines(console: Console, total: int, interval: float) -> Iterator[Callable[[CaseResult], None]]:
    # A ticker thread, not the callback, prints: a parser stuck on one case still gets its line.
    counts = {"done": 0, "failing": 0}
    started = time.monotonic()
    stop = threading.Event()

    def line() -> None:
        elapsed = time.monotonic() - started
        done, failing = counts["done"], counts["failing"]
        share = f" ({done / total:.0%})" if total else ""
        console.print(f"checking: {done}/{total} cases{share}, {failing} failing, {elapsed:.0f} s", soft_wrap=True)

    def tick() -> None:
        while not stop.wait(interval):
            line()

    def advance(result: CaseResult) -> None:
        counts["done"] += 1
        counts["failing"] += result.counts_as_failure

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    try:
        yield advance
    finally:
        stop.set()
        ticker.join()
        line()


def _safe(text: object, limit: int | None = None) -> str:
    # What a parser or a corpus says is shown as it is: never read as rich markup (the callers wrap it
    # in Text), and escaped so that no control sequence reaches the terminal.
    return printable(str(text), limit)


def _text(text: object, limit: int | None = None) -> Text:
    return Text(_safe(text, limit))


def _rate(tally: _matrix.Tally) -> Text:
    rate = tally.rate
    if rate is None:
        return Text("n/a", style="dim")
    style = "green" if rate == 1 else "red" if rate == 0 else "yellow"
    return Text(f"{tally.cell()} {rate:.0%}", style=style)


def summary(console: Console, run: Run) -> None:
    """Tables: by producer release, by feature x format, the first failures; then the verdict."""
    implementation = run.implementation or {}
    name = f"{implementation.get('name', 'parser')} {implementation.get('version', '')}"
    language = _safe(implementation.get("language", "?"))
    ran = f"{run.executed}/{run.selected} cases in {run.seconds:.2f} s"
    console.print(Text.assemble((_safe(name), "bold"), f" ({language}): {ran}"))
    by_release = Table(title="By producer release", title_justify="left")
    for column in ("format", "release", "cases", "passed", "failing", "unsupported", "known"):
        by_release.add_column(column, justify="left" if column in ("format", "release") else "right")
    releases = _matrix.tally(run.results, lambda r: [(r.format, r.release)])
    for fmt, release in _matrix.releases(run.results):
        tally = releases[(fmt, release)]
        failing = sum(n for outcome, n in tally.counts.items() if outcome.failing)
        by_release.add_row(
            _text(fmt),
            _text(release),
            str(tally.total),
            _rate(tally),
            str(failing - tally.known),
            str(tally.unsupported),
            str(tally.known),
        )
    console.print(by_release)
    by_container = _matrix.containers(run.results)
    if len(by_container) > 1 or run.parser.get("containers"):
        table = Table(title="By container", title_justify="left")
        for column in ("container", "cases", "passed", "failing", "unsupported", "known"):
            table.add_column(column, justify="left" if column == "container" else "right")
        for container, tally in by_container.items():
            failing = sum(n for outcome, n in tally.counts.items() if outcome.failing)
            table.add_row(
                _text(container),
                str(tally.total),
                _rate(tally),
                str(failing - tally.known),
                str(tally.unsupported),
                str(tally.known),
            )
        console.print(table)
    if run.track == "scanner":
        console.print(_matrix.scanner_line(run.scanner_counts()), soft_wrap=True, highlight=False, markup=False)

    formats = sorted({r.format for r in run.results})
    matrix = _matrix.by_feature_and(run.results, lambda r: r.format)
    failing_releases = _matrix.by_feature_and([r for r in run.results if r.outcome.failing], lambda r: r.release)
    by_feature = Table(title="By feature x format", title_justify="left")
    by_feature.add_column("feature")
    for fmt in formats:
        by_feature.add_column(fmt, justify="right")
    by_feature.add_column("failing releases")
    all_releases = _matrix.tally(run.results, lambda r: [(feature, r.release) for feature in _matrix.features_of(r)])
    for feature in sorted({feature for feature, _ in matrix}):
        cells = [_rate(matrix[(feature, fmt)]) if (feature, fmt) in matrix else Text("") for fmt in formats]
        bad = sorted({rel for (feat, rel) in failing_releases if feat == feature}, key=release_order)
        having = sum(1 for key in all_releases if isinstance(key, tuple) and key[0] == feature)
        by_feature.add_row(_text(feature), *cells, Text(_safe(releases_text(bad, having)), style="red"))
    console.print(by_feature)

    failures = run.failures
    if failures:
        console.print(f"[bold]Failures ({len(failures)})", soft_wrap=True)
        width = min(console.width, WIDTH)
        for result in failures[:_FAILURES_SHOWN]:
            # Lines, not table cells: a case id, a path or a command is never cut or folded mid-word.
            heading = Text.assemble((result.outcome.value, "red"), " ", _safe(result.label))
            console.print(heading, soft_wrap=True, highlight=False)
            detail = _safe(result.detail, 300)
            lines = textwrap.wrap(detail, width - 2, break_long_words=False, break_on_hyphens=False)
            if result.input:
                lines.append(f"input: {result.input}")
            arguments = run.rerun_arguments(result.case)
            if arguments is None:
                lines.append(f"rerun: {run.rerun_command(result.case)}")
            else:
                lines += command_lines(arguments, width - 2, first="rerun: ")
            for line in lines:
                console.print(f"  {_safe(line)}", soft_wrap=True, highlight=False, markup=False)
        if len(failures) > _FAILURES_SHOWN:
            console.print(
                f"... and {len(failures) - _FAILURES_SHOWN} more (kerasspec show CASE --results FILE; "
                "check --rerun-failures FILE)",
                soft_wrap=True,
            )
    counts = ", ".join(f"{outcome} {n}" for outcome, n in run.counts().items() if n)
    console.print(f"outcomes: {counts or 'none'}")
    for problem in run.problems():
        console.print(f"✗ {_safe(problem)}", style="red", markup=False, highlight=False)  # wraps between ids
    if run.stale_known_failures:
        stale = ", ".join(run.stale_known_failures)
        console.print(
            Text(f"known-failures entries matching no selected case: {_safe(stale)}", style="yellow"), soft_wrap=True
        )
    console.print("[bold green]PASSED" if run.passed else "[bold red]FAILED")


def command_lines(arguments: list[str], width: int, first: str = "") -> list[str]:
    """A command split between arguments into lines of at most ``width`` (a longer argument stays
    whole), continued with backslashes: pasted into a shell it is the same command."""
    lines: list[str] = []
    current = first + shlex.quote(arguments[0])
    for argument in arguments[1:]:
        quoted = shlex.quote(argument)
        if len(current) + 1 + len(quoted) + 2 > width:
            lines.append(current + " \\")
            current = "    " + quoted
        else:
            current += " " + quoted
    return [*lines, current]


def releases_text(failing: list[str], having: int) -> str:
    """A feature's failing releases: named when few, else counted (``17 of 28``)."""
    if not failing:
        return ""
    if len(failing) <= _RELEASES_NAMED:
        return ", ".join(failing)
    return f"{len(failing)} of {having}"
