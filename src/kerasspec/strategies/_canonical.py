"""From a drawn record to what a producer's file means: the canonical document and the details.

keras3 records each call as made, plus what Keras itself adds (a nested model's ``mask: None``).
keras2 keeps the first argument and folds every other positional argument into kwargs under its
parameter name (tf_keras ``CallFunctionSpec.split_out_first_arg``).
"""

from __future__ import annotations

from typing import Any

from kerasspec.canonical import Call, DictValue, Document, Layer, ListValue, Model, Tensor, Value, leaves
from kerasspec.serialize import Details, LayerPath, Producer, TensorInfo, to_wire
from kerasspec.serialize._numbering import INSIDE_NODES, zeroes_node_indices

from ._entries import entry_for, envelope_for
from ._kinds import KINDS
from ._record import LayerRecord, ModelRecord
from ._releases import keras3_additions, tensor_kwargs_dropped


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
        if layer.branches:  # a Keras 1 Merge of models holds each model's entry in its config
            entries[layer_path]["config"]["layers"] = [_branch(branch, producer) for branch in layer.branches]
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


def _branch(record: ModelRecord, producer: Producer) -> dict[str, Any]:
    """A model merged by a Keras 1 ``Merge``: its entry as the release writes it (no name, no wiring)."""
    entries: dict[LayerPath, Any] = {}
    tensors: dict[tuple[LayerPath, str, int, int], TensorInfo] = {}
    model = _model(record, producer, (), entries, tensors)
    wire = to_wire(Document(producer.format, model), producer, Details(entries, tensors))
    return {"class_name": wire["class_name"], "config": wire["config"]}


def written(document: Document, producer: Producer) -> Document:
    """What ``producer`` writes of the live ``document`` (spec/keras2.md#old-era).

    Standalone Keras 2.0 to 2.3 write ``{}`` for kwargs that ``json.dumps`` refuses (a tensor among
    them), and leave out of the file a model input that nothing then reaches (a mask passed as
    ``mask=``); both are lost.  Every other release writes the live document.
    """
    if not tensor_kwargs_dropped(producer):
        return document
    model = document.model
    layers = [
        layer._replace(calls=tuple(_json_kwargs(call) for call in layer.calls))
        if any(_has_tensor(call.kwargs.values()) for call in layer.calls)
        else layer
        for layer in model.layers
    ]
    if layers == list(model.layers):
        return document
    reached = {
        leaf.layer
        for value in [
            model.outputs,
            *(value for layer in layers for call in layer.calls for value in (*call.args, *call.kwargs.values())),
        ]
        if value is not None
        for leaf in leaves(value)
        if isinstance(leaf, Tensor)
    }
    unreached = {layer.name for layer in layers if layer.class_name == "InputLayer" and layer.name not in reached}
    inputs = model.inputs
    if isinstance(inputs, ListValue) and unreached:
        kept = tuple(item for item in inputs.items if not (isinstance(item, Tensor) and item.layer in unreached))
        inputs = kept[0] if len(kept) == 1 else ListValue(kept)  # keras2 reads a list of one as the tensor
    kept_layers = tuple(layer for layer in layers if layer.name not in unreached)
    return Document(document.format, Model(model.class_name, model.name, inputs, model.outputs, kept_layers))


def _has_tensor(values: Any) -> bool:
    return any(isinstance(leaf, Tensor) for value in values for leaf in leaves(value))


def _json_kwargs(call: Call) -> Call:
    return Call(call.args, {}) if _has_tensor(call.kwargs.values()) else call


def read_back(document: Document, producer: Producer) -> Document:
    """What the spec's rules read from the file ``producer`` writes for ``document``.

    The same document, except where the release loses information: Keras 3.2.x writes node
    index 0 for every reference inside nodes, so those references read as call 0 (a lossy case);
    a top-level Sequential written as a list (before Keras 2.2.3) has no name in the file.
    """
    model = document.model
    if model.class_name == "Sequential" and producer.list_sequential and model.name is not None:
        document = Document(document.format, Model(model.class_name, None, model.inputs, model.outputs, model.layers))
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
