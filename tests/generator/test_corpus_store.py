"""The corpus store: every case in its own folder, and stable bytes (no Keras needed)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from _corpus_data import CORPUS

from generator._corpus import Case, document_bytes, first_difference, lay_out, load_cases, manifest_case, sha256
from kerasspec.vocabulary import Producer


def case(case_id: str, data: bytes, **more: bytes) -> Case:
    return Case({"id": case_id}, {"input": data, **more})


def test_every_case_keeps_its_files_in_the_folder_named_by_its_id() -> None:
    cases = [
        case("keras3/k-3.1/b", b"same", expected=b"doc", live=b"live"),
        case("keras3/k-3.2/b", b"same", expected=b"doc"),
        case("keras3/k-3.2/b/h5", b"other"),
    ]
    files = lay_out(cases)
    # identical bytes are written once per case (git stores one blob for them)
    assert files == {
        "keras3/k-3.1/b/model.json": b"same",
        "keras3/k-3.1/b/expected.json": b"doc",
        "keras3/k-3.1/b/live.json": b"live",
        "keras3/k-3.2/b/model.json": b"same",
        "keras3/k-3.2/b/expected.json": b"doc",
        "keras3/k-3.2/b/h5/model.json": b"other",
    }
    assert manifest_case(cases[1]) == {
        "expected": "keras3/k-3.2/b/expected.json",
        "id": "keras3/k-3.2/b",
        "input": "keras3/k-3.2/b/model.json",
        "sha256": {"keras3/k-3.2/b/expected.json": sha256(b"doc"), "keras3/k-3.2/b/model.json": sha256(b"same")},
    }


def test_cases_written_elsewhere_are_read_from_where_the_manifest_points(tmp_path: Path) -> None:
    # the layout before cases had their own folder: a file shared by two cases at one path
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "m.json").write_bytes(b"same")
    entries = [{"id": f"keras3/k/{name}", "kind": "invalid", "input": "old/m.json", "sha256": {}} for name in "ab"]
    (tmp_path / "manifest.json").write_text(json.dumps({"cases": entries}))
    _, cases = load_cases(tmp_path)
    assert lay_out(cases) == {"keras3/k/a/model.json": b"same", "keras3/k/b/model.json": b"same"}


def test_documents_serialize_to_the_same_bytes_whatever_the_key_order() -> None:
    assert document_bytes({"b": 1, "a": [1, {"d": 2, "c": 3}]}) == document_bytes({"a": [1, {"c": 3, "d": 2}], "b": 1})
    assert document_bytes({"a": 1}).endswith(b"\n")


def test_first_difference_names_the_path() -> None:
    assert first_difference({"a": [1, 2]}, {"a": [1, 3]}) == "$.a[1]"
    assert first_difference({"a": 1}, {"a": 1, "b": 2}) == "$.b"
    assert first_difference({"a": [1]}, {"a": [1, 2]}) == "$.a"
    assert first_difference({"a": 1}, {"a": 1}) is None


def test_a_workers_result_becomes_cases_each_in_its_folder() -> None:
    from types import SimpleNamespace

    from generator._corpus import cases_from_result

    producer = Producer.parse("keras-3.15.1")
    recipe = SimpleNamespace(name="mha-positional", description="two tensors", tags={"mha"})
    result = {
        "containers": {"to_json": '{"a": 1}', "h5": '{"a": 2}', "keras-archive": '{"a": 3}'},
        "expected": {"to_json": {"g": 1}, "h5": {"g": 1}, "keras-archive": {"g": 1}},
        "live": {"h5": {"g": 2}},
        "unreadable": {"keras-archive": ["node 3 of layer x"]},
    }
    cases = {case.id: case for case in cases_from_result(producer, recipe, result)}
    folder = "keras3/keras-3.15.1/mha-positional"
    assert cases[folder].paths == {"input": f"{folder}/model.json", "expected": f"{folder}/expected.json"}
    assert cases[f"{folder}/h5"].paths == {
        "input": f"{folder}/h5/model.json",
        "expected": f"{folder}/h5/expected.json",
        "live": f"{folder}/h5/live.json",
    }
    assert cases[f"{folder}/h5"].meta["kind"] == "lossy"
    unreadable = cases[f"{folder}/keras-archive"]
    assert unreadable.meta["kind"] == "invalid" and unreadable.paths == {"input": f"{folder}/keras-archive/model.json"}


# Marshalled bytecode (Lambda layers, function-valued Merge modes) embeds the file its code was
# compiled from: a recipe must compile functions from text under a fixed name (recipes/lambdas.py),
# or the corpus carries the path of the checkout that built it and changes with it.
CHECKOUT_PATH = re.compile(rb"/[\w.-]+/generator/recipes/")


def test_no_corpus_file_names_the_checkout_that_wrote_it() -> None:
    naming = [
        str(path.relative_to(CORPUS))
        for path in sorted(CORPUS.rglob("*"))
        if path.is_file() and CHECKOUT_PATH.search(path.read_bytes())
    ]
    assert not naming, f"{len(naming)} corpus file(s) name a recipe file by its path: {naming[:5]}"
