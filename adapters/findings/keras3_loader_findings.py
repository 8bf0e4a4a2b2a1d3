"""Minimal reproductions of what the Keras 3 loader does with files in the corpus (adapters/findings/FINDINGS.md).

Run with a Keras 3 venv: .cache/producers/keras-3.15.1/bin/python adapters/findings/keras3_loader_findings.py
Each section prints one line: the Keras version and what happened.
"""

import json
import os
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras
from keras.src.legacy.saving import saving_utils

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def first_line(error: BaseException) -> str:
    root = error
    while (parent := root.__cause__ or root.__context__) is not None:
        root = parent
    text = f"{type(error).__name__}: {str(error).splitlines()[0][:150]}"
    if root is not error:
        text += f" <- {type(root).__name__}: {str(root).splitlines()[0][:150]}"
    return text


class NoAnswer(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise NoAnswer(f"no answer within {LIMIT} s (the loader loops)")


LIMIT = 30
signal.signal(signal.SIGALRM, _alarm)


def attempt(title: str, load: Callable[[], object]) -> None:
    signal.alarm(LIMIT)  # older loaders loop forever on some files: a Python loop, so the alarm stops it
    try:
        result = load()
    except NoAnswer as error:
        print(f"[{keras.__version__}] {title}: {error}")
        return
    except Exception as error:
        print(f"[{keras.__version__}] {title}: {first_line(error)}")
        return
    finally:
        signal.alarm(0)
    print(f"[{keras.__version__}] {title}: returned {type(result).__name__} {str(result)[:80]}")


def corpus_text(path: str) -> str:
    return (CORPUS / path).read_text()


# 1. keras2 nested Functional: keras2 numbers a nested model's own nodes from 1 ("inner", 1, 0); Keras 3's
#    legacy node loop never finds node 1 and gives up.
attempt(
    "keras2 nested Functional (tf.keras 2.12)",
    lambda: saving_utils.model_from_config(
        json.loads(corpus_text("keras2/tensorflow-2.12.1/nested-functional/model.json"))
    ),
)

# 2. model_from_json on tf_keras 2.21's own to_json(): its envelope names tf_keras modules.
attempt(
    "model_from_json(tf_keras 2.21 to_json)",
    lambda: keras.models.model_from_json(corpus_text("keras2/tf_keras-2.21.0/smoke-dense-chain/model.json")),
)

# 3. tf.keras 2.12 recurrent layers: the config carries `time_major`, which Keras 3 refuses.
lstm = {
    "class_name": "Sequential",
    "config": {
        "name": "s",
        "layers": [
            {
                "class_name": "InputLayer",
                "config": {"batch_input_shape": [None, 3, 4], "dtype": "float32", "name": "x"},
            },
            {"class_name": "LSTM", "config": {"name": "lstm", "units": 2, "time_major": False}},
        ],
    },
}
attempt("keras2 LSTM with time_major", lambda: saving_utils.model_from_config(lstm))


# 4. Keras 3 cannot load its own .h5 file when the model uses keras.ops (saved as ops layers).
def ops_h5() -> object:
    x = keras.Input(shape=(4,), name="x")
    model = keras.Model(x, keras.ops.exp(x[:, 0:2]), name="ops")
    with tempfile.TemporaryDirectory() as tmp:
        model.save(Path(tmp) / "m.h5")
        return keras.models.load_model(Path(tmp) / "m.h5")


attempt("load_model(own .h5 with keras.ops)", ops_h5)

# 5. model_from_json of JSON that is not a model: no error, the value comes back.
attempt("model_from_json('[1, 2]')", lambda: keras.models.model_from_json("[1, 2]"))

# 6. A keras3 node index of -1 is read as the last call instead of being refused.
text = corpus_text("invalid/keras3/node-index-negative.json")
attempt("keras3 keras_history node index -1", lambda: keras.models.model_from_json(text))
