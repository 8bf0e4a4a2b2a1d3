"""Layer-entry templates captured from real producer releases (``templates/<release>.json``).

Each file records what one release writes for every kind of layer the strategies use, minus the
fields computed per model (names, wiring, shapes).  They are regenerated from the installed
releases by ``tests/keras/serializer_templates.py``; the package itself never runs Keras.  One file
per release, standalone Keras 1.0.8 to 2.3.1 included (of those, 2.1.6, 2.2.0 and 2.2.2 write the same
entries).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from kerasspec.vocabulary import Producer


@cache
def available() -> tuple[Producer, ...]:
    """The releases that have a captured template, oldest first."""
    folder = resources.files(__package__) / "templates"
    names = [item.name[: -len(".json")] for item in folder.iterdir() if item.name.endswith(".json")]
    return tuple(sorted(Producer.parse(name) for name in names if not name.endswith("-jax")))


@cache
def template(producer: Producer) -> dict[str, Any]:
    """The template of ``producer``, or of the nearest older captured release of the same package
    and format (then of the same format) when that release was never captured."""
    text = (resources.files(__package__) / "templates" / f"{stand_in(producer).name}.json").read_text()
    return json.loads(text)  # type: ignore[no-any-return]


def stand_in(producer: Producer) -> Producer:
    """The captured release whose template :func:`template` gives ``producer``."""
    same_format = [p for p in available() if p.format == producer.format]
    # The keras package wrote keras2 before 3.0: a keras 2.x release takes a keras2 template.
    same_package = [p for p in same_format if p.package == producer.package]
    for candidates in (same_package, same_format):
        older = [p for p in candidates if p <= producer]
        if older or candidates:
            return older[-1] if older else candidates[0]
    raise LookupError(f"no layer templates for {producer.format} at all")
