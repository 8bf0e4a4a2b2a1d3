"""The ``layers`` list may come in any order (spec/canonical-graph.md): order changes nothing but
the order of the layers in the document; where a file has several errors, every layer's own checks
come before any node's, and nodes are checked in list order (spec/errors.md#codes).

The parser reads each layer's nodes as soon as the layer is known, and reads a layer again once
every layer is known when a reference points further down the list; these tests hold it to the
result of reading every layer before any node.
"""

from __future__ import annotations

from typing import Any

import pytest
from _models import k2_input, k2_layer, keras2

from kerasspec import ParseError, parse
from kerasspec.canonical import diff
from kerasspec.corpus import Case, Selection, load


def _functional(case: Case) -> bool:
    return "input_layers" in case.read_model()["config"]


# Functional models from the newest release of each format (a Sequential's order is its meaning).
CASES = [
    case
    for case in load().select(Selection(releases=("keras-3.15.1", "tf_keras-2.21.0"), kinds=("valid",)))
    if _functional(case)
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_reversed_layers_give_the_same_graph(case: Case) -> None:
    source = case.read_model()
    source["config"]["layers"].reverse()
    expected = case.read_expected()
    expected["model"]["layers"].reverse()
    difference = diff(expected, parse(source).to_json())
    assert difference is None, str(difference)


def _error(model: dict[str, Any]) -> str:
    with pytest.raises(ParseError) as caught:
        parse(model)
    return caught.value.line()


def test_a_layer_check_comes_before_an_earlier_node_check() -> None:
    model = keras2([k2_input(), k2_layer("d", [[["nowhere", 0, 0, {}]]]), {"class_name": "Dense", "name": "e"}])
    assert (
        _error(model)
        == "error[bad-layer]: a layer has a string 'class_name' and an object 'config' at $.config.layers[2]"
    )


def test_nodes_are_checked_in_list_order() -> None:
    # Layer d refers down the list (read again at the end) and fails there; e fails at once.  d is first.
    model = keras2(
        [k2_input(), k2_layer("d", [[["e", 5, 0, {}]]]), k2_layer("e", [[["nowhere", 0, 0, {}]]])],
    )
    assert _error(model) == (
        "error[node-index-out-of-range]: layer 'e' has 1 call in this model (node indices 0..0), "
        "so node index 5 names none at $.config.layers[1].inbound_nodes[0][0][1]"
    )


@pytest.mark.parametrize(
    "nodes",
    [
        [[["x", 0, 0, {}]], [["d", 0, 0, {}]]],  # d(d(x))
        [[["d", 1, 0, {}]], [["x", 0, 0, {}]]],  # the same, its calls listed the other way round
    ],
    ids=["in-order", "reversed"],
)
def test_a_shared_layer_may_consume_its_own_other_call(nodes: list[Any]) -> None:
    model = parse(keras2([k2_input(), k2_layer("d", nodes)], outputs=[["d", 1 if nodes[0][0][0] == "x" else 0, 0]]))
    assert len(model.model.layers[1].calls) == 2


@pytest.mark.parametrize(
    ("nodes", "line"),
    [
        (
            [[["d", 0, 0, {}]]],
            "call 0 of 'd' depends on its own output through call 0 of 'd' at $.config.layers[1].inbound_nodes[0]",
        ),
        (
            [[["d", 1, 0, {}]], [["d", 0, 0, {}]]],
            "call 1 of 'd' depends on its own output through call 0 of 'd' at $.config.layers[1].inbound_nodes[1]",
        ),
    ],
    ids=["itself", "two-calls"],
)
def test_a_layer_consuming_its_own_call_is_a_cycle(nodes: list[Any], line: str) -> None:
    assert _error(keras2([k2_input(), k2_layer("d", nodes)])) == f"error[cycle]: {line}"
