"""The format-detection rules of spec/envelope.md#format-detection, written out as an oracle.

The reference parser has its own implementation; this one exists to prove that the *written* rules
pick the right format for every corpus case, and to say which rule decided.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def _models(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    # Depth first, in document order: the envelope, then each layer (a nested model is a layer).
    pending = [document]
    while pending:
        model = pending.pop()
        yield model
        config = model.get("config")
        layers = config.get("layers") if isinstance(config, dict) else config  # a bare list is the layers
        if isinstance(layers, list):
            pending.extend(reversed([layer for layer in layers if isinstance(layer, dict)]))


def _first_node(document: dict[str, Any]) -> Any:
    for model in _models(document):
        nodes = model.get("inbound_nodes")
        if isinstance(nodes, list) and nodes:
            return nodes[0]
    return None


def detect(document: dict[str, Any]) -> tuple[str, int]:
    """``(format, rule number)`` by the spec's rules 1-5."""
    if "keras_version" in document:
        version = document["keras_version"]
        major = version.split(".")[0] if isinstance(version, str) else None
        if major in ("1", "2") or (major is not None and version.startswith("tfjs-layers")):
            return "keras2", 1  # Keras 1 and tfjs-layers are keras2 dialects
        return ("keras3" if major == "3" else "unknown-format"), 1
    node = _first_node(document)
    if node is not None:
        keras3 = isinstance(node, dict) and "args" in node and set(node) <= {"args", "kwargs"}
        return ("keras3" if keras3 else "keras2"), 2
    for model in _models(document):
        config = model.get("config")
        if model.get("class_name") == "InputLayer" and isinstance(config, dict):
            if "batch_input_shape" in config:
                return "keras2", 3
            if "batch_shape" in config:
                return "keras3", 3
    config = document.get("config")
    if document.get("class_name") == "Sequential":
        keras3 = isinstance(config, dict) and ("trainable" in config or "dtype" in config)
        return ("keras3" if keras3 else "keras2"), 4
    return ("keras3" if "module" in document or "registered_name" in document else "keras2"), 5
