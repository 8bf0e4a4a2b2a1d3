"""`kerasspec validate`: the failing JSON path, the broken rule, exit 65; exit 0 when valid."""

from __future__ import annotations

import copy
import gc
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kerasspec import _schemas
from kerasspec.cli import main
from kerasspec.errors import TooDeep
from kerasspec.validate import detect_schema, iter_violations, validate

K2 = "https://kerasspec.dev/schemas/keras2/"
K3 = "https://kerasspec.dev/schemas/keras3/"


def _k2_layer(name: str, class_name: str, nodes: list[Any]) -> dict[str, Any]:
    return {"class_name": class_name, "config": {"name": name}, "name": name, "inbound_nodes": nodes}


def _k3_tensor(name: str, node: int, index: int) -> dict[str, Any]:
    return {
        "class_name": "__keras_tensor__",
        "config": {"shape": [None, 4], "dtype": "float32", "keras_history": [name, node, index]},
    }


# The smallest models of the two formats: an input and a MultiHeadAttention called on it twice over.
KERAS2 = {
    "class_name": "Functional",
    "config": {
        "name": "m",
        "layers": [
            _k2_layer("a", "InputLayer", []),
            _k2_layer("b", "InputLayer", []),
            _k2_layer("mha", "MultiHeadAttention", [[["a", 0, 0, {"value": ["b", 0, 0]}]]]),
        ],
        "input_layers": [["a", 0, 0], ["b", 0, 0]],
        "output_layers": [["mha", 0, 0]],
    },
    "keras_version": "2.21.0",
    "backend": "tensorflow",
}
KERAS3 = {
    "module": "keras.src.models.functional",
    "class_name": "Functional",
    "config": {
        "name": "m",
        "layers": [
            {**_k2_layer("a", "InputLayer", []), "module": "keras.layers"},
            {**_k2_layer("b", "InputLayer", []), "module": "keras.layers"},
            {
                **_k2_layer(
                    "mha",
                    "MultiHeadAttention",
                    [{"args": [_k3_tensor("a", 0, 0), _k3_tensor("b", 0, 0)], "kwargs": {}}],
                ),
                "module": "keras.layers",
            },
        ],
        "input_layers": [["a", 0, 0], ["b", 0, 0]],
        "output_layers": ["mha", 0, 0],
    },
    "registered_name": "Functional",
}
CANONICAL = {
    "format": "keras2",
    "model": {"class_name": "Functional", "name": "m", "inputs": None, "outputs": None, "layers": []},
}


def _edit(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


@pytest.mark.parametrize(("document", "kind"), [(KERAS2, "keras2"), (KERAS3, "keras3"), (CANONICAL, "canonical")])
def test_detects_the_schema(document: dict[str, Any], kind: str) -> None:
    assert detect_schema(document) == kind
    assert validate(document) is None


BROKEN = [
    pytest.param(
        _edit(KERAS2, ("config", "layers", 2, "inbound_nodes", 0, 0, 2), -1),
        "error[schema]: -1 is less than the minimum of 0 "
        f"(rule {K2}entry.json#/$defs/reference-entry/prefixItems/2/minimum) "
        "at $.config.layers[2].inbound_nodes[0][0][2]",
        id="keras2-negative-tensor-index",
    ),
    pytest.param(
        _edit(KERAS2, ("config", "layers", 2, "inbound_nodes", 0, 0), ["a", 0, 0, {}, "extra"]),
        "error[schema]: ['a', 0, 0, {}, 'extra'] is too long "
        f"(rule {K2}entry.json#/maxItems) at $.config.layers[2].inbound_nodes[0][0]",
        id="keras2-five-element-entry",
    ),
    pytest.param(
        _edit(KERAS2, ("config", "layers", 2, "inbound_nodes", 0, 0), ["_CONSTANT_VALUE", 0, 1.0, {}]),
        "error[schema]: -1 was expected "
        f"(rule {K2}entry.json#/$defs/constant-entry/prefixItems/1/const) at $.config.layers[2].inbound_nodes[0][0][1]",
        id="keras2-constant-without-minus-one",
    ),
    pytest.param(
        _edit(KERAS2, ("config", "layers", 2, "inbound_nodes", 0), ["a", 0, 0, {}]),
        "error[schema]: 'a' is not of type 'array', 'object' "
        f"(rule {K2}node.json#/$defs/structure/else/type) at $.config.layers[2].inbound_nodes[0][0]",
        id="keras2-bare-entry-on-an-ordinary-layer",
    ),
    pytest.param(
        _edit(KERAS2, ("config", "layers", 0, "inbound_nodes"), [[["b", 0, 0, {}]]]),
        "error[schema]: [[['b', 0, 0, {}]]] is expected to be empty "
        f"(rule {K2}layer.json#/allOf/0/then/properties/inbound_nodes/maxItems) at $.config.layers[0].inbound_nodes",
        id="keras2-called-input-layer",
    ),
    pytest.param(
        _edit(KERAS2, ("config", "output_layers"), ["mha", 0, 0]),
        "error[schema]: 'mha' is not of type 'array', 'object' "
        f"(rule {K2}tensor-reference.json#/$defs/io-structure/else/type) at $.config.output_layers[0]",
        id="keras2-bare-output-triple",
    ),
    pytest.param(
        _edit(KERAS3, ("config", "layers", 2, "inbound_nodes", 0, "args", 1, "config", "keras_history"), ["b", 0]),
        "error[schema]: ['b', 0] is too short "
        f"(rule {K3}tensor-reference.json#/minItems) "
        "at $.config.layers[2].inbound_nodes[0].args[1].config.keras_history",
        id="keras3-short-history",
    ),
    pytest.param(
        _edit(KERAS3, ("config", "layers", 2, "inbound_nodes", 0), [["a", 0, 0, {}]]),
        "error[schema]: [['a', 0, 0, {}]] is not of type 'object' "
        f"(rule {K3}node.json#/type) at $.config.layers[2].inbound_nodes[0]",
        id="keras3-keras2-node",
    ),
    pytest.param(
        _edit(KERAS3, ("config", "layers", 2, "inbound_nodes", 0, "args", 1), {"class_name": "__set__", "config": {}}),
        "error[schema]: '__set__' is not one of ['__slice__', '__ellipsis__', '__numpy__', '__tensor__', "
        "'__bytes__', '__lambda__', '__typespec__'] "
        f"(rule {K3}typed-objects.json#/$defs/double-underscore/properties/class_name/enum) "
        "at $.config.layers[2].inbound_nodes[0].args[1].class_name",
        id="keras3-unknown-typed-object",
    ),
]


@pytest.mark.parametrize(("document", "line"), BROKEN)
def test_cli_reports_path_and_rule(tmp_path: Path, document: dict[str, Any], line: str) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(document))
    schema = "keras3" if "keras3" in line else "keras2"
    result = CliRunner().invoke(main, ["validate", "--schema", schema, str(path)])
    assert result.exit_code == 65
    assert result.stderr.splitlines() == [line]


def test_cli_exit_0_when_valid(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(KERAS3))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "valid (keras3)\n", "")


def test_cli_schema_option_overrides_detection(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(KERAS3))
    result = CliRunner().invoke(main, ["validate", "--schema", "keras2", str(path)])
    assert result.exit_code == 65
    assert result.stderr.startswith("error[schema]: ")


def test_cli_not_json(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text("{")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 65
    assert result.stderr == (
        "error[not-json]: not JSON: Expecting property name enclosed in double quotes (line 1, column 2) at $\n"
    )


def test_validators_are_compiled_once() -> None:
    assert _schemas.validator("keras2") is _schemas.validator("keras2")
    assert _schemas.registry() is _schemas.registry()


def test_cli_all_prints_every_violation_and_names_each_file(tmp_path: Path) -> None:
    broken = _edit(_edit(KERAS2, ("config", "output_layers"), ["mha", 0, 0]), ("config", "name"), 7)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(json.dumps(broken))
    second.write_text(json.dumps(KERAS2))
    result = CliRunner().invoke(main, ["validate", "--all", str(first), str(second)])
    assert result.exit_code == 65
    lines = result.stderr.splitlines()
    assert len(lines) == 4  # name, and the three items of the bare triple
    assert all(line.startswith(f"{first}: error[schema]: ") for line in lines)
    assert lines[0].endswith(" at $.config.name")
    assert result.stdout == f"{second}: valid (keras2)\n"


@pytest.mark.parametrize("depth", [300, 100_000])
def test_deep_nesting_is_an_answer_not_a_crash(depth: int) -> None:
    # Deeper than the JSON decoder builds (100,000): jsonschema-rs recurses on its own large stack.
    node: Any = ["a", 0, -1, {}]
    for _ in range(depth):
        node = [node]
    document = _edit(KERAS2, ("config", "layers", 2, "inbound_nodes"), [node])
    try:
        violation = validate(document)
    except TooDeep as error:
        assert error.code == "too-deep"
    else:
        assert violation is not None
        assert violation.path.endswith("[0][0][0][2]")


BROKEN_OUTPUT = _edit(KERAS2, ("config", "output_layers"), ["mha", 0, 0])


def test_a_platform_refusing_the_large_stack_still_validates(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(size: int = 0) -> int:
        raise ValueError("size not valid")

    expected = validate(BROKEN_OUTPUT)
    monkeypatch.setattr(_schemas.threading, "stack_size", refuse)
    assert validate(KERAS2) is None
    assert validate(BROKEN_OUTPUT) == expected is not None


def test_jsonschema_checks_it_all_when_it_cannot_word_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = validate(BROKEN_OUTPUT), list(iter_violations(BROKEN_OUTPUT, "keras2"))
    monkeypatch.setattr(_schemas, "explain", lambda *args: [])
    assert (validate(BROKEN_OUTPUT), list(iter_violations(BROKEN_OUTPUT, "keras2"))) == expected
    assert expected[0] is not None and len(expected[1]) == 3


def test_cli_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(BROKEN_OUTPUT))
    assert gc.isenabled()
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 65
    assert gc.isenabled()


# spec/envelope.md#wrappers: the schema checks the model JSON inside a wrapper, located in the file.
def test_cli_checks_the_model_inside_a_tfjs_file(tmp_path: Path) -> None:
    broken = _edit(KERAS2, ("config", "layers", 2, "inbound_nodes", 0, 0, 1), -1)
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"modelTopology": broken, "format": "layers-model"}))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 65
    assert result.stderr.endswith("at $.modelTopology.config.layers[2].inbound_nodes[0][0][1]\n"), result.stderr
    path.write_text(json.dumps({"modelTopology": KERAS2, "format": "layers-model"}))
    assert CliRunner().invoke(main, ["validate", str(path)]).stdout == "valid (keras2)\n"


def test_cli_names_a_bad_version_beside_model_config_where_it_is(tmp_path: Path) -> None:
    # spec/envelope.md#format-detection: the tfjs converter's keras_version is the envelope's, any value.
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"modelTopology": {"keras_version": 2.21, "model_config": KERAS2}}))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert (result.exit_code, result.stderr) == (
        65,
        "error[unknown-format]: keras_version 2.21 is neither 1.x or 2.x (keras2), 3.x (keras3) nor tfjs-layers "
        "(keras2) at $.modelTopology.keras_version\n",
    )


def test_cli_checks_a_double_encoded_file(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(json.dumps(KERAS2)))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert (result.exit_code, result.stdout) == (0, "valid (keras2)\n")


def test_a_keras1_file_with_a_list_shaped_sequential_is_keras2_and_valid(tmp_path: Path) -> None:
    # Keras 1.x to 2.2.2: a Sequential's config is the bare list of its layers (spec/keras2.md#list-sequential).
    dense = {"class_name": "Dense", "config": {"name": "d", "output_dim": 2, "batch_input_shape": [None, 4]}}
    model = {"class_name": "Sequential", "config": [dense], "keras_version": "1.2.2"}
    assert detect_schema(model) == "keras2"
    assert validate(model) is None
    assert validate({**model, "config": [{"config": {}}]}) is not None


@pytest.mark.parametrize("version", ["9.1", 5, None])
def test_cli_checks_the_envelope_before_the_version(tmp_path: Path, version: Any) -> None:
    # spec/errors.md#order: the envelope (not-a-model) before keras_version (unknown-format). parse says
    # not-a-model; validate names the member the envelope lacks rather than the version.
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"keras_version": version, "config": {"layers": []}}))
    parsed = CliRunner().invoke(main, ["parse", str(path)])
    assert (parsed.exit_code, parsed.stderr.split(":")[0]) == (65, "error[not-a-model]")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert (result.exit_code, result.stderr) == (
        65,
        "error[schema]: 'class_name' is a required property "
        "(rule https://kerasspec.dev/schemas/keras3/model.json#/required) at $\n",
    )
