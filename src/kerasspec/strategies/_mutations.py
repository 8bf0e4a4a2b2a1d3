"""Breaking valid model JSON the ways real files break, each with the error code it must get.

A :class:`Mutation` starts from a generated valid model, changes exactly one thing, and records
the code of ``spec/errors.md`` that a conforming reader raises for it.  References are edited in
place where Keras would look them up (the last entry's kwargs in keras2 are the ones read, so
keras2 mutations edit entries and ``input_layers``/``output_layers``, never a copied kwargs).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from kerasspec.vocabulary import CONSTANT_VALUE, Format

KERAS_TENSOR = "__keras_tensor__"
MISSING_LAYER = "no_such_layer"


@dataclass(frozen=True)
class Mutation:
    """A broken model JSON and the error code it must be rejected with."""

    text: str | bytes
    code: str
    description: str  # what was broken, in words
    producer: str
    format: Format


class Chooser:
    """The choices a mutator makes, so that it runs under Hypothesis (shrinkable) or plain
    ``random`` (fast, for the long benchmark run)."""

    def __init__(self, draw: Callable[[Any], Any] | None = None, rng: random.Random | None = None) -> None:
        self._draw = draw
        self._rng = rng

    def pick(self, items: Any) -> Any:
        items = list(items)
        if self._draw is not None:
            return self._draw(st.sampled_from(items))
        assert self._rng is not None
        return self._rng.choice(items)

    def integer(self, low: int, high: int) -> int:
        if self._draw is not None:
            return int(self._draw(st.integers(low, high)))
        assert self._rng is not None
        return self._rng.randint(low, high)

    def boolean(self) -> bool:
        return bool(self.pick([False, True]))


@dataclass
class _Site:
    """One reference in a decoded model: the list holding [layer, node_index, tensor_index]."""

    ref: list[Any]
    owner: str | None  # the layer whose node holds it (None: input_layers/output_layers)
    call: int  # the call (node position) of that layer
    in_io: bool


def _is_entry(value: Any) -> bool:
    return type(value) is list and len(value) in (3, 4) and type(value[0]) is str


def _keras3_refs(value: Any) -> Iterator[list[Any]]:
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            config = item.get("config")
            if item.get("class_name") == KERAS_TENSOR and type(config) is dict:
                yield config["keras_history"]
            else:
                stack.extend(item.values())
        elif type(item) is list:
            stack.extend(item)


def _keras2_refs(value: Any) -> Iterator[list[Any]]:
    stack = [value]
    while stack:
        item = stack.pop()
        if _is_entry(item):
            if item[0] != CONSTANT_VALUE:
                yield item
        elif type(item) is list:
            stack.extend(item)
        elif type(item) is dict:
            stack.extend(item.values())


def _io_refs(value: Any) -> Iterator[list[Any]]:
    stack = [value]
    while stack:
        item = stack.pop()
        if _is_entry(item):
            yield item
        elif type(item) is list:
            stack.extend(item)
        elif type(item) is dict:
            stack.extend(item.values())


def sites(model: dict[str, Any], format: str) -> list[_Site]:
    """Every reference of the top-level model, in file order."""
    config = model["config"]
    found: list[_Site] = []
    for layer in config["layers"]:
        for index, node in enumerate(layer.get("inbound_nodes", [])):
            refs = _keras3_refs(node) if format == "keras3" else _keras2_refs(node)
            found.extend(_Site(ref, layer["name"], index, False) for ref in refs)
    for key in ("input_layers", "output_layers"):
        found.extend(_Site(ref, None, 0, True) for ref in _io_refs(config.get(key)))
    return found


def _layers(model: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {layer["name"]: layer for layer in model["config"]["layers"]}


Mutator = Callable[[Chooser, dict[str, Any], str], "tuple[str | bytes, str, str] | None"]


def _dangling(draw: Any, model: dict[str, Any], format: str) -> tuple[str, str, str] | None:
    found = sites(model, format)
    site = draw.pick(found)
    old = site.ref[0]
    site.ref[0] = MISSING_LAYER
    return json.dumps(model), "dangling-reference", f"a reference to {old!r} renamed to a layer that does not exist"


def _node_out_of_range(draw: Any, model: dict[str, Any], format: str) -> tuple[str, str, str] | None:
    found = sites(model, format)
    site = draw.pick(found)
    layers = _layers(model)
    target = layers[site.ref[0]]
    site.ref[1] = len(target.get("inbound_nodes", [])) + draw.integer(2, 1000)
    return json.dumps(model), "node-index-out-of-range", f"a reference to {site.ref[0]!r} names node {site.ref[1]}"


def _input_tensor_out_of_range(draw: Any, model: dict[str, Any], format: str) -> tuple[str, str, str] | None:
    layers = _layers(model)
    found = [site for site in sites(model, format) if layers[site.ref[0]]["class_name"] == "InputLayer"]
    if not found:
        return None
    site = draw.pick(found)
    site.ref[2] = draw.integer(1, 5)
    return (
        json.dumps(model),
        "tensor-index-out-of-range",
        f"InputLayer {site.ref[0]!r} has one output, not {site.ref[2] + 1}",
    )


def _self_cycle(draw: Any, model: dict[str, Any], format: str) -> tuple[str, str, str] | None:
    layers = _layers(model)
    found = [
        site
        for site in sites(model, format)
        if site.owner is not None and layers[site.owner]["class_name"] not in ("Functional", "Sequential", "Model")
    ]
    if not found:
        return None
    site = draw.pick(found)
    site.ref[0], site.ref[1], site.ref[2] = site.owner, site.call, 0
    return json.dumps(model), "cycle", f"call {site.call} of {site.owner!r} consumes its own output"


def _duplicate_name(draw: Any, model: dict[str, Any], format: str) -> tuple[str, str, str] | None:
    entries = model["config"]["layers"]
    if len(entries) < 2:
        return None
    first = draw.integer(0, len(entries) - 1)
    second = (first + draw.integer(1, len(entries) - 1)) % len(entries)
    name = entries[first]["name"]
    entries[second]["name"] = name
    if isinstance(entries[second].get("config"), dict):
        entries[second]["config"]["name"] = name
    return json.dumps(model), "duplicate-layer-name", f"two layers named {name!r}"


def _bad_node(draw: Any, model: dict[str, Any], format: str) -> tuple[str, str, str] | None:
    called = [layer for layer in model["config"]["layers"] if layer.get("inbound_nodes")]
    if not called:
        return None
    layer = draw.pick(called)
    index = draw.integer(0, len(layer["inbound_nodes"]) - 1)
    # keras3 replacements keep the node shape that tells the formats apart, so that the file is
    # still read as keras3 (a reader detects the format from the first node it finds).
    choices: list[Any] = (
        [7, "node", None, True, []] if format == "keras2" else [{"args": {}}, {"args": [], "kwargs": []}]
    )
    replacement = draw.pick(choices)
    layer["inbound_nodes"][index] = replacement
    return json.dumps(model), "bad-node", f"node {index} of {layer['name']!r} replaced by {replacement!r}"


def _bad_entry(draw: Any, model: dict[str, Any], format: str) -> tuple[str, str, str] | None:
    found = [site for site in sites(model, format) if not site.in_io]
    if not found:
        return None
    site = draw.pick(found)
    position = draw.pick([1, 2])
    site.ref[position] = draw.pick(["0", 1.5, None])
    return (
        json.dumps(model),
        "bad-entry",
        f"a reference's {'node' if position == 1 else 'tensor'} index is not an integer",
    )


def _bad_layer(draw: Any, model: dict[str, Any], format: str) -> tuple[str, str, str] | None:
    entries = model["config"]["layers"]
    index = draw.integer(0, len(entries) - 1)
    entries[index] = draw.pick([3, "layer", None, []])
    return json.dumps(model), "bad-layer", f"layer entry {index} replaced by a non-object"


def _too_deep(draw: Any, model: dict[str, Any], format: str) -> tuple[str, str, str] | None:
    if not isinstance(model["config"], dict) or draw.boolean():
        # Deeper than any JSON decoder's stack: rejected before the text is read as a model.
        depth = draw.integer(2000, 5000)
        return "[" * depth + "]" * depth, "too-deep", f"{depth} nested arrays and nothing else"
    depth = draw.integer(150, 400)
    deep: Any = []
    for _ in range(depth - 1):
        deep = [deep]
    called = [layer for layer in model["config"]["layers"] if layer.get("inbound_nodes")]
    layer = draw.pick(called)
    index = draw.integer(0, len(layer["inbound_nodes"]) - 1)
    node = layer["inbound_nodes"][index]
    if format == "keras3":
        node["kwargs"]["deep"] = deep
    elif all(len(entry) == 3 for entry in ([node] if _is_entry(node) else _keras2_refs(node))):
        # Keras 1's entries have no kwargs to nest a value in: the node's structure nests instead.
        for _ in range(depth):
            node = [node]
        layer["inbound_nodes"][index] = node
        return json.dumps(model), "too-deep", f"a node of {layer['name']!r} nested in {depth} more arrays"
    else:
        # every entry carries the kwargs; a reader may take any of them
        for entry in [node] if _is_entry(node) else list(_keras2_refs(node)):
            if len(entry) == 4:
                entry[3]["deep"] = deep
    return json.dumps(model), "too-deep", f"a kwarg of {layer['name']!r} nests {depth} arrays deep"


def _truncated(draw: Any, model: dict[str, Any], format: str) -> tuple[str, str, str] | None:
    text = json.dumps(model)
    cut = draw.integer(0, len(text) - 1)
    return text[:cut], "not-json", f"the text cut after {cut} characters"


def _not_utf8(draw: Any, model: dict[str, Any], format: str) -> tuple[bytes, str, str] | None:
    data = json.dumps(model).encode()
    at = draw.integer(0, len(data))
    return data[:at] + b"\xff\xfe" + data[at:], "not-json", f"invalid UTF-8 inserted at byte {at}"


def _not_a_model(draw: Any, model: dict[str, Any], format: str) -> tuple[str, str, str] | None:
    wired = isinstance(model["config"], dict)
    choice = draw.pick(["array", "number", "no-config", *(["no-layers", "layers-not-list"] if wired else [])])
    if choice == "array":
        return json.dumps([model]), "not-a-model", "the model wrapped in an array"
    if choice == "number":
        return "42", "not-a-model", "a number"
    if choice == "no-config":
        del model["config"]
        return json.dumps(model), "not-a-model", "the envelope has no config"
    if choice == "no-layers":
        del model["config"]["layers"]
        return json.dumps(model), "not-a-model", "the config has no layers"
    model["config"]["layers"] = {"0": model["config"]["layers"]}
    return json.dumps(model), "not-a-model", "layers is an object"


MUTATORS: dict[str, Mutator] = {
    "dangling-reference": _dangling,
    "node-index-out-of-range": _node_out_of_range,
    "tensor-index-out-of-range": _input_tensor_out_of_range,
    "cycle": _self_cycle,
    "duplicate-layer-name": _duplicate_name,
    "bad-node": _bad_node,
    "bad-entry": _bad_entry,
    "bad-layer": _bad_layer,
    "too-deep": _too_deep,
    "not-json": _truncated,
    "not-json/utf-8": _not_utf8,
    "not-a-model": _not_a_model,
}


#: The mutators that need no wiring: they break the text or the envelope.
UNWIRED = ("too-deep", "not-json", "not-json/utf-8", "not-a-model")


def mutations(text: str, producer: str, format: Format, kinds: list[str] | None = None) -> st.SearchStrategy[Mutation]:
    """Mutations of one valid model JSON ``text`` (``kinds``: keys of :data:`MUTATORS`)."""
    names = kinds or list(MUTATORS)

    @st.composite
    def draw_mutation(draw: Any) -> Mutation:
        return mutate(text, producer, format, Chooser(draw), names)

    return draw_mutation()


def mutate(text: str, producer: str, format: Format, chooser: Chooser, kinds: list[str] | None = None) -> Mutation:
    """One mutation of ``text`` with the given chooser (see :class:`Chooser`)."""
    names = kinds or list(MUTATORS)
    top = json.loads(text)
    if not isinstance(top.get("modelTopology", top).get("config"), dict):
        # a Sequential written as a list (Keras 1's Merge of Sequentials): no wiring to break
        names = [name for name in names if name in UNWIRED] or ["not-json"]
    for _ in range(len(names) * 2):
        name = chooser.pick(names)
        decoded = json.loads(text)
        # A tfjs-layers model.json: the model JSON inside it is mutated, and put back in its place.
        wrapper = decoded if isinstance(decoded, dict) and "modelTopology" in decoded else None
        result = MUTATORS[name](chooser, decoded["modelTopology"] if wrapper else decoded, format)
        if result is not None:
            broken, code, description = result
            if wrapper is not None and isinstance(broken, str):
                broken = _rewrapped(wrapper, broken)
            return Mutation(broken, code, description, producer, format)
    return Mutation(text[: len(text) // 2], "not-json", "the text cut in half", producer, format)


def _rewrapped(wrapper: dict[str, Any], broken: str) -> str:
    """``broken`` model JSON text as the ``modelTopology`` of ``wrapper``; text that is no JSON, or
    nested past any decoder, stays as it is (a file cut short is cut short whatever it held)."""
    try:
        topology = json.loads(broken)
    except (ValueError, RecursionError):
        return broken
    return json.dumps({**wrapper, "modelTopology": topology})


def invalid_models(
    base: st.SearchStrategy[Any] | None = None, kinds: list[str] | None = None
) -> st.SearchStrategy[Mutation]:
    """Broken model JSON texts, each with its error code, drawn from generated valid models."""
    if base is None:
        from kerasspec.strategies import models

        base = models()
    return base.flatmap(
        lambda generated: mutations(generated.text, generated.producer.name, generated.producer.format, kinds)
    )
