"""Recipes that register a function with Keras build in every recipe of a worker, not only the first.

tf.keras 2.12 raises on a name registered before in the same process ("kerasspec>halve has already been
registered"), so the recipes after the first that register `kerasspec>halve` were unbuildable there. A
registry that refuses a second registration, as 2.12's does, stands in for Keras: no Keras is imported.
"""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import Any

import pytest
from _corpus_data import REPO

sys.path.insert(0, str(REPO))

from generator.recipes import lambdas_nested


class StrictRegistry:
    """`register_keras_serializable` and `get_registered_object` as tf.keras 2.12 has them."""

    def __init__(self) -> None:
        self.objects: dict[str, Any] = {}

    def register_keras_serializable(self, package: str) -> Any:
        def register(fn: Any) -> Any:
            name = f"{package}>{fn.__name__}"
            if name in self.objects:
                raise ValueError(f"{name} has already been registered to {self.objects[name]}")
            self.objects[name] = fn
            return fn

        return register

    def get_registered_object(self, name: str) -> Any:
        return self.objects.get(name)


@pytest.mark.parametrize("wire_format", ["keras2", "keras3"])
def test_the_function_is_registered_once_per_process(wire_format: str) -> None:
    registry = StrictRegistry()
    kit: Any = SimpleNamespace(format=wire_format, legacy=False, keras=SimpleNamespace(utils=registry, saving=registry))
    first = lambdas_nested._registered_halve(kit)
    assert lambdas_nested._registered_halve(kit) is first
    assert list(registry.objects) == ["kerasspec>halve"]
