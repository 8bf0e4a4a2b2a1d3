"""The tfjs-layers producer (generator/tfjs/worker.js, run with Node.js) regenerates its committed cases
byte for byte, and its expected documents come from the live tfjs objects, not from the file.

It runs with the npm packages scripts/test installs for the tfjs-layers reader (adapters/readers/
tfjs-layers: @tensorflow/tfjs 4.22.0, whose tfjs-layers is the producer's release), as the drift test
runs the Python workers with the test environment's Keras. Skipped, with the reason, without Node.js.
"""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest
from _corpus_data import CORPUS, REPO, manifest

from generator import _corpus
from generator._matrix import load_matrix
from generator._run import ProducerRun, run_producer
from generator.recipes import RECIPES

pytestmark = pytest.mark.external  # Node.js and the npm packages scripts/test installs

RELEASE = "tfjs-layers-4.22.0"
NODE_MODULES = REPO / "adapters" / "readers" / "tfjs-layers" / "node_modules"
# Built (nested numbering, states, masks, wrappers) and not built (an API tfjs-layers lacks, a
# Python-only construct, a dict of inputs): every kind of verdict the worker gives.
SAMPLE = [
    "smoke-dense-chain",
    "smoke-shared-nested",
    "smoke-sequential-in-functional",
    "smoke-one-element-list-call",
    "nested-sequential-no-input-twice",
    "nested-two-deep-twice",
    "sequential-in-sequential",
    "lstm-initial-state",
    "lstm-explicit-mask",
    "dropout-training-true",
    "bidirectional-return-state",
    "rnn-stacked-cells",
    "merge-subtract",
    "dict-inputs",
    "tfop-concat",
]


@pytest.fixture(scope="module")
def run() -> ProducerRun:
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed: the tfjs-layers producer runs with it")
    installed = NODE_MODULES / "@tensorflow" / "tfjs-layers" / "package.json"
    assert installed.exists(), "run `npm ci` in adapters/readers/tfjs-layers (scripts/test does)"
    environment = next(e for e in load_matrix() if e.producer.release == RELEASE)
    assert json.loads(installed.read_text())["version"] == environment.producer.version_text
    return run_producer(environment, SAMPLE, lambda _name: None, signatures=True, node_modules=NODE_MODULES)


def _result(run: ProducerRun, recipe: str) -> dict[str, Any]:
    return next(r for r in run.results if r["recipe"] == recipe)


def test_the_worker_ran_every_recipe(run: ProducerRun) -> None:
    assert run.status == "ok", run.error
    assert [r["recipe"] for r in run.results] == SAMPLE
    assert [r for r in run.results if r["status"] == "failed"] == []


@pytest.mark.parametrize("recipe", SAMPLE)
def test_regenerated_files_equal_the_committed_ones(run: ProducerRun, recipe: str) -> None:
    result = _result(run, recipe)
    committed = manifest()
    if result["status"] != "ok":
        unbuildable = {(u["producer"], u["recipe"]): u["error"] for u in committed["unbuildable"]}
        assert unbuildable.get((RELEASE, recipe)) == result["error"]
        return
    fresh = _corpus.cases_from_result(run.producer, RECIPES[recipe], result)
    by_id = {c["id"]: c for c in committed["cases"]}
    assert [case.id for case in fresh] == [f"keras2/{RELEASE}/{recipe}"]
    for case in fresh:
        entry = by_id[case.id]
        for role, data in case.files.items():
            assert (CORPUS / entry[role]).read_bytes() == data, f"{case.id} {role} drifted"
        assert entry["kind"] == case.meta["kind"]


def test_the_file_is_the_model_json_tf_io_writes(run: ProducerRun) -> None:
    saved = json.loads(_result(run, "smoke-dense-chain")["containers"]["to_json"])
    assert list(saved) == ["modelTopology", "format", "generatedBy", "convertedBy", "weightsManifest"]
    assert (saved["format"], saved["generatedBy"], saved["convertedBy"]) == (
        "layers-model",
        "TensorFlow.js tfjs-layers v4.22.0",
        None,
    )
    assert saved["weightsManifest"][0]["paths"] == ["./model.weights.bin"]
    topology = saved["modelTopology"]
    assert (topology["keras_version"], topology["backend"]) == ("tfjs-layers 4.22.0", "tensor_flow.js")


def test_nested_calls_are_counted_from_the_live_nodes_not_read_from_the_file(run: ProducerRun) -> None:
    """tfjs-layers writes the two calls of a nested Sequential as nodes 1 and 2; the live model has
    calls 0 and 1, and so has the expected document."""
    result = _result(run, "nested-sequential-no-input-twice")
    topology = json.loads(result["containers"]["to_json"])["modelTopology"]
    total = next(layer for layer in topology["config"]["layers"] if layer["name"] == "sum")
    assert [entry[1] for entry in total["inbound_nodes"][0]] == [1, 2]
    expected = result["expected"]["to_json"]["model"]
    total_call = next(layer for layer in expected["layers"] if layer["name"] == "sum")["calls"][0]
    assert total_call["args"][0]["list"] == [{"tensor": ["inner_seq", 0, 0]}, {"tensor": ["inner_seq", 1, 0]}]


def test_a_tensor_in_the_call_arguments_is_live_but_not_in_the_file(run: ProducerRun) -> None:
    """getConfig drops call arguments JSON.stringify refuses (the initial state tensors): lossy."""
    result = _result(run, "lstm-initial-state")
    decoder = next(layer for layer in result["live"]["to_json"]["model"]["layers"] if layer["name"] == "decoder")
    assert decoder["calls"][0]["kwargs"] == {
        "initial_state": {"list": [{"tensor": ["encoder", 0, 1]}, {"tensor": ["encoder", 0, 2]}]}
    }
    written = next(layer for layer in result["expected"]["to_json"]["model"]["layers"] if layer["name"] == "decoder")
    assert written["calls"][0]["kwargs"] == {}


def test_the_call_signatures_are_the_committed_ones(run: ProducerRun) -> None:
    data = json.loads((REPO / "spec" / "generated" / "call-parameters.json").read_text())
    assert run.signatures == data[RELEASE]
    assert run.signatures is not None and run.signatures["Add"]["list_input"] is True
