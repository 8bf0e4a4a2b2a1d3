"""Wrappers around a model JSON (spec/envelope.md#wrappers): removed once, errors located inside them.

Each test wraps the model JSON of real corpus cases the way the wrapper's writer does and checks
that the reading equals the case's expected document, computed from the live Keras objects.
"""

from __future__ import annotations

import json

import pytest

from kerasspec import ParseError, parse
from kerasspec.canonical import diff
from kerasspec.corpus import Case, load

# One case per producer kind, old era included: the wrappers do not depend on what they hold.
_IDS = (
    "keras2/tf_keras-2.21.0/smoke-shared-nested",
    "keras3/keras-3.15.1/nested-functional-twice",
    "keras2/keras-2.2.4/legacy-nested-sequential-twice",
    "keras2/keras-1.2.2/legacy-merge-function",
)
CASES = [case for case in load().select() if case.id in _IDS]


def _tfjs_layers(text: str) -> str:
    # tfjs-layers' model.save(): the Keras JSON is modelTopology; what tfjs-layers 4.22.0 writes beside it.
    return json.dumps(
        {
            "modelTopology": json.loads(text),
            "format": "layers-model",
            "generatedBy": "TensorFlow.js tfjs-layers v4.22.0",
            "convertedBy": None,
            "weightsManifest": [{"paths": ["weights.bin"], "weights": []}],
        }
    )


def _tfjs_converter(text: str) -> str:
    model = json.loads(text)
    version = model.pop("keras_version", None)
    # The converter copies the .h5 file's root keras_version as text; a to_json text without one has none here.
    topology = {"keras_version": version} if version is not None else {}
    topology.update({"backend": model.pop("backend", None), "model_config": model, "training_config": None})
    return json.dumps(
        {
            "format": "layers-model",
            "generatedBy": f"keras v{version}",
            "convertedBy": "TensorFlow.js Converter v4.22.0",
            "modelTopology": topology,
        }
    )


WRAPPERS = {"double-encoded": json.dumps, "tfjs-layers": _tfjs_layers, "tfjs-converter": _tfjs_converter}


def test_the_wrapped_cases_exist() -> None:
    assert sorted(case.id for case in CASES) == sorted(_IDS)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
@pytest.mark.parametrize("wrapper", WRAPPERS.values(), ids=WRAPPERS.keys())
def test_a_wrapped_file_reads_as_the_model_inside(case: Case, wrapper: object) -> None:
    text = case.read_input()
    assert callable(wrapper)
    document = parse(wrapper(text)).to_json()
    assert diff(case.read_expected(), document) is None


def test_a_string_is_decoded_once_only() -> None:
    text = next(case for case in CASES if case.id == _IDS[0]).read_input()
    with pytest.raises(ParseError) as caught:
        parse(json.dumps(json.dumps(text)))
    assert caught.value.code == "not-a-model"


def test_a_string_that_is_not_json_is_not_a_model() -> None:
    # The file is valid JSON; what it holds is no model (as for the string "Functional").
    with pytest.raises(ParseError) as caught:
        parse(json.dumps("{'class_name': 'Model'}"))
    assert caught.value.code == "not-a-model"


def test_errors_are_located_inside_the_wrapper() -> None:
    case = next(case for case in CASES if case.id == _IDS[0])
    model = json.loads(case.read_input())
    last = len(model["config"]["layers"]) - 1  # the last layer is called (the others may be inputs)
    model["config"]["layers"][last]["inbound_nodes"] = [[["nowhere", 0, 0, {}]]]
    with pytest.raises(ParseError) as caught:
        parse(_tfjs_layers(json.dumps(model)))
    assert caught.value.code == "dangling-reference"
    assert caught.value.path == f"$.modelTopology.config.layers[{last}].inbound_nodes[0][0][0]"
    with pytest.raises(ParseError) as caught:
        parse(_tfjs_converter(json.dumps(model)))
    assert caught.value.path == f"$.modelTopology.model_config.config.layers[{last}].inbound_nodes[0][0][0]"


def test_tfjs_layers_numbers_a_nested_sequential_from_1() -> None:
    # What tfjs-layers 4.22.0 wrote for a Sequential without an InputLayer, called on a and on b
    # (spec/keras2.md#node-numbering-before-2-4): the two calls are nodes 1 and 2.
    dense = {"class_name": "Dense", "config": {"units": 3, "name": "inner_d1", "batch_input_shape": [None, 4]}}
    topology = {
        "class_name": "Model",
        "config": {
            "name": "outer",
            "layers": [
                {
                    "name": "a",
                    "class_name": "InputLayer",
                    "config": {"batch_input_shape": [None, 4], "name": "a"},
                    "inbound_nodes": [],
                },
                {
                    "name": "b",
                    "class_name": "InputLayer",
                    "config": {"batch_input_shape": [None, 4], "name": "b"},
                    "inbound_nodes": [],
                },
                {
                    "name": "inner",
                    "class_name": "Sequential",
                    "config": {"name": "inner", "layers": [dense]},
                    "inbound_nodes": [[["a", 0, 0, {}]], [["b", 0, 0, {}]]],
                },
                {
                    "name": "cat",
                    "class_name": "Concatenate",
                    "config": {"axis": -1, "name": "cat"},
                    "inbound_nodes": [[["inner", 1, 0, {}], ["inner", 2, 0, {}]]],
                },
            ],
            "input_layers": [["a", 0, 0], ["b", 0, 0]],
            "output_layers": [["cat", 0, 0]],
        },
        "keras_version": "tfjs-layers 4.22.0",
        "backend": "tensor_flow.js",
    }
    document = parse(json.dumps({"modelTopology": topology, "format": "layers-model"}))
    assert document.format == "keras2"
    cat = document.model.layer("cat").calls[0].args[0].to_json()
    assert cat == {"list": [{"tensor": ["inner", 0, 0]}, {"tensor": ["inner", 1, 0]}]}


def _wrapped_version(wrapper: str, value: object) -> str:
    """The first case's model JSON in ``wrapper``, with ``value`` as the keras_version that applies to it."""
    model = json.loads(next(case for case in CASES if case.id == _IDS[0]).read_input())
    model["keras_version"] = value
    text = json.dumps(model)
    if wrapper == "tfjs-converter":
        wrapped = json.loads(_tfjs_converter(text))
        wrapped["modelTopology"]["keras_version"] = value  # (the converter moves it beside model_config)
        return json.dumps(wrapped)
    return WRAPPERS[wrapper](text)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("wrapper", "path"),
    [
        ("double-encoded", "$.keras_version"),
        ("tfjs-layers", "$.modelTopology.keras_version"),
        ("tfjs-converter", "$.modelTopology.keras_version"),
    ],
)
@pytest.mark.parametrize("value", ["4.0.0", 2.21, None, ["2.21.0"]], ids=["string", "number", "null", "array"])
def test_a_bad_version_is_unknown_format_where_it_is(wrapper: str, path: str, value: object) -> None:
    # spec/envelope.md#format-detection: the version beside model_config is the envelope's, whatever its value.
    with pytest.raises(ParseError) as caught:
        parse(_wrapped_version(wrapper, value))
    assert (caught.value.code, caught.value.path) == ("unknown-format", path)


def test_the_version_beside_model_config_decides_before_the_one_inside() -> None:
    wrapped = json.loads(_wrapped_version("tfjs-converter", "2.21.0"))
    wrapped["modelTopology"]["model_config"]["keras_version"] = "4.0.0"
    assert parse(json.dumps(wrapped)).format == "keras2"
    del wrapped["modelTopology"]["keras_version"]  # none beside: the envelope's own decides
    with pytest.raises(ParseError) as caught:
        parse(json.dumps(wrapped))
    assert (caught.value.code, caught.value.path) == ("unknown-format", "$.modelTopology.model_config.keras_version")
