"""The recipe registry: every corpus model is one small function registered here.

A recipe receives a :class:`Kit` (the producer's Keras API, whichever release and wire
format it is) and returns a built model.  It must name every layer explicitly, so that the
generated JSON does not depend on Keras's global name counters, and it must not download
anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

FORMATS = ("keras2", "keras3")  # kerasspec.vocabulary.FORMATS (recipes run where kerasspec is not installed)


@dataclass(frozen=True)
class Kit:
    """What a recipe may use: the Keras API of the producer it runs under."""

    format: str  # "keras2" | "keras3"
    keras: Any  # keras (3.x), tf_keras, or tensorflow.keras
    version: tuple[int, ...]  # the producer package's release, e.g. (3, 15, 1)
    tf: Any = None  # tensorflow, when installed (always for keras2)
    ops: Any = None  # keras.ops (keras3 only)
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def layers(self) -> Any:
        return self.keras.layers

    @property
    def legacy(self) -> bool:
        """Standalone Keras 1.x or 2.0-2.3 (on Theano), whose API predates tf.keras."""
        return self.format == "keras2" and self.tf is None

    @property
    def Input(self) -> Any:
        return self.keras.layers.Input if self.legacy else self.keras.Input

    @property
    def Model(self) -> Any:
        return self.keras.models.Model if self.legacy else self.keras.Model

    @property
    def Sequential(self) -> Any:
        return self.keras.models.Sequential if self.legacy else self.keras.Sequential


@dataclass(frozen=True)
class Recipe:
    name: str
    build: Callable[[Kit], Any]
    tags: tuple[str, ...]
    formats: tuple[str, ...]
    description: str
    min_version: dict[str, tuple[int, ...]]  # per format, oldest producer release that has the API
    #: per format, the first producer release the recipe is NOT run on (an API that was removed,
    #: or a recipe for the old era only)
    max_version: dict[str, tuple[int, ...]] = field(default_factory=dict)


RECIPES: dict[str, Recipe] = {}


def recipe(
    name: str,
    *,
    tags: Iterable[str],
    formats: Iterable[str] = FORMATS,
    min_version: Mapping[str, tuple[int, ...]] | None = None,
    max_version: Mapping[str, tuple[int, ...]] | None = None,
) -> Callable[[Callable[[Kit], Any]], Callable[[Kit], Any]]:
    """Register a recipe; its docstring's first line is the case description."""

    def register(build: Callable[[Kit], Any]) -> Callable[[Kit], Any]:
        if name in RECIPES:
            raise ValueError(f"recipe {name!r} registered twice")
        doc = (build.__doc__ or "").strip().splitlines()
        if not doc:
            raise ValueError(f"recipe {name!r} needs a docstring saying what it shows")
        fmts = tuple(formats)
        unknown = set(fmts) - set(FORMATS)
        if unknown:
            raise ValueError(f"recipe {name!r}: unknown formats {sorted(unknown)}")
        RECIPES[name] = Recipe(name, build, tuple(tags), fmts, doc[0], dict(min_version or {}), dict(max_version or {}))
        return build

    return register
