"""Keras's own loaders on the protocol (adapters/readers/keras3-loader, adapters/readers/tf-keras-loader),
on a few corpus cases.

The test environment has keras 3.15.1 and tf_keras 2.21.0 (requirements/keras.txt), so both adapters
run with this interpreter. Each row is one behaviour of the reader that the matrix reports (see
adapters/findings/FINDINGS.md): a pass that shows the adapter reads a loaded model right, or a real failure
with the words that show it is the reader's own. If Keras changes, a row changes; that is the point.
"""

from __future__ import annotations

import sys

import pytest
from adapter_runs import REPO, check, run_adapter

from kerasspec.harness import ProtocolParser

pytestmark = pytest.mark.keras

KERAS3 = [sys.executable, str(REPO / "adapters/readers/keras3-loader/adapter.py")]
TF_KERAS = [sys.executable, str(REPO / "adapters/readers/tf-keras-loader/adapter.py")]

# (case id, outcome, evidence: words of the message, or the first differing JSON path). Passing rows
# have several inputs and outputs, so they do not depend on how the spec reads a keras2 list of one.
KERAS3_ROWS = [
    ("keras3/keras-3.15.1/smoke-mha-positional", "pass", ""),
    ("keras3/keras-3.15.1/nested-functional-twice", "pass", ""),
    ("keras3/keras-3.15.1/shared-dense-siamese/h5", "pass", ""),  # the legacy .h5 path
    ("keras2/tf_keras-2.21.0/merge-maximum-minimum", "pass", ""),  # keras2 read into keras2 conventions
    ("keras2/tf_keras-2.21.0/nested-multi-input", "rejected-valid", "Could not locate class 'Functional'"),
    ("keras2/tf_keras-2.21.0/tfop-slicing", "rejected-valid", "SlicingOpLambda"),
    ("keras2/tf_keras-2.21.0/mha-shared", "rejected-valid", "MultiHeadAttention"),
    ("keras3/keras-3.15.1/ops-getitem-slice/h5", "rejected-valid", "Unknown layer: 'GetItem'"),
    ("invalid/keras3/json-array", "pass", ""),  # model_from_json returns the list; no model: rejected
    ("invalid/keras3/node-index-negative", "accepted-invalid", ""),  # -1 read as the last call
    # A keras2 Sequential without an InputLayer in its file: Keras 3 adds one ("input_layer") that the
    # answer leaves out, as the file does (the adapter crashed on it).
    ("keras2/keras-2.2.4/legacy-sequential", "pass", ""),
    # A list-shaped Sequential config: Keras 3's own loader refuses it (keras/src/legacy/saving).
    ("keras2/keras-2.2.2/legacy-sequential", "rejected-valid", "pop expected at most 1 argument"),
    # Keras 3 builds other layers than the file lists (the adapter crashed on these): the answer is the
    # model it built, as it describes itself, and fails where it differs from the file.
    ("keras2/keras-2.2.4/masking-layer-gru", "fail", "$.model.layers"),  # layers it adds for the mask
    ("handmade/keras3/inputs-only", "fail", "$.model.layers"),  # an input no output depends on, dropped
    ("invalid/keras2/nested-models-too-deep", "accepted-invalid", ""),  # the too-deep model cut short
]
TF_KERAS_ROWS = [
    ("keras2/tf_keras-2.21.0/mha-shared", "pass", ""),
    ("keras2/tf_keras-2.21.0/shared-nodes-out-of-order", "pass", ""),
    ("keras2/tf_keras-2.21.0/tfop-einsum-varargs", "rejected-valid", "tf.einsum"),
    ("keras3/keras-3.15.1/smoke-dense-chain", "rejected-valid", "Error when deserializing class 'InputLayer'"),
    # Old-era Sequentials, which the adapter crashed on: a list-shaped config (Keras before 2.2.3), with
    # the InputLayer tf_keras adds left out as the file has none; and one nested in a Functional, which
    # tf_keras loads under a name of its own ("sequential"), not its layer's.
    ("keras2/keras-2.2.2/legacy-sequential", "pass", ""),
    ("keras2/keras-2.2.4/legacy-sequential", "pass", ""),
    ("keras2/keras-2.2.2/nested-sequential-no-input", "fail", "$.model.layers[1].model.name"),
]


@pytest.fixture(scope="module")
def keras3_results(real_corpus):
    cases = [real_corpus.case(case_id) for case_id, _, _ in KERAS3_ROWS]
    return run_adapter(KERAS3, cases, timeout=60, start_timeout=180)


@pytest.fixture(scope="module")
def tf_keras_results(real_corpus):
    cases = [real_corpus.case(case_id) for case_id, _, _ in TF_KERAS_ROWS]
    return run_adapter(TF_KERAS, cases, timeout=60, start_timeout=180)


@pytest.mark.parametrize(("case_id", "outcome", "evidence"), KERAS3_ROWS, ids=[r[0] for r in KERAS3_ROWS])
def test_keras3_loader(keras3_results, case_id, outcome, evidence):
    check(keras3_results[case_id], outcome, evidence)


@pytest.mark.parametrize(("case_id", "outcome", "evidence"), TF_KERAS_ROWS, ids=[r[0] for r in TF_KERAS_ROWS])
def test_tf_keras_loader(tf_keras_results, case_id, outcome, evidence):
    check(tf_keras_results[case_id], outcome, evidence)


def test_keras3_leaves_a_keras2_kwargs_tensor_unwired(real_corpus):
    """FINDINGS K1: the Softmax's mask, written as a reference in the entry's kwargs, is not a tensor."""
    case = real_corpus.case("keras2/tf_keras-2.21.0/softmax-mask")
    answer = ProtocolParser(KERAS3, timeout=60, start_timeout=180).answer(case, case.read_input())
    softmax = answer.document["model"]["layers"][2]
    assert softmax["name"] == "softmax"
    assert softmax["calls"][0]["kwargs"]["mask"] == {"list": [{"const": "mask"}, {"const": 0}, {"const": 0}]}
