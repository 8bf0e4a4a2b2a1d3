"""The fuzzer draws old-era models and so catches a reader that gets the old-era wire wrong.

Bugs of readers written against tf.keras files only: reading a Keras 2.2.4 file with the node
numbering of tf.keras 2.4 on (a nested Sequential's calls counted from 0, spec/keras2.md#old-era),
skipping the three-item entries Keras 1 writes (``["a", 0, 0]``, no kwargs), taking a top-level
Sequential's input shape from its first layer (which Keras 1's ``Merge`` of Sequentials does not
have), and strings that cannot hold a NUL (a C string: Keras 1 to 2.0 write a ``Lambda``'s bytecode
as a raw string, NUL characters and all).  Two of readers that get tfjs-layers wrong: one that looks
for the model JSON at the top of the file (not inside ``modelTopology``, spec/envelope.md#tfjs-layers),
one that tells the old era by its ``keras_version`` numbers only and so reads a tfjs-layers file's
nested models numbered from 0.  ``fuzz`` with its default releases must report each, shrunk to a
model of at most 4 layers written by a release whose files break the reader.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kerasspec import corpus, parse
from kerasspec.fuzz import fuzz
from kerasspec.vocabulary import Producer


def _modern_numbering(text: str) -> dict[str, Any]:
    """Reads every file as if tf.keras 2.4 or later had written it."""
    return parse(re.sub(r'"keras_version": "[^"]*"', '"keras_version": "2.4.0"', text)).to_json()


def _four_item_entries_only(text: str) -> dict[str, Any]:
    """Reads only ``[layer, node, tensor, kwargs]`` entries; a three-item one is skipped."""

    def three_items(value: Any) -> bool:
        return isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) and type(value[1]) is int

    def strip(value: Any) -> Any:  # kwargs (objects) are left alone: tensors in them have three items
        if isinstance(value, list):
            return [strip(item) for item in value if not three_items(item)]
        return value

    def walk(config: Any) -> None:
        layers = config if isinstance(config, list) else config.get("layers", [])
        for layer in layers:
            if "inbound_nodes" in layer:
                layer["inbound_nodes"] = [strip(node) for node in layer["inbound_nodes"]]
            if isinstance(layer.get("config"), list | dict):
                walk(layer["config"])

    document = json.loads(text)
    walk(document["config"])
    return parse(json.dumps(document)).to_json()


class _Refused(ValueError):
    code = "bad-layer"


def _input_shape_from_first_layer(text: str) -> dict[str, Any]:
    """Refuses a top-level Sequential whose first layer holds no input shape (it has nowhere to start)."""
    document = json.loads(text)
    if document["class_name"] == "Sequential":
        config = document["config"]
        first = (config if isinstance(config, list) else config["layers"])[0]
        if first["class_name"] != "InputLayer" and "batch_input_shape" not in first["config"]:
            raise _Refused("the first layer of a Sequential has no batch_input_shape")
    return parse(text).to_json()


def _c_strings(text: str) -> dict[str, Any]:
    """Reads strings as C strings: one holding a NUL is refused, as a NUL-terminated reader must."""

    def check(value: Any) -> None:
        if isinstance(value, str) and "\0" in value:
            raise _Refused("a string holds a NUL")
        for item in value.values() if isinstance(value, dict) else value if isinstance(value, list) else ():
            check(item)

    check(json.loads(text))
    return parse(text).to_json()


def _top_level_only(text: str) -> dict[str, Any]:
    """Reads the model JSON at the top of the file, as ``model.to_json()`` writes it; no wrapper."""
    document = json.loads(text)
    if "config" not in document:
        raise ValueError(f"no model config at the top of the file: {sorted(document)}")
    return parse(text).to_json()


def _tfjs_numbered_from_0(text: str) -> dict[str, Any]:
    """Tells the old era by ``keras_version`` 1.x to 2.3 only: a tfjs-layers file reads as tf.keras 2.4 on."""
    return parse(re.sub(r'"keras_version": "tfjs-layers[^"]*"', '"keras_version": "2.4.0"', text)).to_json()


Reader = Callable[[str], dict[str, Any]]

#: Each broken reader and the releases whose files break it.
BROKEN: dict[str, tuple[Reader, Callable[[Producer], bool]]] = {
    # the last release written with each dialect: a file it wrote breaks the reader
    "modern-numbering": (_modern_numbering, lambda release: release.old_era),
    "four-item-entries-only": (_four_item_entries_only, lambda release: release.old_era and release.version < (2,)),
    "input-shape-from-first-layer": (
        _input_shape_from_first_layer,
        lambda release: release.old_era and release.version < (2,),
    ),
    "c-strings": (_c_strings, lambda release: release.old_era and release.version < (2, 1)),
    "top-level-only": (_top_level_only, lambda release: release.tfjs),
    "tfjs-numbered-from-0": (_tfjs_numbered_from_0, lambda release: release.tfjs),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_fuzzer_finds_old_era_bugs(name: str, tmp_path: Path) -> None:
    broken, wrote = BROKEN[name]
    result = fuzz(broken, examples=300, seed=7, invalid=False, database=None, found_dir=tmp_path)
    assert result.found, f"the fuzzer missed the {name} parser in {result.examples} cases"
    (found,) = result.found
    assert wrote(Producer.parse(found.producer)), found.producer
    assert found.layers is not None and found.layers <= 4, f"shrunk only to {found.layers} layers:\n{found.text}"
    assert parse(found.text).to_json() == found.expected  # the reference parser agrees with the case
    # the case written out names the release that wrote it (its own backend: Theano, tfjs's CPU one)
    (case,) = corpus.load(tmp_path).cases
    assert case.producer is not None and case.producer.release == found.producer, case.producer
