"""Where in the input a reader is: a cheap chain of keys, rendered as a JSON path only on error.

Building a path string for every value would cost more than the parse itself on large models,
so the readers pass ``Location`` tuples ``(parent, key)`` and call :func:`render` when they raise.
"""

from __future__ import annotations

from typing import TypeAlias

from kerasspec.canonical import path_of

Location: TypeAlias = tuple["Location", str | int] | None

ROOT: Location = None


def render(location: Location) -> str:
    """The JSON path of ``location``, e.g. ``$.config.layers[3].inbound_nodes[0]``."""
    return path_of(location)
