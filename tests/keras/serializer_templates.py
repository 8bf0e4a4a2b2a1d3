"""Capture the serializer's config templates from every installed producer release.

    python tests/keras/serializer_templates.py [PRODUCER ...]

For each release in ``.cache/producers/`` (or those named), replays one reference model that uses
every kind of :mod:`kerasspec.strategies` once, and writes what that release put in each layer
entry -- config, ``registered_name``, ``module``, which keys exist -- minus the fields the
strategies compute (name, wiring, shapes) to ``src/kerasspec/serialize/templates/<release>.json``.
Those files are committed data: the package never runs Keras.

tfjs-layers is replayed with Node.js (``serializer_live.js``, the model.json as ``tf.io`` writes it);
the kinds it lacks are recorded in its template under ``absent``, each with the error tfjs-layers
itself gives when asked to load a layer of that class.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PRODUCERS = ROOT / ".cache" / "producers"
#: The releases requirements/keras.txt installs into the test environment itself.
TEST_ENVIRONMENT = ("keras-3.15.1", "tf_keras-2.21.0")
TEMPLATES = ROOT / "src" / "kerasspec" / "serialize" / "templates"
LIVE = Path(__file__).with_name("serializer_live.py")
LIVE_TFJS = Path(__file__).with_name("serializer_live.js")
#: The npm packages scripts/test installs for the tfjs-layers reader: @tensorflow/tfjs 4.22.0.
TFJS_READER_MODULES = ROOT / "adapters" / "readers" / "tfjs-layers" / "node_modules"
TFJS = "tfjs-layers-4.22.0"
#: The keras2 classes of the strategies' kinds that tfjs-layers has no layer for.
TFJS_ABSENT = ("Merge", "Attention", "MultiHeadAttention", "Lambda", "TFOpLambda", "SlicingOpLambda")

#: Config keys that hold shapes; the strategies compute them from the tensors.
SHAPE_KEYS = ("batch_shape", "batch_input_shape", "query_shape", "key_shape", "value_shape", "build_input_shape")


def _t(name: str, call: int = 0, output: int = 0) -> dict[str, Any]:
    return {"tensor": [name, call, output]}


def _layer(
    name: str, kind: str, args: list[Any], kwargs: dict[str, Any] | None = None, **params: Any
) -> dict[str, Any]:
    return {"name": name, "kind": kind, "params": params, "calls": [{"args": args, "kwargs": kwargs or {}}]}


def _input(name: str, shape: list[int], dtype: str = "float32") -> dict[str, Any]:
    return {"name": name, "kind": "InputLayer", "params": {}, "calls": [], "shape": shape, "dtype": dtype}


def reference_plan(format: str, keras1: bool = False) -> dict[str, Any]:
    """One model with every kind: each layer is named after its kind.

    ``format`` "legacy" is standalone Keras before 2.4: no attention and no TensorFlow ops, a
    ``Bidirectional`` and a ``Lambda``, and Keras 1 (``keras1``) merges with one ``Merge`` layer and a
    mode instead of ``Add``, ``Concatenate``, ...
    "tfjs" (tfjs-layers) has the kinds of Keras 2.0 to 2.3 but ``Lambda``; its
    Sequential is built, as theirs, without an InputLayer (its first layer takes the shape: the
    template of such a first layer).
    """
    a, b = _t("a"), _t("b")
    listed = {"list": [a, _t("Dense")]}
    legacy = format in ("legacy", "tfjs")
    # Keras 1.0-1.1's Dense takes rank-2 tensors only: there ``a`` is flat, ``b`` the sequence
    # (every input is used: Keras 1.2-2.0 refuse a model with one unused).
    flat, sequence = ([4], [3, 4]) if legacy else ([3, 4], [5, 4])
    seq = b if legacy else a
    inner = {
        "class_name": "Functional",
        "name": "Functional",
        "layers": [_input("inner_input", flat), _layer("inner_dense", "Dense", [_t("inner_input")], units=4)],
        "order": [["inner_dense", 0]],
        "inputs": _t("inner_input"),
        "outputs": _t("inner_dense"),
    }
    sequential = {
        "class_name": "Sequential",
        "name": "Sequential",
        "layers": [
            _input("seq_input", flat),
            {"name": "seq_dense", "kind": "Dense", "params": {"units": 4}, "calls": []},
        ],
        "order": [],
        "inputs": None,
        "outputs": None,
        "layout": ["seq_dense"],
    }
    merges = (
        [_layer("Merge", "Merge", [listed], mode="sum")]
        if keras1
        else [
            *(_layer(kind, kind, [listed]) for kind in ("Add", "Multiply", "Average", "Maximum")),
            _layer("Concatenate", "Concatenate", [listed], axis=-1),
        ]
    )
    attention = [
        _layer("Attention", "Attention", [{"list": [a, b]}]),
        _layer("MultiHeadAttention", "MultiHeadAttention", [a, b], num_heads=2, key_dim=2),
    ]
    layers = [
        _input("a", flat),
        _input("b", sequence),
        _layer("Dense", "Dense", [a], units=4),
        _layer("LSTM", "LSTM", [seq], units=4),
        _layer("TimeDistributed", "TimeDistributed", [seq], units=4),
        *merges,
        *([] if legacy else attention),
        # drawn for the old era (and Bidirectional for tfjs-layers): Bidirectional(LSTM) and the one Lambda
        *(
            [_layer("Bidirectional", "Bidirectional", [seq], units=4), _layer("Lambda", "Lambda", [a])]
            if format == "legacy"
            else [_layer("Bidirectional", "Bidirectional", [seq], units=4)]
            if format == "tfjs"
            else []
        ),
        {**_layer("Functional", "Functional", [a]), "model": inner},
        {**_layer("Sequential", "Sequential", [a]), "model": sequential},
    ]
    slice_all = {"object": {"class_name": "__slice__", "config": {"start": None, "stop": None, "step": None}}}
    if format == "keras3":
        layers += [
            _layer("ops.add", "ops.add", [a, _t("Dense")]),
            _layer("ops.multiply", "ops.multiply", [a, {"const": 2.0}]),
            _layer("ops.getitem", "ops.getitem", [a, {"list": [slice_all, {"const": 0}]}]),
        ]
    elif format == "keras2":
        spec = {"dict": {"start": {"const": None}, "stop": {"const": None}, "step": {"const": None}}}
        layers += [
            _layer("tf.math.multiply", "tf.math.multiply", [a], {"y": {"const": 2.0}}),
            _layer("tf.concat", "tf.concat", [listed], {"axis": {"const": -1}}),
            _layer("tf.stack", "tf.stack", [{"list": [listed, listed]}], {"axis": {"const": 1}}),
            _layer(
                "tf.__operators__.getitem",
                "tf.__operators__.getitem",
                [a],
                {"slice_spec": {"list": [spec, {"const": 0}]}},
            ),
        ]
    order = [[layer["name"], 0] for layer in layers if layer["kind"] != "InputLayer"]
    outputs = {"list": [_t(name) for name, _ in order]}
    return {
        "format": format,
        "model": {
            "class_name": "Functional",
            "name": "model",
            "layers": layers,
            "order": order,
            "inputs": {"list": [a, b]},
            "outputs": outputs,
        },
    }


def run_live(producer: str, plans: list[dict[str, Any]], timeout: float = 600) -> dict[str, Any]:
    """Replay plans in a producer environment; returns its format, version and per-plan results.

    Without the producer's own environment, the two releases the test environment installs
    (requirements/keras.txt) run in this interpreter, as in CI. tfjs-layers runs in Node.js.
    """
    if producer.startswith("tfjs-layers-"):
        return _run_node([str(LIVE_TFJS)], producer, json.dumps(plans), timeout)
    python = PRODUCERS / producer / "bin" / "python"
    if not python.exists() and producer in TEST_ENVIRONMENT:
        python = Path(sys.executable)
    env = {
        "KERASSPEC_LIVE_FORMAT": live_format(producer),
        "PATH": "/usr/bin:/bin",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "KERAS_BACKEND": "jax" if producer.endswith("-jax") else "tensorflow",
    }
    if env["KERASSPEC_LIVE_FORMAT"] == "legacy":
        # Theano in its pure-Python mode (no BLAS, no compiler), as generator/_worker.py runs it.
        cache = ROOT / ".cache" / "theano"
        env.update(KERAS_BACKEND="theano", THEANO_FLAGS=f"blas.ldflags=,cxx=,device=cpu,base_compiledir={cache}")
    done = subprocess.run(
        [str(python), str(LIVE)],
        input=json.dumps(plans),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=str(LIVE.parent),
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{producer}: live builder failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def node_modules(producer: str) -> Path:
    """The npm packages tfjs-layers runs from: the producer's own, else those of the tfjs reader."""
    own = PRODUCERS / producer / "node_modules"
    return own if (own / "@tensorflow" / "tfjs-layers").exists() else TFJS_READER_MODULES


def _run_node(args: list[str], producer: str, stdin: str, timeout: float) -> dict[str, Any]:
    modules = node_modules(producer)
    if not (modules / "@tensorflow" / "tfjs-layers").exists():
        raise RuntimeError(f"{producer}: no npm packages at {modules}: run `npm ci` in adapters/readers/tfjs-layers")
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "NODE_PATH": str(modules)}
    done = subprocess.run(
        ["node", *args], input=stdin, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{producer}: live builder failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def tfjs_absent(producer: str) -> dict[str, str]:
    """Each class of :data:`TFJS_ABSENT` with the error tfjs-layers gives when loading a layer of it."""
    answer = _run_node([str(LIVE_TFJS), "--load", *TFJS_ABSENT], producer, "", 120)
    return dict(answer["errors"])


def live_format(producer: str) -> str:
    """What the live builder imports: keras3, keras2 (tf.keras, tf_keras), legacy (Keras before 2.4),
    or tfjs (tfjs-layers, in Node.js)."""
    if producer.startswith("tfjs-layers-"):
        return "tfjs"
    package, version = producer.split("-")[:2]
    if package != "keras":
        return "keras2"
    return "legacy" if tuple(int(part) for part in version.split(".")[:2]) < (2, 4) else "keras3"


def _template(entry: dict[str, Any]) -> dict[str, Any]:
    kept = {
        key: value for key, value in entry.items() if key not in ("name", "inbound_nodes", "class_name", "build_config")
    }
    raw = kept.get("config") or {}
    # A Sequential of Keras before 2.2.3 writes the bare list of its layers: no config of its own.
    config = dict(raw) if isinstance(raw, dict) else {}
    for key in ("layers", "input_layers", "output_layers", *SHAPE_KEYS):
        config.pop(key, None)
    if "name" in config:
        config["name"] = ""  # written by the serializer; its presence is what the template says
    kept["config"] = config
    return {
        "entry": kept,
        "class_name": entry.get("class_name"),
        "build_config": "build_config" in entry,
        "shape_keys": [key for key in SHAPE_KEYS if key in raw],
    }


def templates(producer: str) -> dict[str, Any]:
    plan_format = live_format(producer)
    answer = run_live(producer, [reference_plan(plan_format, keras1=producer.startswith("keras-1."))])
    result = answer["results"][0]
    if "json" not in result:
        raise RuntimeError(f"{producer}: the reference model did not build: {result['error']}")
    model = json.loads(result["json"])
    model = model.get("modelTopology", model)  # tfjs-layers: the model JSON inside model.json
    kinds: dict[str, Any] = {}
    for entry in model["config"]["layers"]:
        name = entry["config"]["name"] if "name" not in entry else entry["name"]
        kind = "InputLayer" if name in ("a", "b") else name
        if kind == "b":
            continue
        kinds[kind] = _template(entry)
        if kind in ("Functional", "Sequential"):
            config = entry["config"]
            inner = config if isinstance(config, list) else config["layers"]
            kinds[kind]["inner"] = [_template(layer) for layer in inner]
    envelope = {key: value for key, value in model.items() if key != "config"}
    envelope["config"] = {
        key: value
        for key, value in model["config"].items()
        if key not in ("name", "layers", "input_layers", "output_layers")
    }
    captured = {
        "producer": producer,
        "format": "keras2" if answer["format"] == "legacy" else answer["format"],
        "keras_version": answer["version"],
        "envelope": envelope,
        "kinds": kinds,
    }
    if plan_format == "tfjs":
        captured["absent"] = tfjs_absent(producer)
    return captured


def main(argv: list[str]) -> None:
    names = argv or sorted(
        path.name for path in PRODUCERS.iterdir() if (path / "bin" / "python").exists() or path.name == TFJS
    )
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    for producer in names:
        try:
            data = templates(producer)
        except Exception as error:
            print(f"{producer}: FAILED {error}", file=sys.stderr)
            continue
        (TEMPLATES / f"{producer}.json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
        print(f"{producer}: {len(data['kinds'])} kinds")


if __name__ == "__main__":
    main(sys.argv[1:])
