"""How fast ``kerasspec validate`` is where users wait, whole process, against a bare ``json.load``.

1. 100,000 full layers (``benchmarks/_models.py``), both wire formats: CPU time of ``kerasspec
   validate FILE`` and of ``json.load`` of the same file, and their ratio (target: 5x at most).
2. One keras2 node of a million entries (17 MB): valid, and with every fifth entry bad (200,000
   violations).  For the bad file: CPU time and the wall time until the first error line appears,
   for the default report (the most relevant violation) and for ``--all`` (every violation).

Times are CPU seconds (user + system) of the child process, best of ``--runs`` rounds in which
the commands take turns, so the ratios come from one run; first-error times are wall seconds of
that best run, which other work on the machine inflates.
Run: ``python benchmarks/validate.py [--runs 3]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _models import MODELS, wide_node_model
from _process import best, json_load, kerasspec, load_average

from kerasspec.vocabulary import EXIT_BAD_INPUT


def layers(directory: Path, runs: int) -> None:
    print(f"100,000 full layers, whole process, best CPU time of {runs} ({load_average()})")
    print(f"{'format':8} {'MB':>7} {'json.load':>10} {'validate':>9} {'ratio':>6}")
    for name, build in MODELS.items():
        path = directory / f"{name}-100000.json"
        path.write_text(build(100_000))
        loaded, validated = best(runs, [(json_load(path), 0), (kerasspec("validate", path.as_posix()), 0)])
        print(
            f"{name:8} {path.stat().st_size / 1e6:7.1f} {loaded.cpu:9.2f}s {validated.cpu:8.2f}s"
            f" {validated.cpu / loaded.cpu:6.2f}"
        )
        path.unlink()


def wide_node(directory: Path, runs: int) -> None:
    print(f"\none keras2 node of 1,000,000 entries, whole process, best CPU time of {runs} ({load_average()})")
    good, bad = directory / "wide.json", directory / "wide-bad.json"
    good.write_text(wide_node_model(1_000_000))
    bad.write_text(wide_node_model(1_000_000, bad_every=5))
    loaded, valid, first, every = best(
        runs,
        [
            (json_load(good), 0),
            (kerasspec("validate", good.as_posix()), 0),
            (kerasspec("validate", bad.as_posix()), EXIT_BAD_INPUT),
            (kerasspec("validate", "--all", bad.as_posix()), EXIT_BAD_INPUT),
        ],
    )
    print(f"{'file':34} {'MB':>5} {'CPU':>8} {'/load':>6} {'first error':>12}")
    print(f"{'json.load':34} {good.stat().st_size / 1e6:5.1f} {loaded.cpu:7.2f}s {1:6.2f}")
    print(f"{'validate, valid':34} {good.stat().st_size / 1e6:5.1f} {valid.cpu:7.2f}s {valid.cpu / loaded.cpu:6.2f}")
    for label, usage in (("validate, 200,000 bad entries", first), ("validate --all, 200,000 bad entries", every)):
        print(
            f"{label:34} {bad.stat().st_size / 1e6:5.1f} {usage.cpu:7.2f}s {usage.cpu / loaded.cpu:6.2f}"
            f" {usage.first_error:11.2f}s"
        )


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=3)
    args = options.parse_args()
    with tempfile.TemporaryDirectory(prefix="kerasspec-bench-") as directory:
        layers(Path(directory), args.runs)
        wide_node(Path(directory), args.runs)


if __name__ == "__main__":
    main()
