"""Keras 3 loading a keras2 file: tensor references inside a node's kwargs are passed through unresolved.

tf_keras writes `Softmax()(x, mask=m)` as the entry ["logits", 0, 0, {"mask": ["mask", 0, 0]}]. Keras 3's
legacy loader (the `.h5` path) hands the kwargs to the layer verbatim, so the mask is the list
["mask", 0, 0], not the tensor: the model loads, and its `mask` input is wired to nothing.
Run: .cache/producers/keras-3.15.1/bin/python adapters/findings/keras3_keras2_kwargs_tensors.py
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras
from keras.src.legacy.saving import saving_utils

config = {
    "class_name": "Functional",
    "config": {
        "name": "m",
        "layers": [
            {
                "class_name": "InputLayer",
                "name": "logits",
                "inbound_nodes": [],
                "config": {"batch_input_shape": [None, 5], "dtype": "float32", "name": "logits"},
            },
            {
                "class_name": "InputLayer",
                "name": "mask",
                "inbound_nodes": [],
                "config": {"batch_input_shape": [None, 5], "dtype": "bool", "name": "mask"},
            },
            {
                "class_name": "Softmax",
                "name": "softmax",
                "config": {"name": "softmax", "axis": -1},
                "inbound_nodes": [[["logits", 0, 0, {"mask": ["mask", 0, 0]}]]],
            },
        ],
        "input_layers": [["logits", 0, 0], ["mask", 0, 0]],
        "output_layers": [["softmax", 0, 0]],
    },
}

model = saving_utils.model_from_config(json.loads(json.dumps(config)))
mask = model.get_layer("softmax")._inbound_nodes[0].arguments.kwargs["mask"]
print(keras.__version__, "mask argument:", type(mask).__name__, mask)
