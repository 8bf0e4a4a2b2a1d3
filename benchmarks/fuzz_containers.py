"""Random byte mutations of valid .keras archives and .h5 files against the reference reader.

    python benchmarks/fuzz_containers.py [--mutations 10000] [--seed 0] [--h5-seconds 2]

For each container, ``--mutations`` mutated files (kerasspec.strategies._containers) of corpus
models, each parsed from disk: how many became a document, a rejection by code, and anything else
(must be 0), with the slowest parse. HDF5 loops on some damaged files; the reader cuts those off
after ``--h5-seconds`` (``kerasspec._h5.SECONDS``, 10 s by default) as not-json.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kerasspec import ParseError, _h5, parse
from kerasspec.corpus import load
from kerasspec.strategies._containers import CONTAINERS, container, mutate_bytes

MODELS = (
    "keras3/keras-3.15.1/mha-positional",
    "keras2/tf_keras-2.21.0/nested-functional",
)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--mutations", type=int, default=10_000, help="per container")
    options.add_argument("--seed", type=int, default=0)
    options.add_argument("--h5-seconds", type=float, default=2.0)
    options.add_argument("--containers", default=",".join(CONTAINERS))
    args = options.parse_args()
    _h5.SECONDS = args.h5_seconds
    corpus = load()
    texts = [corpus.case(case_id).read_input() for case_id in MODELS]
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.containers.split(","):
            valid = [container(kind, text) for text in texts]
            path = Path(folder) / f"model.{kind}"
            tally: Counter[str] = Counter()
            unexpected: list[str] = []
            slowest, started = 0.0, time.perf_counter()
            for number in range(args.mutations):
                path.write_bytes(mutate_bytes(rng.choice(valid), rng))
                began = time.perf_counter()
                try:
                    parse(path)
                    tally["document"] += 1
                except ParseError as error:
                    tally[f"rejected {error.code}"] += 1
                except Exception as error:  # the property under test: never
                    unexpected.append(f"mutation {number}: {type(error).__name__}: {error}"[:200])
                slowest = max(slowest, time.perf_counter() - began)
            elapsed = time.perf_counter() - started
            print(f"{kind}: {args.mutations} mutations of {len(valid)} models in {elapsed:.0f} s (seed {args.seed})")
            for outcome, count in tally.most_common():
                print(f"  {outcome:32} {count}")
            print(f"  unexpected exceptions            {len(unexpected)}")
            print(f"  slowest parse                    {slowest:.2f} s")
            for line in unexpected[:10]:
                print("   ", line)


if __name__ == "__main__":
    main()
