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

Weights are not read (``parse_keras_model`` is given a reader of 1x1 zero arrays): they are not wiring.
Only keras2 is declared: hls4ml reads keras3 only from a live Keras 3 model, not from JSON.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO_ROOT / "src"))

from kerasspec.harness import serve  # noqa: E402  (standard library only)


class Rejected(Exception):
    code = "load-error"

    def __init__(self, error: BaseException) -> None:
        lines = str(error).strip().splitlines()
        self.message = f"{type(error).__name__}: {lines[0][:300] if lines else ''}"
        super().__init__(self.message)


class NoWeights:
    """A weights reader without real weights: the corpus has topologies only. Handlers read a weight's
    ``shape`` (e.g. Dense's ``n_in``), so they get a 1x1 zero array: sizes are not wiring."""

    def get_weights_data(self, layer_name: str, var_name: str) -> Any:
        import numpy as np

        return np.zeros((1, 1))


def tensor(name: str) -> dict[str, Any]:
    return {"tensor": [name, 0, 0]}


def read(text: str) -> dict[str, Any]:
    from hls4ml.converters.keras_v2_to_hls import parse_keras_model

    try:
        arch = json.loads(text)
        layer_list, input_layers, output_layers, _ = parse_keras_model(arch, NoWeights())
    except (Exception, RecursionError) as error:
        raise Rejected(error) from error
    file_layers = [(layer.get("name") or layer["config"]["name"], layer) for layer in arch["config"]["layers"]] \
        if isinstance(arch["config"], dict) else []
    names = {name for name, _ in file_layers}
    # hls4ml's own Activation layers, named <layer>_<activation>: map them back to <layer>.
    renamed = {}
    for entry in layer_list:
        name = entry.get("name") or entry.get("config", {}).get("name")
        if name not in names and entry.get("class_name") in ("Activation", "QActivation"):
            origin = next((n for n in names if name.startswith(n + "_")), None)
            if origin is not None:
                renamed[name] = origin
    kept = {entry.get("name"): entry for entry in layer_list}
    sequential = arch["class_name"] == "Sequential"
    layers = []
    for name, layer in file_layers:
        entry = kept.get(name)
        calls = []
        if entry is not None and not sequential and entry.get("class_name") != "InputLayer":
            inputs = [tensor(renamed.get(n, n)) for n in entry.get("inputs") or []]
            if inputs:
                calls = [{"args": [inputs[0] if len(inputs) == 1 else {"list": inputs}], "kwargs": {}}]
        layers.append({"name": name, "class_name": layer["class_name"], "module": layer.get("module"),
                       "calls": calls})

    def io(io_names: list[str] | None) -> dict[str, Any] | None:
        # hls4ml keeps the io layers' names only: a flat list, output 0 of call 0 each.
        return None if io_names is None or sequential else {"list": [tensor(renamed.get(n, n)) for n in io_names]}

    return {"format": "keras2", "model": {"class_name": arch["class_name"], "name": arch["config"].get("name"),
                                          "inputs": io(input_layers), "outputs": io(output_layers),
                                          "layers": layers}}


def main() -> int:
    return serve(read, implementation={"name": "hls4ml keras_v2 reader", "version": version("hls4ml"),
                                       "language": "python", "homepage": "https://github.com/fastmachinelearning/hls4ml"},
                 formats=("keras2",))


if __name__ == "__main__":
    sys.exit(main())
