"""Minimal reproductions of how keras2ncnn 0.2.0 wires a Keras `.h5` file (adapters/findings/FINDINGS.md, N1-N5).

Run: .cache/readers/keras2ncnn/bin/python adapters/findings/keras2ncnn_findings.py [FOLDER]
Each model is written as a minimal `.h5` file (the `model_config` attribute and an empty `model_weights`
group, which keras2ncnn opens first) into FOLDER (default: a temporary folder), read by keras2ncnn's own
`H5dfParser.parse_graph`, and keras2ncnn's graph is printed: each layer with the inputs it was given.
Nothing but h5py and keras2ncnn is used.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import h5py
from keras2ncnn.graph_tool import Grapher
from keras2ncnn.h5df_parser import H5dfParser


def inp(name: str, keras3: bool = False) -> dict[str, Any]:
    config = {"name": name, "dtype": "float32", ("batch_shape" if keras3 else "batch_input_shape"): [None, 4]}
    return {"class_name": "InputLayer", "name": name, "config": config, "inbound_nodes": []}


def layer(class_name: str, name: str, nodes: list[Any], **config: Any) -> dict[str, Any]:
    return {"class_name": class_name, "name": name, "config": {"name": name, **config}, "inbound_nodes": nodes}


def keras3_ref(name: str) -> dict[str, Any]:
    return {"class_name": "__keras_tensor__", "config": {"keras_history": [name, 0, 0]}}


def functional(
    name: str, layers: list[Any], inputs: list[Any], outputs: list[Any], keras_version: str | None = "2.21.0"
) -> dict[str, Any]:
    model: dict[str, Any] = {"class_name": "Functional", "config": {"name": name, "layers": layers}}
    model["config"].update(input_layers=inputs, output_layers=outputs)
    if keras_version:
        model["keras_version"] = keras_version
    return model


MODELS = {
    # N1 (keras2/tf_keras-2.21.0/merge-add): an InputLayer has no input name, so keras2ncnn wires it to the
    # graph's tail: b reads from a.
    "n1-second-input": functional(
        "merge_add",
        [inp("a"), inp("b"), layer("Add", "add", [[["a", 0, 0, {}], ["b", 0, 0, {}]]])],
        [["a", 0, 0], ["b", 0, 0]],
        [["add", 0, 0]],
    ),
    # N2 (keras2/tf_keras-2.21.0/shared-layer-repeated): every string of every node is one input list:
    # the two calls of `shared` become one call with two inputs.
    "n2-shared-layer": functional(
        "shared",
        [
            inp("x"),
            layer("Dense", "shared", [[["x", 0, 0, {}]], [["shared", 0, 0, {}]]], units=4),
            layer("Activation", "out", [[["shared", 1, 0, {}]]], activation="relu"),
        ],
        [["x", 0, 0]],
        [["out", 0, 0]],
    ),
    # N3 (keras2/tf_keras-2.21.0/mha-self-attention, softmax-mask): keyword arguments are dropped,
    # tensors among them: Softmax()(logits, mask=m) reads logits only.
    "n3-keyword-tensor": functional(
        "softmax_mask",
        [inp("logits"), inp("m"), layer("Softmax", "softmax", [[["logits", 0, 0, {"mask": ["m", 0, 0]}]]])],
        [["logits", 0, 0], ["m", 0, 0]],
        [["softmax", 0, 0]],
    ),
    # N4 (keras2/tf_keras-2.21.0/nested-functional): a nested Functional is inlined: its layers join the
    # outer graph (its InputLayer wired to the tail), the outer layer that called it reads a name that
    # is no longer a layer.
    "n4-nested-functional": functional(
        "outer",
        [
            inp("x"),
            {
                "class_name": "Functional",
                "name": "inner",
                "config": {
                    "name": "inner",
                    "layers": [inp("inner_in"), layer("Dense", "inner_dense", [[["inner_in", 0, 0, {}]]], units=4)],
                    "input_layers": [["inner_in", 0, 0]],
                    "output_layers": [["inner_dense", 0, 0]],
                },
                "inbound_nodes": [[["x", 0, 0, {}]]],
            },
            layer("Dense", "head", [[["inner", 1, 0, {}]]], units=2),
        ],
        [["x", 0, 0]],
        [["head", 0, 0]],
    ),
    # N5 (keras3/keras-3.15.1/merge-add): keras3 nodes are objects, with no string in a list: every layer
    # is wired to the graph's tail, whatever the file says.
    "n5-keras3-by-position": functional(
        "merge_add",
        [
            inp("a", keras3=True),
            inp("b", keras3=True),
            layer("Dense", "d", [{"args": [keras3_ref("b")], "kwargs": {}}], units=4),
            layer("Add", "add", [{"args": [[keras3_ref("a"), keras3_ref("d")]], "kwargs": {}}]),
        ],
        [["a", 0, 0], ["b", 0, 0]],
        [["add", 0, 0]],
        keras_version=None,
    ),
    # N5 (keras3/keras-3.0.5/ops-cast-where): a keras.ops layer of Keras 3.0 to 3.10 has no config.name.
    "n5-keras3-unnamed-op": functional(
        "ops",
        [
            inp("x", keras3=True),
            {
                "module": "keras.src.ops.numpy",
                "class_name": "Absolute",
                "config": {},
                "name": "absolute",
                "inbound_nodes": [{"args": [keras3_ref("x")], "kwargs": {}}],
            },
        ],
        [["x", 0, 0]],
        [["absolute", 0, 0]],
        keras_version=None,
    ),
}


def write_h5(path: Path, model: dict[str, Any]) -> None:
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps(model).encode("utf-8")
        f.attrs["keras_version"] = model.get("keras_version", "3.15.1").encode("utf-8")
        f.attrs["backend"] = b"tensorflow"
        weights = f.create_group("model_weights")
        weights.attrs["keras_version"] = model.get("keras_version", "3.15.1").encode("utf-8")
        weights.attrs["backend"] = b"tensorflow"


def main(folder: Path) -> None:
    for name, model in MODELS.items():
        path = folder / f"{name}.h5"
        write_h5(path, model)
        graph = Grapher()
        try:
            parser = H5dfParser(str(path))
            parser.parse_graph(graph)
        except Exception as error:
            print(f"[{name}] {type(error).__name__}: {error}")
            continue
        wiring = ", ".join(
            f"{node} <- {value.get('inbounds', [])}" for node, value in graph.get_graph().items() if "attr" in value
        )
        print(f"[{name}] {wiring}")
        parser.f.close()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp))
