"""How long the package takes to build and to install, and how big it is, as a user gets it.

    python benchmarks/package.py [--runs N]

Prints, for this checkout, in one run (the machine's load is printed too: wall times grow with it,
CPU times much less):
1. `pip wheel . --no-deps` (pip's isolated build environment included, as a user runs it): wall and
   CPU seconds, best of N; target: under 15 s of wall time;
2. the wheel: its size (target: under 20 MB) and its number of files;
3. `pip install WHEEL --no-deps` into a fresh virtual environment: wall and CPU seconds, best of N;
4. the first use of the bundled corpus (unpacked into a cache folder) and a second use (already there).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], **kwargs: object) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its children)."""
    cpu, started = children_cpu(), time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **kwargs)  # type: ignore[call-overload]
    return time.perf_counter() - started, children_cpu() - cpu


def best(runs: int, make: Callable[[], tuple[float, float]]) -> tuple[float, float]:
    return min(make() for _ in range(runs))


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--runs", type=int, default=3, help="repeat each timing, keep the best (default 3)")
    args = options.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)

        def build() -> tuple[float, float]:
            for old in out.glob("*.whl"):
                old.unlink()
            return timed([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)])

        wall, cpu = best(args.runs, build)
        print(f"pip wheel .         {wall:6.1f} s wall  {cpu:6.1f} s CPU   (target: < 15 s wall)")
        (wheel,) = out.glob("kerasspec-*.whl")
        files = len(zipfile.ZipFile(wheel).namelist())
        print(f"wheel               {wheel.stat().st_size / 1e6:6.1f} MB       {files:6d} files (target: < 20 MB)")

        runs = iter(range(args.runs))

        def install() -> tuple[float, float]:
            venv = out / f"venv-{next(runs)}"
            subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
            pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
            return timed([*pip, "install", "--no-deps", "-q", str(wheel)])

        wall, cpu = best(args.runs, install)
        print(f"pip install WHEEL   {wall:6.1f} s wall  {cpu:6.1f} s CPU")

        venv_python = str(next(out.glob("venv-*")) / "bin" / "python")
        env = {**os.environ, "XDG_CACHE_HOME": str(out / "cache"), "PYTHONPATH": ""}
        env.pop("KERASSPEC_CORPUS", None)
        code = "from kerasspec._resources import corpus_dir; corpus_dir()"
        # The package's dependencies are not in this bare venv: the unpacking needs only the standard library.
        for label in ("first use (unpack)", "second use"):
            wall, cpu = timed([venv_python, "-c", code], env=env, cwd=scratch)
            print(f"corpus, {label:18s} {wall:5.2f} s wall  {cpu:5.2f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
