"""Document.to_text(): the same bytes as json.dumps(document.to_json(), indent=2), for every document."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from kerasspec import parse
from kerasspec.canonical import Call, Const, DictValue, Document, Layer, ListValue, Model, ObjectValue, Tensor
from kerasspec.corpus import load

CASES = [case for case in load().select() if case.kind != "invalid"]


def _reference(document: Document) -> str:
    return json.dumps(document.to_json(), indent=2)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_corpus_case(case: Any) -> None:
    # What the parser reads from the input, and the expected document as the generator wrote it.
    for document in (parse(case.read_input()), Document.from_json(case.read_expected())):
        assert document.to_text() == _reference(document)


ODD_SCALARS = [
    None,
    True,
    False,
    0,
    -1,
    10**30,
    1.0,
    -0.0,
    1e16,
    1e-7,
    math.nan,
    math.inf,
    -math.inf,
    "",
    'é\u2028\x00"\\/',
]


def _call(*args: Any, **kwargs: Any) -> Call:
    return Call(tuple(args), kwargs)


ODD = Document(
    "keras3",
    Model(
        "Functional",
        'naïve "model"',
        ListValue(()),
        DictValue({}),
        (
            Layer("in", "InputLayer", None),
            Layer(
                "l\u00e9",
                "Dense",
                "keras.layers",
                (
                    _call(),
                    _call(*[Const(value) for value in ODD_SCALARS], **{"k\u00e9y": Const(2)}),
                    _call(
                        ListValue((Tensor("in", 0, 0), ListValue(()), DictValue({"": Const(None)}))),
                        DictValue({"a": ListValue((Const(1.5),)), "b": DictValue({})}),
                        ObjectValue({"class_name": "__slice__", "config": {"start": None, "stop": [1, {"x": []}]}}),
                        Const([1, {"nested": "not a scalar"}]),
                        Tensor("in", True, 0),  # not a JSON integer: json.dumps decides
                        DictValue({1: Const(1)}),  # type: ignore[dict-item]
                        mask=ObjectValue({}),
                    ),
                ),
            ),
            Layer(
                "inner",
                "Functional",
                None,
                (_call(Tensor("in", 0, 0)),),
                Model("Functional", "inner", Tensor("x", 0, 0), None, (Layer("x", "InputLayer", "keras.layers"),)),
            ),
            Layer("empty", "Sequential", None, (), Model("Sequential", "empty", None, None, ())),
            Layer(7, "Odd", ["not", "a", "string"]),  # type: ignore[arg-type]
        ),
    ),
)


def test_odd_values_take_the_same_path_as_json_dumps() -> None:
    assert ODD.to_text() == _reference(ODD)


def test_dump_writes_the_same_text_in_pieces() -> None:
    many = Document(
        "keras2",
        Model(
            "M",
            "m",
            None,
            None,
            tuple(Layer(f"l{i}", "Dense", None, (Call((Tensor("in", 0, 0),), {}),)) for i in range(3000)),
        ),
    )
    pieces: list[str] = []

    class File:
        write = pieces.append

    many.dump(File())  # type: ignore[arg-type]
    assert len(pieces) > 1
    assert "".join(pieces) == many.to_text() == _reference(many)


def test_odd_keys_in_kwargs() -> None:
    document = Document("keras2", Model("M", "m", None, None, (Layer("a", "A", None, (Call((), {2: Const(1)}),)),)))  # type: ignore[dict-item]
    assert document.to_text() == _reference(document)
