"""tfjs-layers 4.22.0 on the protocol (adapters/readers/tfjs-layers), plain and with stand-in layers.

scripts/test runs `npm ci` in adapters/readers/tfjs-layers. Each row is a behaviour the matrix reports
(adapters/findings/FINDINGS.md): the reader's own words or the first differing path show it is tfjs's.
"""

from __future__ import annotations

import shutil

import pytest
from adapter_runs import REPO, check, run_adapter

pytestmark = pytest.mark.external  # needs what scripts/test installs beyond the package (tests/README.md)

ADAPTER = REPO / "adapters/readers/tfjs-layers/adapter.js"

# Passing rows have several inputs and outputs, so they do not depend on how the spec reads a keras2
# list of one.
PLAIN_ROWS = [
    ("keras2/tf_keras-2.21.0/merge-maximum-minimum", "pass", ""),
    # Its own model.json, as tf.io wrote it: read from modelTopology, without fetching the weights.
    ("keras2/tfjs-layers-4.22.0/nested-sequential-no-input-twice", "pass", ""),
    ("keras2/tf_keras-2.21.0/smoke-mha-positional", "rejected-valid", "Unknown layer: MultiHeadAttention"),
    ("keras2/tf_keras-2.21.0/dict-inputs", "rejected-valid", "is not iterable"),
    ("keras3/keras-3.15.1/smoke-dense-chain", "rejected-valid", "An InputLayer should be passed"),
    ("invalid/keras2/cycle-self", "timeout", ""),  # Container.fromConfig's loop never ends
]
STAND_IN_ROWS = [
    ("keras2/tf_keras-2.21.0/shared-nodes-out-of-order", "pass", ""),
    # Past the unknown class, the wiring: tfjs does not resolve a reference in kwargs.
    ("keras2/tf_keras-2.21.0/mha-shared", "fail", "kwargs.value.tensor"),
    ("keras3/keras-3.15.1/smoke-dense-chain", "rejected-valid", "expected array for nodeData"),
]


def _node() -> str:
    node = shutil.which("node")
    assert node, "Node.js is required (apt-get install nodejs)"
    assert (REPO / "adapters/readers/tfjs-layers/node_modules/@tensorflow/tfjs").exists(), (
        "run `npm ci` in adapters/readers/tfjs-layers (scripts/test does)"
    )
    return node


@pytest.fixture(scope="module")
def plain(real_corpus):
    cases = [real_corpus.case(case_id) for case_id, _, _ in PLAIN_ROWS]
    return run_adapter([_node(), str(ADAPTER)], cases, timeout=5, start_timeout=60)


@pytest.fixture(scope="module")
def stand_ins(real_corpus):
    cases = [real_corpus.case(case_id) for case_id, _, _ in STAND_IN_ROWS]
    return run_adapter([_node(), str(ADAPTER), "--stand-ins"], cases, timeout=5, start_timeout=60)


@pytest.mark.parametrize(("case_id", "outcome", "evidence"), PLAIN_ROWS, ids=[r[0] for r in PLAIN_ROWS])
def test_tfjs_layers(plain, case_id, outcome, evidence):
    check(plain[case_id], outcome, evidence)


@pytest.mark.parametrize(("case_id", "outcome", "evidence"), STAND_IN_ROWS, ids=[r[0] for r in STAND_IN_ROWS])
def test_tfjs_layers_stand_ins(stand_ins, case_id, outcome, evidence):
    check(stand_ins[case_id], outcome, evidence)
