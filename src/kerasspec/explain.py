"""The wiring of a model in words, or as a Graphviz graph, for a person reading a model file.

Each call reads like a Python call with every tensor named by its producer and every argument by
the parameter it binds to, e.g. ``mha#0(query=q#0[0], value=v#0[0])`` whether the file wrote the
call positionally or by keyword, so that which tensor feeds which argument is plain to see.
Positional arguments are named from the call signatures generated from the producers
(``spec/generated/call-parameters.json``); where a layer is unknown they stay positional.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from kerasspec._call_parameters import positional_names
from kerasspec.canonical import (
    Const,
    DictValue,
    Document,
    Layer,
    ListValue,
    Model,
    ObjectValue,
    Tensor,
    Value,
)

__all__ = ["dot", "lines", "render_value"]


def render_value(value: Value) -> str:
    """One argument value as text: tensors as ``layer#call[output]``, containers as Python-like literals."""
    if isinstance(value, Tensor):
        return f"{value.layer}#{value.call}[{value.output}]"
    if isinstance(value, Const):
        return json.dumps(value.value)
    if isinstance(value, ListValue):
        return "[" + ", ".join(render_value(item) for item in value.items) + "]"
    if isinstance(value, DictValue):
        return "{" + ", ".join(f"{json.dumps(key)}: {render_value(item)}" for key, item in value.items.items()) + "}"
    if isinstance(value, ObjectValue):
        return f"<{value.data.get('class_name', 'object')}>"
    raise TypeError(value)


def _label(layer: Layer, position: int) -> str:
    # A model in a list-shaped Sequential config (Keras < 2.2.3) has no name: it goes by its place.
    return layer.name if layer.name is not None else f"<unnamed layer {position}>"


def lines(document: Document) -> Iterator[str]:
    """The wiring of ``document``, one line per call, nested models indented under their layer."""
    name = repr(document.model.name) if document.model.name is not None else "<unnamed>"
    yield f"{document.model.class_name} {name} ({document.format})"
    yield from _model_lines(document.model, "  ", document.format)


def _parameter_names(format: str, layer: Layer) -> list[str]:
    # keras.ops calls are written as layers whose class names collide with real layers
    # (``Add``, ``Concatenate``): their arguments are the op's, not the layer's.
    if layer.module is not None and ".ops." in f"{layer.module}.":
        return []
    return positional_names(format, layer.class_name)


def _model_lines(model: Model, indent: str, format: str) -> Iterator[str]:
    if model.inputs is not None:
        yield f"{indent}inputs: {render_value(model.inputs)}"
    for position, layer in enumerate(model.layers):
        if not layer.calls:
            kind = "input" if layer.class_name == "InputLayer" else "no calls"
            yield f"{indent}{_label(layer, position)} ({layer.class_name}): {kind}"
        names = _parameter_names(format, layer) if layer.calls else []
        for index, call in enumerate(layer.calls):
            arguments = [
                f"{names[i]}={render_value(arg)}" if i < len(names) else render_value(arg)
                for i, arg in enumerate(call.args)
            ]
            arguments += [f"{key}={render_value(value)}" for key, value in call.kwargs.items()]
            yield f"{indent}{layer.name}#{index}({', '.join(arguments)})  [{layer.class_name}]"
        if layer.model is not None:
            yield from _model_lines(layer.model, indent + "  ", format)
    if model.outputs is not None:
        yield f"{indent}outputs: {render_value(model.outputs)}"


def _tensors(value: Value, label: str) -> Iterator[tuple[Tensor, str]]:
    """Every tensor inside ``value`` with the argument label of the edge it feeds."""
    pending: list[tuple[Value, str]] = [(value, label)]
    while pending:
        item, where = pending.pop()
        if isinstance(item, Tensor):
            yield item, where
        elif isinstance(item, ListValue):
            pending.extend((child, f"{where}[{i}]") for i, child in reversed(list(enumerate(item.items))))
        elif isinstance(item, DictValue):
            pending.extend((child, f"{where}[{key!r}]") for key, child in reversed(list(item.items.items())))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot(document: Document) -> str:
    """A Graphviz digraph: one node per call, edges labelled by the argument they feed (``args[0]``, ``value``)."""
    out = ["digraph keras {", "  rankdir=TB;", '  node [shape=box, fontname="monospace"];']
    _model_dot(document.model, "", out)
    out.append("}")
    return "\n".join(out) + "\n"


def _model_dot(model: Model, prefix: str, out: list[str]) -> None:
    for position, layer in enumerate(model.layers):
        label = _label(layer, position)
        node_ids = [f"{prefix}{label}#{i}" for i in range(len(layer.calls))] or [f"{prefix}{label}#0"]
        for node_id in node_ids:
            out.append(f"  {_quote(node_id)} [label={_quote(f'{node_id[len(prefix) :]} {layer.class_name}')}];")
        for index, call in enumerate(layer.calls):
            target = _quote(f"{prefix}{label}#{index}")
            labelled = [(arg, f"args[{i}]") for i, arg in enumerate(call.args)]
            labelled += [(value, key) for key, value in call.kwargs.items()]
            for value, label in labelled:
                for tensor, where in _tensors(value, label):
                    source = _quote(f"{prefix}{tensor.layer}#{tensor.call}")
                    edge_label = where if tensor.output == 0 else f"{where} (output {tensor.output})"
                    out.append(f"  {source} -> {target} [label={_quote(edge_label)}];")
        if layer.model is not None:
            inner = f"{prefix}{label}/"
            out.append(f"  subgraph {_quote('cluster_' + inner)} {{ label={_quote(label)};")
            _model_dot(layer.model, inner, out)
            out.append("  }")
