"""Keras 3.2 wrote every node index inside nodes as 0; Keras 3.15 then loads a file where a nested model's
second call is referenced by nobody, and the loaded model has one call of it (adapters/findings/FINDINGS.md K9).

`tower` is called on `a` and on `b`; `diff` subtracts the two calls, but Keras 3.2 wrote both references as
["tower", 0, 0]. Run: .cache/producers/keras-3.15.1/bin/python adapters/findings/keras3_prunes_unused_calls.py
"""

import json
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras

path = Path(__file__).resolve().parents[2] / "corpus/keras3/keras-3.2.1/nested-functional-twice/model.json"
config = json.loads(path.read_text())
diff = next(layer for layer in config["config"]["layers"] if layer["name"] == "diff")
print("diff's arguments:", [arg["config"]["keras_history"] for arg in diff["inbound_nodes"][0]["args"][0]])
model = keras.models.model_from_json(path.read_text())
tower = model.get_layer("tower")
from keras.src.ops.function import make_node_key  # noqa: E402

for i, node in enumerate(tower._inbound_nodes):
    if node.input_tensors:  # its own input node has none
        inputs = [t._keras_history[0].name for t in node.input_tensors]
        in_graph = make_node_key(tower, i) in model._nodes
        print(keras.__version__, f"tower called on {inputs}: in the model's graph: {in_graph}")
