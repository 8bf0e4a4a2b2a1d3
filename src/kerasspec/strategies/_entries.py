"""The layer entries a producer writes around the wiring: config, build_config, envelope.

Configs come from the release's captured template (:mod:`kerasspec.serialize._templates`); the
fields that depend on the model -- parameters, shapes, ``build_config`` -- are computed here from
the record, following each release's own rules (keras3 ``Layer.get_build_config``: one shape under
``input_shape``, several under ``shapes_dict``; keras2: the shape of the first argument).
"""

from __future__ import annotations

import copy
from typing import Any

from kerasspec.serialize import Producer, TensorInfo
from kerasspec.serialize._templates import template

from ._record import LayerRecord, ModelRecord

LIST_KINDS = frozenset({"Add", "Multiply", "Average", "Maximum", "Concatenate", "Attention", "tf.concat"})


def _shape(shape: Any) -> Any:
    if shape is None:
        return None
    if isinstance(shape, dict):  # a dict call: shapes by key
        return {key: _shape(item) for key, item in shape.items()}
    if shape and isinstance(shape[0], tuple):
        return [_shape(item) for item in shape]
    return list(shape)


def envelope_for(record: ModelRecord, producer: Producer) -> dict[str, Any]:
    return copy.deepcopy(template(producer)["envelope"])


#: Parameters the strategies draw, each with the config keys releases write it under (Keras 1 first
#: wrote ``units`` as ``output_dim``).
PARAMS = {
    "units": ("units", "output_dim"),
    "axis": ("axis",),
    "num_heads": ("num_heads",),
    "key_dim": ("key_dim",),
    "return_sequences": ("return_sequences",),
    "return_state": ("return_state",),
    "mode": ("mode",),
    "concat_axis": ("concat_axis",),
    "dot_axes": ("dot_axes",),
}


def _set_params(config: dict[str, Any], params: dict[str, Any], first: tuple[Any, ...]) -> None:
    for param, keys in PARAMS.items():
        for key in keys:
            if param in params and key in config:  # a wrapper's units belong to the layer it wraps
                config[key] = params[param]
    # Keras 1 writes the feature size of the input too, once the layer is built (1.0.8 not always).
    if config.get("input_dim") is not None and first and first[0]:
        config["input_dim"] = first[0][-1]


def entry_for(
    layer: LayerRecord, producer: Producer, *, in_sequential: bool = False, first_input: TensorInfo | None = None
) -> dict[str, Any]:
    """Every key of ``layer``'s entry except ``name``, ``class_name`` and the wiring.

    ``first_input``: the input of a Sequential written without its InputLayer (before Keras 2.4),
    whose first layer then holds the input's shape (the template of a Sequential's first layer).
    """
    kinds = template(producer)["kinds"]
    found = kinds.get(layer.kind)
    if first_input is not None:
        found = kinds["Sequential"]["inner"][0]
    if found is None:
        return {"config": {}, "registered_name": None}
    entry: dict[str, Any] = copy.deepcopy(found["entry"])
    config = entry.setdefault("config", {})
    first = layer.slots[0] if layer.slots else ()
    _set_params(config, layer.params, first)
    given = first_input or layer.input
    for key in found["shape_keys"]:
        if key in ("batch_shape", "batch_input_shape") and given is not None:
            config[key] = _shape(given.shape)
            # Keras 1 names the dtype input_dtype; a template that has neither gets dtype
            config["input_dtype" if "input_dtype" in config else "dtype"] = given.dtype
        elif key == "build_input_shape" and first:
            config[key] = _shape(first[0])
        elif key in ("query_shape", "value_shape", "key_shape") and first:
            query, value, *rest = first
            config[key] = _shape(
                {"query_shape": query, "value_shape": value, "key_shape": rest[0] if rest else value}[key]
            )
    if layer.kind in ("TimeDistributed", "Bidirectional"):
        _wrapped(config["layer"], layer, first)
    if found["build_config"]:
        entry["build_config"] = _build_config(layer, producer)
    return entry


def _wrapped(inner: dict[str, Any], layer: LayerRecord, first: tuple[Any, ...]) -> None:
    """The wrapped layer (a TimeDistributed's Dense, a Bidirectional's LSTM): named by the live builder
    after its wrapper (the template holds the name the release wrote for the wrapper named after its
    kind: ``TimeDistributed_dense``, Keras 1.0's ``forward_Bidirectional_lstm``), built on one time step."""
    inner["config"]["name"] = inner["config"]["name"].replace(layer.kind, layer.name)
    _set_params(
        inner["config"], {key: layer.params[key] for key in ("units", "return_sequences") if key in layer.params}, first
    )
    if "build_config" in inner and first:
        shape = first[0]
        inner["build_config"] = {"input_shape": _shape((shape[0], *shape[2:]))}


def _build_config(layer: LayerRecord, producer: Producer) -> dict[str, Any]:
    first = layer.slots[0] if layer.slots else None
    if first is None:
        return {"input_shape": None}
    if layer.kind == "LSTM" and len(first) > 1:  # called with initial_state
        if producer.format == "keras2":
            return {"input_shape": _shape((first[0], *first[1]))}
        return {"shapes_dict": {"sequences_shape": _shape(first[0]), "initial_state_shape": _shape(first[1])}}
    if producer.format == "keras2":
        return {"input_shape": _shape(first[0])}
    if layer.kind == "Functional":
        return {"input_shape": None}
    if layer.kind == "MultiHeadAttention":
        names = ("query_shape", "value_shape", "key_shape")
        return {"shapes_dict": {name: _shape(shape) for name, shape in zip(names, first, strict=False)}}
    return {"input_shape": _shape(first[0])}
