"""The fuzzer finds parsers that are wrong in the ways real readers are, and shrinks the evidence.

Each broken parser is the reference parser with one known bug of a real-world reader
(adapters/findings/FINDINGS.md): frugally-deep ignoring tensors in kwargs, hls4ml reading only
``inbound_nodes[0]``.  The fuzzer must report it, with a model of at most 4 layers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import kerasspec
from kerasspec import corpus, parse
from kerasspec.fuzz import fuzz


def _without_kwarg_tensors(text: str) -> dict[str, Any]:
    """Reads the wiring but drops every tensor passed as a keyword argument."""
    document = parse(text).to_json()

    def strip(model: dict[str, Any]) -> None:
        for layer in model["layers"]:
            for call in layer["calls"]:
                call["kwargs"] = {
                    key: value for key, value in call["kwargs"].items() if "tensor" not in json.dumps(value)
                }
            if "model" in layer:
                strip(layer["model"])

    strip(document["model"])
    return document


def _first_node_only(text: str) -> dict[str, Any]:
    """Reads only node 0 of every layer, as if each layer were called once."""
    document = parse(text).to_json()

    def strip(model: dict[str, Any]) -> None:
        for layer in model["layers"]:
            layer["calls"] = layer["calls"][:1]
            if "model" in layer:
                strip(layer["model"])

    strip(document["model"])
    return document


BROKEN: dict[str, Callable[[str], dict[str, Any]]] = {
    "ignores-kwargs-tensors": _without_kwarg_tensors,
    "reads-only-node-0": _first_node_only,
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_fuzzer_finds_and_shrinks(name: str, tmp_path: Path) -> None:
    result = fuzz(BROKEN[name], examples=300, seed=7, invalid=False, database=None, found_dir=tmp_path)
    assert result.found, f"the fuzzer missed the {name} parser in {result.examples} cases"
    (found,) = result.found
    assert found.outcome == "fail"
    assert found.layers is not None and found.layers <= 4, f"shrunk only to {found.layers} layers:\n{found.text}"
    assert found.path == tmp_path / found.case_id  # the folder named by the case id, no found/found
    (entry,) = json.loads((tmp_path / "manifest.json").read_text())["cases"]
    assert entry["id"] == found.case_id and entry["kind"] == "valid"
    assert (tmp_path / entry["input"]).read_text() == found.text
    expected = json.loads((tmp_path / entry["expected"]).read_text())
    assert parse(found.text).to_json() == expected  # the reference parser agrees with the case
    # a runnable corpus: every file checks against the manifest, and the case replays
    (case,) = corpus.load(tmp_path).cases
    case.verify()
    assert kerasspec.check(BROKEN[name], corpus=tmp_path).failures[0].case == found.case_id
    assert kerasspec.check(lambda text: parse(text).to_json(), corpus=tmp_path).passed


def test_reference_parser_passes_the_fuzzer() -> None:
    result = fuzz(lambda text: parse(text).to_json(), examples=40, seed=3, database=None)
    assert result.passed, [found.detail for found in result.found]
    assert result.examples >= 80
