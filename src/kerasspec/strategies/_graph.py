"""Drawing random functional graphs that real Keras can build.

The steps (:mod:`._layers`, :mod:`._ops`, :mod:`._nesting`) each draw one call on a
:class:`._builder.Builder`. Draws are ordered plainest first (one input, ``Dense``, no sharing,
no nesting) so that Hypothesis shrinks towards fewer layers, fewer calls and plainer calls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from kerasspec.canonical import Call, DictValue, Tensor, Value, leaves
from kerasspec.serialize import Producer, TensorInfo

from ._builder import FEATURES, STEPS, WIDTHS, Builder, Settings, key, listed, more, single, tensors_of
from ._kinds import KINDS
from ._layers import (
    attention,
    bidirectional,
    concatenate,
    dense,
    lambda_layer,
    lstm,
    merge,
    merge_dot,
    mha,
    time_distributed,
)
from ._nesting import merge_of_sequentials, nested
from ._ops import op_join, op_multiply, op_slice, op_stack
from ._record import LayerRecord, ModelRecord
from ._releases import attention_layers, bidirectional_drawn, dense_takes_sequences, lambda_drawn, merge_layer

__all__ = ["FEATURES", "Settings", "model_records"]


STEPS_BY_FEATURE: tuple[tuple[str | None, Callable[[Builder], bool]], ...] = (
    (None, dense),
    # the old era's own steps sit beside their kin; other releases never list them, so their draws are unchanged
    ("lambda", lambda_layer),
    ("list-call", merge),
    ("list-call", merge_dot),
    ("list-call", concatenate),
    ("list-call", attention),
    ("positional-call", mha),
    ("ops", op_multiply),
    ("ops", op_join),
    ("slicing", op_slice),
    ("nested-call", op_stack),
    ("rnn-state", lstm),
    ("wrappers", time_distributed),
    ("wrappers", bidirectional),
    ("nested-functional", lambda b: nested(b, sequential=False, fill=_fill_nested)),
    ("nested-sequential", lambda b: nested(b, sequential=True, fill=_fill_nested)),
)

#: Steps only some releases can take, with the test of the release (``_releases.py``); checked once, in
#: :func:`_step_allowed`, so the steps themselves need not.
RELEASE_GATES: dict[Callable[[Builder], bool], Callable[[Producer], bool]] = {
    attention: attention_layers,
    merge_dot: merge_layer,
    lambda_layer: lambda_drawn,
    bidirectional: bidirectional_drawn,
}

SHARERS: dict[str, Callable[[Builder, LayerRecord], bool]] = {
    "Dense": dense,
    "Add": merge,
    "Multiply": merge,
    "Average": merge,
    "Maximum": merge,
    "Concatenate": concatenate,
    "Attention": attention,
    "MultiHeadAttention": mha,
}


def _step_allowed(b: Builder, feature: str | None, step: Callable[[Builder], bool]) -> bool:
    if feature is None:
        return True
    gate = RELEASE_GATES.get(step)
    if gate is not None and not gate(b.settings.producer):
        return False
    if feature == "ops":
        return b.wants("ops" if b.settings.format == "keras3" else "tfoplambda")
    if feature == "positional-call":
        return b.wants("positional-call") or b.wants("kwarg-call")
    return b.wants(feature)


def _grow(b: Builder, steps: int) -> None:
    allowed = [step for feature, step in STEPS_BY_FEATURE if _step_allowed(b, feature, step)]
    for index in range(steps):
        if index and not more(b):
            break
        b.draw(_one_step(b, allowed))


@st.composite
def _one_step(draw: Callable[[Any], Any], b: Builder, allowed: list[Callable[[Builder], bool]]) -> None:
    # One step is one Hypothesis example: the shrinker can delete a whole step, choices and all.
    outer, b.draw = b.draw, draw
    try:
        if b.wants("shared-layer") and draw(st.integers(0, 3)) == 3:
            shareable = [
                layer
                for layer in b.record.layers.values()
                if layer.kind in SHARERS and KINDS[layer.kind].shareable and layer.calls
            ]
            if shareable:
                layer = draw(st.sampled_from(shareable))
                if SHARERS[layer.kind](b, layer):
                    b.used.add("shared-layer")
                    return
        for _attempt in range(3):
            if draw(st.sampled_from(allowed))(b):
                return
    finally:
        b.draw = outer


def _fill_nested(inner: Builder) -> None:
    """Grow a nested Functional with the same steps as the outer model (half its layers at most)."""
    _grow(inner, max(1, inner.settings.max_layers // 2))
    _close(inner, allow_dict=False)


def _close(b: Builder, allow_dict: bool) -> None:
    """Consume every unused input and make every unconsumed tensor an output."""
    for name, layer in list(b.record.layers.items()):
        tensor = Tensor(name, 0, 0)
        if layer.input is not None and layer.input.dtype == "float32" and key(tensor) not in b.consumed:
            shape = layer.input.shape
            assert shape is not None
            if len(shape) == 2 or dense_takes_sequences(b.settings.producer):
                consumer = LayerRecord(b.fresh("dense"), "Dense", {"units": WIDTHS[0]})
            else:  # Keras 1.0-1.1: Dense takes no sequence, TimeDistributed(Dense) does
                consumer = LayerRecord(b.fresh("time_distributed"), "TimeDistributed", {"units": WIDTHS[0]})
                b.used.add("wrappers")
            b.add_call(consumer, Call((tensor,), {}), (TensorInfo((*shape[:-1], WIDTHS[0])),), (shape,))
    sinks = [
        tensor for tensor in b.pool if key(tensor) not in b.consumed and b.record.layers[tensor.layer].input is None
    ]
    if len(sinks) == 1 and not b.draw(st.booleans()):
        b.record.outputs = single(b, sinks[0])
    elif allow_dict and b.wants("dict-io") and b.draw(st.booleans()):
        b.record.outputs = DictValue({f"out_{i}": tensor for i, tensor in enumerate(sinks)})
        b.used.add("dict-io")
    else:
        b.record.outputs = listed(b, sinks)
    layout = list(b.record.layers)
    if b.wants("unordered-layers") and b.draw(st.booleans()):
        layout = b.draw(st.permutations(layout))
        b.used.add("unordered-layers")
    b.record.layout = tuple(layout)
    position = {name: index for index, name in enumerate(layout)}
    for name, layer in b.record.layers.items():
        if any(position[tensor.layer] > position[name] for call in layer.calls for tensor in tensors_of(call)):
            b.used.add("non-topological")
            break


@st.composite
def model_records(draw: Callable[[Any], Any], settings: Settings) -> tuple[ModelRecord, frozenset[str]]:
    """A top-level Functional model record and the features it exercises."""
    names: dict[str, int] = {}
    merged = merge_layer(settings.producer) and "nested-sequential" in settings.features and settings.max_depth >= 1
    if merged and draw(st.integers(0, 3)) == 3:
        top = Builder(draw, settings, names, 0, ModelRecord("Sequential", "sequential"))
        top.fresh("sequential")
        merge_of_sequentials(top)
        return top.record, frozenset(top.used)
    b = Builder(draw, settings, names, 0, ModelRecord("Functional", "model"))
    b.fresh("model")
    # A list strategy, so that the shrinker deletes whole inputs.
    sequence = st.tuples(st.sampled_from(STEPS), st.sampled_from(WIDTHS))
    # Keras 1.0-1.1's Dense takes no sequence: flat inputs too, first so that they shrink to them.
    shape = sequence if dense_takes_sequences(settings.producer) else st.tuples(st.sampled_from(WIDTHS)) | sequence
    shapes = draw(
        st.lists(
            shape,
            min_size=1,
            max_size=3 if b.wants("multi-io") else 1,
        )
    )
    inputs = [b.add_input(shape) for shape in shapes]
    _grow(b, settings.max_layers)
    _close(b, allow_dict=True)
    masks = [
        Tensor(name, 0, 0)
        for name, layer in b.record.layers.items()
        if layer.input is not None and layer.input.dtype == "bool"
    ]
    everything = [*inputs, *masks]
    if len(everything) == 1 and not draw(st.booleans()):
        b.record.inputs = single(b, everything[0])
    elif b.wants("dict-io") and draw(st.booleans()):
        b.record.inputs = DictValue({tensor.layer: tensor for tensor in everything})
        b.used.add("dict-io")
    else:
        b.record.inputs = listed(b, everything)
    total_io = len(everything) + len(_leaves(b.record.outputs))
    b.used.add("multi-io" if total_io > 2 else "single-io")
    return b.record, frozenset(b.used)


def _leaves(value: Value | None) -> list[Tensor]:
    return [] if value is None else [leaf for leaf in leaves(value) if isinstance(leaf, Tensor)]
