"""One test per error code: the exact message, the JSON path and the offending value.

Inputs are small variations of real Keras output (tf_keras 2.21 and keras 3.15.1 shapes).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from _models import k2_input, k2_layer, k3_call, k3_layer, keras2, keras3, tensor

from kerasspec import Limits, ParseError, parse
from kerasspec.errors import CODES

CASES: dict[str, tuple[Any, str, str, Limits | None]] = {
    # id: (input, expected line, expected path, limits)
    "not-json": (
        '{"class_name": "Functional", ',
        "not JSON: Expecting property name enclosed in double quotes (line 1, column 30)",
        "$",
        None,
    ),
    "not-json-utf8": (b'{"a": "\xff"}', "not UTF-8: invalid start byte at byte 7", "$", None),
    "not-a-model-array": ("[1, 2]", "a model JSON is an object, not an array", "$", None),
    "not-a-model-no-config": (
        '{"class_name": "Functional"}',
        "a model has a string 'class_name' and an object 'config'",
        "$",
        None,
    ),
    "not-a-model-no-layers": (
        {"class_name": "MyModel", "config": {"name": "m"}, "keras_version": "2.21.0"},
        "this MyModel config has no 'layers' array (a model that cannot be serialized as a graph?)",
        "$.config",
        None,
    ),
    "unknown-format": (
        {
            "class_name": "Model",
            "config": {"name": "m", "layers": [], "input_layers": [], "output_layers": []},
            "keras_version": "0.3.3",
        },
        "keras_version '0.3.3' is neither 1.x or 2.x (keras2), 3.x (keras3) nor tfjs-layers (keras2)",
        "$.keras_version",
        None,
    ),
    "bad-layer": (
        keras2([k2_input(), {"class_name": "Dense", "name": "d", "inbound_nodes": [[["x", 0, 0, {}]]]}]),
        "a layer has a string 'class_name' and an object 'config'",
        "$.config.layers[1]",
        None,
    ),
    "bad-node": (
        keras2([k2_input(), k2_layer("d", ["x"])]),
        "a keras2 node is a list of entries, one entry, or a dict of entries, not a string",
        "$.config.layers[1].inbound_nodes[0]",
        None,
    ),
    "bad-node-keras3": (
        keras3([k3_layer("x", [], "InputLayer"), k3_layer("d", [{"args": [tensor("x")]}])]),
        "a keras3 node is an object with exactly 'args' (an array) and 'kwargs' (an object)",
        "$.config.layers[1].inbound_nodes[0]",
        None,
    ),
    "bad-entry": (
        keras2([k2_input(), k2_layer("d", [[["x", "0", 0, {}]]])]),
        "the node index must be an integer, not a string",
        "$.config.layers[1].inbound_nodes[0][0][1]",
        None,
    ),
    "bad-entry-keras3": (
        keras3(
            [
                k3_layer("x", [], "InputLayer"),
                k3_layer("d", [k3_call({"class_name": "__keras_tensor__", "config": {}})]),
            ]
        ),
        "a __keras_tensor__ needs config.keras_history = [layer_name, node_index, tensor_index]",
        "$.config.layers[1].inbound_nodes[0].args[0]",
        None,
    ),
    "dangling-reference": (
        keras2([k2_input(), k2_layer("d", [[["nowhere", 0, 0, {}]]])]),
        "no layer named 'nowhere' in this model",
        "$.config.layers[1].inbound_nodes[0][0][0]",
        None,
    ),
    "node-index-out-of-range": (
        keras2([k2_input(), k2_layer("d", [[["x", 0, 0, {}]]]), k2_layer("e", [[["d", 1, 0, {}]]])]),
        "layer 'd' has 1 call in this model (node indices 0..0), so node index 1 names none",
        "$.config.layers[2].inbound_nodes[0][0][1]",
        None,
    ),
    "tensor-index-out-of-range": (
        keras3([k3_layer("x", [], "InputLayer"), k3_layer("d", [k3_call(tensor("x", 0, 1))])]),
        "InputLayer 'x' has only output 0, not output 1",
        "$.config.layers[1].inbound_nodes[0].args[0].config.keras_history[2]",
        None,
    ),
    "cycle": (
        keras2([k2_input(), k2_layer("a", [[["b", 0, 0, {}]]]), k2_layer("b", [[["a", 0, 0, {}]]])]),
        "call 0 of 'b' depends on its own output through call 0 of 'a'",
        "$.config.layers[2].inbound_nodes[0]",
        None,
    ),
    "duplicate-layer-name": (
        keras2([k2_input(), k2_layer("d", [[["x", 0, 0, {}]]]), k2_layer("d", [[["x", 0, 0, {}]]])]),
        "two layers are named 'd' (the first at $.config.layers[1])",
        "$.config.layers[2].name",
        None,
    ),
    "too-deep": (
        keras3([k3_layer("x", [], "InputLayer"), k3_layer("d", [k3_call(json.loads("[" * 20 + "]" * 20))])]),
        "the node nests deeper than the limit of 16",
        "$.config.layers[1].inbound_nodes[0].args" + "[0]" * 11,  # depth 17: the first beyond 16
        Limits(max_depth=16),
    ),
    "too-large": (
        '{"class_name": "Functional"}',
        "the input is 28 bytes, more than the limit of 10",
        "$",
        Limits(max_bytes=10),
    ),
}


@pytest.mark.parametrize(("source", "message", "path", "limits"), CASES.values(), ids=CASES.keys())
def test_error(source: Any, message: str, path: str, limits: Limits | None, request: pytest.FixtureRequest) -> None:
    with pytest.raises(ParseError) as caught:
        parse(source, limits=limits)
    error = caught.value
    code = request.node.callspec.id.removesuffix("-keras3").removesuffix("-utf8").removesuffix("-array")
    code = {"not-a-model-no-config": "not-a-model", "not-a-model-no-layers": "not-a-model"}.get(code, code)
    assert (error.code, error.message, error.path) == (code, message, path)
    assert error.line() == f"error[{code}]: {message} at {path}"
    assert error.hint == CODES[code].hint_text


def test_every_code_has_a_case() -> None:
    covered = {key.split("-keras3")[0] for key in CASES} | {"not-a-model"}
    assert set(CODES) <= covered


def test_errors_are_values() -> None:
    one = ParseError("m", path="$.a", value=[1])
    assert one == ParseError("m", path="$.a", value=[1])
    with pytest.raises(AttributeError):
        one.path = "$.b"  # type: ignore[misc]


def test_json_nesting_beyond_the_decoder_is_too_deep() -> None:
    with pytest.raises(ParseError) as caught:
        parse("[" * 100_000 + "]" * 100_000)
    assert caught.value.code == "too-deep"
    assert caught.value.path == "$" + "[0]" * 100


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("[" * 500 + "]" * 500, "not-a-model"),  # a top-level array: its shape, not its depth, is the error
        (
            json.dumps(
                keras2([k2_input(), {**k2_input("y"), "config": {"name": "y", "x": json.loads("[" * 500 + "]" * 500)}}])
            ),
            None,
        ),
    ],
    ids=["top-level-array", "layer-config"],
)
def test_nesting_is_limited_only_where_it_is_read(text: str, code: str | None) -> None:
    # spec/errors.md#nesting: 500 levels is past the limit of 100 but within the decoder's depth.
    if code is None:
        assert [layer.name for layer in parse(text).model.layers] == ["x", "y"]
        return
    with pytest.raises(ParseError) as caught:
        parse(text)
    assert caught.value.code == code


def test_sequence_of_error_lines_is_one_line() -> None:
    with pytest.raises(ParseError) as caught:
        parse(keras2([k2_input(), k2_layer("d", [[["no\nwhere", 0, 0, {}]]])]))
    assert "\n" not in caught.value.line()


def _in_list_sequentials(levels: int, item: dict[str, Any]) -> dict[str, Any]:
    # Keras 1.x to 2.2.2 write a Sequential's config as the bare list of its layers: each level adds two
    # to the depth (envelope > config > layer), not three (spec/errors.md#depth).
    for _ in range(levels):
        item = {"class_name": "Sequential", "config": [item]}
    return item


def test_a_model_in_list_shaped_sequentials_at_depth_100_is_read() -> None:
    dense = {"class_name": "Dense", "config": {"name": "d", "units": 1}}
    top = {**_in_list_sequentials(51, dense), "keras_version": "2.1.6", "backend": "theano"}
    model, depth = parse(top).model, 0
    while model.layers[0].model is not None:
        model, depth = model.layers[0].model, depth + 2
    assert (depth, model.layers[0].name) == (100, "d")


def test_a_model_in_list_shaped_sequentials_at_depth_101_is_too_deep() -> None:
    # A Functional's layer sits at depth 3; 49 more list-shaped Sequentials put the innermost at 101.
    nested = {**_in_list_sequentials(50, {"class_name": "Dense", "config": {"name": "d"}}), "name": "s"}
    top = keras2([k2_input(), {**nested, "inbound_nodes": []}], outputs=[["x", 0, 0]])
    with pytest.raises(ParseError) as caught:
        parse(top)
    assert (caught.value.code, caught.value.message) == ("too-deep", "models nest deeper than the limit of 100")
    assert caught.value.path == "$.config.layers[1]" + ".config[0]" * 49
