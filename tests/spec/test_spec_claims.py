"""Claims the spec makes about every file Keras writes, checked over the whole corpus."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from _spec_corpus import all_cases, cases, read_model

from kerasspec.corpus import Case


def _layers(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    # Every layer of every model in the document, nested models included.
    pending = [document]
    while pending:
        model = pending.pop()
        config = model.get("config")
        for layer in config.get("layers", []) if isinstance(config, dict) else []:
            yield layer
            if isinstance(layer.get("config"), dict) and "layers" in layer["config"]:
                pending.append(layer)


def _entries(structure: Any) -> Iterator[list[Any]]:
    pending = [structure]
    while pending:
        item = pending.pop()
        if isinstance(item, list) and len(item) in (3, 4) and isinstance(item[0], str):
            yield item
        elif isinstance(item, list):
            pending.extend(reversed(item))
        elif isinstance(item, dict):
            pending.extend(reversed(list(item.values())))


@pytest.mark.parametrize("case", cases(lambda case: case.kind != "invalid" and case.format == "keras2"))
def test_keras2_entries_of_a_node_carry_the_same_kwargs(case: Case) -> None:
    # spec/keras2.md#kwargs: "files that Keras wrote never differ", so reading the last copy loses nothing.
    for layer in _layers(read_model(case)):
        for index, node in enumerate(layer.get("inbound_nodes", [])):
            copies = [json.dumps(entry[3], sort_keys=True) for entry in _entries(node) if len(entry) == 4]
            assert len(set(copies)) <= 1, f"{layer['name']} node {index} has differing kwargs copies"


def _wiring(document: dict[str, Any]) -> list[Any]:
    return [
        (layer.get("name"), layer.get("inbound_nodes"), layer.get("config", {}).get("input_layers"))
        for layer in _layers(document)
    ] + [document["config"].get("input_layers"), document["config"].get("output_layers")]


def _backend_pairs() -> list[Any]:
    by_id = {case.id: case for case in all_cases()}
    pairs = []
    for case_id, case in by_id.items():
        if case.producer is None or case.producer.backend != "jax":
            continue
        tensorflow_release = f"{case.producer.name}/"
        twin = by_id.get(case_id.replace(f"{case.producer.release}/", tensorflow_release))
        if twin is not None and twin is not case:
            pairs.append(pytest.param(twin, case, id=case_id))
    return pairs or [pytest.param(None, None, marks=pytest.mark.skip(reason="no jax-backend cases in the corpus"))]


@pytest.mark.parametrize(("tensorflow_case", "jax_case"), _backend_pairs())
def test_backend_does_not_change_the_wiring(tensorflow_case: Case, jax_case: Case) -> None:
    # spec/version-history.md#keras3-history: the TensorFlow and JAX backends write identical nodes.
    assert _wiring(read_model(jax_case)) == _wiring(read_model(tensorflow_case))
