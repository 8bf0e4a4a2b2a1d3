"""A drawn record as a *plan*: plain JSON that a live-Keras builder replays call by call."""

from __future__ import annotations

from typing import Any

from ._record import ModelRecord


def plan(record: ModelRecord) -> dict[str, Any]:
    """The record as JSON: layers in creation order, each call as made, the order calls were made."""
    layers = []
    for name, layer in record.layers.items():
        entry: dict[str, Any] = {
            "name": name,
            "kind": layer.kind,
            "params": dict(layer.params),
            "calls": [call.to_json() for call in layer.calls],
        }
        if layer.input is not None:
            assert layer.input.shape is not None
            entry["shape"] = list(layer.input.shape[1:])
            entry["dtype"] = layer.input.dtype
        if layer.model is not None:
            entry["model"] = plan(layer.model)
        if layer.branches:
            entry["models"] = [plan(branch) for branch in layer.branches]
        layers.append(entry)
    return {
        "class_name": record.class_name,
        "name": record.name,
        "layers": layers,
        "order": [list(step) for step in record.order],
        "inputs": None if record.inputs is None else record.inputs.to_json(),
        "outputs": None if record.outputs is None else record.outputs.to_json(),
        "layout": list(record.layout),  # the layers the file lists (a Sequential's InputLayer or not)
    }
