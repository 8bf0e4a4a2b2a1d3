"""keras2ncnn 0.2.0's `.h5` reader on the protocol (adapters/readers/keras2ncnn), on a few corpus cases.

The adapter asks for `.h5` files (spec/protocol.md#containers). scripts/test installs keras2ncnn into the test
environment (adapters/readers/keras2ncnn/requirements.txt). Each row is a behaviour the matrix reports
(adapters/findings/FINDINGS.md, N1-N5).
"""

from __future__ import annotations

import sys

import pytest
from adapter_runs import REPO, check, run_adapter

pytestmark = pytest.mark.external  # needs what scripts/test installs beyond the package (tests/README.md)

ADAPTER = [sys.executable, str(REPO / "adapters/readers/keras2ncnn/adapter.py")]
ROWS = [
    ("keras2/tf_keras-2.21.0/smoke-dense-chain", "pass", ""),
    # N1: an InputLayer has no input name, so it is wired to the graph's tail: the second input
    # reads from the first, and only the first is an input of the graph.
    ("keras2/tf_keras-2.21.0/merge-add", "fail", "$.model.inputs"),
    # N2: every string of every node is one input list: a shared layer's calls become one.
    ("keras2/tf_keras-2.21.0/shared-layer-repeated", "fail", "$.model.layers[1].calls"),
    # N3: keyword arguments are dropped, tensors or not.
    ("keras2/tf_keras-2.21.0/mha-self-attention", "fail", "$.model.layers[1].calls[0].kwargs.value"),
    # N4: a nested Functional is inlined into the outer graph.
    ("keras2/tf_keras-2.21.0/nested-functional", "fail", "$.model.layers"),
    # N5: keras3 nodes hold no strings: every layer is wired to the tail; an op layer without
    # config.name (Keras 3.0 to 3.10) is a KeyError.
    ("keras3/keras-3.15.1/merge-add", "fail", "$.model.inputs"),
    ("keras3/keras-3.0.5/ops-cast-where", "rejected-valid", "KeyError: 'name'"),
]


@pytest.fixture(scope="module")
def results(real_corpus):
    pytest.importorskip("keras2ncnn", reason="scripts/test installs it (adapters/readers/keras2ncnn/requirements.txt)")
    cases = [real_corpus.case(case_id) for case_id, _, _ in ROWS]
    return run_adapter(ADAPTER, cases, timeout=30, start_timeout=60)


@pytest.mark.parametrize(("case_id", "outcome", "evidence"), ROWS, ids=[r[0] for r in ROWS])
def test_keras2ncnn(results, case_id, outcome, evidence):
    assert results[case_id].container == "h5"  # its start reply asks for .h5 files, which the harness builds
    check(results[case_id], outcome, evidence)
