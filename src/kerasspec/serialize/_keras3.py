"""keras3 nodes: ``{"args": [...], "kwargs": {...}}`` with every argument as Keras recorded it.

Tensors are ``__keras_tensor__`` objects carrying the shape and dtype the producer knew; the
canonical graph has neither, so they come from the :class:`~kerasspec.serialize.Details`
(``null`` shape when unknown).
"""

from __future__ import annotations

from typing import Any

from kerasspec.canonical import Call, Const, DictValue, Layer, ListValue, Model, ObjectValue, Tensor, Value

from ._writer import Writer

KERAS_TENSOR = "__keras_tensor__"


class Keras3Writer(Writer):
    def envelope_defaults(self, model: Model) -> dict[str, Any]:
        if model.class_name == "Sequential":
            return {"module": "keras", "registered_name": None, "build_config": {"input_shape": None}}
        return {
            "module": "keras.src.models.functional",
            "registered_name": "Functional",
            "build_config": {"input_shape": None},
            "compile_config": {},
        }

    def node(self, layer: Layer, call: Call) -> Any:
        return {
            "args": [self.value(arg) for arg in call.args],
            "kwargs": {key: self.value(value) for key, value in call.kwargs.items()},
        }

    def value(self, value: Value) -> Any:
        if isinstance(value, Tensor):
            info = self.details.tensor(self.model_paths[-1], value.layer, value.call, value.output)
            return {
                "class_name": KERAS_TENSOR,
                "config": {
                    "shape": None if info.shape is None else list(info.shape),
                    "dtype": info.dtype,
                    "keras_history": self.reference(value),
                },
            }
        if isinstance(value, Const):
            return value.value
        if isinstance(value, ListValue):
            return [self.value(item) for item in value.items]
        if isinstance(value, DictValue):
            return {key: self.value(item) for key, item in value.items.items()}
        assert isinstance(value, ObjectValue)
        return dict(value.data)

    def io_value(self, value: Value, single_flat: bool) -> Any:
        if isinstance(value, Tensor):
            # Keras 3.11 writes one input/output as a flat triple; earlier releases as a list of one.
            if self.producer.at_least(3, 11):
                return self.io_reference(value)
            return [self.io_reference(value)]
        return self.io_structure(value)
