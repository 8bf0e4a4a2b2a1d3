"""hls4ml 1.3.0's keras2 JSON reader on the protocol (adapters/readers/hls4ml), on a few corpus cases.

scripts/test installs hls4ml into the test environment (adapters/readers/hls4ml/requirements.txt). Each row is a
behaviour the matrix reports (adapters/findings/FINDINGS.md, H1-H2).
"""

from __future__ import annotations

import sys

import pytest
from adapter_runs import REPO, check, run_adapter

pytestmark = pytest.mark.external  # needs what scripts/test installs beyond the package (tests/README.md)

ADAPTER = [sys.executable, str(REPO / "adapters/readers/hls4ml/adapter.py")]
ROWS = [
    ("keras2/tf_keras-2.21.0/merge-maximum-minimum", "pass", ""),
    # Only inbound_nodes[0] is read: the shared layer's second call is gone.
    ("keras2/tf_keras-2.21.0/shared-nodes-out-of-order", "fail", "$.model.layers[2].calls"),
    ("keras2/tf_keras-2.21.0/mha-shared", "rejected-valid", "Unsupported layer type: MultiHeadAttention"),
    ("keras3/keras-3.15.1/smoke-dense-chain", "unsupported", ""),  # keras3 only from a live model
]


@pytest.fixture(scope="module")
def results(real_corpus):
    pytest.importorskip("hls4ml", reason="scripts/test installs it (adapters/readers/hls4ml/requirements.txt)")
    cases = [real_corpus.case(case_id) for case_id, _, _ in ROWS]
    return run_adapter(ADAPTER, cases, timeout=30, start_timeout=120)


@pytest.mark.parametrize(("case_id", "outcome", "evidence"), ROWS, ids=[r[0] for r in ROWS])
def test_hls4ml(results, case_id, outcome, evidence):
    check(results[case_id], outcome, evidence)
