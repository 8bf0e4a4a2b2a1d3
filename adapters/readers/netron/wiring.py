"""Which of Netron's failures are wrong wiring, and which only the call structure Netron does not keep.

    python adapters/readers/netron/wiring.py                      # the matrix's default releases
    python adapters/readers/netron/wiring.py --release 'keras-3.1*' --show 5

Netron keeps, for each node, a flat list of the tensors it connects (README.md): no call structure, no
kwargs names, no non-tensor call arguments. The matrix judges the whole canonical document, so a case
Netron wires correctly can still fail there. This script runs the adapter over the corpus through the
harness's protocol runner and compares only the wiring: for every layer call (and the model's inputs and
outputs, nested models included) the multiset of tensors it consumes, wherever they sit in args or kwargs.
A case whose wiring matches is "structure only"; the others are Netron's misreadings (adapters/findings/FINDINGS.md).
"""

from __future__ import annotations

import argparse
import fnmatch
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "adapters" / "matrix"))

from matrix import DEFAULT_RELEASES  # noqa: E402

from kerasspec import corpus as _corpus  # noqa: E402
from kerasspec.harness import ProtocolParser  # noqa: E402

Wiring = dict[tuple[str, ...], Counter[Any]]  # tensors consumed, or a layer's number of calls


def _tensors(value: Any) -> Iterator[tuple[Any, ...]]:
    if not isinstance(value, dict):
        return
    if "tensor" in value:
        yield tuple(value["tensor"])
    for item in value.get("list", ()):
        yield from _tensors(item)
    for item in value.get("dict", {}).values():
        yield from _tensors(item)


def wiring(model: dict[str, Any], where: tuple[str, ...] = ()) -> Wiring:
    """Every call's consumed tensors, keyed by (nested model path..., layer, call index)."""
    found: Wiring = {
        (*where, "<inputs>"): Counter(_tensors(model.get("inputs"))),
        (*where, "<outputs>"): Counter(_tensors(model.get("outputs"))),
    }
    for layer in model.get("layers", []):
        found[(*where, layer["name"], "<calls>")] = Counter({len(layer["calls"]): 1})
        for index, call in enumerate(layer["calls"]):
            consumed = Counter[tuple[Any, ...]]()
            for value in [*call["args"], *call["kwargs"].values()]:
                consumed.update(_tensors(value))
            found[(*where, layer["name"], str(index))] = consumed
        if "model" in layer:
            found.update(wiring(layer["model"], (*where, layer["name"])))
    return found


def _show(consumed: Counter[tuple[Any, ...]] | None) -> str:
    return "absent" if consumed is None else str(sorted(consumed.elements()))


def first_difference(expected: Wiring, actual: Wiring) -> str | None:
    for key in sorted(set(expected) | set(actual)):
        if expected.get(key) != actual.get(key):
            return f"{'/'.join(key)}: expected {_show(expected.get(key))}, Netron {_show(actual.get(key))}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--release", action="append", help="producer release glob (default: the matrix's)")
    parser.add_argument("--show", type=int, default=3, help="case ids shown per wiring difference")
    args = parser.parse_args(argv)
    globs = args.release or list(DEFAULT_RELEASES)
    corpus = _corpus.load()
    cases = [c for c in corpus.cases if c.kind != "invalid" and any(fnmatch.fnmatchcase(c.release, g) for g in globs)]
    command = ["node", str(ROOT / "adapters" / "readers" / "netron" / "adapter.js")]
    adapter = ProtocolParser(command, timeout=10, start_timeout=30)
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    wrong: dict[str, list[str]] = defaultdict(list)
    try:
        for case, answer, _seconds in adapter.answers((case, case.read_input()) for case in cases):
            expected = case.read_expected()
            if answer.kind != "document":
                tally[case.format][answer.kind] += 1
                continue
            if answer.document == expected:
                tally[case.format]["same document"] += 1
                continue
            difference = first_difference(wiring(expected["model"]), wiring(answer.document["model"]))
            if difference is None:
                tally[case.format]["same wiring, call structure differs"] += 1
            else:
                tally[case.format]["different wiring"] += 1
                wrong[f"{difference.split(':')[0].split('/')[-1]}: {case.recipe}"].append(f"{case.id}  {difference}")
    finally:
        adapter.close()
    for fmt, counts in sorted(tally.items()):
        print(f"{fmt}: {sum(counts.values())} cases: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    print("\ndifferent wiring, by recipe (first difference):")
    for key, ids in sorted(wrong.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"- {len(ids)} x {key.split(': ', 1)[1]}")
        for line in ids[: args.show]:
            print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
