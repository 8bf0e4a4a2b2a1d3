"""The model walk shared by both wire formats: envelope, model configs and layer entries.

Subclasses say how a call becomes a node and how a tensor is referenced; everything else (which
keys an entry has, where nested models go, ``input_layers``/``output_layers``) is common.
"""

from __future__ import annotations

from typing import Any

from kerasspec.canonical import Call, DictValue, Document, Layer, ListValue, Model, Tensor, Value
from kerasspec.vocabulary import Producer

from ._details import Details, LayerPath
from ._numbering import IN_MODEL_IO, INSIDE_NODES, first_node, zeroes_node_indices

#: Keys of a model config that the walk writes itself; anything else comes from the details.
MODEL_KEYS = ("name", "layers", "input_layers", "output_layers")


class Unserializable(ValueError):
    """The canonical graph cannot be written in this producer's wire format (e.g. two positional
    arguments in keras2, where only the first argument has a place)."""


class Writer:
    """Writes one document; ``self.model_stack`` holds the models being written, innermost last."""

    def __init__(self, producer: Producer, details: Details | None) -> None:
        self.producer = producer
        self.details = details or Details()
        self.layers_by_name: list[dict[str, Layer]] = []
        self.model_paths: list[LayerPath] = []

    # --- subclass hooks ----------------------------------------------------------------------

    def envelope_defaults(self, model: Model) -> dict[str, Any]:
        raise NotImplementedError

    def node(self, layer: Layer, call: Call) -> Any:
        raise NotImplementedError

    def io_value(self, value: Value, single_flat: bool) -> Any:
        raise NotImplementedError

    # --- the walk ----------------------------------------------------------------------------

    def document(self, document: Document) -> dict[str, Any]:
        model = document.model
        envelope = dict(self.details.entry(()) or self.envelope_defaults(model))
        envelope["class_name"] = model.class_name
        envelope["config"] = self.model_config(model, (), dict(envelope.get("config") or {}))
        return envelope

    def model_config(self, model: Model, path: LayerPath, config: dict[str, Any]) -> Any:
        if model.class_name == "Sequential" and self.producer.list_sequential:
            # Keras 1.0 to 2.2.2: the bare list of the layers; the name is nowhere in it.
            self.layers_by_name.append({})
            try:
                return [self.layer_entry(layer, (*path, layer.name or ""), True) for layer in model.layers]
            finally:
                self.layers_by_name.pop()
        if model.name is None:
            raise Unserializable(f"{self.producer} writes a name for every model; this one has none")
        config["name"] = model.name
        self.layers_by_name.append({layer.name: layer for layer in model.layers if layer.name is not None})
        self.model_paths.append(path)
        try:
            sequential = model.class_name == "Sequential"
            config["layers"] = [
                self.layer_entry(layer, (*path, layer.name or ""), sequential) for layer in model.layers
            ]
            if not sequential:
                config["input_layers"] = self.io(model.inputs)
                config["output_layers"] = self.io(model.outputs)
        finally:
            self.layers_by_name.pop()
            self.model_paths.pop()
        return config

    def layer_entry(self, layer: Layer, path: LayerPath, in_sequential: bool) -> dict[str, Any]:
        extras = self.details.entry(path)
        entry: dict[str, Any] = dict(extras) if extras is not None else {"registered_name": None}
        if layer.module is not None:
            entry["module"] = layer.module
        else:
            entry.pop("module", None)
        entry["class_name"] = layer.class_name
        config = dict(entry.get("config") or {})
        if layer.model is not None:
            entry["config"] = self.model_config(layer.model, path, config)
        else:
            # A layer config names the layer, except some keras.ops layers' (their own
            # get_config); a template without "name" says so.
            if extras is None or "name" in config:
                config["name"] = layer.name
            entry["config"] = config
        if not in_sequential:
            if layer.name is None:
                raise Unserializable("a layer of a Functional model has a name")
            entry["name"] = layer.name
            entry["inbound_nodes"] = [self.node(layer, call) for call in layer.calls]
        return entry

    def io(self, value: Value | None) -> Any:
        if value is None:
            return []
        return self.io_value(value, single_flat=True)

    # --- references --------------------------------------------------------------------------

    def layer(self, name: str) -> Layer:
        try:
            return self.layers_by_name[-1][name]
        except KeyError:
            raise Unserializable(f"reference to {name!r}, which is not a layer of this model") from None

    def reference(self, tensor: Tensor, where: int = INSIDE_NODES) -> list[Any]:
        """``[layer, node_index, tensor_index]`` with the producer's node numbering."""
        layer = self.layer(tensor.layer)
        if zeroes_node_indices(self.producer, where):
            return [tensor.layer, 0, tensor.output]
        return [tensor.layer, tensor.call + first_node(layer, self.producer, where), tensor.output]

    def io_reference(self, tensor: Tensor) -> list[Any]:
        return self.reference(tensor, IN_MODEL_IO)

    def io_structure(self, value: Value) -> Any:
        if isinstance(value, Tensor):
            return self.io_reference(value)
        if isinstance(value, ListValue):
            return [self.io_structure(item) for item in value.items]
        if isinstance(value, DictValue):
            return {key: self.io_structure(item) for key, item in value.items.items()}
        raise Unserializable(f"model inputs/outputs hold only tensors, lists and dicts, not {value!r}")
