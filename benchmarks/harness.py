"""How fast the conformance harness runs the reference parser: persistent protocol vs per-case mode,
a known-failures list, and parsers that crash side by side.

    python benchmarks/harness.py [--corpus DIR] [--sample N] [--known N] [--crash-sample N]

Prints, for the reference parser (kerasspec.parse):
1. the full corpus through the persistent protocol (`kerasspec check --adapter reference`):
   cases, seconds (reading and checking every corpus file included), cases/s; target: under 10 s
   on a 2-core machine (the load average is printed: other work on the machine slows every figure);
2. the same N evenly spaced cases through the persistent protocol and through the per-case mode
   (`kerasspec parse FILE` once per case, the way a command-line parser is run), in cases/s, and
   their ratio; target: persistent at least 20x faster per case.
3. the full corpus with a known-failures list of N entries (default 6,000: exact case ids and a few
   globs) against the same run without one; target: at most 10% slower;
4. N evenly spaced cases (default 1,000) through a parser that crashes on 15% of the models
   (benchmarks/crashing_parser.py), with `--jobs 1` and `--jobs 2`: seconds, restarts, and whether
   the results are identical and in the same order.
Runs 1 and 2 must pass all their cases, otherwise the figures are not comparable and the script says so.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from kerasspec import corpus
from kerasspec.corpus import Case
from kerasspec.harness import KnownFailures, Parallel, Parser, PerCaseParser, ProtocolParser, _known, run
from kerasspec.harness._adapters import command

CRASHING = [sys.executable, str(Path(__file__).with_name("crashing_parser.py")), "15"]


def cpu() -> tuple[float, float]:
    """CPU seconds used so far by this process (the harness) and by its finished children (parsers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def timed(parser: Parser, cases: list[Case], known: KnownFailures | None = None) -> tuple[float, dict[str, int]]:
    seconds, counts, _ = timed_cpu(parser, cases, known)
    return seconds, counts


def timed_cpu(
    parser: Parser, cases: list[Case], known: KnownFailures | None = None
) -> tuple[float, dict[str, int], float]:
    """Wall seconds, outcome counts, and CPU seconds of the harness and the parser processes together."""
    started, (harness, parsers) = time.perf_counter(), cpu()
    done = run(parser, cases, known=known)
    seconds = time.perf_counter() - started
    harness_after, parsers_after = cpu()
    # CPU time does not grow with the machine's load the way wall time does: on a busy machine it says
    # what the run itself costs (two processes on two cores: the wall time is at least the larger one).
    print(f"  cpu: harness {harness_after - harness:.2f} s, parser processes {parsers_after - parsers:.2f} s")
    used = harness_after - harness + parsers_after - parsers
    return seconds, {outcome: n for outcome, n in done.counts().items() if n}, used


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--corpus", default=None, help="corpus directory (default: bundled)")
    arguments.add_argument("--sample", type=int, default=60, help="cases for the per-case comparison")
    arguments.add_argument("--known", type=int, default=6000, help="entries of the known-failures list")
    arguments.add_argument("--crash-sample", type=int, default=1000, help="cases for the --jobs comparison")
    arguments.add_argument("--only", choices=("protocol", "known", "jobs"), help="run one part only")
    options = arguments.parse_args()

    loaded = corpus.load(options.corpus)
    cases = list(loaded.cases)
    step = max(1, len(cases) // options.sample)
    sample = cases[::step][: options.sample]
    python = sys.version.split()[0]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"corpus {loaded.version}: {len(cases)} cases; "
        f"machine: {os.cpu_count()} cores, load average {load}, Python {python}"
    )

    if options.only in (None, "protocol"):
        protocol_figures(cases, sample)
    if options.only in (None, "known"):
        known_failures_figures(cases, options.known)
    if options.only in (None, "jobs"):
        jobs_figures(cases, options.crash_sample)
    return 0


def known_failures_figures(cases: list[Case], entries: int) -> None:
    """The full corpus with and without a known-failures list of ``entries`` entries."""
    globs = {f"keras3/keras-3.{minor}.*/*-nothing-matches-*": "a glob" for minor in range(10)}
    exact = {case.id: "fail: $.model.layers[1].calls[0].args[0]: missing key" for case in cases[: entries - len(globs)]}
    with tempfile.TemporaryDirectory() as folder:  # read back from TOML, as --known-failures does
        path = Path(folder) / "known-failures.toml"
        path.write_text(_known.dumps({**exact, **globs}), encoding="utf-8")
        started = time.process_time()
        known = _known.load(path)
        reading = time.process_time() - started
    figures: dict[str, list[float]] = {}
    for label, listing in (("without", None), ("with", known), ("without", None), ("with", known)):
        _, _, used = timed_cpu(ProtocolParser(command("reference")), cases, known=listing)
        figures.setdefault(label, []).append(used)  # taking turns: load changes hit both alike
    bare, listed = min(figures["without"]), min(figures["with"])
    started = time.process_time()
    for case in cases:
        known.reason(case.id)
    known.unused(case.id for case in cases)
    lookups = time.process_time() - started
    verdict = "meets" if listed <= bare * 1.10 else "MISSES"
    print(
        f"known failures: {len(known.entries)} entries ({len(exact)} ids, {len(globs)} globs): full corpus, "
        f"CPU of harness and parser (best of 2): {bare:.2f} s without, {listed:.2f} s with = "
        f"{100 * (listed / bare - 1):+.1f}% ({verdict} the 10% target); the lookups alone: "
        f"{1000 * lookups:.0f} ms CPU for {len(cases)} cases; reading the TOML file: {1000 * reading:.0f} ms CPU"
    )


def jobs_figures(cases: list[Case], size: int) -> None:
    """``size`` evenly spaced cases through a parser that crashes on 15% of them, one process and two."""
    step = max(1, len(cases) // size)
    sample = cases[::step][:size]
    figures = {}
    for jobs in (1, 2):
        parser = ProtocolParser(CRASHING) if jobs == 1 else Parallel(lambda: ProtocolParser(CRASHING), jobs)
        started = time.perf_counter()
        done = run(parser, sample)
        seconds = time.perf_counter() - started
        outcomes = [(result.case, result.outcome) for result in done.results]
        figures[jobs] = (seconds, outcomes, done.parser["starts"])
        crashes = sum(outcome == "crash" for _, outcome in outcomes)
        print(
            f"crashing parser, --jobs {jobs}: {len(sample)} cases ({crashes} crashes, {done.parser['starts']} "
            f"process starts) in {seconds:.2f} s"
        )
    same = figures[1][1] == figures[2][1]
    print(
        f"--jobs 2 / --jobs 1: {figures[2][0] / figures[1][0]:.2f} of the time; results identical and in the "
        f"same order: {same}"
    )


def protocol_figures(cases: list[Case], sample: list[Case]) -> None:
    """Runs 1 and 2 of the docstring."""
    seconds, counts = timed(ProtocolParser(command("reference")), cases)
    verdict = "meets" if seconds < 10 else "MISSES"
    print(
        f"full corpus, persistent protocol: {len(cases)} cases in {seconds:.2f} s = "
        f"{len(cases) / seconds:.0f} cases/s ({verdict} the 10 s target) {counts}"
    )

    persistent, persistent_counts = timed(ProtocolParser(command("reference")), sample)
    per_case_command = [sys.executable, "-m", "kerasspec.cli", "parse", "{}"]
    per_case, per_case_counts = timed(PerCaseParser(per_case_command, timeout=30), sample)
    ratio = per_case / persistent
    print(f"same {len(sample)} cases, persistent protocol: {len(sample) / persistent:.1f} cases/s {persistent_counts}")
    print(f"same {len(sample)} cases, per-case mode:       {len(sample) / per_case:.1f} cases/s {per_case_counts}")
    verdict = "meets" if ratio >= 20 else "MISSES"
    print(f"persistent / per-case speed ratio: {ratio:.1f}x ({verdict} the 20x target)")
    if persistent_counts != per_case_counts:
        print("warning: the two modes disagree on outcomes; the comparison is not like for like")


if __name__ == "__main__":
    sys.exit(main())
