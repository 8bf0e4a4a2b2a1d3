"""Small models in the shapes tf_keras 2.21 and keras 3.15.1 write, for tests of one thing changed."""

from __future__ import annotations

from typing import Any


def keras2(layers: list[dict[str, Any]], inputs: Any = None, outputs: Any = None) -> dict[str, Any]:
    return {
        "class_name": "Functional",
        "config": {
            "name": "model",
            "layers": layers,
            "input_layers": inputs if inputs is not None else [["x", 0, 0]],
            "output_layers": outputs if outputs is not None else [[layers[-1]["name"], 0, 0]],
        },
        "keras_version": "2.21.0",
        "backend": "tensorflow",
    }


def k2_input(name: str = "x") -> dict[str, Any]:
    return {"class_name": "InputLayer", "config": {"name": name}, "name": name, "inbound_nodes": []}


def k2_layer(name: str, nodes: Any, class_name: str = "Dense") -> dict[str, Any]:
    return {"class_name": class_name, "config": {"name": name}, "name": name, "inbound_nodes": nodes}


def tensor(layer: str, node: int = 0, index: int = 0) -> dict[str, Any]:
    return {
        "class_name": "__keras_tensor__",
        "config": {"shape": [None, 4], "dtype": "float32", "keras_history": [layer, node, index]},
    }


def keras3(layers: list[dict[str, Any]], outputs: Any = None) -> dict[str, Any]:
    return {
        "module": "keras.src.models.functional",
        "class_name": "Functional",
        "config": {
            "name": "model",
            "trainable": True,
            "layers": layers,
            "input_layers": ["x", 0, 0],
            "output_layers": outputs if outputs is not None else [layers[-1]["name"], 0, 0],
        },
        "registered_name": "Functional",
    }


def k3_layer(name: str, nodes: Any, class_name: str = "Dense") -> dict[str, Any]:
    return {
        "module": "keras.layers",
        "class_name": class_name,
        "config": {"name": name},
        "name": name,
        "inbound_nodes": nodes,
    }


def k3_call(*args: Any, **kwargs: Any) -> dict[str, Any]:
    return {"args": list(args), "kwargs": kwargs}
