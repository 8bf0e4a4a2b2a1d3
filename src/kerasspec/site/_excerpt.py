"""Excerpts of JSON documents at a path: the part of a model file or canonical document a failure is about.

A difference names a path in the canonical document (``$.model.layers[2].calls[0]...``); the model
file is laid out differently, so the path is followed by layer *name*: the canonical layer at
``layers[2]`` is found in the file's ``config.layers`` by its name, and its call ``k`` is the file's
``inbound_nodes[k]``. A path from a parser's error is a path in the model file already.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from kerasspec.canonical import path_join

MAX_LINES = 80
MAX_CHARS = 6000


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A value found at ``path``, as indented JSON cut to a readable length."""

    path: str
    text: str
    cut: bool  # whether the text was shortened

    @classmethod
    def of(cls, value: Any, keys: Sequence[str | int]) -> Excerpt:
        return cls(render_path(keys), *_indented(value))


def render_path(keys: Sequence[str | int]) -> str:
    path = "$"
    for key in keys:
        path = path_join(path, key)
    return path


def _indented(value: Any) -> tuple[str, bool]:
    lines: list[str] = []
    size = 0
    try:
        for line in _lines(value, "", "", ""):
            lines.append(line)
            size += len(line) + 1
            if len(lines) >= MAX_LINES or size >= MAX_CHARS:
                return "\n".join(lines)[:MAX_CHARS], True
    except (TypeError, ValueError, RecursionError):
        return "(a value too deeply nested or not JSON: not shown)", True
    return "\n".join(lines), False


WIDTH = 100
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=True)
# JSONEncoder.encode builds its C encoder anew at every call; an excerpt makes thousands of calls, so
# the C encoder is built once, with the settings encode would give it (no circular check: the values
# come from JSON text and cannot hold cycles).
_string = json.encoder.encode_basestring
_make = getattr(json.encoder, "c_make_encoder", None)
_chunks = _make(None, _ENCODER.default, _string, None, ": ", ", ", False, False, True) if _make else None


def _flat(value: Any) -> str:
    """``value`` as one line of JSON, exactly as ``_ENCODER.encode`` writes it."""
    if _chunks is None:
        return _ENCODER.encode(value)
    if type(value) is str:
        return _string(value)
    return "".join(_chunks(value, 0))


def fits(value: Any, budget: int) -> bool:
    """Whether ``value`` written flat takes at most ``budget`` characters (no, if it cannot be written)."""
    try:
        return len(_flat(value)) <= budget
    except (TypeError, ValueError, RecursionError):
        return False


def _lines(value: Any, indent: str, prefix: str, suffix: str) -> Iterator[str]:
    """Indented JSON, lazily; an array or object is one line when it fits in ``WIDTH``.

    ``prefix`` (an object key) starts the first line and ``suffix`` (a comma) ends the last. Each
    container is written flat once (at C speed) to see whether it fits; only those that do not are
    opened, so a document costs a few encodings of its larger parts, not a walk over every value.
    """
    flat = _flat(value)
    if not isinstance(value, dict | list) or not value or len(flat) + len(indent) + len(prefix) <= WIDTH:
        yield indent + prefix + flat + suffix
        return
    inner = indent + " "
    last = len(value) - 1
    if isinstance(value, dict):
        yield indent + prefix + "{"
        for number, (key, item) in enumerate(value.items()):
            yield from _lines(item, inner, _flat(key) + ": ", "," if number < last else "")
        yield indent + "}" + suffix
    else:
        yield indent + prefix + "["
        for number, item in enumerate(value):
            yield from _lines(item, inner, "", "," if number < last else "")
        yield indent + "]" + suffix


def deepest(document: Any, keys: Sequence[str | int]) -> tuple[list[str | int], Any]:
    """The longest prefix of ``keys`` that exists in ``document``, and the value there."""
    found: list[str | int] = []
    value = document
    for key in keys:
        in_list = isinstance(key, int) and isinstance(value, list) and 0 <= key < len(value)
        if in_list or (isinstance(key, str) and isinstance(value, dict) and key in value):
            value = value[key]
        else:
            break
        found.append(key)
    return found, value


def _name(entry: Any) -> Any:
    if not isinstance(entry, dict):
        return None
    config = entry.get("config")
    return entry.get("name") or (config.get("name") if isinstance(config, dict) else None)


def input_keys(model_file: Any, canonical: Sequence[Any], keys: Sequence[str | int]) -> list[str | int]:
    """Where in the model file the canonical path ``keys`` points (as far as it can be followed).

    ``canonical`` are the documents whose layer names guide the walk (expected first, then actual).
    """
    found: list[str | int] = []
    where: Any = model_file  # the model envelope (class_name, config) the walk is in
    models = [document.get("model") if isinstance(document, dict) else None for document in canonical]
    if not keys or keys[0] != "model":
        return found
    position = 1
    while position < len(keys):
        key = keys[position]
        config = where.get("config") if isinstance(where, dict) else None
        if not isinstance(config, dict):
            return found
        if key in ("inputs", "outputs"):
            wire = "input_layers" if key == "inputs" else "output_layers"
            return [*found, "config", wire] if wire in config else found
        index = keys[position + 1] if position + 1 < len(keys) else None
        if key != "layers" or not isinstance(index, int):
            return found
        layers = [m["layers"][index] for m in models if m is not None and _has_layer(m, index)]
        name = next((layer.get("name") for layer in layers if isinstance(layer, dict)), None)
        entries = config.get("layers")
        if name is None or not isinstance(entries, list):
            return found
        at = next((i for i, entry in enumerate(entries) if _name(entry) == name), None)
        if at is None:
            return found
        found += ["config", "layers", at]
        where = entries[at]
        models = [layer.get("model") if isinstance(layer, dict) else None for layer in layers]
        position += 2
        if position < len(keys) and keys[position] == "calls":
            nodes = where.get("inbound_nodes") if isinstance(where, dict) else None
            if isinstance(nodes, list):
                call = keys[position + 1] if position + 1 < len(keys) else None
                in_range = isinstance(call, int) and call < len(nodes)
                return [*found, "inbound_nodes", call] if in_range else [*found, "inbound_nodes"]  # type: ignore[list-item]
            return found
        if position < len(keys) and keys[position] == "model":
            position += 1
            continue
        return found
    return found


def _has_layer(model: Any, index: int) -> bool:
    return isinstance(model, dict) and isinstance(model.get("layers"), list) and 0 <= index < len(model["layers"])


def layer_keys(keys: Sequence[str | int]) -> list[str | int]:
    """The canonical path up to the innermost layer it names (else its first two keys: ``$.model.outputs``)."""
    cut = min(len(keys), 2)
    for position in range(len(keys) - 1):
        if keys[position] == "layers" and isinstance(keys[position + 1], int):
            cut = position + 2
    return list(keys[:cut])
