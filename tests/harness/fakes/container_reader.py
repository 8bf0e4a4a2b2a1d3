"""A reader of model files that checks every file it is handed is laid out as Keras lays it out.

    python container_reader.py CORPUS_DIR CONTAINER...
    python container_reader.py CORPUS_DIR --per-case FILE


It asks at start for the containers named, and for each ``parse`` request opens the file at
``path``: a ``.json`` file must hold the case's model JSON byte for byte; a ``.keras`` file must be a
zip of exactly ``metadata.json`` (``keras_version``, ``date_saved``) and ``config.json`` (the model
JSON); an ``.h5`` file must be HDF5 with the root attributes ``model_config`` (the model JSON),
``keras_version`` and ``backend``, and the ``model_weights`` group Keras writes (one group per
top-level layer). A file that is right gets the case's expected answer from the corpus (an oracle:
only the harness is under test); a wrong one is rejected with the code ``bad-layout`` and what is
wrong, which the tests then see as a failing outcome.

With ``--per-case`` it reads the one file it is given, as a command run once per case
(spec/protocol.md#per-case-mode): the container is the file's suffix, the case the one whose model JSON
the file holds; it prints the expected document, or exits 65 with an ``error[...]`` line.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import h5py

CORPUS = Path(sys.argv[1])
CONTAINERS = sys.argv[2:]
CASES = {case["id"]: case for case in json.loads((CORPUS / "manifest.json").read_text())["cases"]}
SUFFIXES = {"to_json": ".json", "keras-archive": ".keras", "h5": ".h5"}


def layout_problem(path: Path, container: str, model: bytes) -> str | None:
    """What is wrong with the file, or ``None``."""
    if path.suffix != SUFFIXES[container]:
        return f"a {container} file named {path.name}"
    if container == "to_json":
        return None if path.read_bytes() == model else "the .json file is not the model JSON"
    if container == "keras-archive":
        if not zipfile.is_zipfile(path):
            return "not a zip"
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if names != ["metadata.json", "config.json"]:
                return f"zip members {names}"
            metadata = json.loads(archive.read("metadata.json"))
            if sorted(metadata) != ["date_saved", "keras_version"]:
                return f"metadata.json holds {sorted(metadata)}"
            return None if archive.read("config.json") == model else "config.json is not the model JSON"
    if not h5py.is_hdf5(path):
        return "not HDF5"
    with h5py.File(path, "r") as f:
        if sorted(f.attrs) != ["backend", "keras_version", "model_config"] or list(f.keys()) != ["model_weights"]:
            return f"root attributes {sorted(f.attrs)}, members {list(f.keys())}"
        weights = f["model_weights"]
        if sorted(weights.attrs) != ["backend", "keras_version", "layer_names"]:
            return f"model_weights attributes {sorted(weights.attrs)}"
        if sorted(weights.keys()) != sorted(name.decode() for name in weights.attrs["layer_names"]):
            return "model_weights has not one group per layer"
        # Keras writes each as UTF-8 bytes, which h5py stores as a variable-length string and reads back as str.
        kinds = {name: f.attrs.get_id(name).dtype.kind for name in f.attrs}
        if set(kinds.values()) != {"O"}:
            return f"attribute types {kinds}"
        if f.attrs["model_config"].encode("utf-8") != model:
            return "model_config is not the model JSON"
    return None


def answer(request: dict) -> dict:
    case = CASES[request["case"]]
    # A case handed in a container the corpus has no case of its own for holds the to_json text.
    model = (CORPUS / case["input"]).read_bytes()
    problem = layout_problem(Path(request["path"]), request["container"], model)
    if problem is not None:
        return {"seq": request["seq"], "error": {"code": "bad-layout", "message": problem}}
    if case["kind"] == "invalid":
        return {"seq": request["seq"], "error": {"code": case["error"], "message": "rejected by the oracle"}}
    return {"seq": request["seq"], "document": json.loads((CORPUS / case["expected"]).read_text())}


def held_json(path: Path) -> bytes:
    """The model JSON a file holds, by its suffix (what a per-case run tells the reader)."""
    if path.suffix == ".keras":
        with zipfile.ZipFile(path) as archive:
            return archive.read("config.json")
    if path.suffix == ".h5":
        with h5py.File(path, "r") as f:
            return str(f.attrs["model_config"]).encode("utf-8")
    return path.read_bytes()


def per_case(path: Path) -> int:
    model = held_json(path)
    container = {suffix: name for name, suffix in SUFFIXES.items()}[path.suffix]
    case = next(c for c in CASES.values() if (CORPUS / c["input"]).read_bytes() == model)
    problem = layout_problem(path, container, model)
    if problem is not None or case["kind"] == "invalid":
        print(f"error[{'bad-layout' if problem else case['error']}]: {problem or 'rejected'}", file=sys.stderr)
        return 65
    print((CORPUS / case["expected"]).read_text())
    return 0


if CONTAINERS[:1] == ["--per-case"]:
    sys.exit(per_case(Path(CONTAINERS[1])))

for line in sys.stdin:
    request = json.loads(line)
    if request["cmd"] == "stop":
        break
    if request["cmd"] == "start":
        implementation = {"name": "container-reader", "version": "0", "language": "python"}
        reply = {"version": 1, "implementation": implementation, "formats": ["keras2", "keras3"]}
        reply["containers"] = CONTAINERS
    else:
        reply = answer(request)
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
