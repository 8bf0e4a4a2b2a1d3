"""What handing real files costs the harness: the reference parser over the same cases as text and as
files of each container (spec/protocol.md#containers).

    python benchmarks/containers.py [--sample N]

The reference parser (kerasspec.parse, which reads text and .json, .keras and .h5 files alike) runs
on the protocol over N evenly spaced valid to_json cases of the corpus (default 300): once as text,
then as a reader of each container in turn, which the harness hands a file it builds per case. Prints
wall and CPU seconds (harness and parser processes together), cases per second and the ratio to
text for each, and the seconds spent building the files alone. A first run as text, not printed,
warms the caches. All runs must pass every case, else the figures are not comparable and it says so.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

from kerasspec import containers, corpus
from kerasspec.harness import ProtocolParser, run

# The reference parser on the protocol as a reader of the container given as its argument.
READER = (
    "import sys, kerasspec\n"
    "from kerasspec.harness import serve\n"
    "from kerasspec.harness.reference import IMPLEMENTATION\n"
    "sys.exit(serve(kerasspec.parse, implementation=IMPLEMENTATION, containers=sys.argv[1:] or None))\n"
)


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def build_seconds(sample: list[corpus.Case], container: str | None) -> float:
    """Seconds the harness spends building the files alone (none for text)."""
    if container is None:
        return 0.0
    texts = [case.read_input() for case in sample]
    started = time.perf_counter()
    for text in texts:
        containers.file_bytes(container, text, "3.15.1", "tensorflow")
    return time.perf_counter() - started


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--sample", type=int, default=300, help="cases to run in each way")
    options = arguments.parse_args()
    loaded = corpus.load()
    cases = [c for c in loaded.cases if c.kind == "valid" and c.container == "to_json"]
    sample = cases[:: max(1, len(cases) // options.sample)][: options.sample]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"corpus {loaded.version}: {len(sample)} valid to_json cases; {os.cpu_count()} cores, load {load}")
    base = None
    comparable = True
    run(ProtocolParser([sys.executable, "-c", READER], timeout=60), sample)  # warm-up
    for container in (None, "to_json", "keras-archive", "h5"):
        argv = [sys.executable, "-c", READER, *([container] if container else [])]
        # corpus=None: every case is handed in the container asked, none replaced by the corpus's own.
        started, used = time.perf_counter(), cpu()
        done = run(ProtocolParser(argv, timeout=60), sample)
        seconds, used = time.perf_counter() - started, cpu() - used
        counts = {outcome: n for outcome, n in done.counts().items() if n}
        comparable &= counts == {"pass": len(sample)}
        base = base or seconds
        label = container or "text"
        rate = len(sample) / seconds
        building = build_seconds(sample, container)
        print(
            f"{label:>13}: {seconds:6.1f} s wall, {used:6.1f} s cpu, {rate:6.1f} cases/s, x{seconds / base:.2f} "
            f"(building the files: {building:.2f} s) {counts}"
        )
    if not comparable:
        print("not comparable: a run did not pass every case")
    return 0 if comparable else 1


if __name__ == "__main__":
    sys.exit(main())
