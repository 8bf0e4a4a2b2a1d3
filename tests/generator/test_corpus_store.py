"""The corpus store: deduplication and stable bytes (no Keras needed)."""

from __future__ import annotations

from generator._corpus import Case, assign_paths, document_bytes, first_difference


def case(case_id: str, data: bytes, path: str) -> Case:
    return Case({"id": case_id}, {"input": data}, {"input": path})


def test_identical_files_are_stored_at_the_smallest_path() -> None:
    cases = [
        case("b", b"same", "keras3/b/model.json"),
        case("a", b"same", "keras3/a/model.json"),
        case("c", b"other", "keras3/c/model.json"),
    ]
    files = assign_paths(cases)
    assert files == {"keras3/a/model.json": b"same", "keras3/c/model.json": b"other"}
    assert [c.paths["input"] for c in cases] == ["keras3/a/model.json", "keras3/a/model.json", "keras3/c/model.json"]


def test_documents_serialize_to_the_same_bytes_whatever_the_key_order() -> None:
    assert document_bytes({"b": 1, "a": [1, {"d": 2, "c": 3}]}) == document_bytes({"a": [1, {"c": 3, "d": 2}], "b": 1})
    assert document_bytes({"a": 1}).endswith(b"\n")


def test_first_difference_names_the_path() -> None:
    assert first_difference({"a": [1, 2]}, {"a": [1, 3]}) == "$.a[1]"
    assert first_difference({"a": 1}, {"a": 1, "b": 2}) == "$.b"
    assert first_difference({"a": [1]}, {"a": [1, 2]}) == "$.a"
    assert first_difference({"a": 1}, {"a": 1}) is None
