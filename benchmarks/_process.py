"""Whole-process measurements for the benchmarks: CPU time and peak memory of one command.

A user waits for a whole process (interpreter start, imports, reading, writing the answer), so
these figures are taken from the operating system for the child process alone (``os.wait4``):
CPU time is user + system seconds, which other work on a shared machine inflates far less than
wall time; peak memory is the resident set's high-water mark.  Commands take turns over several
rounds and the best of each is kept, so their ratios come from one run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: The floor every figure is compared with: a bare ``json.load`` of the same file.
JSON_LOAD = "import json, sys; json.load(open(sys.argv[1], 'rb'))"


@dataclass(frozen=True)
class Usage:
    cpu: float  #: user + system seconds
    peak: int  #: peak resident memory, bytes
    first_error: float  #: wall seconds until the first byte on stderr (inf when none)


def kerasspec(*args: str) -> list[str]:
    """The ``kerasspec`` command line, run by this interpreter."""
    return [sys.executable, "-m", "kerasspec.cli", *args]


def json_load(path: Path) -> list[str]:
    return [sys.executable, "-c", JSON_LOAD, str(path)]


def measure(command: Sequence[str], expect: int = 0) -> Usage:
    """Run ``command`` to completion (stdout discarded) and return what it used."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert process.stderr is not None
        first = process.stderr.read(1)
        first_error = time.perf_counter() - start if first else float("inf")
        errors.write(first + process.stderr.read())
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != expect:
            errors.seek(0)
            raise SystemExit(
                f"{' '.join(command)} exited {process.returncode}, not {expect}:\n{errors.read().decode()[-2000:]}"
            )
    return Usage(usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, first_error)


def best(runs: int, commands: Sequence[tuple[Sequence[str], int]]) -> list[Usage]:
    """The best CPU time (and the peak memory and first-error time of that run) of each command."""
    results: list[Usage | None] = [None] * len(commands)
    for _ in range(runs):
        for index, (command, expect) in enumerate(commands):
            usage = measure(command, expect)
            previous = results[index]
            if previous is None or usage.cpu < previous.cpu:
                results[index] = usage
    return [usage for usage in results if usage is not None]


def load_average() -> str:
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg())
