"""Random byte mutations of valid .keras and .h5 files: every one is a document or a ParseError.

A fixed budget per container and seed here (benchmarks/fuzz.py --containers runs 10,000 and more);
the failure message names the seed and mutation number, so ``mutated(kind, seed, number)`` replays it.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import pytest

from kerasspec import ParseError, _h5, parse
from kerasspec.corpus import load
from kerasspec.strategies._containers import CONTAINERS, container, mutate_bytes

BUDGET = {"keras": 200, "h5": 40}  # an .h5 read forks a child: fewer, and a short deadline below
CASE = "keras3/keras-3.15.1/mha-positional"


@cache
def model() -> tuple[str, object]:
    """The model JSON every container holds, and its expected document."""
    case = load().case(CASE)
    return case.read_input(), case.read_expected()


def mutations(kind: str, seed: int, count: int) -> list[bytes]:
    rng = random.Random(seed)
    valid = container(kind, model()[0])
    return [mutate_bytes(valid, rng) for _ in range(count)]


@pytest.mark.parametrize("seed", [1])
@pytest.mark.parametrize("kind", CONTAINERS)
def test_mutated_containers_are_documents_or_parse_errors(kind, seed, tmp_path, monkeypatch):
    monkeypatch.setattr(_h5, "SECONDS", 2.0)  # HDF5 loops on some damaged files: they are cut off sooner
    path = tmp_path / f"model.{kind}"
    outcomes = {"document": 0, "rejected": 0}
    unexpected = []
    for number, data in enumerate(mutations(kind, seed, BUDGET[kind])):
        path.write_bytes(data)
        try:
            parse(path)
            outcomes["document"] += 1
        except ParseError:
            outcomes["rejected"] += 1
        except Exception as error:  # the property under test: never
            unexpected.append(f"{kind} seed {seed} mutation {number}: {type(error).__name__}: {error}"[:300])
    assert unexpected == []
    assert outcomes["rejected"] > 0  # the mutations do damage the files


def test_a_valid_container_parses(tmp_path: Path) -> None:
    for kind in CONTAINERS:
        path = tmp_path / f"model.{kind}"
        path.write_bytes(container(kind, model()[0]))
        assert parse(path).to_json() == model()[1]
