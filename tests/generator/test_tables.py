"""spec/generated/ is what the committed corpus and call signatures say (regenerate, compare)."""

from __future__ import annotations

import json

from _corpus_data import CORPUS, REPO, manifest

from generator._tables import call_parameters, takes_several_tensors, version_history

GENERATED = REPO / "spec" / "generated"


def test_version_history_matches_the_corpus() -> None:
    assert (GENERATED / "version-history.md").read_text() == version_history(manifest(), CORPUS)


def test_call_parameters_table_matches_its_data() -> None:
    data = json.loads((GENERATED / "call-parameters.json").read_text())
    assert (GENERATED / "call-parameters.md").read_text() == call_parameters(data)


def test_call_parameters_cover_every_producer() -> None:
    data = json.loads((GENERATED / "call-parameters.json").read_text())
    producers = {
        f"{p['package']}-{p['version']}" + ("-jax" if p["backend"] == "jax" else "") for p in manifest()["producers"]
    }
    assert set(data) == producers


def test_multi_tensor_layers_are_the_ones_expected() -> None:
    data = json.loads((GENERATED / "call-parameters.json").read_text())
    for release in data.values():
        listed = {name for name, entry in release.items() if takes_several_tensors(entry)}
        # Keras 1.x has only Merge; standalone Keras 2.x has no attention layers.
        expected = {"MultiHeadAttention", "Add", "Concatenate", "Attention", "Merge"} & set(release)
        assert expected and expected <= listed
        # Keras 1's Layer.call(x, mask=None) gives every layer a second parameter, so every layer is listed.
        assert ("Dense" in listed) == ("Concatenate" not in release)
