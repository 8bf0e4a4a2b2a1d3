"""How fast the conformance harness runs the reference parser: persistent protocol vs per-case mode.

    python benchmarks/harness.py [--corpus DIR] [--sample N]

Prints, for the reference parser (kerasspec.parse):
1. the full corpus through the persistent protocol (`kerasspec check --adapter reference`):
   cases, seconds (reading and checking every corpus file included), cases/s; target: under 10 s
   on a 2-core machine (the load average is printed: other work on the machine slows every figure);
2. the same N evenly spaced cases through the persistent protocol and through the per-case mode
   (`kerasspec parse FILE` once per case, the way a command-line parser is run), in cases/s, and
   their ratio; target: persistent at least 20x faster per case.
Every run must pass all its cases, otherwise the figures are not comparable and the script says so.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

from kerasspec import corpus
from kerasspec.harness import PerCaseParser, ProtocolParser, run
from kerasspec.harness._adapters import command


def cpu() -> tuple[float, float]:
    """CPU seconds used so far by this process (the harness) and by its finished children (parsers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def timed(parser, cases) -> tuple[float, dict[str, int]]:
    started, (harness, parsers) = time.perf_counter(), cpu()
    done = run(parser, cases)
    seconds = time.perf_counter() - started
    harness_after, parsers_after = cpu()
    # CPU time does not grow with the machine's load the way wall time does: on a busy machine it says
    # what the run itself costs (two processes on two cores: the wall time is at least the larger one).
    print(f"  cpu: harness {harness_after - harness:.2f} s, parser processes {parsers_after - parsers:.2f} s")
    return seconds, {outcome: n for outcome, n in done.counts().items() if n}


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--corpus", default=None, help="corpus directory (default: bundled)")
    arguments.add_argument("--sample", type=int, default=60, help="cases for the per-case comparison")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
