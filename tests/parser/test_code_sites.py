"""code_sites (spec/scanners.md) against every corpus case: one test per case, its id the case id.

The corpus recipes say what they hold: a Lambda where the `lambda` tag is, nothing where a
`lambda-nested` control is, code below the top level in every other `lambda-nested` case. Every
Lambda layer config found by an independent walk has its function among the sites, and no site
sits in a TensorFlow-op layer.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from kerasspec.code import BYTECODE, CUSTOM_OBJECT, FUNCTION_REFERENCE, code_sites, is_keras_module, layer_paths
from kerasspec.corpus import Case, load
from kerasspec.scanning import PASS, Finding, score

CASES = [case for case in load().select() if case.kind != "invalid"]
_TOKEN = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]")


def _at(document: Any, path: str) -> Any:
    assert path.startswith("$"), path
    value, rest = document, path[1:]
    while rest:
        match = _TOKEN.match(rest)
        assert match is not None, f"cannot read {path!r} at {rest!r}"
        name, index, quoted = match.groups()
        value = value[int(index)] if index is not None else value[name if name else quoted]
        rest = rest[match.end() :]
    return value


def _lambda_layers(value: Any) -> list[dict[str, Any]]:
    """Every Lambda layer config at any depth (an independent, recursive walk)."""
    found = []
    if isinstance(value, dict):
        if value.get("class_name") == "Lambda" and isinstance(value.get("config"), dict):
            found.append(value["config"])
        for item in value.values():
            found.extend(_lambda_layers(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_lambda_layers(item))
    return found


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_code_sites_of_case(case: Case) -> None:
    document = case.read_model()
    sites = code_sites(document)
    for site in sites:
        _at(document, site.path)  # every path leads to a value of the file
        assert site.kind in (BYTECODE, FUNCTION_REFERENCE, CUSTOM_OBJECT)
    code = [site for site in sites if site.kind != CUSTOM_OBJECT]
    site_values = [id(_at(document, site.path)) for site in code]
    for config in _lambda_layers(document):
        assert id(config["function"]) in site_values, f"Lambda {config.get('name')} not found"
    if "lambda" in case.features:
        assert code, "a case tagged lambda carries code"
    if "lambda-nested" in case.features:
        if case.recipe is not None and (case.recipe.endswith("-control") or case.recipe == "bidirectional-control"):
            assert sites == [], "a control carries no code"
        else:
            # tf.keras 2.12 writes a registered activation as its name alone: no code in the file.
            assert code or "lambda" not in case.features
            assert all(len(site.layers) >= 2 for site in code), "code below the top level"
    for site in sites:
        holders = _holders(document, site.path)
        assert not holders & {"TFOpLambda", "SlicingOpLambda"}, site
        # Its layer: the innermost layer config on the way to it, the one its chain of names ends with.
        assert site.path == site.layer or site.path.startswith((site.layer + ".", site.layer + "["))
        layer = _at(document, site.layer)
        assert (layer.get("config") or {}).get("name", layer.get("name")) == (site.layers[-1] if site.layers else None)
        assert site.layer in layer_paths(document)
    # A scanner that flags each layer with code once, by its path or by its name, finds all of it.
    by_path = [Finding(path=layer) for layer in dict.fromkeys(site.layer for site in sites)]
    assert score(sites, by_path, layer_paths=layer_paths(document)).outcome == PASS
    by_name = [Finding(layer=site.layers[-1]) if site.layers else Finding(path="$") for site in sites]
    assert score(sites, list(dict.fromkeys(by_name)), layer_paths=layer_paths(document)).outcome == PASS


def _holders(document: Any, path: str) -> set[str]:
    """The class names of every object on the way to ``path``."""
    names, value, rest = set(), document, path[1:]
    while rest:
        if isinstance(value, dict) and isinstance(value.get("class_name"), str):
            names.add(value["class_name"])
        match = _TOKEN.match(rest)
        assert match is not None
        name, index, quoted = match.groups()
        value = value[int(index)] if index is not None else value[name if name else quoted]
        rest = rest[match.end() :]
    return names


def test_the_corpus_has_code_at_every_depth_and_place() -> None:
    """Every kind of site and every holder the spec names occurs in the corpus."""
    seen: set[tuple[str, str]] = set()
    for case in CASES:
        if "lambda-nested" not in case.features:
            continue
        for site in code_sites(case.read_model()):
            holder = next(
                (h for h in ("backward_layer", "layer") if f".config.{h}." in site.path),
                "layers" if len(site.layers) > 2 else "nested",
            )
            seen.add((site.kind, holder))
    assert {
        (BYTECODE, "nested"),
        (BYTECODE, "layers"),
        (BYTECODE, "layer"),
        (FUNCTION_REFERENCE, "layer"),
        (FUNCTION_REFERENCE, "backward_layer"),
    } <= seen


@pytest.mark.parametrize(
    ("module", "keras"),
    [
        ("keras.layers", True),
        ("keras", True),
        ("tf_keras.src.engine.functional", True),
        ("tensorflow.python.keras.layers", True),
        ("builtins", False),
        ("os", False),
        ("kerasx", False),
        ("tensorflow.python.ops.nn_ops", False),
    ],
)
def test_is_keras_module(module: str, keras: bool) -> None:
    assert is_keras_module(module) is keras


def test_tf_op_layers_and_keras_functions_are_not_code() -> None:
    model = {
        "class_name": "Functional",
        "config": {
            "layers": [
                {
                    "class_name": "TFOpLambda",
                    "module": "tf_keras.src.layers.core.tf_op_layer",
                    "config": {"name": "add", "function": "math.add"},
                },
                {
                    "class_name": "Dense",
                    "module": "keras.layers",
                    "config": {
                        "name": "d",
                        "activation": {"module": "keras.src.activations", "class_name": "function", "config": "relu"},
                    },
                },
                {"class_name": "Lambda", "config": {"name": "l", "function": "f", "function_type": "raw"}},
            ]
        },
    }
    assert code_sites(model) == []


def test_hand_made_sites_in_every_place() -> None:
    evil = {"module": "os", "class_name": "function", "config": "system", "registered_name": None}
    model = {
        "class_name": "Sequential",
        "config": {
            "layers": [
                {
                    "class_name": "Bidirectional",
                    "config": {
                        "name": "bi",
                        "layer": {"class_name": "LSTM", "config": {"name": "f", "activation": evil}},
                        "backward_layer": {"class_name": "Custom", "module": "mine", "config": {"name": "b"}},
                    },
                },
                {
                    "class_name": "Lambda",
                    "config": {
                        "name": "l",
                        "function": ["AAAA", None, None],
                        "function_type": "lambda",
                        "output_shape": "shape_fn",
                        "output_shape_type": "function",
                    },
                },
            ]
        },
    }
    assert [s.layer for s in code_sites(model)] == [
        "$.config.layers[0].config.layer",
        "$.config.layers[0].config.backward_layer",
        "$.config.layers[1]",
        "$.config.layers[1]",
    ]
    found = [(s.path, s.kind, s.layers, s.name) for s in code_sites(model)]
    assert found == [
        ("$.config.layers[0].config.layer.config.activation", FUNCTION_REFERENCE, ("bi", "f"), "system"),
        ("$.config.layers[0].config.backward_layer", CUSTOM_OBJECT, ("bi", "b"), "Custom"),
        ("$.config.layers[1].config.function", BYTECODE, ("l",), None),
        ("$.config.layers[1].config.output_shape", FUNCTION_REFERENCE, ("l",), "shape_fn"),
    ]


def test_deep_files_do_not_exhaust_the_stack() -> None:
    model: Any = {"class_name": "__lambda__", "config": {}}
    for _ in range(5000):
        model = {"class_name": "TimeDistributed", "config": {"name": "w", "layer": model}}
    sites = code_sites(model)
    assert len(sites) == 1 and len(sites[0].layers) == 5000
