"""How fast generated cases go through the reference serializer and parser, and a long mutation run.

    python benchmarks/fuzz.py [--cases 2000] [--mutations 100000] [--seed 0]

Prints (1) generated valid models per second through serialize + parse + compare (Hypothesis
generation timed apart), and (2) a long run of mutated inputs against the reference parser:
how many were rejected with their code, with another code, accepted, raised anything other than a
ParseError (must be 0), or took longer than the hang limit (must be 0).
"""

from __future__ import annotations

import argparse
import gc
import random
import signal
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from hypothesis import HealthCheck, Phase, given, seed, settings

from kerasspec import ParseError, parse
from kerasspec.canonical import diff
from kerasspec.serialize import serialize
from kerasspec.serialize._templates import available
from kerasspec.strategies import models
from kerasspec.strategies._mutations import Chooser, mutate

HANG_SECONDS = 10


def _collect(strategy: Any, count: int, random_seed: int) -> list[Any]:
    drawn: list[Any] = []
    config = settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=(Phase.generate,),
        suppress_health_check=list(HealthCheck),
    )

    @seed(random_seed)
    @config
    @given(strategy)
    def gather(value: Any) -> None:
        drawn.append(value)

    gather()
    return drawn


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Hang


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--cases", type=int, default=2000)
    options.add_argument("--mutations", type=int, default=100_000)
    options.add_argument("--seed", type=int, default=0)
    args = options.parse_args()
    releases = [producer.name for producer in available()]

    started = time.perf_counter()
    generated = _collect(models(releases), args.cases, args.seed)
    drawing = time.perf_counter() - started
    started = time.perf_counter()
    wrong = 0
    for item in generated:
        text = serialize(item.written, item.producer, item.details)
        if diff(item.expected, parse(text).to_json()) is not None:
            wrong += 1
    through = time.perf_counter() - started
    print(f"valid: {len(generated)} generated models over {len(releases)} releases")
    print(f"  hypothesis generation : {len(generated) / drawing:9.0f} models/s")
    print(f"  serialize+parse+diff  : {len(generated) / through:9.0f} models/s  (round-trip mismatches: {wrong})")

    # The pool of generated models (and Hypothesis's state) lives to the end: frozen, the cyclic GC
    # stops rescanning it, which otherwise lands as 200-300 ms pauses inside whichever parse triggers a
    # full collection and makes "slowest parse" measure this process's heap, not the parser.
    gc.freeze()
    signal.signal(signal.SIGALRM, _alarm)
    tally: Counter[str] = Counter()
    unexpected: list[str] = []
    hangs = 0
    slowest = 0.0
    slowest_case = ""
    count = 0
    started = time.perf_counter()
    # Mutating a pool of generated models with a seeded ``random`` chooser: the same mutators as
    # the Hypothesis strategy, without its per-example overhead.
    rng = random.Random(args.seed)
    pool = [(item.text, item.producer.name, item.producer.format) for item in generated]
    while count < args.mutations:
        mutations = [mutate(*rng.choice(pool), Chooser(rng=rng)) for _ in range(min(5000, args.mutations - count))]
        for mutation in mutations:
            count += 1
            began = time.perf_counter()
            signal.alarm(HANG_SECONDS)
            try:
                parse(mutation.text)
                tally["accepted"] += 1
            except ParseError as error:
                tally["rejected, same code" if error.code == mutation.code else f"{mutation.code} -> {error.code}"] += 1
            except _Hang:
                hangs += 1
            except Exception as error:  # the property under test: this never happens
                unexpected.append(f"{type(error).__name__}: {error} [{mutation.description}]")
            finally:
                signal.alarm(0)
            took = time.perf_counter() - began
            if took > slowest:
                slowest, slowest_case = took, f"{mutation.code}: {mutation.description} ({len(mutation.text)} bytes)"
        if not mutations:
            break
    elapsed = time.perf_counter() - started
    print(f"mutations: {count} inputs in {elapsed:.0f} s ({count / elapsed:.0f}/s, generation included)")
    for outcome, number in tally.most_common():
        print(f"  {outcome:40} {number}")
    print(f"  unexpected exceptions : {len(unexpected)}")
    print(f"  hangs (> {HANG_SECONDS} s)       : {hangs}")
    print(f"  slowest parse         : {slowest * 1000:.1f} ms  [{slowest_case[:100]}]")
    for line in unexpected[:10]:
        print("   ", line)


if __name__ == "__main__":
    main()
