"""The canonical document: JSON round trip and the comparison rules of ``diff``."""

from __future__ import annotations

import math
from typing import Any

import pytest

from kerasspec.canonical import Document, diff, differences, equal, is_absent, path_join, path_keys

DOCUMENT: dict[str, Any] = {
    "format": "keras2",
    "model": {
        "class_name": "Functional",
        "name": "m",
        "inputs": {"list": [{"tensor": ["q", 0, 0]}, {"tensor": ["v", 0, 0]}]},
        "outputs": {"list": [{"tensor": ["mha", 0, 0]}]},
        "layers": [
            {"name": "q", "class_name": "InputLayer", "module": "keras.layers", "calls": []},
            {"name": "v", "class_name": "InputLayer", "module": "keras.layers", "calls": []},
            {
                "name": "mha",
                "class_name": "MultiHeadAttention",
                "module": None,
                "calls": [
                    {
                        "args": [{"tensor": ["q", 0, 0]}],
                        "kwargs": {
                            "value": {"tensor": ["v", 0, 0]},
                            "slice": {"object": {"class_name": "__ellipsis__"}},
                            "n": {"const": 2},
                            "d": {"dict": {"a": {"list": []}}},
                        },
                    }
                ],
            },
        ],
    },
}


def test_round_trip() -> None:
    assert Document.from_json(DOCUMENT).to_json() == DOCUMENT


@pytest.mark.parametrize(
    ("expected", "actual", "path", "reason"),
    [
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, None, None),
        (2, 2.0, None, None),
        (math.nan, math.nan, None, None),
        (True, 1, "$", "expected boolean, got number"),
        (1, 2, "$", "numbers differ"),
        ({"a": [1, {"b": "x"}]}, {"a": [1, {"b": "y"}]}, "$.a[1].b", "strings differ"),
        ({"a": 1}, {}, "$.a", "missing key"),
        ({}, {"odd key": 1}, "$['odd key']", "unexpected key"),
        ([1, 2], [1], "$", "expected 2 items, got 1"),
        (None, {}, "$", "expected null, got object"),
    ],
)
def test_diff(expected: Any, actual: Any, path: str | None, reason: str | None) -> None:
    difference = diff(expected, actual)
    if path is None:
        assert difference is None
        assert equal(expected, actual)
    else:
        assert difference is not None
        assert (difference.path, difference.reason) == (path, reason)


def test_diff_names_the_first_difference_in_document_order() -> None:
    changed = Document.from_json(DOCUMENT).to_json()
    changed["model"]["layers"][2]["calls"][0]["kwargs"]["value"] = {"tensor": ["q", 0, 0]}
    changed["model"]["outputs"] = {"list": [{"tensor": ["mha", 1, 0]}]}
    difference = diff(DOCUMENT, changed)
    assert difference is not None
    assert difference.path == "$.model.outputs.list[0].tensor[1]"
    assert str(difference) == "$.model.outputs.list[0].tensor[1]: numbers differ (expected 0, got 1)"


def test_diff_of_deep_documents_does_not_recurse() -> None:
    deep: Any = 0
    for _ in range(10_000):
        deep = [deep]
    other: Any = 1
    for _ in range(10_000):
        other = [other]
    difference = diff(deep, other)
    assert difference is not None and difference.path.count("[0]") == 10_000


def test_path_join() -> None:
    assert path_join(path_join(path_join("$", "a"), 0), "it's") == "$.a[0]['it\\'s']"


def test_differences_lists_every_difference_in_document_order() -> None:
    changed = Document.from_json(DOCUMENT).to_json()
    changed["model"]["layers"][2]["calls"][0]["kwargs"]["value"] = {"tensor": ["q", 0, 0]}
    changed["model"]["outputs"] = {"list": [{"tensor": ["mha", 1, 0]}]}
    del changed["model"]["layers"][0]["module"]
    changed["model"]["layers"][1]["extra"] = True
    found = [(d.path, d.reason) for d in differences(DOCUMENT, changed)]
    assert found == [
        ("$.model.outputs.list[0].tensor[1]", "numbers differ"),
        ("$.model.layers[0].module", "missing key"),
        ("$.model.layers[1].extra", "unexpected key"),
        ("$.model.layers[2].calls[0].kwargs.value.tensor[0]", "strings differ"),
    ]
    first = diff(DOCUMENT, changed)
    assert first is not None and (first.path, first.reason) == found[0]
    missing, unexpected = (d for d in differences(DOCUMENT, changed) if "key" in d.reason)
    assert is_absent(missing.actual) and is_absent(unexpected.expected)
    assert not is_absent(None)
    assert list(differences(DOCUMENT, Document.from_json(DOCUMENT).to_json())) == []


@pytest.mark.parametrize("key", ["a", 0, 12, "it's", "back\\slash", "odd key", "[0]", ".", "", "é"])
def test_path_keys_reads_what_path_join_writes(key: str | int) -> None:
    path = path_join(path_join("$", "layers"), key)
    assert path_keys(path) == ["layers", key]


@pytest.mark.parametrize("text", ["", "layers[0]", "$.", "$[x]", "$['open", "$.a b", "$..a"])
def test_path_keys_of_text_that_is_not_a_path(text: str) -> None:
    assert path_keys(text) is None
