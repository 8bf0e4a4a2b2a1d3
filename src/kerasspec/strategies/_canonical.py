"""From a drawn record to what a producer's file means: the canonical document and the details.

keras3 records each call as made, plus what Keras itself adds (a nested model's ``mask: None``).
keras2 keeps the first argument and folds every other positional argument into kwargs under its
parameter name (tf_keras ``CallFunctionSpec.split_out_first_arg``).
"""

from __future__ import annotations

from typing import Any

from kerasspec.canonical import Call, DictValue, Document, Layer, ListValue, Model, Tensor, Value
from kerasspec.serialize import Details, LayerPath, Producer, TensorInfo
from kerasspec.serialize._numbering import INSIDE_NODES, zeroes_node_indices

from ._entries import entry_for, envelope_for
from ._kinds import KINDS
from ._record import LayerRecord, ModelRecord
from ._releases import keras3_additions


def recorded_call(layer: LayerRecord, call: Call, producer: Producer) -> Call:
    """The call as ``producer`` writes it (see the module docstring)."""
    kind = KINDS[layer.kind]
    if producer.format == "keras3":
        added = keras3_additions(layer.kind, call, producer)
        return Call(call.args, {**call.kwargs, **added}) if added else call
    kwargs: dict[str, Value]
    if call.args:
        first = call.args[0]
        kwargs = dict(zip(kind.signature[1:], call.args[1:], strict=False))
        kwargs.update(call.kwargs)
    else:
        first = call.kwargs[kind.signature[0]]
        kwargs = {key: value for key, value in call.kwargs.items() if key != kind.signature[0]}
    states = kwargs.pop("initial_state", None) if layer.kind == "LSTM" else None
    if isinstance(states, ListValue):  # tf_keras RNN.__call__ passes [inputs, *initial_state] on
        first = ListValue((first, *states.items))
    return Call((first,), kwargs)


def document(record: ModelRecord, producer: Producer) -> tuple[Document, Details]:
    """The canonical document and the serializer details of a top-level model record."""
    entries: dict[LayerPath, Any] = {(): envelope_for(record, producer)}
    tensors: dict[tuple[LayerPath, str, int, int], TensorInfo] = {}
    model = _model(record, producer, (), entries, tensors)
    return Document(producer.format, model), Details(entries, tensors)


def _model(
    record: ModelRecord,
    producer: Producer,
    path: LayerPath,
    entries: dict[LayerPath, Any],
    tensors: dict[tuple[LayerPath, str, int, int], TensorInfo],
) -> Model:
    sequential = record.class_name == "Sequential"
    # A Sequential written without its InputLayer (before Keras 2.4): its first layer takes the shape.
    unwritten = [layer.input for name, layer in record.layers.items() if layer.input and name not in record.layout]
    layers = []
    for position, name in enumerate(record.layout):
        layer = record.layers[name]
        layer_path = (*path, name)
        nested = None
        if layer.model is not None:
            nested = _model(layer.model, producer, layer_path, entries, tensors)
        first_input = unwritten[0] if sequential and unwritten and position == 0 else None
        entries[layer_path] = entry_for(layer, producer, in_sequential=sequential, first_input=first_input)
        if layer.input is not None:
            tensors[(path, name, 0, 0)] = layer.input
        for index, outputs in enumerate(layer.outputs):
            for output, info in enumerate(outputs):
                tensors[(path, name, index, output)] = info
        calls = () if sequential else tuple(recorded_call(layer, call, producer) for call in layer.calls)
        kind = KINDS[layer.kind]
        module = entries[layer_path].get("module")
        layers.append(Layer(name, kind.written(producer), module, calls, nested))
    if sequential:
        return Model("Sequential", record.name, None, None, tuple(layers))
    return Model(KINDS["Functional"].written(producer), record.name, record.inputs, record.outputs, tuple(layers))


def read_back(document: Document, producer: Producer) -> Document:
    """What the spec's rules read from the file ``producer`` writes for ``document``.

    The same document, except where the release loses information: Keras 3.2.x writes node
    index 0 for every reference inside nodes, so those references read as call 0 (a lossy case).
    """
    if not zeroes_node_indices(producer, INSIDE_NODES):
        return document
    return Document(document.format, _zero_calls(document.model))


def _zero_calls(model: Model) -> Model:
    layers = tuple(
        layer._replace(
            calls=tuple(
                Call(tuple(_zero(arg) for arg in call.args), {k: _zero(v) for k, v in call.kwargs.items()})
                for call in layer.calls
            ),
            model=None if layer.model is None else _zero_calls(layer.model),
        )
        for layer in model.layers
    )
    return Model(model.class_name, model.name, model.inputs, model.outputs, layers)


def _zero(value: Value) -> Value:
    if isinstance(value, Tensor):
        return Tensor(value.layer, 0, value.output)
    if isinstance(value, ListValue):
        return ListValue(tuple(_zero(item) for item in value.items))
    if isinstance(value, DictValue):
        return DictValue({key: _zero(item) for key, item in value.items.items()})
    return value
