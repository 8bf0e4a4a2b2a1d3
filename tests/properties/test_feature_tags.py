"""A generated model's feature tags say what its file holds, for the tags a reader cannot check by eye.

``name-collision``: in some model of the file, two layers share a ``class_name`` and differ by
``module`` (keras3 ``ops.add`` and ``layers.Add``); the strategies draw that only when asked, and tag
exactly the models that hold it.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import find, given, settings

from kerasspec.strategies import FEATURES, Generated, models

KERAS3 = "keras-3.15.1"


def _collisions(model: dict[str, Any]) -> list[str]:
    """Class names written with more than one module inside one model's ``layers``, nested models included."""
    found, pending = [], [model]
    while pending:
        config = pending.pop()["config"]
        modules: dict[str, set[Any]] = {}
        for layer in config.get("layers", []):
            modules.setdefault(layer["class_name"], set()).add(layer.get("module"))
            if "layers" in layer.get("config", {}):
                pending.append(layer)
        found += [name for name, seen in modules.items() if len(seen) > 1]
    return found


@settings(settings.get_profile("models"), max_examples=150)
@given(models(KERAS3, features=FEATURES))
def test_the_name_collision_tag_says_whether_a_class_name_is_shared(generated: Generated) -> None:
    assert ("name-collision" in generated.features) == bool(_collisions(json.loads(generated.text)))


@settings(settings.get_profile("models"), max_examples=150)
@given(models(KERAS3, features=FEATURES - {"name-collision"}))
def test_no_class_name_is_shared_unless_asked(generated: Generated) -> None:
    assert _collisions(json.loads(generated.text)) == []


def test_a_name_collision_is_drawn_when_asked() -> None:
    found = find(
        models(KERAS3, features={"name-collision", "ops", "list-call"}),
        lambda generated: "name-collision" in generated.features,
        settings=settings(settings.get_profile("dev"), max_examples=500, database=None),
    )
    assert _collisions(json.loads(found.text))
