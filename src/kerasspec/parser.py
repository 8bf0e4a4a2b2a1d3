"""The reference parser: a Keras model JSON, in either wire format, to its canonical graph.

:func:`parse` is the public entry point.  It reads a model in one pass over its ``layers``,
reading each layer's nodes and resolving their references as soon as the layer is known; since the
list may come in any order, a layer that refers further down is read again at the end.  Time is
linear in the size of the model (there is no re-queue loop of the kind Keras's own loaders use,
which can spin forever on a bad file).  A cycle check runs only when some reference points forward.
(spec/canonical-graph.md#algorithm)
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from kerasspec import _keras2, _keras3
from kerasspec._limits import Limits
from kerasspec._load import Source, load_dated
from kerasspec._location import ROOT, Location, render
from kerasspec._values import json_type, new
from kerasspec._wrappers import envelope_version, old_era, unwrap
from kerasspec.canonical import Call, DictValue, Document, Layer, ListValue, Model, Tensor, Value, leaves
from kerasspec.errors import (
    BadEntry,
    BadLayer,
    Cycle,
    DanglingReference,
    DuplicateLayerName,
    NodeIndexOutOfRange,
    NotAModel,
    ParseError,
    TensorIndexOutOfRange,
    TooDeep,
    TooLarge,
    UnknownFormat,
)
from kerasspec.vocabulary import STRUCTURE_PRESERVING, Format

__all__ = ["Limits", "parse"]

#: Class names under which a model is nested as a layer (besides any config with ``input_layers``).
MODEL_CLASSES = frozenset({"Functional", "Model", "Sequential"})

_UNKNOWN_OUTPUTS = 1 << 62  # a layer whose number of outputs the JSON does not say
_NO_NODES: list[Any] = []  # shared by every layer without inbound_nodes; never changed


def parse(source: Source, *, format: Format | None = None, limits: Limits | None = None) -> Document:
    """Read a Keras model JSON into its canonical :class:`~kerasspec.canonical.Document`.

    ``source`` is JSON text (``str`` or ``bytes``), an already-decoded ``dict``, or a path
    (``pathlib.Path``) to a ``.json`` file, a ``.keras`` archive or a legacy ``.h5`` file.
    The wire format is detected unless ``format`` is given.  Invalid input raises a
    :class:`~kerasspec.errors.ParseError` naming its code and JSON path; nothing else is raised
    for any input, and nothing in the input is ever executed or imported.
    """
    limits = limits or Limits()
    # Parsing allocates millions of acyclic objects on large models; the cyclic garbage collector's
    # repeated passes over them would make the parse superlinear, and it can find nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        loaded, container_version = load_dated(source, limits)
        document, location, version = wrapped = unwrap(loaded, limits)
        if type(document) is not dict:
            raise NotAModel(f"a model JSON is an object, not {json_type(document)}", value=_preview(document))
        _envelope(document, location, top=True)  # not-a-model comes before unknown-format (errors.md#order)
        detected = format or detect_wrapped(document, version)
        reader = _Reader(
            detected, limits, old_era=detected == "keras2" and old_era(document, wrapped.release, container_version)
        )
        return Document(detected, reader.model(document, location, 0, top=True))
    finally:
        if collecting:
            gc.enable()


def detect_format(document: Mapping[str, Any], keras_version: str | None = None) -> Format:
    """The wire format of a decoded model JSON: from ``keras_version`` if present, else from its nodes.

    The first dot-separated component of the version decides; Keras 1.x files and tfjs-layers files are
    keras2, and a version that is not a string is ``unknown-format`` (spec/envelope.md#format-detection).
    """
    if keras_version is not None:
        return detect_wrapped(document, (keras_version, (ROOT, "keras_version")))
    return detect_wrapped(document, envelope_version(document, ROOT))


def detect_wrapped(document: Mapping[str, Any], version: tuple[Any, Location] | None) -> Format:
    """:func:`detect_format`, given the ``keras_version`` member that applies and where it is, as
    :func:`~kerasspec._wrappers.unwrap` finds it (None: there is none); ``unknown-format`` names that place."""
    if version is not None:
        value, location = version
        major = value.split(".", 1)[0] if type(value) is str else None
        if major in ("1", "2") or (major is not None and value.startswith("tfjs-layers")):
            return "keras2"
        if major == "3":
            return "keras3"
        raise UnknownFormat(
            f"keras_version {value!r} is neither 1.x or 2.x (keras2), 3.x (keras3) nor tfjs-layers (keras2)",
            path=render(location),
            value=_preview(value),
        )
    for layer in _all_layers(document):
        nodes = layer.get("inbound_nodes")
        if type(nodes) is list and nodes:
            return "keras3" if _keras3.is_node(nodes[0]) else "keras2"
    # No wiring anywhere (a Sequential, or a model of inputs only): spec/envelope.md#format-detection.
    # keras3's InputLayer writes ``batch_shape`` where keras2's writes ``batch_input_shape``; failing
    # that, keras3's Sequential config has ``trainable`` and ``dtype`` (both write a ``module`` envelope in .keras
    # archives, so ``module`` decides only a model that is neither).
    for layer in _all_layers(document):
        config = layer.get("config")
        if type(config) is not dict or layer.get("class_name") != "InputLayer":
            continue
        if "batch_shape" in config:
            return "keras3"
        if "batch_input_shape" in config:
            return "keras2"
    config = document.get("config")
    if document.get("class_name") == "Sequential":  # the top-level config only; a bare list is keras2
        return "keras3" if type(config) is dict and ("trainable" in config or "dtype" in config) else "keras2"
    return "keras3" if "module" in document or "registered_name" in document else "keras2"


def _all_layers(document: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every layer object in document order: each layer, then a nested model's layers, then the next.

    A depth-first pre-order walk without recursion (spec/envelope.md#format-detection).
    """
    pending: list[Iterator[Any]] = [iter(_layers_of(document))]
    while pending:
        layer = next(pending[-1], _END)
        if layer is _END:
            pending.pop()
        elif type(layer) is dict:
            yield layer
            pending.append(iter(_layers_of(layer)))


_END = object()  # (not None: a layer list may hold a JSON null, which the walk skips)


def _layers_of(model: Mapping[str, Any]) -> list[Any]:
    config = model.get("config")
    # A Sequential config written as a bare list (Keras 1.x to 2.2.2) is its layers.
    layers = config.get("layers") if type(config) is dict else config
    return layers if type(layers) is list else []


def _preview(value: Any) -> Any:
    text = repr(value)
    return value if len(text) <= 80 else text[:77] + "..."


def _envelope(
    envelope: dict[str, Any], location: Location, *, top: bool
) -> tuple[str, dict[str, Any], list[Any], str | None, bool]:
    """The envelope checks of a model (spec/errors.md#order step 2), all ``not-a-model``: its class name,
    config (a bare Sequential list made an object), layers, name, and whether it reads as a Sequential.

    The top model is checked before its version (``unknown-format``) and the layer limit (``too-large``).
    """
    class_name = envelope.get("class_name")
    config = envelope.get("config")
    if class_name == "Sequential" and type(config) is list:
        # Keras 1.x to 2.2.2: a Sequential's config is the bare list of its layers; its name is
        # the layer's own name where it is nested in a Functional, else nowhere in the file.
        name = envelope.get("name")
        config = {"name": name if type(name) is str else None, "layers": config}
    if type(class_name) is not str or type(config) is not dict:
        raise NotAModel(
            "a model has a string 'class_name' and an object 'config'",
            path=render(location),
            value=_preview(envelope) if top else class_name,
        )
    config_location = (location, "config")
    layers = config.get("layers")
    if type(layers) is not list:
        raise NotAModel(
            f"a model config has a 'layers' array; this one has {json_type(layers)}"
            if "layers" in config
            else f"this {class_name} config has no 'layers' array (a model that cannot be serialized as a graph?)",
            path=render((config_location, "layers") if "layers" in config else config_location),
            value=_preview(layers),
        )
    name = config.get("name")
    if type(name) is not str and not (name is None and type(envelope.get("config")) is list):
        raise NotAModel("a model config has a string 'name'", path=render((config_location, "name")), value=name)
    sequential = class_name == "Sequential" and "input_layers" not in config
    if not sequential:
        for key in ("input_layers", "output_layers"):
            if key not in config:
                raise NotAModel(f"a Functional model config has '{key}'", path=render(config_location), value=None)
    return class_name, config, layers, name, sequential


class _LayerFacts(NamedTuple):
    """What reading a model learns about one of its layers, to read its nodes and resolve references to it.

    Calls are numbered globally in their model for the cycle check: call j of a layer is
    ``base + j``.  An InputLayer resolves like a layer with one call and one output, and base -1.
    """

    name: str
    class_name: str
    module: str | None
    nodes: list[Any]
    model: Model | None
    location: Location
    base: int
    calls: int
    #: wire number of the first call (inside nodes, in input_layers/output_layers), see _Reader.first_call
    first: tuple[int, int]
    outputs: int  # _UNKNOWN_OUTPUTS where the JSON does not say


_IN_NODES, _IN_IO = 0, 1  # which of _LayerFacts.first applies where a reference is read
_FIRST_CALL_ZERO = (0, 0)


def _leaf_count(value: Value) -> int:
    return sum(1 for _ in leaves(value))


class _Reader:
    """Reads one document; holds the format, the limits and the running layer count."""

    def __init__(self, format: Format, limits: Limits, *, old_era: bool = False) -> None:
        self.format = format
        self.limits = limits
        #: Keras before 2.4 wrote the file: every nested model's calls count from 1 (spec/keras2.md)
        self.old_era = old_era
        self.layer_count = 0
        self.node_reader_class = _keras2.NodeReader if format == "keras2" else _keras3.NodeReader

    def model(self, envelope: Any, location: Location, depth: int, *, top: bool = False) -> Model:
        if depth > self.limits.max_depth:
            raise TooDeep(f"models nest deeper than the limit of {self.limits.max_depth}", path=render(location))
        class_name, config, layers, name, sequential = _envelope(envelope, location, top=top)
        config_location = (location, "config")
        self.layer_count += len(layers)
        if self.layer_count > self.limits.max_layers:
            raise TooLarge(
                f"the model has more than the limit of {self.limits.max_layers} layers",
                path=render((config_location, "layers")),
                value=self.layer_count,
            )
        listed = type(envelope.get("config")) is list
        # A layer sits at envelope > config > layers > layer, or envelope > config > layer in a bare list.
        layers_location, layer_depth = (
            (config_location, depth + 2) if listed else ((config_location, "layers"), depth + 3)
        )
        reader = _ModelReader(self, depth, layer_depth)
        if sequential:
            return Model(class_name, name, None, None, reader.layers(layers, layers_location, sequential=True))
        if name is None:  # only a list-shaped Sequential config lacks a name, and it has returned above
            raise NotAModel("a model config has a string 'name'", path=render((config_location, "name")), value=name)
        return reader.functional(class_name, name, config, config_location, layers)

    def first_call(self, model: Model, config: dict[str, Any]) -> tuple[int, int]:
        """The wire number of a nested model's first call: (inside nodes, in input_layers/output_layers).

        keras2 numbers a nested model's calls from 1 everywhere when the model has a node of its
        own linking its inputs to its outputs (a Functional, or a Sequential whose first layer is an
        InputLayer).  keras3 numbers a nested Functional's calls from 1 in input_layers and
        output_layers only, and from 0 inside nodes.  (spec/canonical-graph.md, node numbering)
        """
        functional = "input_layers" in config
        if self.format == "keras2":
            if self.old_era:
                return (1, 1)  # Container.get_config: kept_nodes = 1 for every nested model
            layers = model.layers
            starts_with_input = bool(layers) and layers[0].class_name == "InputLayer"
            own_node = functional or starts_with_input
            return (1, 1) if own_node else _FIRST_CALL_ZERO
        return (0, 1) if functional else _FIRST_CALL_ZERO


class _ModelReader:
    """Reads the layers of one model, their nodes with every reference resolved, its inputs and outputs.

    Layers are read in one pass, each layer's nodes as soon as the layer is known, since most files
    list layers in call order.  A layer whose nodes cannot be read yet (a reference to a layer
    further down the list, or an error) is read again once every layer is known, in list order;
    so the result, and the first error raised, are those of reading all layers before any node.
    """

    def __init__(self, reader: _Reader, depth: int, layer_depth: int) -> None:
        self.reader = reader
        self.depth = depth
        self.layer_depth = layer_depth
        self.max_depth = reader.limits.max_depth
        self.facts: dict[str, _LayerFacts] = {}
        self.read_calls = reader.node_reader_class(self.resolve, self.max_depth).calls
        # The global number of the (first) call being read; a reference to a call at or after it
        # in config order is "forward", and only forward references can close a cycle.
        self.consumer = -1
        self.forward = False
        self.first_slot = _IN_NODES

    def functional(
        self, class_name: str, name: str, config: dict[str, Any], location: Location, layers: list[Any]
    ) -> Model:
        records = self.layers(layers, (location, "layers"), sequential=False)
        self.consumer, self.first_slot = -1, _IN_IO
        inputs = self._io(config, "input_layers", location)
        outputs = self._io(config, "output_layers", location)
        if self.forward:
            self._check_acyclic(records)
        return Model(class_name, name, inputs, outputs, records)

    def layers(self, layers: list[Any], location: Location, *, sequential: bool) -> tuple[Layer, ...]:
        facts = self.facts
        records: list[Layer] = []
        deferred: list[tuple[int, str]] = []  # (position, name) of layers read once every layer is known
        base = 0  # the global number of the next layer's first call
        for index, layer in enumerate(layers):
            layer_location = (location, index)
            if type(layer) is not dict:
                raise BadLayer(
                    f"a layer is an object, not {json_type(layer)}", path=render(layer_location), value=_preview(layer)
                )
            class_name = layer.get("class_name")
            config: Any = layer.get("config")
            listed = class_name == "Sequential" and type(config) is list  # Keras 1.x to 2.2.2
            if type(class_name) is not str or (type(config) is not dict and not listed):
                raise BadLayer(
                    "a layer has a string 'class_name' and an object 'config'",
                    path=render(layer_location),
                    value=class_name if type(class_name) is not str else _preview(config),
                )
            # A Sequential's layers carry their name only in their config; a Functional's in ``name``.
            # A list-shaped Sequential inside a Sequential (Keras 1.x to 2.2.2) is written with no name at all.
            name = (None if listed else config.get("name")) if sequential else layer.get("name")
            if type(name) is not str and not (listed and sequential):
                raise BadLayer(
                    f"a layer's name is a string, not {json_type(name)}",
                    path=render(((layer_location, "config"), "name") if sequential else (layer_location, "name")),
                    value=name,
                )
            module = layer.get("module")
            if type(module) is not str:
                module = None
            if name is None:  # a list-shaped Sequential inside a Sequential: no name, no wiring
                unnamed = self.reader.model(layer, layer_location, self.layer_depth)
                records.append(new(Layer, (None, class_name, module, (), unnamed)))
                continue
            if name in facts:
                raise DuplicateLayerName(
                    f"two layers are named {name!r} (the first at {render(facts[name].location)})",
                    path=render((layer_location, "name") if "name" in layer else layer_location),
                    value=name,
                )
            nodes: Any = _NO_NODES if sequential else layer.get("inbound_nodes", _NO_NODES)
            if type(nodes) is not list:
                raise BadLayer(
                    f"inbound_nodes is an array, not {json_type(nodes)}",
                    path=render((layer_location, "inbound_nodes")),
                    value=_preview(nodes),
                )
            if class_name == "InputLayer":
                if nodes:
                    raise BadLayer(
                        "an InputLayer has no inbound nodes",
                        path=render((layer_location, "inbound_nodes")),
                        value=_preview(nodes),
                    )
                facts[name] = new(
                    _LayerFacts, (name, class_name, module, nodes, None, layer_location, -1, 1, _FIRST_CALL_ZERO, 1)
                )
                records.append(new(Layer, (name, class_name, module, (), None)))
                continue
            nested, first, outputs = None, _FIRST_CALL_ZERO, _UNKNOWN_OUTPUTS
            if class_name in MODEL_CLASSES or "input_layers" in config:
                nested = self.reader.model(layer, layer_location, self.layer_depth)
                first = self.reader.first_call(nested, config)
                if nested.outputs is not None:
                    outputs = _leaf_count(nested.outputs)
            fact = new(
                _LayerFacts, (name, class_name, module, nodes, nested, layer_location, base, len(nodes), first, outputs)
            )
            facts[name] = fact
            calls: tuple[Call, ...] = ()
            if nodes:
                try:
                    calls = self._calls(fact)
                except ParseError:
                    deferred.append((len(records), name))
                base += len(nodes)
            records.append(new(Layer, (name, class_name, module, calls, nested)))
        for position, deferred_name in deferred:
            records[position] = records[position]._replace(calls=self._calls(facts[deferred_name]))
        return tuple(records)

    def _calls(self, fact: _LayerFacts) -> tuple[Call, ...]:
        """A layer's nodes as calls, each reference resolved against the layers known so far."""
        # References are checked against the layer's first call, not each call's own number: a
        # reference from a shared layer to itself may then set off a cycle check that finds
        # nothing, but none that could close a cycle is missed, and the readers need not count.
        self.consumer = fact.base
        return self.read_calls(
            fact.nodes,
            fact.class_name in STRUCTURE_PRESERVING,
            (fact.location, "inbound_nodes"),
            self.depth + 5,  # envelope > config > layers > layer > inbound_nodes > node
        )

    def resolve(self, layer_name: str, node_index: int, tensor_index: int, location: Location) -> Tensor:
        fact = self.facts.get(layer_name)
        if fact is not None:
            call = node_index - fact.first[self.first_slot]
            if 0 <= call < fact.calls and 0 <= tensor_index < fact.outputs:
                if fact.base + call >= self.consumer >= 0:
                    self.forward = True
                return new(Tensor, (layer_name, call, tensor_index))
        raise self._bad_reference(layer_name, node_index, tensor_index, location)

    def _bad_reference(self, layer_name: Any, node_index: int, tensor_index: int, location: Location) -> ParseError:
        fact = self.facts.get(layer_name) if type(layer_name) is str else None
        if fact is None:
            return DanglingReference(
                f"no layer named {layer_name!r} in this model", path=render((location, 0)), value=layer_name
            )
        if fact.base < 0:
            if node_index != 0:
                return NodeIndexOutOfRange(
                    f"InputLayer {layer_name!r} has only node 0, not node {node_index}",
                    path=render((location, 1)),
                    value=node_index,
                )
            return TensorIndexOutOfRange(
                f"InputLayer {layer_name!r} has only output 0, not output {tensor_index}",
                path=render((location, 2)),
                value=tensor_index,
            )
        first, count = fact.first[self.first_slot], fact.calls
        if not 0 <= node_index - first < count:
            numbers = f"node indices {first}..{first + count - 1}" if count else "no nodes"
            return NodeIndexOutOfRange(
                f"layer {layer_name!r} has {count} call{'s' if count != 1 else ''} in this model ({numbers}), "
                f"so node index {node_index} names none",
                path=render((location, 1)),
                value=node_index,
            )
        limit = (
            f"it has {fact.outputs} output{'s' if fact.outputs != 1 else ''}"
            if fact.outputs != _UNKNOWN_OUTPUTS
            else "outputs count from 0"
        )
        return TensorIndexOutOfRange(
            f"layer {layer_name!r} has no output {tensor_index} ({limit})",
            path=render((location, 2)),
            value=tensor_index,
        )

    def _io(self, config: dict[str, Any], key: str, location: Location) -> Value:
        value = self._io_value(config[key], (location, key), self.depth + 2)
        if self.reader.format == "keras2" and type(value) is ListValue and _leaf_count(value) == 1:
            # tf_keras writes a single input as a one-element list and its Functional unwraps any
            # list holding one tensor (``inputs[0]``), so the model itself never holds such a list.
            return value.items[0]
        return value

    def _io_value(self, value: Any, location: Location, depth: int) -> Value:
        if depth > self.max_depth:
            raise TooDeep(f"the structure nests deeper than the limit of {self.max_depth}", path=render(location))
        if _keras2.is_entry(value):
            node_index, tensor_index = value[1], value[2]
            if len(value) != 3 or type(node_index) is not int or type(tensor_index) is not int:
                raise BadEntry(
                    "a reference is [layer_name, node_index, tensor_index] with integer indices",
                    path=render(location),
                    value=value,
                )
            return self.resolve(value[0], node_index, tensor_index, location)
        if type(value) is list:
            return ListValue(tuple(self._io_value(item, (location, i), depth + 1) for i, item in enumerate(value)))
        if type(value) is dict:
            return DictValue({k: self._io_value(item, (location, k), depth + 1) for k, item in value.items()})
        raise BadEntry(
            "expected a reference [layer_name, node_index, tensor_index] or a structure of them, "
            f"not {json_type(value)}",
            path=render(location),
            value=value,
        )

    def _check_acyclic(self, layers: tuple[Layer, ...]) -> None:
        """Reject a cycle among calls: iterative depth-first search, linear in calls and references."""
        facts = self.facts
        edges: list[list[int]] = []  # per call, by global number: the calls it consumes
        for layer in layers:
            for call in layer.calls:
                producers = []
                for value in leaves(*call.args, *call.kwargs.values()):
                    if isinstance(value, Tensor) and (base := facts[value.layer].base) >= 0:
                        producers.append(base + value.call)
                edges.append(producers)
        state = bytearray(len(edges))  # 0 unseen, 1 on the current path, 2 done
        for start in range(len(edges)):
            if state[start]:
                continue
            state[start] = 1
            stack = [(start, 0)]
            while stack:
                consumer, position = stack[-1]
                targets = edges[consumer]
                if position == len(targets):
                    state[consumer] = 2
                    stack.pop()
                    continue
                stack[-1] = (consumer, position + 1)
                target = targets[position]
                if state[target] == 1:
                    raise self._cycle(target, consumer)
                if state[target] == 0:
                    state[target] = 1
                    stack.append((target, 0))

    def _cycle(self, produced: int, consumer: int) -> Cycle:
        def name(call: int) -> tuple[_LayerFacts, int]:
            for fact in self.facts.values():
                if 0 <= fact.base <= call < fact.base + fact.calls:
                    return fact, call - fact.base
            raise AssertionError(call)

        consumer_fact, consumer_call = name(consumer)
        produced_fact, produced_call = name(produced)
        return Cycle(
            f"call {consumer_call} of {consumer_fact.name!r} depends on its own output "
            f"through call {produced_call} of {produced_fact.name!r}",
            path=render(((consumer_fact.location, "inbound_nodes"), consumer_call)),
            value=[consumer_fact.name, consumer_call],
        )
