"""The wiring of a model JSON: the part of a file the canonical graph determines.

Used to compare a serialized document with a real file when the layer configs and tensor shapes
are unknown (a corpus case gives only ``expected.json``): everything but names, classes, modules,
nodes, ``input_layers``/``output_layers`` and the ``keras_history`` of tensors is dropped -- also
a layer's ``config.name``, which some ``keras.ops`` layers of Keras < 3.11 do not write.
"""

from __future__ import annotations

from typing import Any

from ._keras3 import KERAS_TENSOR

_ENTRY_KEYS = ("class_name", "module", "name", "inbound_nodes")
_MODEL_KEYS = ("name", "input_layers", "output_layers")


def wiring(model_json: dict[str, Any]) -> dict[str, Any]:
    """``model_json`` (decoded) reduced to its wiring; see the module docstring.

    The envelope's ``module`` is dropped too: the canonical model has none, and whether a release
    writes it depends on the container (``to_json`` and ``.keras`` do, an ``.h5`` file does not).
    A tfjs-layers ``model.json`` is reduced to the wiring of its ``modelTopology``.
    """
    if "modelTopology" in model_json and "config" not in model_json:
        model_json = model_json["modelTopology"]
    wired = _entry(model_json)
    wired.pop("module", None)
    return wired


def _entry(entry: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {key: entry[key] for key in _ENTRY_KEYS if key in entry}
    if "inbound_nodes" in kept:
        kept["inbound_nodes"] = _strip(kept["inbound_nodes"])
    config = entry.get("config")
    # A nested model as a reader decides (spec/envelope.md#nested-models): a Keras 1 Merge of models
    # also has config.layers, which is no wiring.
    model_entry = entry.get("class_name") in ("Functional", "Model", "Sequential") or (
        isinstance(config, dict) and "input_layers" in config
    )
    if model_entry and isinstance(config, dict) and isinstance(config.get("layers"), list):
        model: dict[str, Any] = {key: config[key] for key in _MODEL_KEYS if key in config}
        model["layers"] = [_entry(layer) for layer in config["layers"]]
        kept["config"] = model
    elif model_entry and isinstance(config, list):  # a Sequential of Keras 1.0 to 2.2.2: the bare list of its layers
        kept["config"] = [_entry(layer) for layer in config if isinstance(layer, dict)]
    return kept


def _strip(value: Any) -> Any:
    if isinstance(value, list):
        return [_strip(item) for item in value]
    if isinstance(value, dict):
        if value.get("class_name") == KERAS_TENSOR and isinstance(value.get("config"), dict):
            return {"class_name": KERAS_TENSOR, "config": {"keras_history": value["config"].get("keras_history")}}
        return {key: _strip(item) for key, item in value.items()}
    return value
