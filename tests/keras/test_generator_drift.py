"""Drift alarm: the Keras installed for the tests regenerates a sample of the committed corpus byte for byte.

The test environment holds keras 3.15.1 and tf_keras 2.21.0 (requirements/keras.txt), the
releases of two corpus producers. The generator's worker runs with this interpreter on a
sample of recipes; every file it would write (model JSON per container, expected and live
documents) and every "unbuildable" verdict must equal what is committed. A difference means
either Keras changed under the same version number or the generator is not deterministic.
"""

from __future__ import annotations

import importlib.metadata
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from generator import _corpus
from generator._matrix import load_matrix
from generator._run import ProducerRun, run_producer
from generator.recipes import RECIPES

pytestmark = pytest.mark.keras

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
PRODUCERS = ("keras-3.15.1", "tf_keras-2.21.0")
DISTRIBUTION = {"keras": "keras", "tf_keras": "tf_keras"}


def sample() -> list[str]:
    """The smoke recipes and every seventh other recipe (sorted), so the sample moves with the recipes."""
    names = sorted(RECIPES)
    others = [n for n in names if not n.startswith("smoke-")]
    return [n for n in names if n.startswith("smoke-")] + others[::7]


def committed() -> dict[str, Any]:
    return json.loads((CORPUS / "manifest.json").read_text())


@pytest.fixture(scope="module")
def runs() -> dict[str, ProducerRun]:
    by_name = {e.producer.release: e for e in load_matrix()}
    out = {}
    for name in PRODUCERS:
        environment = by_name[name]
        producer = environment.producer
        installed = importlib.metadata.version(DISTRIBUTION[producer.package])
        assert installed == producer.version_text, (
            f"the test environment has {producer.package} {installed}, the corpus producer is {producer.version_text}"
        )
        wanted = [n for n in sample() if producer.format in RECIPES[n].formats]
        out[name] = run_producer(environment, wanted, lambda _name: None, signatures=False, python=Path(sys.executable))
    return out


@pytest.mark.parametrize("producer", PRODUCERS)
def test_worker_ran(runs: dict[str, ProducerRun], producer: str) -> None:
    run = runs[producer]
    assert run.status == "ok", run.error
    assert [r["status"] for r in run.results if r["status"] == "failed"] == []


@pytest.mark.parametrize("producer", PRODUCERS)
@pytest.mark.parametrize("recipe", sample())
def test_regenerated_files_equal_the_committed_ones(runs: dict[str, ProducerRun], producer: str, recipe: str) -> None:
    run = runs[producer]
    result = next((r for r in run.results if r["recipe"] == recipe), None)
    if result is None:  # the recipe does not apply to this format: nothing is committed either
        assert not any(c["recipe"] == recipe and c["id"].split("/")[1] == producer for c in committed()["cases"])
        return
    manifest = committed()
    unbuildable = {(u["producer"], u["recipe"]): u["error"] for u in manifest["unbuildable"]}
    if result["status"] != "ok":
        assert unbuildable.get((producer, recipe)) == result["error"]
        return
    fresh = _corpus.cases_from_result(run.producer, RECIPES[recipe], result)
    by_id = {c["id"]: c for c in manifest["cases"]}
    assert {c.id for c in fresh} == {
        c["id"] for c in manifest["cases"] if c["recipe"] == recipe and c["id"].split("/")[1] == producer
    }
    for case in fresh:
        entry = by_id[case.id]
        for role, data in case.files.items():
            assert (CORPUS / entry[role]).read_bytes() == data, f"{case.id} {role} drifted"
        assert entry["kind"] == case.meta["kind"]
