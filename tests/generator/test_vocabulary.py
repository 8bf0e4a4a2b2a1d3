"""kerasspec.vocabulary names each producer release of the matrix and the corpus, and the copies kept
outside the package (the generator's worker runs in old Pythons without kerasspec) agree with it."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from _corpus_data import REPO, manifest, matrix

from kerasspec.vocabulary import FORMATS, HAND_MADE, STRUCTURE_PRESERVING, Producer, release_order

sys.path.insert(0, str(REPO))

from generator import _worker
from generator.recipes import _registry


def test_the_workers_copy_of_the_structure_preserving_classes_is_the_packages() -> None:
    assert frozenset(_worker.PRESERVING_CLASSES) == STRUCTURE_PRESERVING


def test_the_recipes_copy_of_the_formats_is_the_packages() -> None:
    assert _registry.FORMATS == FORMATS


# Theano-backed old-era releases are named without their backend (keras-1.0.8), unlike jax ones.
@pytest.mark.parametrize("row", [r for r in matrix() if r["backend"] != "theano"], ids=lambda row: row["name"])
def test_every_matrix_release_parses_to_its_row(row: dict[str, Any]) -> None:
    producer = Producer.parse(row["name"])
    assert (producer.package, producer.version_text, producer.backend) == (
        row["package"],
        row["version"],
        row["backend"],
    )
    assert producer.release == row["name"]
    assert producer.format == row["format"]


def test_every_manifest_producer_reads_back_as_its_release() -> None:
    for case in manifest()["cases"]:
        raw = case["producer"]
        if raw is None or raw.get("backend") == "theano":
            continue
        producer = Producer.of(raw["package"], raw["version"], raw.get("backend"), raw.get("tensorflow"))
        assert case["id"].split("/")[1] == producer.release, case["id"]
        assert producer.format == case["format"] or case["kind"] == "invalid", case["id"]


def test_releases_order_by_package_then_numerically() -> None:
    names = ["keras-3.10.0", "tf_keras-2.21.0", "keras-3.9.2", "keras-3.15.1-jax", "keras-3.15.1", HAND_MADE]
    assert sorted(names, key=release_order) == [
        "hand-made",
        "keras-3.9.2",
        "keras-3.10.0",
        "keras-3.15.1",
        "keras-3.15.1-jax",
        "tf_keras-2.21.0",
    ]
    assert sorted(Producer.parse(name) for name in names[:4]) == [
        Producer.parse(name) for name in ("keras-3.9.2", "keras-3.10.0", "keras-3.15.1-jax", "tf_keras-2.21.0")
    ]


@pytest.mark.parametrize("name", ["keras", "keras-", "keras-3.x", "pytorch-2.0.0", "keras-3.15.1-"])
def test_a_name_that_is_no_release_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match=r"a producer is 'keras-X\.Y\.Z'"):
        Producer.parse(name)


def test_the_formats_are_the_two_wire_formats() -> None:
    assert FORMATS == ("keras2", "keras3")
