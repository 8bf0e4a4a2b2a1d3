"""A scanner on the harness protocol, in two modes: ``python adapter.py [deep|top-level]``.

Given a file as well (``python adapter.py deep model.h5``) it is a command that scans that one file
and prints ``{"findings": [...]}``: the shape ``kerasspec check --per-case --scanner`` reads.

It asks for model files of every container (``.json``, ``.keras``, ``.h5``), reads the model JSON
out of each as a scanner does (the ``config.json`` member of the zip, the ``model_config``
attribute of the HDF5 file; nothing in them is run), and answers the JSON paths it flags.

* ``deep`` (the default) flags every code-carrying config at any depth (kerasspec.code.code_sites,
  spec/scanners.md): it passes.
* ``top-level`` looks only at the top-level ``config.layers`` and flags the ``Lambda`` layers there,
  as modelscan 0.8.8 does: the harness catches it with ``missed``, naming every nested site.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "src"))  # a checkout without pip install

from kerasspec.code import code_sites
from kerasspec.harness import serve

MODE = sys.argv[1] if len(sys.argv) > 1 else "deep"


def model_json(path: Path) -> Any:
    """The model JSON a file holds, decoded (h5py is imported only for an ``.h5`` file)."""
    if path.suffix == ".keras":
        with zipfile.ZipFile(path) as archive:
            return json.loads(archive.read("config.json"))
    if path.suffix == ".h5":
        import h5py

        with h5py.File(path, "r") as f:
            text = f.attrs["model_config"]
        return json.loads(text.decode("utf-8") if isinstance(text, bytes) else text)
    return json.loads(path.read_text(encoding="utf-8"))


def top_level_lambdas(model: Any) -> list[dict[str, Any]]:
    config = model.get("config") if isinstance(model, dict) else None
    # A Sequential of Keras 1 to 2.2.2 writes its config as the list of its layers.
    layers, base = (config.get("layers"), "$.config.layers") if isinstance(config, dict) else (config, "$.config")
    found = []
    for index, layer in enumerate(layers if isinstance(layers, list) else []):
        if isinstance(layer, dict) and layer.get("class_name") == "Lambda":
            name = (layer.get("config") or {}).get("name")
            found.append({"path": f"{base}[{index}]", "layer": str(name), "message": "Lambda"})
    return found


def scan(path: Path) -> list[dict[str, Any]]:
    model = model_json(path)
    if MODE == "top-level":
        return top_level_lambdas(model)
    return [{"path": site.path, "message": site.kind} for site in code_sites(model)]


if __name__ == "__main__":
    if len(sys.argv) > 2:  # one file, once: a scanner run per case
        print(json.dumps({"findings": scan(Path(sys.argv[2]))}))
        sys.exit(0)
    implementation = {"name": f"example-scanner-{MODE}", "version": "0.1.0", "language": "python"}
    sys.exit(serve(scan, implementation=implementation, containers=["to_json", "keras-archive", "h5"], track="scanner"))
