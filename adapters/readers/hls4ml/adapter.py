"""hls4ml's Keras JSON reader (``hls4ml.converters.keras_v2_to_hls.parse_keras_model``) on the kerasspec protocol.

Run it with the python of a venv that has hls4ml (see README.md); it needs no TensorFlow. hls4ml is
an FPGA compiler: its reader turns a keras2 model config into the layer list its code generator
consumes. Each layer there carries the *names* of the layers feeding it (``inputs``), read from
``inbound_nodes[0]``: one call per layer, output 0 of call 0 of each input, no kwargs. The canonical
document is read from that list:

- a layer of the file that hls4ml kept gets one call whose first argument is its ``inputs`` (one
  tensor, or a list when several), each ``[name, 0, 0]``; an InputLayer gets no call;
- hls4ml appends an ``Activation`` layer named ``<layer>_<activation>`` after a layer with a fused
  activation and rewires its consumers to it; that is a renaming, undone here (the consumer's input
  is the original layer again). Layers it skips (``Dropout``) are not undone: they are gone from
  its graph, and the file's wiring through them with them.

Weights are not read (``parse_keras_model`` is given a reader of 8x8 zero arrays): they are not wiring.
Only keras2 is declared: hls4ml reads keras3 only from a live Keras 3 model, not from JSON.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO_ROOT / "src"))

from kerasspec.harness import serve  # noqa: E402  (standard library only)


class Rejected(Exception):
    code = "load-error"

    def __init__(self, error: BaseException) -> None:
        lines = str(error).strip().splitlines()
        self.message = f"{type(error).__name__}: {lines[0][:300] if lines else ''}"
        super().__init__(self.message)


READER: Any = None  # set by main(): hls4ml's own reader classes exist only once it is imported
WEIGHT_SIZE = 8  # handlers index into weights (a Bidirectional's per-direction kernels): not 1x1


class NoWeights:
    """A weights reader without real weights: the corpus has topologies only. Handlers read a weight's
    ``shape`` (e.g. Dense's ``n_in``), so they get an 8x8 zero array: sizes are not wiring.

    For a nested model or a wrapped layer, hls4ml's handlers build a new reader from the live Keras
    model (``KerasModelReader(data_reader.model.get_layer(name))``); ``model``/``get_layer``/``layer``
    stand in for that live model, and ``no_weights_reader`` makes those readers this one too.
    """

    @property
    def model(self) -> NoWeights:
        return self

    @property
    def layer(self) -> NoWeights:
        return self

    def get_layer(self, name: str) -> NoWeights:
        return self

    def get_weights_data(self, layer_name: str, var_name: str) -> Any:
        import numpy as np

        return np.zeros((WEIGHT_SIZE, WEIGHT_SIZE))


def no_weights_reader() -> Any:
    """A NoWeights that is also one of hls4ml's live-model readers, and the same for the readers its
    handlers build for nested models and wrapped layers: they all take hls4ml's live-model route
    (``isinstance`` tests against its reader classes), and none reads a weight."""
    import importlib

    from hls4ml.converters.keras import model, recurrent

    # (`hls4ml.converters.keras_v2_to_hls` the attribute is a function of the same name)
    keras_v2_to_hls = importlib.import_module("hls4ml.converters.keras_v2_to_hls")
    readers = {}
    for name in ("KerasModelReader", "KerasWrappedLayerReader"):
        original = getattr(keras_v2_to_hls, name)
        readers[name] = type(name, (NoWeights, original), {"__init__": lambda self, *_args: None})
        for module in (model, recurrent):
            if hasattr(module, name):
                setattr(module, name, readers[name])
    return readers["KerasModelReader"]()


def named(name: Any, renamed: dict[str, str]) -> dict[str, Any]:
    return tensor(renamed.get(name, name) if isinstance(name, str) else name)


def tensor(name: Any) -> dict[str, Any]:
    """hls4ml's input by name: output 0 of call 0. A name that is not a string (hls4ml takes ``[0]``
    of each ``input_layers`` item, a list when the io is nested) is kept as the value it holds."""
    return {"tensor": [name, 0, 0]} if isinstance(name, str) else plain(name)


def plain(value: Any) -> dict[str, Any]:
    if isinstance(value, list):
        return {"list": [plain(v) for v in value]}
    if isinstance(value, dict):
        return {"dict": {str(k): plain(v) for k, v in value.items()}}
    return {"const": value}


def read(text: str) -> dict[str, Any]:
    from hls4ml.converters.keras_v2_to_hls import parse_keras_model

    try:
        arch = json.loads(text)
        layer_list, input_layers, output_layers, _ = parse_keras_model(arch, READER)
    except (Exception, RecursionError) as error:
        raise Rejected(error) from error
    return {"format": "keras2", "model": model_document(arch, layer_list, input_layers, output_layers)}


def model_document(
    arch: dict[str, Any], layer_list: list[dict[str, Any]], input_layers: Any, output_layers: Any
) -> dict[str, Any]:
    """The canonical model of hls4ml's layer list for the file's model config ``arch``."""
    config = arch["config"]
    file_layers = config if isinstance(config, list) else config.get("layers", [])
    file_layers = [(layer.get("name") or layer["config"]["name"], layer) for layer in file_layers]
    names = {name for name, _ in file_layers}
    # hls4ml's own activation layers (an Activation, or the class its handler makes of it, e.g.
    # Softmax), named <layer>_<activation>: map them back to <layer>.
    renamed = {}
    for entry in layer_list:
        name = entry.get("name")
        if isinstance(name, str) and name not in names:
            origins = [n for n in names if name.startswith(n + "_")]
            if origins:
                renamed[name] = max(origins, key=len)
    kept = {entry.get("name"): entry for entry in layer_list}
    sequential = arch["class_name"] == "Sequential"
    layers = []
    for name, layer in file_layers:
        hls_layer = kept.get(name)
        calls = []
        if hls_layer is not None and not sequential and hls_layer.get("class_name") != "InputLayer":
            inputs = [named(n, renamed) for n in hls_layer.get("inputs") or []]
            if inputs:
                calls = [{"args": [inputs[0] if len(inputs) == 1 else {"list": inputs}], "kwargs": {}}]
        out: dict[str, Any] = {
            "name": name,
            "class_name": layer["class_name"],
            "module": layer.get("module"),
            "calls": calls,
        }
        if hls_layer is not None and "layer_list" in hls_layer:  # a nested model: hls4ml's LayerGroup
            out["model"] = model_document(
                layer,
                hls_layer["layer_list"],
                hls_layer.get("input_layers") or None,
                hls_layer.get("output_layers") or None,
            )
        layers.append(out)

    def io(io_names: list[str] | None) -> dict[str, Any] | None:
        # hls4ml keeps the io layers' names only: a flat list, output 0 of call 0 each.
        # keras2 writes a single tensor as a list of one reference, which the spec reads as that tensor.
        if io_names is None or sequential:
            return None
        values = [named(n, renamed) for n in io_names]
        return values[0] if len(values) == 1 else {"list": values}

    return {
        "class_name": arch["class_name"],
        "name": config.get("name") if isinstance(config, dict) else None,
        "inputs": io(input_layers),
        "outputs": io(output_layers),
        "layers": layers,
    }


def main() -> int:
    global READER
    READER = no_weights_reader()
    return serve(
        read,
        implementation={
            "name": "hls4ml keras_v2 reader",
            "version": version("hls4ml"),
            "language": "python",
            "homepage": "https://github.com/fastmachinelearning/hls4ml",
        },
        formats=("keras2",),
    )


if __name__ == "__main__":
    sys.exit(main())
