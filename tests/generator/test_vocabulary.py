"""kerasspec.vocabulary names each producer release of the matrix and the corpus, and the copies kept
outside the package (the generator's worker runs in old Pythons without kerasspec) agree with it."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from _corpus_data import REPO, manifest, matrix

import kerasspec.corpus
from kerasspec.corpus import Selection
from kerasspec.vocabulary import FORMATS, HAND_MADE, STRUCTURE_PRESERVING, Producer, release_order

sys.path.insert(0, str(REPO))

from generator import _worker
from generator._matrix import load_matrix
from generator.recipes import _registry


def test_the_workers_copy_of_the_structure_preserving_classes_is_the_packages() -> None:
    assert frozenset(_worker.PRESERVING_CLASSES) == STRUCTURE_PRESERVING


@pytest.mark.parametrize("row", matrix(), ids=lambda row: row["name"])
def test_the_workers_copy_of_a_release_is_the_packages(row: dict[str, Any]) -> None:
    producer = Producer.parse(row["name"])
    assert _worker.release_version(row["version"]) == producer.version[:3]
    assert _worker.is_legacy(row["format"], row["package"]) == producer.old_era


def test_the_generator_reads_its_matrix_as_the_packages_producers() -> None:
    assert [environment.producer.release for environment in load_matrix()] == [row["name"] for row in matrix()]
    assert all(isinstance(environment.producer, Producer) for environment in load_matrix())


def test_the_recipes_copy_of_the_formats_is_the_packages() -> None:
    assert _registry.FORMATS == FORMATS


@pytest.mark.parametrize("row", matrix(), ids=lambda row: row["name"])
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
        if raw is None:
            continue
        producer = Producer.of(raw["package"], raw["version"], raw.get("backend"), raw.get("tensorflow"))
        assert case["id"].split("/")[1] == producer.release, case["id"]
        assert producer.format == case["format"] or case["kind"] == "invalid", case["id"]


def test_an_old_era_release_is_named_without_its_only_backend() -> None:
    # The label corpus 0.8.0 gave these cases (keras-2.2.4-theano) still reads as the release.
    assert Producer.parse("keras-2.2.4-theano") == Producer.parse("keras-2.2.4")
    assert Producer.parse("keras-2.2.4").backend == "theano"
    assert Producer.of("keras", "1.2.2", "theano").release == "keras-1.2.2"
    assert Producer.of("keras", "3.15.1", "jax").release == "keras-3.15.1-jax"
    assert Producer.of("keras", "2.2.4", "tensorflow").release == "keras-2.2.4-tensorflow"


def test_releases_order_by_package_then_numerically() -> None:
    names = [
        "keras-3.10.0",
        "tfjs-layers-4.22.0",
        "tf_keras-2.21.0",
        "keras-3.9.2",
        "keras-3.15.1-jax",
        "keras-3.15.1",
        HAND_MADE,
    ]
    assert sorted(names, key=release_order) == [
        "hand-made",
        "keras-3.9.2",
        "keras-3.10.0",
        "keras-3.15.1",
        "keras-3.15.1-jax",
        "tf_keras-2.21.0",
        "tfjs-layers-4.22.0",
    ]
    assert sorted(Producer.parse(name) for name in names[:5]) == [
        Producer.parse(name)
        for name in ("keras-3.9.2", "keras-3.10.0", "keras-3.15.1-jax", "tf_keras-2.21.0", "tfjs-layers-4.22.0")
    ]


def test_tfjs_layers_is_a_keras2_release_named_without_its_cpu_backend() -> None:
    producer = Producer.parse("tfjs-layers-4.22.0")
    assert (producer.package, producer.version, producer.backend, producer.format) == (
        "tfjs-layers",
        (4, 22, 0),
        "cpu",
        "keras2",
    )
    assert producer.release == "tfjs-layers-4.22.0"
    assert producer.tfjs and not producer.old_era and not producer.list_sequential
    # It ported Container.get_config: numbered like standalone Keras before 2.4, not like tf.keras.
    assert producer.container_writer and Producer.parse("keras-2.3.1").container_writer
    assert not Producer.parse("tensorflow-2.12.1").container_writer
    assert Producer.of("tfjs-layers", "4.22.0", "cpu") == producer
    assert Producer.parse("tf_keras-2.21.0").tfjs is False


@pytest.mark.parametrize(
    "name", ["keras", "keras-", "keras-3.x", "pytorch-2.0.0", "keras-3.15.1-", "tfjs-layers", "tfjs-4.22.0"]
)
def test_a_name_that_is_no_release_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match=r"a producer is 'keras-X\.Y\.Z'"):
        Producer.parse(name)


def test_the_formats_are_the_two_wire_formats() -> None:
    assert FORMATS == ("keras2", "keras3")


@pytest.mark.parametrize("label", ["keras-2.2.4", "keras-2.2.4-theano", "keras-2.2.*"])
def test_a_release_selection_finds_the_old_era_cases_under_their_id(label: str) -> None:
    selection = Selection(releases=(label,))
    chosen = [case.id for case in kerasspec.corpus.load(REPO / "corpus").cases if selection.matches(case)]
    assert chosen
    assert all(case_id.split("/")[1].startswith("keras-2.2.") for case_id in chosen)
    assert any(case_id.startswith("keras2/keras-2.2.4/") for case_id in chosen)
