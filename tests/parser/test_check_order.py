"""The order of checks (spec/errors.md#order): the envelope's ``not-a-model`` checks come before
``unknown-format``, which comes before ``too-large`` (layers). Each input has two or three errors."""

from __future__ import annotations

from typing import Any

import pytest

from kerasspec import Limits, ParseError, parse

BAD_VERSION = {"keras_version": "4.0"}
FUNCTIONAL = {"name": "m", "layers": [], "input_layers": [], "output_layers": []}

# id: (envelope with a bad keras_version, expected path of its not-a-model)
ENVELOPE_BEFORE_VERSION: dict[str, tuple[dict[str, Any], str]] = {
    "no-class-name": ({"config": {"name": "m", "layers": []}}, "$"),
    "class-name-not-string": ({"class_name": 3, "config": FUNCTIONAL}, "$"),
    "no-config": ({"class_name": "Functional"}, "$"),
    "config-not-object": ({"class_name": "Functional", "config": "m"}, "$"),
    "no-layers": ({"class_name": "Functional", "config": {"name": "m"}}, "$.config"),
    "layers-not-array": ({"class_name": "Sequential", "config": {"name": "m", "layers": {}}}, "$.config.layers"),
    "name-not-string": ({"class_name": "Sequential", "config": {"name": 1, "layers": []}}, "$.config.name"),
    "no-input-layers": (
        {"class_name": "Model", "config": {"name": "m", "layers": [], "output_layers": []}},
        "$.config",
    ),
    "no-output-layers": (
        {"class_name": "Functional", "config": {"name": "m", "layers": [], "input_layers": []}},
        "$.config",
    ),
}


@pytest.mark.parametrize(("envelope", "path"), ENVELOPE_BEFORE_VERSION.values(), ids=ENVELOPE_BEFORE_VERSION)
def test_envelope_checks_come_before_the_version(envelope: dict[str, Any], path: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse({**envelope, **BAD_VERSION})
    assert (caught.value.code, caught.value.path) == ("not-a-model", path)


def test_envelope_checks_come_before_a_version_beside_model_config() -> None:
    # A tfjs converter file: the version beside model_config is the envelope's (spec/envelope.md#format-detection).
    with pytest.raises(ParseError) as caught:
        parse({"modelTopology": {"keras_version": 4, "model_config": {"config": {"name": "m", "layers": []}}}})
    assert (caught.value.code, caught.value.path) == ("not-a-model", "$.modelTopology.model_config")


def test_the_version_comes_before_the_layer_limit() -> None:
    layers = [{"class_name": "InputLayer", "config": {"name": "x", "batch_input_shape": [None, 1]}}] * 3
    with pytest.raises(ParseError) as caught:
        parse(
            {"class_name": "Sequential", "config": {"name": "m", "layers": layers}, **BAD_VERSION},
            limits=Limits(max_layers=2),
        )
    assert (caught.value.code, caught.value.path) == ("unknown-format", "$.keras_version")
