"""The reference serializer writes what tfjs-layers writes (marked ``external``: Node.js and npm packages).

test_serializer_differential.py's counterpart for TensorFlow.js: graphs drawn for
``tfjs-layers-4.22.0`` are replayed in the real tfjs-layers (``serializer_live.js``, run with Node.js
and the npm packages of the producer or of ``adapters/readers/tfjs-layers``), and the ``model.json``
``tf.io`` writes for each is compared with ``serialize(document, "tfjs-layers-4.22.0", details)``:
identical JSON, key order aside, except the weights listed in ``weightsManifest`` (the serializer
writes no weights). The captured template is checked against a fresh capture the same way.
Skipped, with the reason, without Node.js (as tests/generator/test_tfjs_producer.py).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from kerasspec.canonical import Document, diff
from kerasspec.serialize import serialize

sys.path.insert(0, str(Path(__file__).parent))
from serializer_templates import TEMPLATES, TFJS, node_modules, run_live, templates
from test_serializer_differential import FOCUSED_RUN, _generate, _reorder

pytestmark = pytest.mark.external

EXAMPLES = 40
FOCUSED_EXAMPLES = 150
#: The constructs tfjs-layers writes differently from tf_keras, each drawn on its own as well.
FOCUSED = {
    "rnn-state": frozenset({"rnn-state", "multi-output"}),
    "nested-sequential": frozenset({"nested-sequential", "nested-twice", "list-call"}),
    "nested-twice": frozenset({"nested-functional", "nested-twice", "list-call", "shared-layer"}),
    "wrappers": frozenset({"wrappers", "list-call"}),
    "mask-kwarg": frozenset({"rnn-state", "tensor-in-kwargs"}),
}


@pytest.fixture(scope="module", autouse=True)
def _node() -> None:
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed: tfjs-layers runs with it")
    installed = node_modules(TFJS) / "@tensorflow" / "tfjs-layers" / "package.json"
    assert installed.exists(), "run `npm ci` in adapters/readers/tfjs-layers (scripts/test does)"
    assert json.loads(installed.read_text())["version"] == "4.22.0"


def _without_weights(model_json: dict[str, Any]) -> dict[str, Any]:
    manifest = [{**group, "weights": []} for group in model_json["weightsManifest"]]
    return {**model_json, "weightsManifest": manifest}


def test_the_template_is_what_tfjs_writes() -> None:
    committed = json.loads((TEMPLATES / f"{TFJS}.json").read_text())
    difference = diff(templates(TFJS), committed)
    assert difference is None, f"recapture with tests/keras/serializer_templates.py {TFJS}: {difference}"


@pytest.mark.parametrize("focus", [None, *FOCUSED])
def test_serializer_matches_live_tfjs(focus: str | None) -> None:
    if focus is None:
        generated = _generate(TFJS, EXAMPLES)
    else:
        generated = [item for item in _generate(TFJS, FOCUSED_EXAMPLES, FOCUSED[focus]) if focus in item.features]
        generated = generated[:FOCUSED_RUN]
        assert len(generated) >= 5, f"only {len(generated)} drawn models use {focus}"
    answer = run_live(TFJS, [item.plan() for item in generated])
    assert answer["version"] == "4.22.0"
    problems = []
    for item, result in zip(generated, answer["results"], strict=True):
        if "error" in result:
            problems.append(f"tfjs-layers refused the plan: {result['error']}\n{json.dumps(item.plan())[:2000]}")
            continue
        live = _without_weights(json.loads(result["json"]))
        document = Document(item.written.format, _reorder(item.written.model, live["modelTopology"]))
        ours = json.loads(serialize(document, TFJS, item.details))
        difference = diff(live, ours)
        if difference is not None:
            problems.append(f"{difference}")
    assert not problems, f"{len(problems)}/{len(generated)} differ; first: {problems[0]}"
    if focus == "wrappers":  # both wrappers tfjs-layers has were replayed
        classes = {layer.class_name for item in generated for layer in item.written.model.layers}
        assert {"TimeDistributed", "Bidirectional"} <= classes, sorted(classes)
