"""Keras 3 loading a keras2 MultiHeadAttention: the layer is refused before its `value` could be wired.

tf_keras writes `MultiHeadAttention(num_heads=2, key_dim=2)(q, v)` with `value` in the entry's kwargs
and the shapes it was built with in the config (`query_shape`, `key_shape`, `value_shape`). Keras 3's
legacy loader (the `.h5` path) refuses the config; so the question whether it would wire `value`
(it would not: see keras3_keras2_kwargs_tensors.py) is never reached.
Run: .cache/producers/keras-3.15.1/bin/python adapters/findings/keras3_keras2_mha.py
"""

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras
from keras.src.legacy.saving import saving_utils

corpus = Path(__file__).resolve().parents[2] / "corpus"
text = (corpus / "keras2/tf_keras-2.21.0/smoke-mha-positional/model.json").read_text()
mha = json.loads(text)["config"]["layers"][2]
print("keras2 node:", json.dumps(mha["inbound_nodes"]))
try:
    saving_utils.model_from_config(json.loads(text))
except Exception as error:
    print(keras.__version__, type(error).__name__, str(error).splitlines()[0][:200])
    root: BaseException = error
    while parent := root.__cause__ or root.__context__:
        root = parent
    print("   root cause:", type(root).__name__, str(root).splitlines()[0][:300])
    sys.exit(0)
print(keras.__version__, "loaded")
