"""Where a model file carries code that runs when Keras loads it (spec/scanners.md).

:func:`code_sites` reads a decoded model JSON, of either wire format and from any container, and
returns every *code-carrying config* in it, at any depth: marshalled Lambda bytecode, functions
referenced by module and name, and objects of classes from modules outside Keras. It is the
expected answer of a scanner for that file. It only looks at the data: nothing it finds is decoded,
unmarshalled or imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from kerasspec.canonical import path_join

BYTECODE = "bytecode"
FUNCTION_REFERENCE = "function-reference"
CUSTOM_OBJECT = "custom-object"

# Members under which a layer config holds another layer (wrappers, RNN cells, nested models).
_LAYER_HOLDERS = ("layer", "forward_layer", "backward_layer", "cell")
# keras2 Lambda members written with a `<member>_type` beside them (`lambda`: bytecode).
_KERAS2_FUNCTION_MEMBERS = ("function", "output_shape", "mask")
# Packages whose modules are Keras's own: a class or function named there is not foreign code.
_KERAS_PACKAGES = ("keras", "tf_keras")
_KERAS_IN_TENSORFLOW = ("tensorflow.keras", "tensorflow.python.keras")


@dataclass(frozen=True)
class CodeSite:
    """One code-carrying config: its JSON path, what kind of code, and the layers around it.

    ``layers`` names the layer configs that hold it, from the top-level model's layer down to the
    innermost (a Lambda inside ``inner`` inside the model: ``("inner", "inner_code")``).
    """

    path: str
    kind: str
    layers: tuple[str, ...]
    name: str | None = None  # the function's or class's name, where the file gives one
    # The JSON path of the innermost layer config holding it (``$``: the model itself): what a finding
    # that names that layer covers (spec/scanners.md#expected). Not part of the expected answer.
    layer: str = field(default="$", compare=False)

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "layers": list(self.layers), "name": self.name}


def is_keras_module(module: str) -> bool:
    """Whether ``module`` is one of Keras's own (``keras.layers``, ``tf_keras.src...``)."""
    top = module.split(".", 1)[0]
    return top in _KERAS_PACKAGES or module.startswith(_KERAS_IN_TENSORFLOW)


def code_sites(model: Any) -> list[CodeSite]:
    """Every code-carrying config of a decoded model JSON, in document order (spec/scanners.md)."""
    return [
        replace(site, layer=layer)
        for value, path, layers, layer in _configs(model)
        if isinstance(value, dict)
        for site in _sites_at(value, path, layers)
    ]


def layer_paths(model: Any) -> frozenset[str]:
    """The JSON path of every layer config at any depth, and ``$`` (the model): what a finding can name."""
    return frozenset(layer for _, _, _, layer in _configs(model))


def _configs(model: Any) -> Iterator[tuple[Any, str, tuple[str, ...], str]]:
    """Every value in document order: its path, the chain of layer names holding it, and the path of
    the innermost layer config holding it (a layer config holds itself)."""
    # An explicit stack (not recursion): files nest deeper than Python's recursion limit allows.
    stack: list[tuple[Any, str, tuple[str, ...], str]] = [(model, "$", (), "$")]
    while stack:
        value, path, layers, layer = stack.pop()
        yield value, path, layers, layer
        children: list[tuple[Any, str, tuple[str, ...], str]] = []
        if isinstance(value, dict):
            for key, item in value.items():
                item_path = path_join(path, key)
                # A Sequential's layers: config.layers, or (Keras before 2.2.3) config itself as a list.
                listed = key == "config" and value.get("class_name") == "Sequential"
                if (key == "layers" or listed) and isinstance(item, list):
                    children.extend(
                        _held(entry, path_join(item_path, i), layers, layer) for i, entry in enumerate(item)
                    )
                elif key in _LAYER_HOLDERS:
                    children.append(_held(item, item_path, layers, layer))
                else:
                    children.append((item, item_path, layers, layer))
        elif isinstance(value, list):
            children = [(item, path_join(path, i), layers, layer) for i, item in enumerate(value)]
        stack.extend(reversed(children))


def _held(item: Any, path: str, layers: tuple[str, ...], layer: str) -> tuple[Any, str, tuple[str, ...], str]:
    """A value where a layer config goes: a layer (and the innermost holder from there) when it is an object."""
    if isinstance(item, dict):
        return item, path, (*layers, _layer_name(item)), path
    return item, path, layers, layer


def _layer_name(layer: dict[str, Any]) -> str:
    config = layer.get("config")
    name = config.get("name") if isinstance(config, dict) else None
    name = name if isinstance(name, str) else layer.get("name")
    return name if isinstance(name, str) else "?"


def _sites_at(value: dict[str, Any], path: str, layers: tuple[str, ...]) -> list[CodeSite]:
    class_name = value.get("class_name")
    module = value.get("module")
    if class_name == "__lambda__":
        return [CodeSite(path, BYTECODE, layers)]
    if class_name == "function":
        name = value.get("config")
        if isinstance(module, str) and is_keras_module(module):
            return []
        return [CodeSite(path, FUNCTION_REFERENCE, layers, name if isinstance(name, str) else None)]
    found = []
    if isinstance(class_name, str) and isinstance(module, str) and not is_keras_module(module):
        found.append(CodeSite(path, CUSTOM_OBJECT, layers, class_name))
    for member in _KERAS2_FUNCTION_MEMBERS:
        kind = value.get(f"{member}_type")
        if member not in value or kind not in ("lambda", "function"):
            continue
        named = value[member] if kind == "function" and isinstance(value[member], str) else None
        found.append(
            CodeSite(path_join(path, member), BYTECODE if kind == "lambda" else FUNCTION_REFERENCE, layers, named)
        )
    return found
