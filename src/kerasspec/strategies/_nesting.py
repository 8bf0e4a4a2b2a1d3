"""The step that draws a nested model: a Sequential or Functional called as a layer, once or twice.

The nested model is grown by the caller's ``fill`` (the outer graph's own steps), one level deeper.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from kerasspec.canonical import Call, DictValue, ListValue, Tensor, Value
from kerasspec.serialize import TensorInfo

from ._builder import WIDTHS, Builder, is_float, is_rank2, key, more, single
from ._record import LayerRecord, ModelRecord
from ._releases import dense_takes_sequences


def nested(b: Builder, sequential: bool, fill: Callable[[Builder], None]) -> bool:
    """A nested Sequential (two Dense at most) or Functional (grown by ``fill``) called on earlier tensors."""
    if b.depth >= b.settings.max_depth:
        return False
    # A Sequential holds Dense layers only, which take no sequence in Keras 1.0-1.1.
    flat_only = sequential and not dense_takes_sequences(b.settings.producer)
    x = b.pick(is_rank2 if flat_only else is_float)
    if x is None:
        return False
    tensors = [x]
    # A nested Functional may take a list of two inputs: the call is then a list call.
    if not sequential and b.wants("list-call") and b.draw(st.booleans()):
        y = b.pick(is_float)
        assert y is not None
        tensors.append(y)
    # ... or a dict of its inputs by name, called with a dict: keras2 writes the node as an object.
    keyed = not sequential and b.wants("dict-call") and b.draw(st.booleans())
    shapes = tuple(b.info(tensor).shape for tensor in tensors)
    name = b.fresh("sequential" if sequential else "model")
    inner = _sequential_record(b, name, shapes[0]) if sequential else _functional_record(b, name, shapes, fill, keyed)
    layer = LayerRecord(name, "Sequential" if sequential else "Functional", model=inner.record)
    outputs = _model_outputs(inner)
    keys = tuple(inner.record.inputs.items) if keyed else ()  # type: ignore[union-attr]
    slots = (dict(zip(keys, shapes, strict=True)) if keyed else shapes if len(shapes) > 1 else shapes[0],)

    def argument(tensors: list[Tensor]) -> Value:
        return DictValue(dict(zip(keys, tensors, strict=True))) if keyed else _argument(tensors)

    held = _held(inner)
    made = b.add_call(layer, Call((argument(tensors),), {}), outputs, slots)
    b.outputs_only.update(key(tensor) for tensor in made if tensor.output in held)
    b.used.update(inner.used)
    b.used.add("nested-sequential" if sequential else "nested-functional")
    if keyed:
        b.used.add("dict-call")
    elif len(tensors) > 1:
        b.used.add("list-call")
    if len(outputs) > 1:
        b.used.add("multi-output")
    if b.wants("nested-twice") and b.draw(st.booleans()):
        again = [b.pick(b.shaped(shape)) for shape in shapes]
        # Keras before 2.4 caches a model's outputs by its input tensors: called again on the same
        # tensors it returns the first call's outputs and records no node (measured, 1.0.8 to 2.3.1).
        if not (b.settings.producer.old_era and again == tensors):
            made = b.add_call(layer, Call((argument([t for t in again if t is not None]),), {}), outputs, slots)
            b.outputs_only.update(key(tensor) for tensor in made if tensor.output in held)
            b.used.add("nested-twice")
    return True


#: Keras 1's Merge modes; ``dot`` and ``cos`` take two models.
MERGE_OF_MODELS_MODES = ("concat", "sum", "mul", "ave", "max", "dot", "cos")


def merge_of_sequentials(b: Builder) -> None:
    """Keras 1's ``Sequential([Merge([seq, seq, ...], mode=...), Dense, ...])``, grown in ``b`` (a
    top-level Sequential): a model of several inputs whose branches sit in the Merge's
    ``config.layers``, no wiring (spec/keras2.md#old-era)."""
    mode = b.draw(st.sampled_from(MERGE_OF_MODELS_MODES))
    count = 2 if mode in ("dot", "cos") else b.draw(st.integers(2, 3))
    width = b.draw(st.sampled_from(WIDTHS))  # the branches' output width, concat's aside
    branches = [_branch(b, None if mode == "concat" else width) for _ in range(count)]
    shapes = tuple(_model_outputs(branch)[0].shape for branch in branches)
    params: dict[str, Any] = {"mode": mode, "concat_axis": -1}
    if mode == "concat":
        out: tuple[int | None, ...] = (None, sum(int(shape[-1] or 0) for shape in shapes if shape))
    elif mode in ("dot", "cos"):
        params["dot_axes"] = [1, 1]
        out = (None, 1)
    else:
        out = (None, width)
    merge = LayerRecord(b.fresh("merge"), "Merge", params, branches=[branch.record for branch in branches])
    (current,) = b.add_call(merge, Call((ListValue(()),), {}), (TensorInfo(out),), (shapes,))
    for _ in range(2):
        if not more(b):
            break
        units = b.draw(st.sampled_from(WIDTHS))
        dense = LayerRecord(b.fresh("dense"), "Dense", {"units": units})
        shape = b.info(current).shape
        assert shape is not None
        (current,) = b.add_call(dense, Call((current,), {}), (TensorInfo((*shape[:-1], units)),), (shape,))
    b.record.layout = tuple(b.record.layers)
    b.used.update({"legacy-merge", "sequential", "nested-sequential", "multi-io"})


def _branch(b: Builder, last_units: int | None) -> Builder:
    """One model of a Keras 1 Merge: a Sequential of one or two Dense on a flat input."""
    inner = Builder(b.draw, b.settings, b.names, b.depth + 1, ModelRecord("Sequential", b.fresh("sequential")))
    current = inner.add_input((b.draw(st.sampled_from(WIDTHS)),))
    layers = 1 if not more(inner) else 2
    for index in range(layers):
        last = index == layers - 1
        units = last_units if last and last_units is not None else b.draw(st.sampled_from(WIDTHS))
        dense = LayerRecord(inner.fresh("dense"), "Dense", {"units": units})
        shape = inner.info(current).shape
        assert shape is not None
        (current,) = inner.add_call(dense, Call((current,), {}), (TensorInfo((*shape[:-1], units)),), (shape,))
    inner.record.outputs = current
    # no InputLayer in the file: the first Dense holds the input shape
    inner.record.layout = tuple(name for name, layer in inner.record.layers.items() if layer.input is None)
    return inner


def _argument(tensors: list[Tensor]) -> Value:
    return tensors[0] if len(tensors) == 1 else ListValue(tuple(tensors))


def _held(inner: Builder) -> set[int]:
    """The positions of a nested model's outputs that only a model output may take."""
    return {index for index, tensor in enumerate(_output_tensors(inner)) if key(tensor) in inner.outputs_only}


def _output_tensors(inner: Builder) -> list[Tensor]:
    outputs = inner.record.outputs
    tensors = (
        [outputs] if isinstance(outputs, Tensor) else list(outputs.items) if isinstance(outputs, ListValue) else []
    )
    return [tensor for tensor in tensors if isinstance(tensor, Tensor)]


def _model_outputs(inner: Builder) -> tuple[TensorInfo, ...]:
    return tuple(inner.info(tensor) for tensor in _output_tensors(inner))


def _sequential_record(b: Builder, name: str, shape: tuple[Any, ...] | None) -> Builder:
    assert shape is not None
    inner = Builder(b.draw, b.settings, b.names, b.depth + 1, ModelRecord("Sequential", name))
    current = inner.add_input(shape[1:])
    for index in range(2):
        if index and not more(inner):
            break
        units = b.draw(st.sampled_from(WIDTHS))
        dense = LayerRecord(inner.fresh("dense"), "Dense", {"units": units})
        current_shape = inner.info(current).shape
        assert current_shape is not None
        # The chain is implied by order; the records keep the calls for the live builder only.
        (current,) = inner.add_call(
            dense, Call((current,), {}), (TensorInfo((*current_shape[:-1], units)),), (current_shape,)
        )
    inner.record.outputs = current
    # Keras before 2.4 writes no InputLayer in a Sequential: its first layer holds the input shape.
    # tfjs-layers builds either (the shape on the first layer, as those, shrinking towards it; or an
    # InputLayer first).
    producer = b.settings.producer
    unwritten = producer.old_era or (producer.tfjs and not b.draw(st.booleans()))
    inner.record.layout = tuple(
        name for name, layer in inner.record.layers.items() if layer.input is None or not unwritten
    )
    return inner


def _functional_record(
    b: Builder, name: str, shapes: tuple[Any, ...], fill: Callable[[Builder], None], keyed: bool = False
) -> Builder:
    inner = Builder(b.draw, b.settings, b.names, b.depth + 1, ModelRecord("Functional", name))
    inputs = [inner.add_input(shape[1:]) for shape in shapes]
    if keyed:  # keyed by the input layers' names, as the model is called with
        inner.record.inputs = DictValue({tensor.layer: tensor for tensor in inputs})
    else:
        inner.record.inputs = single(inner, inputs[0]) if len(inputs) == 1 else ListValue(tuple(inputs))
    fill(inner)
    return inner
