"""Netron 9.3.3's Keras reader (keras.js) on the protocol (adapters/readers/netron), on a few corpus cases.

scripts/test installs Netron's wheel into .cache/readers/netron-9.3.3 (adapters/readers/netron/requirements.txt).
The rows are behaviours the matrix reports (adapters/findings/FINDINGS.md, N1-N9); the wiring tests read Netron's
documents themselves, since the harness's first difference often stops at a kwarg Netron does not keep.
"""

from __future__ import annotations

import importlib.util
import shutil

import pytest
from adapter_runs import REPO, check, run_adapter

from kerasspec.harness import ProtocolParser

pytestmark = pytest.mark.external  # needs what scripts/test installs beyond the package (tests/README.md)

ADAPTER = REPO / "adapters/readers/netron/adapter.js"
NETRON = REPO / ".cache/readers/netron-9.3.3/netron"

ROWS = [
    ("keras2/tf_keras-2.21.0/merge-maximum-minimum", "pass", ""),
    # keras2 numbers a nested Functional's nodes from 1; keras.js knows it.
    ("keras2/tf_keras-2.21.0/nested-functional-twice", "pass", ""),
    ("keras2/tf_keras-2.21.0/shared-nodes-out-of-order", "pass", ""),
    ("keras3/keras-3.15.1/shared-dense-siamese", "pass", ""),
    ("keras3/keras-3.15.1/sequential-with-input", "pass", ""),
    # N1: a tensor in a keras2 entry's kwargs is dropped.
    ("keras2/tf_keras-2.21.0/softmax-mask", "fail", "kwargs.mask: missing key"),
    # N7: `["_CONSTANT_VALUE", -1, 2.0, {...}]` is read as a reference.
    ("keras2/tf_keras-2.21.0/tfop-const-first", "fail", "args[0].const: missing key"),
    # N5: nested input_layers.
    ("keras2/tf_keras-2.21.0/nested-inputs", "fail", "$.model.inputs.list[1].list"),
    ("invalid/keras3/json-array", "pass", ""),
    # N9: a reference to a layer that does not exist is drawn as an edge from nowhere.
    ("invalid/keras2/dangling-entry-layer", "accepted-invalid", "dangling-reference"),
]
WIRING = [
    "keras3/keras-3.15.1/nested-functional-twice-outputs",
    "keras3/keras-3.15.1/mha-keyword",
    "keras2/tf_keras-2.21.0/tfop-const-first",
    "keras2/tf_keras-2.21.0/merge-maximum-minimum",
]


def _node() -> str:
    node = shutil.which("node")
    assert node, "Node.js is required (apt-get install nodejs)"
    assert (NETRON / "keras.js").exists(), "scripts/test installs Netron (adapters/readers/netron/requirements.txt)"
    return node


@pytest.fixture(scope="module")
def results(real_corpus):
    cases = [real_corpus.case(case_id) for case_id, _, _ in ROWS]
    return run_adapter([_node(), str(ADAPTER)], cases, timeout=10, start_timeout=60)


@pytest.fixture(scope="module")
def documents(real_corpus):
    parser = ProtocolParser([_node(), str(ADAPTER)], timeout=10, start_timeout=60)
    try:
        cases = [real_corpus.case(case_id) for case_id in WIRING]
        answered = {case.id: answer for case, answer, _ in parser.answers((c, c.read_input()) for c in cases)}
    finally:
        parser.close()
    assert {answer.kind for answer in answered.values()} == {"document"}
    return {case_id: answer.document["model"] for case_id, answer in answered.items()}


@pytest.fixture(scope="module")
def wiring():
    spec = importlib.util.spec_from_file_location("netron_wiring", REPO / "adapters/readers/netron/wiring.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("case_id", "outcome", "evidence"), ROWS, ids=[r[0] for r in ROWS])
def test_netron(results, case_id, outcome, evidence):
    check(results[case_id], outcome, evidence)


def _layer(model, name):
    return next(layer for layer in model["layers"] if layer["name"] == name)


def test_keras3_output_layers_numbering_is_misread(documents):
    # N3: output_layers [["tower", 2, 0], ["tower", 1, 0]] mean calls 1 and 0 (keras3 numbers from 1 there).
    outputs = documents["keras3/keras-3.15.1/nested-functional-twice-outputs"]["outputs"]
    assert outputs == {
        "list": [
            {"object": {"class_name": "__netron_unconnected__", "value": "tower[2][0]"}},
            {"tensor": ["tower", 1, 0]},
        ]
    }


def test_keras3_kwargs_tensors_are_not_connected(documents):
    # N2: mha(query=q, value=v, key=k): Netron's node has no inputs.
    assert _layer(documents["keras3/keras-3.15.1/mha-keyword"], "mha")["calls"] == [{"args": [], "kwargs": {}}]


def test_constant_value_entry_is_read_as_a_reference(documents):
    # N7: the constant 2.0 becomes a value named after a layer "_CONSTANT_VALUE" that nothing produces.
    call = _layer(documents["keras2/tf_keras-2.21.0/tfop-const-first"], "tf.math.add")["calls"][0]
    assert call["args"][0]["list"][0] == {
        "object": {"class_name": "__netron_unconnected__", "value": "_CONSTANT_VALUE[-1][2]"}
    }


def test_wiring_separates_structure_from_wrong_edges(documents, wiring, real_corpus):
    def difference(case_id):
        expected = real_corpus.case(case_id).read_expected()["model"]
        return wiring.first_difference(wiring.wiring(expected), wiring.wiring(documents[case_id]))

    assert difference("keras2/tf_keras-2.21.0/merge-maximum-minimum") is None
    assert difference("keras3/keras-3.15.1/mha-keyword").startswith("mha/0: expected [")


@pytest.fixture
def fake_netron(tmp_path):
    """A Netron stand-in: rejects keras2 files (keras_version), returns a graph the adapter cannot read."""
    (tmp_path / "package.json").write_text('{"type": "module"}')
    (tmp_path / "base.js").write_text(
        "export class BinaryStream { constructor(b) { this.b = b; } peek() { return this.b; } }\n"
    )
    (tmp_path / "view.js").write_text(
        "export class ModelFactoryService {\n"
        "  constructor(host) {}\n"
        "  async open(context) {\n"
        "    const text = new TextDecoder().decode(context.stream.peek());\n"
        "    if (text.includes('keras_version')) throw new Error('no\\nmore');\n"
        "    return { format: 'Keras', modules: [{ name: 'm', description: 'Functional', inputs: [], outputs: [],\n"
        "                                          nodes: [{ name: 'broken', inputs: [], outputs: [] }] }] };\n"
        "  }\n"
        "}\n"
    )
    return tmp_path


def test_netron_exception_is_a_rejection_and_adapter_bug_a_crash(real_corpus, fake_netron):
    keras2, keras3 = "keras2/tf_keras-2.21.0/merge-maximum-minimum", "keras3/keras-3.15.1/shared-dense-siamese"
    done = run_adapter(
        [_node(), str(ADAPTER), "--netron", str(fake_netron)],
        [real_corpus.case(keras2), real_corpus.case(keras3)],
        timeout=10,
        start_timeout=60,
    )
    check(done[keras2], "rejected-valid", "Error: no")
    assert "more" not in done[keras2].detail  # the first line only
    check(done[keras3], "crash", "TypeError")
