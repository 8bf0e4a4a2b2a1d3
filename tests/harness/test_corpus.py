"""Reading corpus manifests into cases, and selecting cases."""

from __future__ import annotations

import json

import pytest
from harness_fixtures import FIXTURE_CORPUS

from kerasspec import corpus


def write_manifest(tmp_path, cases):
    (tmp_path / "manifest.json").write_text(json.dumps({"version": "1.0.0", "cases": cases}))
    return tmp_path


GOOD = {"id": "a", "kind": "invalid", "format": "keras2", "input": "a.json", "error": "cycle"}


@pytest.mark.parametrize(
    ("case", "message", "path"),
    [
        ({**GOOD, "kind": "maybe"}, "kind must be valid | invalid | lossy", "$.cases[0].kind"),
        ({**GOOD, "format": "keras4"}, "format must be keras2 | keras3", "$.cases[0].format"),
        ({**GOOD, "error": None}, "error must be a string", "$.cases[0].error"),
        ({**GOOD, "kind": "valid"}, "expected must be a string", "$.cases[0].expected"),
        ({**GOOD, "features": "mha"}, "features must be a list of tags", "$.cases[0].features"),
        (
            {**GOOD, "producer": {"package": "keras"}},
            "producer must be null or have package and version",
            "$.cases[0].producer",
        ),
        ("a string", "a case must be an object", "$.cases[0]"),
    ],
)
def test_malformed_cases_name_their_path(tmp_path, case, message, path):
    with pytest.raises(corpus.CorpusError) as raised:
        corpus.load(write_manifest(tmp_path, [case]))
    assert (raised.value.message, raised.value.path) == (message, path)


def test_duplicate_ids_are_refused(tmp_path):
    with pytest.raises(corpus.CorpusError, match="duplicate case id a"):
        corpus.load(write_manifest(tmp_path, [GOOD, GOOD]))


def test_missing_and_broken_manifests(tmp_path):
    with pytest.raises(corpus.CorpusError, match=r"no manifest\.json in"):
        corpus.load(tmp_path)
    (tmp_path / "manifest.json").write_text("{")
    with pytest.raises(corpus.CorpusError, match=r"manifest\.json is not JSON"):
        corpus.load(tmp_path)


def test_fixture_corpus_cases_are_typed(fixture_corpus):
    case = fixture_corpus.case("keras3/keras-3.15.1-jax/nested-functional-twice/keras-archive")
    assert case.release == "keras-3.15.1-jax"
    assert case.container == "keras-archive"
    assert case.read_expected()["format"] == "keras3"
    assert fixture_corpus.case("invalid/keras3/cycle").release == "hand-made"
    assert fixture_corpus.root == FIXTURE_CORPUS


@pytest.mark.parametrize(
    ("selection", "ids"),
    [
        (
            corpus.Selection(kinds=("invalid",), formats=("keras3",)),
            ["invalid/keras3/cycle", "invalid/keras3/not-json"],
        ),
        (
            corpus.Selection(releases=("keras-3.15.1",)),
            [
                "keras3/keras-3.15.1/dense-chain",
                "keras3/keras-3.15.1/mha-positional",
                "keras3/keras-3.15.1/shared-layer",
            ],
        ),
        (
            corpus.Selection(ids=("*/h5", "*/concatenate")),
            [
                "keras2/tf_keras-2.21.0/concatenate",
                "keras2/tf_keras-2.21.0/mha-shared/h5",
            ],
        ),
        (corpus.Selection(features=("shared-layer",), formats=("keras2",)), ["keras2/tf_keras-2.21.0/mha-shared/h5"]),
    ],
)
def test_selection(fixture_corpus, selection, ids):
    assert [case.id for case in fixture_corpus.select(selection)] == ids
