"""How fast the reference parser is where users wait, and how it scales, in both wire formats.

1. Whole process, 100,000 full layers: ``kerasspec parse FILE`` (the canonical document written
   to stdout) against a bare ``json.load`` of the same file, CPU time and its ratio (target: 2x
   at most), and peak memory.
2. A million layers: ``kerasspec parse`` of 100,000 and 1,000,000 small layers (the wiring is
   most of the file: the hardest case for the parser against the decoder); the time ratio
   (target: 12x at most, linear is 10x) and peak memory against ``json.load`` of the million-layer
   file (target: 3x at most).
3. In process, per format and size (1k, 10k, 100k full layers): json.loads time (the floor),
   parse time (text to canonical document, json.loads included), the parser's own work beyond
   json.loads ("extra": parse of the already decoded JSON, so it is measured, not taken as a
   difference of two noisy times), the ratios of both to json.loads, and the growth factor of
   parse per 10x layers (near 10 means linear).  Times are process CPU time, best of several
   rounds in which the three take turns, so the ratios come from one run and other work on the
   machine weighs on all three alike.
Run: ``python benchmarks/parse.py [--sizes 1000,10000,100000] [--skip-process]``.  The models are
those of ``benchmarks/_models.py``; whole-process figures come from ``benchmarks/_process.py``.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _models import MODELS
from _process import best, json_load, kerasspec, load_average

from kerasspec import parse

#: Room for the million-layer keras3 file (270 MB), larger than the default --max-bytes.
_MAX_BYTES = str(1 << 30)
#: And for its values (about 25 a layer, past the default --max-values).
_MAX_VALUES = str(100_000_000)


def best_times(runs: int, functions: list[Callable[[], object]]) -> list[float]:
    """The best process CPU time of each function over ``runs`` rounds, the functions taking turns.

    Taking turns puts every function through the same spells of load on the machine, so the
    ratios between them hold where single times do not.
    """
    best = [float("inf")] * len(functions)
    for _ in range(runs):
        for index, function in enumerate(functions):
            # The parser turns the cyclic GC off while it runs; the others get the same treatment,
            # or json.loads alone would pay for GC passes that the parse does not.
            gc.collect()
            gc.disable()
            start = time.process_time()
            function()
            best[index] = min(best[index], time.process_time() - start)
            gc.enable()
    return best


def whole_process(directory: Path, runs: int) -> None:
    print(f"whole process, 100,000 full layers, best CPU time of {runs} ({load_average()})")
    print(f"{'format':8} {'MB':>7} {'json.load':>10} {'parse':>9} {'ratio':>6} {'load peak':>10} {'parse peak':>11}")
    for name, build in MODELS.items():
        path = directory / f"{name}-100000.json"
        path.write_text(build(100_000))
        loaded, parsed = best(runs, [(json_load(path), 0), (kerasspec("parse", path.as_posix()), 0)])
        print(
            f"{name:8} {path.stat().st_size / 1e6:7.1f} {loaded.cpu:9.2f}s {parsed.cpu:8.2f}s"
            f" {parsed.cpu / loaded.cpu:6.2f} {loaded.peak / 1e6:8.0f}MB {parsed.peak / 1e6:9.0f}MB"
        )
        path.unlink()


def million(directory: Path, runs: int) -> None:
    print(f"\na million small layers, whole process, best CPU time of {runs} ({load_average()})")
    print(
        f"{'format':8} {'MB':>7} {'json.load':>10} {'parse 100k':>11} {'parse 1M':>9} {'1M/100k':>8}"
        f" {'load peak':>10} {'parse peak':>11} {'peak/load':>10}"
    )
    for name, build in MODELS.items():
        small, large = directory / f"{name}-small-100000.json", directory / f"{name}-small-1000000.json"
        small.write_text(build(100_000, small=True))
        large.write_text(build(1_000_000, small=True))
        parse_small, loaded, parse_large = best(
            runs,
            [
                (kerasspec("parse", "--max-bytes", _MAX_BYTES, "--max-values", _MAX_VALUES, small.as_posix()), 0),
                (json_load(large), 0),
                (kerasspec("parse", "--max-bytes", _MAX_BYTES, "--max-values", _MAX_VALUES, large.as_posix()), 0),
            ],
        )
        print(
            f"{name:8} {large.stat().st_size / 1e6:7.1f} {loaded.cpu:9.2f}s {parse_small.cpu:10.2f}s"
            f" {parse_large.cpu:8.2f}s {parse_large.cpu / parse_small.cpu:8.2f} {loaded.peak / 1e6:8.0f}MB"
            f" {parse_large.peak / 1e6:9.0f}MB {parse_large.peak / loaded.peak:10.2f}"
        )
        small.unlink()
        large.unlink()


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sizes", default="1000,10000,100000")
    options.add_argument("--runs", type=int, default=7)
    options.add_argument("--process-runs", type=int, default=3, help="rounds of the whole-process measurements")
    options.add_argument("--skip-process", action="store_true", help="only the in-process table")
    args = options.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if not args.skip_process:
        with tempfile.TemporaryDirectory(prefix="kerasspec-bench-") as directory:
            whole_process(Path(directory), args.process_runs)
            million(Path(directory), args.process_runs)
        print(f"\nin process, best CPU time of {args.runs} ({load_average()})")
    print(
        f"{'format':8} {'layers':>8} {'MB':>7} {'json.loads':>11} {'parse':>9} {'extra':>9}"
        f" {'parse/loads':>12} {'extra/loads':>12} {'growth':>7}"
    )
    for name, build in MODELS.items():
        previous = None
        for size in sizes:
            text = build(size)
            decoded = json.loads(text)
            loads, parsed, extra = best_times(
                args.runs,
                [lambda: json.loads(text), lambda: parse(text), lambda: parse(decoded)],  # noqa: B023 (called at once)
            )
            growth = f"{parsed / previous:7.1f}" if previous else f"{'':7}"
            print(
                f"{name:8} {size:8d} {len(text) / 1e6:7.1f} {loads * 1e3:9.1f}ms {parsed * 1e3:7.1f}ms"
                f" {extra * 1e3:7.1f}ms {parsed / loads:12.2f} {extra / loads:12.2f} {growth}"
            )
            previous = parsed


if __name__ == "__main__":
    main()
