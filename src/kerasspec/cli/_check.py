"""``kerasspec check``: the conformance run from the command line."""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import click

from kerasspec import _extras
from kerasspec import corpus as _corpus
from kerasspec._text import printable
from kerasspec.cli._common import fail_data_file
from kerasspec.harness import _adapters, _known, _ratchet, _reports
from kerasspec.harness._parallel import Parallel
from kerasspec.harness._parsers import Parser, PerCaseParser, ProtocolParser, Reads, declared
from kerasspec.harness._run import Run
from kerasspec.harness._runner import ResultsError, ResultsFile, handings, load_results, run, verify_files
from kerasspec.vocabulary import CASE_KINDS, CONTAINERS, FORMATS, Producer

EXIT_USAGE = 2
EXIT_NOT_REPORTED = 74  # sysexits.h EX_IOERR: the run happened but a report could not be written

DEFAULT_RESULTS = "reports/kerasspec-results.jsonl"
#: Where a run of part of the corpus writes by default: never over a full run's results.
FILTERED_RESULTS = "reports/kerasspec-results-filtered.jsonl"


@click.command("check", context_settings={"ignore_unknown_options": False})
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
@click.option("--adapter", type=click.Choice(sorted(_adapters.ADAPTERS)), help="A built-in adapter to run.")
@click.option("--per-case", is_flag=True, help="Run COMMAND once per case; {} is replaced by the model file's path.")
@click.option(
    "--container",
    "per_case_containers",
    multiple=True,
    type=click.Choice(CONTAINERS),
    help="With --per-case: hand each case as a real file of this container (repeatable).",
)
@click.option("--scanner", is_flag=True, help='With --per-case: COMMAND is a scanner; stdout is {"findings": [...]}.')
@click.option("--corpus", "corpus_path", type=click.Path(file_okay=False), help="Corpus directory (default: bundled).")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS), help="Only this wire format.")
@click.option("--release", "releases", multiple=True, metavar="GLOB", help="Only these producer releases (keras-3.1*).")
@click.option("--feature", "features", multiple=True, metavar="TAG", help="Only cases with this feature tag.")
@click.option("--case", "ids", multiple=True, metavar="GLOB", help="Only case ids matching this glob.")
@click.option(
    "--kind", "kinds", multiple=True, type=click.Choice(CASE_KINDS), help="Only valid, invalid or lossy cases."
)
@click.option(
    "--timeout", type=click.FloatRange(min=0, min_open=True), default=5.0, show_default=True, help="Seconds per case."
)
@click.option(
    "--start-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds for a protocol parser to answer start.",
)
@click.option(
    "--strict-errors", is_flag=True, help="An invalid case rejected with another error code fails (wrong-error)."
)
@click.option("--known-failures", type=click.Path(dir_okay=False), help="TOML/JSON file: case id or glob = reason.")
@click.option(
    "--write-known-failures",
    "write_known",
    type=click.Path(dir_okay=False),
    help="After the run, write this known-failures file: every failing case with its first difference, "
    "entries that now pass pruned (docs/known-failures.md).",
)
@click.option(
    "--rerun-failures",
    "rerun_failures",
    type=click.Path(dir_okay=False, exists=True),
    metavar="RESULTS",
    help="Run only the cases that failed in this results file.",
)
@click.option("--max-fail", type=click.IntRange(min=1), metavar="N", help="Stop after N failures.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Parser processes side by side (same results, same order).",
)
@click.option(
    "--results",
    help=f"JSON Lines file the results stream to [default: {DEFAULT_RESULTS}; "
    f"{FILTERED_RESULTS} for a run of part of the corpus].",
)
@click.option(
    "--report",
    "reports",
    nargs=2,
    multiple=True,
    type=(click.Choice(_reports.FORMATS), click.Path()),
    metavar="KIND PATH",
    help="Also write a json, junit, markdown or html report (repeatable).",
)
@click.option("--max-reply-bytes", type=click.IntRange(min=1), default=64 << 20, show_default=True)
@click.option(
    "--fuzz",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="After the corpus, also run N generated models (and N broken ones); failures are shrunk.",
)
@click.option("--fuzz-seed", type=int, default=0, show_default=True, help="Seed of the generated models.")
@click.option(
    "--found",
    "found_dir",
    type=click.Path(file_okay=False),
    help="Add shrunk fuzz failures to the corpus in DIR (DIR/manifest.json, a folder per case); "
    "check --corpus DIR replays them.",
)
@click.option(
    "--from-results",
    type=click.Path(dir_okay=False, exists=True),
    help="Run nothing: summarise a results file (e.g. of an interrupted run) and write the --report files.",
)
@click.option("--list", "list_only", is_flag=True, help="List the selected cases and exit.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def check_command(
    command: tuple[str, ...],
    adapter: str | None,
    per_case: bool,
    per_case_containers: tuple[str, ...],
    scanner: bool,
    corpus_path: str | None,
    formats: tuple[str, ...],
    releases: tuple[str, ...],
    features: tuple[str, ...],
    ids: tuple[str, ...],
    kinds: tuple[str, ...],
    timeout: float,
    start_timeout: float,
    strict_errors: bool,
    known_failures: str | None,
    write_known: str | None,
    rerun_failures: str | None,
    max_fail: int | None,
    jobs: int,
    results: str | None,
    reports: tuple[tuple[str, str], ...],
    max_reply_bytes: int,
    fuzz: int,
    fuzz_seed: int,
    found_dir: str | None,
    from_results: str | None,
    list_only: bool,
    no_progress: bool,
) -> None:
    """Run a parser over the conformance corpus: `--adapter NAME`, or `-- COMMAND ARGS...`.

    COMMAND speaks the protocol of spec/protocol.md on stdin/stdout; with --per-case it is run once
    per case instead (document on stdout, exit 65 for rejected input). Exit status: 0 all passed,
    1 failures, 2 usage (or a results or report path that cannot be written), 65 bad corpus or
    known-failures file, 74 a report could not be written after the run. SIGTERM stops the run
    like Ctrl-C: what ran is summarised and reported.
    """
    if from_results:
        _replay(from_results, reports, write_known)
        return
    if bool(adapter) == bool(command) and not list_only:
        raise click.UsageError("give either --adapter NAME or -- COMMAND ARGS... (not both)")
    if per_case and not command:
        raise click.UsageError("--per-case needs -- COMMAND ARGS...")
    if (per_case_containers or scanner) and not per_case:
        raise click.UsageError(
            "--container and --scanner declare a --per-case command; a protocol reader declares them at start"
        )
    if fuzz and per_case:
        raise click.UsageError("--fuzz needs a protocol parser: generated models have no file for --per-case")
    if fuzz:  # before the corpus runs, not after it
        try:
            _extras.require("fuzz", "--fuzz")
        except _extras.MissingExtra as error:
            _extras.exit_missing(error)
    selection = _corpus.Selection(formats, releases, features, ids, kinds, _failed_ids(rerun_failures))
    try:
        loaded = _corpus.load(corpus_path)
        known = _known.load(known_failures) if known_failures else None
        cases = loaded.select(selection)
        verify_files(cases)
    except (_corpus.CorpusError, _known.KnownFailuresError) as error:
        fail_data_file(error)
    if list_only:
        for case in cases:
            click.echo(f"{case.id}\t{case.kind}\t{','.join(case.features)}")
        return
    if not cases:
        if rerun_failures and not selection.cases:
            click.echo(f"{rerun_failures} records no failing case: nothing to rerun", err=True)
            return
        raise click.UsageError(f"no case of the corpus ({len(loaded.cases)} cases) matches the selection")
    wanted = results or (FILTERED_RESULTS if selection.filtered else DEFAULT_RESULTS)
    # Before anything runs: a results file or report that cannot be written would lose the run.
    for kind, target in reports:
        _check_writable(f"{kind} report", target)
    try:
        sink = ResultsFile(wanted)
    except OSError as error:
        _cannot_write("results file", wanted, error)
    argv = _adapters.command(adapter) if adapter else list(command)

    def make() -> Parser:
        if per_case:
            return PerCaseParser(
                argv,
                containers=per_case_containers or None,
                track="scanner" if scanner else "parser",
                timeout=timeout,
                max_reply_bytes=max_reply_bytes,
            )
        return ProtocolParser(argv, timeout=timeout, start_timeout=start_timeout, max_reply_bytes=max_reply_bytes)

    parser: Parser = make() if jobs == 1 else Parallel(make, jobs)
    reads = _declared(parser, fuzz)
    from kerasspec.harness import _terminal  # only a run needs rich: `kerasspec parse` starts faster

    mode = "once per case" if per_case else "on the protocol"
    if reads.containers is not None:
        mode += f", handed {', '.join(reads.containers)} files"
    if reads.track == "scanner":
        mode += ", as a scanner"
    handed = len(handings(cases, reads.containers, loaded))  # a case handed in n containers is n results
    side_by_side = f", {jobs} processes" if jobs > 1 else ""
    click.echo(
        f"kerasspec check: {handed} cases, {' '.join(argv)} {mode}{side_by_side}; results to {sink.path}", err=True
    )
    declared_options = [*(f"--container={c}" for c in per_case_containers), *(["--scanner"] if scanner else [])]
    per_case_options = ["--per-case", *declared_options] if per_case else []
    rerun = _rerun_arguments(adapter, command, per_case_options, corpus_path, strict_errors, timeout)
    with (
        _terminal.progress(_terminal.console(stderr=True), handed, enabled=not no_progress) as advance,
        _terminated_as_interrupted(),
    ):
        outcome = run(
            parser,
            cases,
            corpus=loaded,
            selection=selection,
            strict_errors=strict_errors,
            known=known,
            results=sink,
            on_result=advance,
            options={
                "timeout": timeout,
                "start_timeout": start_timeout,
                "max_reply_bytes": max_reply_bytes,
                "jobs": jobs,
                "rerun": rerun,
            },
            verify=False,  # done above, before the progress bar takes the terminal
            max_fail=max_fail,
        )
    reported = _finish(outcome, reports)
    click.echo(f"results: {sink.path}", err=True)
    if write_known:
        _write_known_failures(write_known, known, outcome)
    fuzz_failed = (
        bool(fuzz) and not outcome.interrupted and not _fuzz(parser, fuzz, fuzz_seed, found_dir, strict_errors, timeout)
    )
    sys.exit(EXIT_NOT_REPORTED if not reported else 1 if fuzz_failed else outcome.exit_code)


def _declared(parser: Parser, fuzz: int) -> Reads:
    """What the reader declared at start; exit 2 (the parser stopped) if this run cannot give it that."""
    reads = declared(parser)
    try:
        if reads.containers is not None and "h5" in reads.containers:
            _extras.require("h5", "handing .h5 files to a reader")
    except _extras.MissingExtra as error:
        parser.close()
        _extras.exit_missing(error)
    if fuzz and reads.track == "scanner":
        parser.close()
        raise click.UsageError("--fuzz checks the canonical graph; a scanner answers none")
    return reads


def _failed_ids(path: str | None) -> frozenset[str] | None:
    """``--rerun-failures``: the ids of the cases that failed in a results file (known failures too)."""
    if path is None:
        return None
    try:
        recorded = load_results(path)
    except ResultsError as error:
        fail_data_file(error)
    return frozenset(result.case for result in recorded.results if result.outcome.failing)


def _rerun_arguments(
    adapter: str | None,
    command: tuple[str, ...],
    per_case: list[str],
    corpus_path: str | None,
    strict_errors: bool,
    timeout: float,
) -> list[str]:
    """What follows ``kerasspec check --case ID`` in the command that reruns one case of this run
    (``per_case``: ``--per-case`` and what it declared, or nothing for a protocol reader)."""
    arguments: list[str] = []
    if corpus_path:
        arguments += ["--corpus", str(Path(corpus_path).resolve())]
    if strict_errors:
        arguments.append("--strict-errors")
    if timeout != 5.0:
        arguments += ["--timeout", f"{timeout:g}"]
    if adapter:
        return [*arguments, "--adapter", adapter]
    return [*arguments, *per_case, "--", *command]


def _write_known_failures(path: str, known: _known.KnownFailures | None, done: Run) -> None:
    """``--write-known-failures``: the ratchet's file from this run, entries that now pass pruned."""
    previous = known if known is not None and Path(known.source) == Path(path) else None
    if previous is None and Path(path).exists():
        try:
            previous = _known.load(path)
        except _known.KnownFailuresError as error:
            fail_data_file(error)
    change = _ratchet.update(previous, done)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    staged = Path(path).with_name(Path(path).name + ".tmp")
    staged.write_text(_known.dumps(change.entries, json_format=Path(path).suffix == ".json"), encoding="utf-8")
    staged.replace(path)
    click.echo(
        f"known failures: {path}: {len(change.entries)} entries ({len(change.added)} added, "
        f"{len(change.pruned)} pruned because their cases now pass)",
        err=True,
    )
    for pattern in change.pruned:
        click.echo(f"  now passes: {pattern}", err=True)


def _check_writable(what: str, path: str) -> None:
    """Exit 2 with one line unless ``path`` can be written (a file created for the check is removed)."""
    target = Path(path)
    existed = target.exists()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.open("a").close()
    except OSError as error:
        _cannot_write(what, path, error)
    if not existed:
        target.unlink(missing_ok=True)


def _cannot_write(what: str, path: str | Path, error: OSError) -> NoReturn:
    click.echo(f"error: cannot write the {what} {printable(str(path))}: {error.strerror or error}", err=True)
    sys.exit(EXIT_USAGE)


@contextlib.contextmanager
def _terminated_as_interrupted() -> Iterator[None]:
    """SIGTERM stops the run as Ctrl-C does: the parser is stopped, the results and reports written."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _finish(done: Run, reports: tuple[tuple[str, str], ...]) -> bool:
    """The terminal summary of a run, then its report files; False if a report could not be written.

    Each is attempted whatever happened to the others, so a failure loses only itself."""
    from kerasspec.harness import _terminal

    try:
        _terminal.summary(_terminal.console(), done)
    except Exception as error:  # the reports below must still be written
        click.echo(f"error: the terminal summary failed: {printable(repr(error))}", err=True)
    reported = True
    for kind, target in reports:
        try:
            click.echo(f"{kind} report: {_reports.write(done, kind, target)}", err=True)
        except OSError as error:
            click.echo(
                f"error: cannot write the {kind} report {printable(target)}: {error.strerror or error}", err=True
            )
            reported = False
    return reported


def _replay(path: str, reports: tuple[tuple[str, str], ...], write_known: str | None) -> None:
    """``--from-results``: the summary and reports of a recorded run (and with ``--write-known-failures``
    the list from it); exits with its exit status."""
    try:
        recorded = load_results(path)
    except ResultsError as error:
        fail_data_file(error)
    reported = _finish(recorded, reports)
    if write_known:
        _write_known_failures(write_known, None, recorded)
    sys.exit(recorded.exit_code if reported else EXIT_NOT_REPORTED)


def _fuzz(parser: Parser, examples: int, seed: int, found_dir: str | None, strict_errors: bool, timeout: float) -> bool:
    """Run generated models through ``parser`` (kerasspec.fuzz); print what it found; True if nothing."""
    from kerasspec.fuzz import DEFAULT_PRODUCERS, fuzz  # the fuzz extra was checked before the run

    formats = getattr(parser, "formats", None) or FORMATS
    # Generate only the formats the parser declared, as the corpus run does (they would be unsupported).
    producers = [p for p in DEFAULT_PRODUCERS if Producer.parse(p).format in formats]
    result = fuzz(
        parser,
        examples=examples,
        seed=seed,
        producers=producers,
        strict_errors=strict_errors,
        found_dir=found_dir,
        timeout=timeout,
    )
    parser.close()
    click.echo(f"fuzz: {result.examples} generated cases, {len(result.found)} minimal failure(s)")
    for found in result.found:
        where = f" (written to {found.path})" if found.path else ""
        click.echo(f"  {found.case_id}: {found.outcome}: {found.detail[:300]}{where}")
    return result.passed
