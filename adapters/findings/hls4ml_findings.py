"""Minimal reproductions of what hls4ml 1.3.0's keras2 JSON reader does with shared layers
(adapters/findings/FINDINGS.md).

Run: .cache/readers/hls4ml/bin/python adapters/findings/hls4ml_findings.py
`parse_keras_model` reads only `inbound_nodes[0]` of each layer and only the layer name of each entry.
"""

from typing import Any

from hls4ml.converters.keras_v2_to_hls import parse_keras_model


class NoWeights:
    def get_weights_data(self, layer_name: str, var_name: str) -> Any:
        import numpy as np

        return np.zeros((1, 1))


def dense(name: str, nodes: list[Any]) -> dict[str, Any]:
    return {
        "class_name": "Dense",
        "name": name,
        "inbound_nodes": nodes,
        "config": {"name": name, "units": 4, "activation": "linear", "use_bias": True},
    }


def inp(name: str) -> dict[str, Any]:
    return {
        "class_name": "InputLayer",
        "name": name,
        "inbound_nodes": [],
        "config": {"batch_input_shape": [None, 4], "dtype": "float32", "name": name},
    }


# shared(a), shared(b), then Add of both calls: [["shared", 0, 0], ["shared", 1, 0]].
model = {
    "class_name": "Functional",
    "config": {
        "name": "siamese",
        "layers": [
            inp("a"),
            inp("b"),
            dense("shared", [[["a", 0, 0, {}]], [["b", 0, 0, {}]]]),
            {
                "class_name": "Add",
                "name": "add",
                "config": {"name": "add"},
                "inbound_nodes": [[["shared", 0, 0, {}], ["shared", 1, 0, {}]]],
            },
        ],
        "input_layers": [["a", 0, 0], ["b", 0, 0]],
        "output_layers": [["add", 0, 0]],
    },
}
layers, inputs, outputs, _ = parse_keras_model(model, NoWeights())
for layer in layers:
    print(f"[hls4ml] {layer['name']}: inputs {layer.get('inputs')}")
print("[hls4ml] the second call shared(b) is gone; add reads shared's first call twice; input b feeds nothing")
