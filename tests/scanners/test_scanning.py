"""The scanner track: containers built from case JSON, and the scoring of findings (spec/scanners.md#findings)."""

from __future__ import annotations

import io
import json
import zipfile

import h5py
import pytest

from kerasspec import containers, scanning
from kerasspec.code import BYTECODE, CodeSite
from kerasspec.corpus import load

CORPUS = load()
NESTED = CORPUS.case("keras3/keras-3.15.1/lambda-two-levels-functional")
CONTROL = CORPUS.case("keras3/keras-3.15.1/lambda-two-levels-functional-control")


def test_keras_archive_is_laid_out_as_keras_does_and_reproducible() -> None:
    text = NESTED.read_input()
    data = containers.build("keras-archive", text, "3.15.1", "tensorflow")
    assert data == containers.build("keras-archive", text, "3.15.1", "tensorflow")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["metadata.json", "config.json"]
        assert archive.read("config.json").decode() == text
        assert json.loads(archive.read("metadata.json"))["keras_version"] == "3.15.1"


def test_h5_file_holds_the_model_config_and_envelope_attributes() -> None:
    text = NESTED.read_input()
    data = containers.build("h5", text, "3.15.1", "tensorflow")
    assert data == containers.build("h5", text, "3.15.1", "tensorflow")
    with h5py.File(io.BytesIO(data), "r") as f:
        attrs = {k: v.decode() if isinstance(v, bytes) else v for k, v in f.attrs.items()}
    assert attrs == {"model_config": text, "keras_version": "3.15.1", "backend": "tensorflow"}


def test_h5_file_has_the_model_weights_group_of_a_weightless_model() -> None:
    # Keras's legacy HDF5 save: layer names, backend and version again, one group per layer.
    text = NESTED.read_input()
    names = [layer["config"]["name"] for layer in json.loads(text)["config"]["layers"]]
    with h5py.File(io.BytesIO(containers.build("h5", text, "3.15.1", "tensorflow")), "r") as f:
        weights = f["model_weights"]
        assert [n.decode() for n in weights.attrs["layer_names"]] == names
        assert (weights.attrs["backend"], weights.attrs["keras_version"]) == ("tensorflow", "3.15.1")
        assert sorted(weights) == sorted(names)
        assert all(len(weights[name].attrs["weight_names"]) == 0 for name in names)


INVALID = [case for case in CORPUS.cases if case.kind == "invalid"]


@pytest.mark.parametrize("case", INVALID, ids=[case.id for case in INVALID])
@pytest.mark.parametrize("container", sorted(containers.SUFFIXES))
def test_every_invalid_case_can_be_handed_in_every_container(case, container: str) -> None:
    # A reader of files is handed invalid cases too, even text nested past any JSON decoder
    # (`kwarg-past-any-decoder`): the container holds it unchanged, and rejecting it is the reader's part.
    text = case.read_input()
    data = containers.build(container, text, "2.21.0", "tensorflow")
    if container == "h5":
        with h5py.File(io.BytesIO(data), "r") as f:
            held = f.attrs["model_config"]
    else:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            held = archive.read("config.json")
    assert (held.decode() if isinstance(held, bytes) else held) == text


def test_unknown_container_is_refused() -> None:
    with pytest.raises(ValueError, match="no such container"):
        containers.build("zip", "{}")


SITE = CodeSite(
    "$.config.layers[1].config.layers[2].config.function",
    BYTECODE,
    ("inner", "f"),
    layer="$.config.layers[1].config.layers[2]",
)


@pytest.mark.parametrize(
    ("findings", "outcome"),
    [
        ([], scanning.MISSED),
        ([scanning.Finding(layer="f")], scanning.PASS),
        ([scanning.Finding(layer="inner")], scanning.PASS),
        ([scanning.Finding()], scanning.PASS),
        ([scanning.Finding(path="$.config.layers[1]")], scanning.PASS),
        ([scanning.Finding(path="$.config.layers[0]")], scanning.MISSED),
        ([scanning.Finding(layer="f"), scanning.Finding(layer="g")], scanning.FALSE_ALARM),
    ],
)
def test_score(findings: list[scanning.Finding], outcome: str) -> None:
    assert scanning.score([SITE], findings).outcome == outcome


# A Keras 1/2 Lambda with code in `function` and `output_shape` (one layer, two sites), and a Lambda inside
# the nested model `inner` (spec/scanners.md#expected: a finding covers the code of the layer it names).
LAMBDA = "$.config.layers[1]"
FUNCTION = CodeSite(f"{LAMBDA}.config.function", BYTECODE, ("lam",), layer=LAMBDA)
OUTPUT_SHAPE = CodeSite(f"{LAMBDA}.config.output_shape", BYTECODE, ("lam",), layer=LAMBDA)
NESTED_CODE = "$.config.layers[2].config.layers[1]"
INNER = CodeSite(f"{NESTED_CODE}.config.function", BYTECODE, ("inner", "code"), layer=NESTED_CODE)
BESIDE = "$.config.layers[2].config.layers[0]"  # a layer without code in the nested model
LAYERS = frozenset({"$", "$.config.layers[0]", LAMBDA, "$.config.layers[2]", BESIDE, NESTED_CODE})
F = scanning.Finding


@pytest.mark.parametrize(
    ("findings", "missed", "false_alarms"),
    [
        ([F(layer="lam")], [INNER], []),  # the layer named: both of its sites
        ([F(path=FUNCTION.path)], [INNER], []),  # a path inside the layer's config names the layer
        ([F(path=LAMBDA)], [INNER], []),
        ([F(layer="lam"), F(layer="code")], [], []),
        ([F(path=FUNCTION.path), F(path=OUTPUT_SHAPE.path), F(path=INNER.path)], [], []),
        ([F(layer="lam"), F(layer="lam")], [INNER], []),  # twice is not an alarm: it names code
        ([F(layer="inner")], [FUNCTION, OUTPUT_SHAPE], []),  # a model holding code: one layer in it
        ([F(path="$.config.layers[2]"), F(path="$.config.layers[2]")], [FUNCTION, OUTPUT_SHAPE], []),
        ([F()], [INNER], []),  # the file: one layer with code
        ([F(), F(), F()], [], []),
        ([F(path="$.config.layers[0]")], [FUNCTION, OUTPUT_SHAPE, INNER], [F(path="$.config.layers[0]")]),
        ([F(path=BESIDE)], [FUNCTION, OUTPUT_SHAPE, INNER], [F(path=BESIDE)]),  # beside the nested code: none
        ([F(layer="lam"), F(layer="code"), F(layer="nope")], [], [F(layer="nope")]),
    ],
)
def test_a_finding_covers_the_code_of_the_layer_it_names(
    findings: list[scanning.Finding], missed: list[CodeSite], false_alarms: list[scanning.Finding]
) -> None:
    result = scanning.score([FUNCTION, OUTPUT_SHAPE, INNER], findings, layer_paths=LAYERS)
    assert (result.missed, result.false_alarms) == (missed, false_alarms)
    assert result.outcome == (scanning.MISSED if missed else scanning.FALSE_ALARM if false_alarms else scanning.PASS)


def test_flags_on_tf_op_layers_are_policy_not_false_alarms() -> None:
    result = scanning.score([], [scanning.Finding(layer="tf.math.add")], frozenset({"tf.math.add"}))
    assert result.outcome == scanning.PASS and len(result.policy) == 1


def test_a_path_inside_a_tensorflow_op_layer_is_policy() -> None:
    model = {
        "class_name": "Functional",
        "config": {"layers": [{"class_name": "TFOpLambda", "config": {"name": "tf.math.add", "function": "math.add"}}]},
    }
    paths = scanning.not_code_paths(model)
    assert paths == frozenset({"$.config.layers[0]"})
    result = scanning.score([], [scanning.Finding(path="$.config.layers[0].config.function")], frozenset(), paths)
    assert (result.outcome, len(result.policy), result.false_alarms) == (scanning.PASS, 1, [])
