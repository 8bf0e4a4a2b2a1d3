"""tf_keras 2.21 cannot load its own to_json() of tf.einsum("bi,bj->bij", a, b) (adapters/findings/FINDINGS.md).

The writer drops *varargs tensors (the node keeps only the equation string), so the loader calls
tf.einsum with the equation alone.
Run: .cache/producers/tf_keras-2.21.0/bin/python adapters/findings/tf_keras_einsum_varargs.py
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf
import tf_keras

a = tf_keras.Input(shape=(3,), name="a")
b = tf_keras.Input(shape=(2,), name="b")
model = tf_keras.Model([a, b], tf.einsum("bi,bj->bij", a, b), name="einsum")
text = model.to_json()
node = next(layer for layer in json.loads(text)["config"]["layers"] if layer["class_name"] == "TFOpLambda")
print("written node:", json.dumps(node["inbound_nodes"]))
try:
    tf_keras.models.model_from_json(text)
    print(tf_keras.__version__, "loaded")
except Exception as error:
    print(tf_keras.__version__, type(error).__name__, str(error).splitlines()[0])
