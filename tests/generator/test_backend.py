"""keras 3.15.1 on TensorFlow and on JAX: same graph; where the config differs is recorded."""

from __future__ import annotations

from typing import Any

import pytest
from _corpus_data import CORPUS, cases, manifest

from generator._tables import backend_differences

TF, JAX = "keras3/keras-3.15.1/", "keras3/keras-3.15.1-jax/"


def pairs() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    jax = {c["id"][len(JAX) :]: c for c in cases() if c["id"].startswith(JAX)}
    return [(c, jax[c["id"][len(TF) :]]) for c in cases() if c["id"].startswith(TF) and c["id"][len(TF) :] in jax]


def test_a_recipe_built_on_one_backend_only_is_recorded_unbuildable_on_the_other() -> None:
    tf = {c["recipe"] for c in cases() if c["id"].startswith(TF)}
    jax = {c["recipe"] for c in cases() if c["id"].startswith(JAX)}
    unbuildable = {(u["producer"], u["recipe"]) for u in manifest()["unbuildable"]}
    assert {r for r in tf - jax if ("keras-3.15.1-jax", r) not in unbuildable} == set()
    assert {r for r in jax - tf if ("keras-3.15.1", r) not in unbuildable} == set()


@pytest.mark.parametrize(("tf", "jax"), pairs(), ids=lambda c: c["id"][len(TF) :] if isinstance(c, dict) else "")
def test_the_backend_does_not_change_the_graph(tf: dict[str, Any], jax: dict[str, Any]) -> None:
    assert (CORPUS / tf["expected"]).read_bytes() == (CORPUS / jax["expected"]).read_bytes()


def test_config_differences_between_backends_are_recorded() -> None:
    table = (CORPUS.parent / "spec" / "generated" / "backend-differences.md").read_text()
    assert table == backend_differences(CORPUS, [(tf["input"], jax["input"], tf["id"]) for tf, jax in pairs()])
