"""The reference serializer writes what real Keras writes (keras-marked: needs the producer venvs).

Generated graphs are replayed in live Keras (``serializer_live.py``, run by each release's own
Python), and ``model.to_json()`` is compared with ``serialize(document, release, details)``:
identical JSON, key order aside.  The serializer writes layers in the order it is given; the live
model decides its own order, so the document's layers are put in that order first (the order
itself is a free choice of the file, tested by the parser properties).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, seed, settings

from kerasspec.canonical import Document, Model, diff
from kerasspec.serialize import serialize
from kerasspec.strategies import Generated, models
from kerasspec.vocabulary import Producer

sys.path.insert(0, str(Path(__file__).parent))
from serializer_templates import PRODUCERS, TEST_ENVIRONMENT, run_live

#: Every installed producer environment (``.cache/producers``); the two the tests always need first.
RELEASES = sorted(
    {"keras-3.15.1", "tf_keras-2.21.0"}
    | {path.name for path in PRODUCERS.glob("*") if (path / "bin" / "python").exists()}
)
EXAMPLES = 25
FOCUSED_EXAMPLES = 150  # drawn; of those using the focus, the first FOCUSED_RUN are run in Keras
FOCUSED_RUN = 12

pytestmark = pytest.mark.keras


def _generate(release: str, count: int, features: frozenset[str] | None = None) -> list[Generated]:
    drawn: list[Generated] = []
    strategy = models(release) if features is None else models(release, features=features)

    @seed(11)  # the same graphs on every run: a difference is a change in Keras or in the serializer
    @settings(settings.get_profile("replay"), max_examples=count)  # profiles: tests/conftest.py
    @given(strategy)
    def gather(generated: Generated) -> None:
        drawn.append(generated)

    gather()
    return drawn


def _reorder(model: Model, wire: dict[str, Any]) -> Model:
    config = wire["config"]
    entries = config if isinstance(config, list) else config["layers"]  # a Sequential before Keras 2.2.3: a list
    order = [entry.get("name") or entry["config"]["name"] for entry in entries]
    by_name = {layer.name: layer for layer in model.layers}
    layers = []
    for name, entry in zip(order, entries, strict=True):
        layer = by_name[name]
        if layer.model is not None:
            layer = layer._replace(model=_reorder(layer.model, entry))
        layers.append(layer)
    return Model(model.class_name, model.name, model.inputs, model.outputs, tuple(layers))


#: Constructs rare in the general draw, drawn on their own so every release meets them.
FOCUSED = {
    "dict-call": frozenset({"nested-functional", "dict-call", "list-call", "nested-twice"}),
    "rnn-state": frozenset({"rnn-state", "multi-output"}),
    "nested-call": frozenset({"nested-call", "tfoplambda", "list-call"}),
    "name-collision": frozenset({"name-collision", "ops", "list-call"}),
    "wrappers": frozenset({"wrappers", "list-call"}),
    # the old era's own: Keras 1's Merge in mode dot or cos and its Merge of Sequentials, Bidirectional,
    # Lambda, and a mask passed as mask= (kwargs written {} by 2.0.8 to 2.3.1)
    "merge-dot": frozenset({"list-call"}),
    "merge-of-sequentials": frozenset({"nested-sequential"}),
    "bidirectional": frozenset({"wrappers"}),
    "lambda": frozenset({"lambda", "list-call"}),
    "mask-kwarg": frozenset({"rnn-state", "tensor-in-kwargs"}),
}


def _uses(focus: str, item: Generated) -> bool:
    """Whether a drawn model holds the focused construct (a feature tag, or a class the file writes)."""
    if focus == "merge-dot":
        return '"mode": "dot"' in item.text or '"mode": "cos"' in item.text
    if focus == "merge-of-sequentials":
        return "sequential" in item.features
    if focus == "bidirectional":
        return '"class_name": "Bidirectional"' in item.text
    return focus in item.features


@pytest.mark.parametrize("release", RELEASES)
def test_serializer_matches_live_keras(release: str) -> None:
    _compare_with_live(release, None)


#: What the strategies know they cannot write for a release, and so must never draw for it.
NOT_DRAWN = {
    ("rnn-state", "tensorflow-2.12.1"): "LSTM initializers carry model-wide shared_object_ids",
    **{(("nested-call", release)): "keras3 has no TFOpLambda" for release in RELEASES if release.startswith("keras-")},
    **{
        ("name-collision", release): "keras2 op layers have class names of their own"
        for release in RELEASES
        if not release.startswith("keras-")
    },
    # standalone Keras before 2.4: kerasspec.strategies._releases says what its files cannot have
    **{
        (focus, release): "no dict calls, RNN states, TensorFlow ops or keras.ops before Keras 2.4"
        for release in RELEASES
        for focus in ("dict-call", "rnn-state", "nested-call", "name-collision")
        if Producer.parse(release).old_era and (focus != "rnn-state" or Producer.parse(release).version < (2, 0, 8))
    },
    **{
        (focus, release): "Keras 1's Merge only: Keras 2 merges with Add, Multiply, ... (2.0-2.1 keep Merge as legacy)"
        for release in RELEASES
        for focus in ("merge-dot", "merge-of-sequentials")
        if not release.startswith("keras-1.")
    },
    **{
        (focus, release): "drawn for the old era only (templates captured from Keras 1.0.8 to 2.3.1)"
        for release in RELEASES
        for focus in ("bidirectional", "lambda")
        if not Producer.parse(release).old_era
    },
    **{
        ("mask-kwarg", release): (
            "Keras 1 and 2.0.2 refuse mask= with a tensor (KeyError: 'mask_ib-0'); others not drawn yet"
        )
        for release in RELEASES
        if not (Producer.parse(release).old_era and Producer.parse(release).version >= (2, 0, 8))
    },
}


@pytest.mark.parametrize("release", RELEASES)
@pytest.mark.parametrize("focus", FOCUSED)
def test_serializer_matches_live_keras_on(focus: str, release: str) -> None:
    if (focus, release) in NOT_DRAWN:
        drawn = _generate(release.removesuffix("-jax"), FOCUSED_EXAMPLES, FOCUSED[focus])
        assert not [item for item in drawn if _uses(focus, item)], NOT_DRAWN[focus, release]
        return
    _compare_with_live(release, FOCUSED[focus], required=focus)


def _compare_with_live(release: str, features: frozenset[str] | None, required: str | None = None) -> None:
    if not (PRODUCERS / release / "bin" / "python").exists() and release not in TEST_ENVIRONMENT:
        pytest.fail(f"producer environment {release} is missing: run generator venv setup")
    producer = release.removesuffix("-jax")  # same files as the TensorFlow backend, other venv
    generated = _generate(producer, EXAMPLES if features is None else FOCUSED_EXAMPLES, features)
    if required is not None:
        generated = [item for item in generated if _uses(required, item)][:FOCUSED_RUN]
        assert len(generated) >= 5, f"only {len(generated)} drawn models use {required}"
    answer = run_live(release, [item.plan() for item in generated])
    problems = []
    for item, result in zip(generated, answer["results"], strict=True):
        if "error" in result:
            problems.append(f"Keras refused the plan: {result['error']}\n{json.dumps(item.plan())[:2000]}")
            continue
        live = json.loads(result["json"])
        document = Document(item.written.format, _reorder(item.written.model, live))
        ours = json.loads(serialize(document, producer, item.details))
        difference = diff(live, ours)
        if difference is not None:
            problems.append(f"{difference}")
    assert not problems, f"{len(problems)}/{len(generated)} differ; first: {problems[0]}"
