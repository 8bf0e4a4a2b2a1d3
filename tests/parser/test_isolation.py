"""The package must never import Keras or TensorFlow, and never execute what a model file holds."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("keras", "tf_keras", "tensorflow", "jax", "torch")

LAMBDA_MODEL = """{"class_name": "Functional", "keras_version": "2.21.0", "config": {"name": "m",
 "layers": [{"class_name": "InputLayer", "config": {"name": "x"}, "name": "x", "inbound_nodes": []},
  {"class_name": "Lambda", "name": "l", "config": {"name": "l", "function": {"class_name": "__lambda__",
   "config": {"code": "4wEAAAAAAAAAAAAAAAEAAAACAAAAQwAAAHMIAAAAdABkAYMBUwApAk7aBWJvb20hKQHaBXByaW50KQHaAXipAHICAAAA"}},
   "module": "os", "function_type": "lambda"}, "inbound_nodes": [[["x", 0, 0, {}]]]}],
 "input_layers": [["x", 0, 0]], "output_layers": [["l", 0, 0]]}}"""


def test_importing_and_parsing_loads_no_framework() -> None:
    code = (
        "import sys, kerasspec, kerasspec.cli, kerasspec.explain\n"
        f"kerasspec.parse({LAMBDA_MODEL!r})\n"
        "import json, kerasspec.code\n"
        f"assert len(kerasspec.code.code_sites(json.loads({LAMBDA_MODEL!r}))) == 2\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert "boom" not in result.stdout + result.stderr  # the marshalled lambda prints "boom!" if ever run


def test_building_and_scanning_containers_runs_nothing(tmp_path) -> None:
    # What the harness hands a reader of files, and what its reference scanner reads back out of them.
    code = (
        "import sys, pathlib, kerasspec.containers as c, kerasspec.harness._scan\n"
        "from kerasspec.harness.reference_scanner import scan\n"
        f"folder = pathlib.Path({str(tmp_path)!r})\n"
        "for container in ('to_json', 'keras-archive', 'h5'):\n"
        "    path = folder / ('m' + c.FILE_SUFFIXES[container])\n"
        f"    path.write_bytes(c.file_bytes(container, {LAMBDA_MODEL!r}))\n"
        "    assert len(scan(path)) == 2, container\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert "boom" not in result.stdout + result.stderr


def test_per_case_files_and_scoring_by_layer_run_nothing(tmp_path) -> None:
    # What --per-case and the pytest plugin hand a command, and the scoring of findings by layer.
    code = (
        "import sys, json, pathlib, types, kerasspec.pytest_plugin\n"
        "from kerasspec.harness._parsers import hand_file\n"
        "from kerasspec.code import code_sites, layer_paths\n"
        "from kerasspec.scanning import Finding, score\n"
        f"folder, text = pathlib.Path({str(tmp_path)!r}), {LAMBDA_MODEL!r}\n"
        "for container in ('to_json', 'keras-archive', 'h5'):\n"
        "    case = types.SimpleNamespace(container=container, producer=None, kind='valid')\n"
        "    hand_file(folder, container, case, text)\n"
        "model = json.loads(text)\n"
        "result = score(code_sites(model), [Finding(layer='l')], layer_paths=layer_paths(model))\n"
        "assert (result.outcome, result.missed) == ('pass', []), result\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert "boom" not in result.stdout + result.stderr
    assert sorted(path.suffix for path in tmp_path.iterdir()) == [".h5", ".json", ".keras"]
