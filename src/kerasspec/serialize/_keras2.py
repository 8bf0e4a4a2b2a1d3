"""keras2 nodes: the first call argument as entries, every other argument in the entries' kwargs.

This is tf_keras's ``Node.serialize`` run backwards from the canonical call: ``args`` must hold
exactly the first argument (keras2 has no place for a second positional one; tf_keras names it by
the call signature and moves it into kwargs before it ever reaches the node), and the same kwargs
object is copied onto every entry, tensors written as ``[layer, node_index, tensor_index]``.
"""

from __future__ import annotations

from typing import Any

from kerasspec.canonical import (
    Call,
    Const,
    DictValue,
    Document,
    Layer,
    ListValue,
    Model,
    ObjectValue,
    Tensor,
    Value,
    leaves,
)
from kerasspec.vocabulary import CONSTANT_VALUE, STRUCTURE_PRESERVING

from ._writer import Unserializable, Writer


class Keras2Writer(Writer):
    def document(self, document: Document) -> dict[str, Any]:
        written = super().document(document)
        if not self.producer.tfjs:
            return written
        # tfjs-layers' model.json as tf.io writes it (spec/envelope.md#tfjs-layers); no weights here.
        return {
            "modelTopology": written,
            "format": "layers-model",
            "generatedBy": f"TensorFlow.js tfjs-layers v{self.producer.version_text}",
            "convertedBy": None,
            "weightsManifest": [{"paths": ["./model.weights.bin"], "weights": []}],
        }

    def envelope_defaults(self, model: Model) -> dict[str, Any]:
        if self.producer.tfjs:
            return {"keras_version": f"tfjs-layers {self.producer.version_text}", "backend": "tensor_flow.js"}
        if self.producer.old_era:
            # Keras 1 writes no backend; the corpus producers of the old era run on Theano.
            extra = {} if self.producer.version < (2,) else {"backend": "theano"}
            return {"keras_version": self.producer.version_text, **extra}
        return {"keras_version": self.producer.version_text, "backend": "tensorflow"}

    def node(self, layer: Layer, call: Call) -> Any:
        if len(call.args) != 1:
            raise Unserializable(
                f"a keras2 node holds exactly one first argument; {layer.name!r} has a call with "
                f"{len(call.args)} positional arguments"
            )
        if call.kwargs and self.producer.old_era and self.producer.version < (2,):
            raise Unserializable(f"Keras 1 writes no keyword arguments; {layer.name!r} has a call with some")
        # (Keras 2.0-2.3 write {} for kwargs holding a live tensor, but a reference in the canonical
        # kwargs can also be a constant list read as one, which they write as it is.)
        kwargs = {key: self.plain(value) for key, value in call.kwargs.items()}
        first = call.args[0]
        structure = self.structure(first, kwargs)
        if self.producer.version < (2,):
            structure = _three_items(structure)
        if isinstance(first, Tensor | Const) and layer.class_name not in STRUCTURE_PRESERVING:
            return [structure]
        return structure

    def structure(self, value: Value, kwargs: dict[str, Any]) -> Any:
        if isinstance(value, Tensor):
            return [*self.reference(value), kwargs]
        if isinstance(value, Const):
            return [CONSTANT_VALUE, -1, value.value, kwargs]
        if isinstance(value, ListValue | DictValue) and not any(isinstance(leaf, Tensor) for leaf in leaves(value)):
            # A constant container reads the same whether written as one _CONSTANT_VALUE entry or
            # one per leaf; tf_keras writes an array constant (the usual case) as one entry.
            return [CONSTANT_VALUE, -1, self.plain(value), kwargs]
        if isinstance(value, ListValue):
            return [self.structure(item, kwargs) for item in value.items]
        if isinstance(value, DictValue):
            return {key: self.structure(item, kwargs) for key, item in value.items.items()}
        raise Unserializable(f"keras2 has no entry for a typed object in the first argument: {value!r}")

    def plain(self, value: Value) -> Any:
        """A kwargs value: tensors as 3-element references, everything else as plain JSON."""
        if isinstance(value, Tensor):
            return self.reference(value)
        if isinstance(value, Const):
            return value.value
        if isinstance(value, ListValue):
            return [self.plain(item) for item in value.items]
        if isinstance(value, DictValue):
            return {key: self.plain(item) for key, item in value.items.items()}
        assert isinstance(value, ObjectValue)
        return dict(value.data)

    def io_value(self, value: Value, single_flat: bool) -> Any:
        flat = isinstance(value, Tensor) or (
            isinstance(value, ListValue) and all(isinstance(item, Tensor) for item in value.items)
        )
        if self.producer.container_writer and not flat:
            raise Unserializable(f"{self.producer} writes model inputs and outputs as a flat list only")
        # keras2 always writes a list of triples, even for one tensor (or a dict of triples).
        if isinstance(value, Tensor):
            return [self.io_reference(value)]
        return self.io_structure(value)


def _three_items(structure: Any) -> Any:
    """Keras 1's entries: ``[layer, node, tensor]``, never a fourth item (the kwargs checked empty)."""
    if isinstance(structure, list) and len(structure) == 4 and isinstance(structure[0], str):
        return structure[:3]
    if isinstance(structure, list):
        return [_three_items(item) for item in structure]
    if isinstance(structure, dict):
        return {key: _three_items(item) for key, item in structure.items()}
    return structure
