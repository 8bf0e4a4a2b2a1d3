"""Standalone Keras before 2.4 and tfjs-layers (spec/keras2.md#old-era) in the serializer and the strategies.

* each old-era release's captured template is what that release writes: the envelope and, per
  layer class, the config keys of its corpus files; serialized with it, each of its corpus cases
  parses back to the case's expected document, with the case's wiring (one test per case id);
* the reference parser reads every drawn old-era model to the drawn graph, and a drawn file holds
  only what its release writes: the template's classes, three-item entries from Keras 1, four-item
  ones with empty kwargs from Keras 2.0 to 2.3, a Sequential written as a list before 2.2.3 and
  never with an InputLayer;
* the draws of each release hold its wire variants: Keras 1's ``Merge`` (in modes ``dot`` and ``cos``
  too, and merging whole Sequentials), list-shaped Sequentials, nested models numbered from 1,
  ``Bidirectional`` and ``Lambda``; a tensor passed as ``mask=`` is drawn only where the release
  accepts it and written as it writes it (kwargs ``{}``, the mask input left out); and a Keras 1
  model mutated to nest too deep is rejected.

tfjs-layers 4.22.0, whose writer is a port of the old era's, is held to the same: its template
against its corpus files, its drawn files inside a ``model.json`` as ``tf.io`` writes it (the model
JSON under ``modelTopology``), with every Functional a ``Model`` and its nested models numbered from 1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from hypothesis import given, seed, settings

from kerasspec import ParseError, parse
from kerasspec import corpus as _corpus
from kerasspec.canonical import Document, Model, diff
from kerasspec.serialize import Details, LayerPath, serialize
from kerasspec.serialize._templates import available, template
from kerasspec.serialize._wiring import wiring
from kerasspec.strategies import Generated, Mutation, invalid_models, models
from kerasspec.vocabulary import Producer

#: The old-era releases of the corpus matrix (generator/matrix.toml).
OLD_ERA = [f"keras-{version}" for version in ("1.0.8", "1.1.2", "1.2.2", "2.0.2", "2.0.8")] + [
    f"keras-{version}" for version in ("2.1.6", "2.2.0", "2.2.2", "2.2.4", "2.3.1")
]
#: tfjs-layers, which writes with a port of the old era's writer.
TFJS = "tfjs-layers-4.22.0"
#: Every release that writes with ``Container.get_config`` or its port.
WRITERS = [*OLD_ERA, TFJS]
FAST = settings(settings.get_profile("models"))  # profiles: tests/conftest.py
#: Config keys that depend on the model (shapes, dtypes): computed by the strategies, not in a template.
PER_MODEL = frozenset({"batch_input_shape", "batch_shape", "input_dtype", "dtype", "input_dim", "input_length"})
MODELS = ("Model", "Functional", "Sequential")


def _layers(config: Any) -> Iterator[dict[str, Any]]:
    """Every layer entry of a model config, nested models' layers included (and the models a Keras 1
    ``Merge`` merges, in its ``config.layers``)."""
    for entry in config if isinstance(config, list) else config.get("layers", []):
        yield entry
        if entry.get("class_name") in MODELS:
            yield from _layers(entry["config"])
        elif entry.get("class_name") == "Merge" and "layers" in entry["config"]:
            yield from _layers(entry["config"]["layers"])


def _topology(wire: dict[str, Any]) -> dict[str, Any]:
    """The model JSON of a file: a tfjs-layers ``model.json`` holds it under ``modelTopology``."""
    return wire.get("modelTopology", wire)  # type: ignore[no-any-return]


def _wrapper(wire: dict[str, Any]) -> dict[str, Any]:
    """A tfjs-layers ``model.json`` without its model JSON and without the weights it lists."""
    manifest = [{**group, "weights": []} for group in wire["weightsManifest"]]
    return {**{key: value for key, value in wire.items() if key != "modelTopology"}, "weightsManifest": manifest}


def _envelope(wire: dict[str, Any]) -> dict[str, Any]:
    """The envelope without the model config: class_name, keras_version, backend (Keras 2 only)."""
    return {key: value for key, value in _topology(wire).items() if key != "config"}


def _by_class(release: str) -> dict[str, dict[str, Any]]:
    return {kind["class_name"]: kind for kind in template(Producer.parse(release))["kinds"].values()}


@cache
def _old_era_cases() -> tuple[Any, ...]:
    """The corpus cases written by an old-era release (loading the manifest once)."""
    return tuple(case for case in _corpus.load(None).cases if case.producer and case.producer.name in WRITERS)


def _cases() -> list[Any]:
    try:
        loaded = _old_era_cases()
    except Exception as error:  # no corpus in this checkout: one failing test says so
        return [pytest.param(None, id=f"no-corpus: {error}")]
    return [pytest.param(case, id=case.id) for case in loaded if case.kind in ("valid", "lossy")]


@pytest.mark.parametrize("release", WRITERS)
def test_the_template_is_what_the_release_writes(release: str) -> None:
    producer = Producer.parse(release)
    assert producer in available(), f"no template captured from {release}"
    captured = template(producer)
    by_class = _by_class(release)
    cases = [case for case in _old_era_cases() if case.producer.name == release]
    assert cases, f"no corpus case of {release}"
    for case in cases:
        wire = json.loads(case.read_input())
        if case.container == "to_json":  # an .h5 file's model_config has no keras_version of its own
            # (the class_name is the model's own: a top-level Sequential is no Model)
            assert _envelope(wire) | {"class_name": "Model"} == _envelope(captured["envelope"]), case.id
        for entry in _layers(_topology(wire)["config"]):
            kind = by_class.get(entry["class_name"])
            config = entry.get("config")
            if kind is None or entry["class_name"] in MODELS:
                continue
            # (a Keras 1 Merge of Sequentials holds them in config.layers, which the strategies fill in)
            written, captured_keys = set(config) - PER_MODEL - {"layers"}, set(kind["entry"]["config"]) - PER_MODEL
            assert written == captured_keys, f"{case.id}: {entry['class_name']} {sorted(written ^ captured_keys)}"
            if isinstance(config.get("layer"), dict):  # a wrapper: the wrapped layer's config too
                inner, captured_inner = config["layer"]["config"], kind["entry"]["config"]["layer"]["config"]
                if config["layer"]["class_name"] == kind["entry"]["config"]["layer"]["class_name"]:
                    assert set(inner) - PER_MODEL == set(captured_inner) - PER_MODEL, f"{case.id}: {entry['name']}"


def _details(document: Document, release: str) -> Details:
    """Each layer entry from the template of its class (an empty config for a class never captured)."""
    by_class = _by_class(release)
    entries: dict[LayerPath, Any] = {(): template(Producer.parse(release))["envelope"]}

    def visit(model: Model, path: LayerPath) -> None:
        for layer in model.layers:
            layer_path = (*path, layer.name or "")
            kind = by_class.get(layer.class_name)
            entries[layer_path] = dict(kind["entry"]) if kind else {"config": {"name": ""}}
            if layer.model is not None:
                visit(layer.model, layer_path)

    visit(document.model, ())
    return Details(entries)


@pytest.mark.parametrize("case", _cases())
def test_the_template_round_trips_the_release_corpus(case: Any) -> None:
    assert case is not None, "the corpus could not be loaded"
    release = case.producer.name
    expected = Document.from_json(json.loads((case.root / case.expected).read_text()))
    text = serialize(expected, release, _details(expected, release))
    actual = json.loads(case.read_input())
    written = json.loads(text)
    version = case.producer.version_text
    if case.producer.tfjs:  # the model.json around the model JSON, as tf.io writes it
        assert _wrapper(written) == _wrapper(actual)
        actual, written, version = actual["modelTopology"], written["modelTopology"], f"tfjs-layers {version}"
    assert written["keras_version"] == version  # .h5 files keep it outside model_config
    if case.container == "to_json":
        assert _envelope(written) == _envelope(actual)
    difference = diff(wiring(actual), wiring(written))
    assert difference is None, str(difference)
    difference = diff(expected.to_json(), parse(text).to_json())
    assert difference is None, str(difference)


def _entries(node: Any) -> Iterator[list[Any]]:
    if isinstance(node, list) and node and isinstance(node[0], str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from _entries(item)


def _only_what_the_release_writes(generated: Generated) -> None:
    producer = generated.producer
    wire = json.loads(generated.text)
    if producer.tfjs:
        assert set(wire) == {"modelTopology", "format", "generatedBy", "convertedBy", "weightsManifest"}
        assert (wire["format"], wire["convertedBy"]) == ("layers-model", None)
        wire = wire["modelTopology"]
    captured = template(producer)
    # a top-level model is a Model, but for Keras 1's Merge of Sequentials, the first layer of a Sequential
    top = "Sequential" if "sequential" in generated.features else "Model"
    assert _envelope(wire) == _envelope(captured["envelope"]) | {"class_name": top}
    classes = {kind["class_name"] for kind in captured["kinds"].values()}
    for entry in _layers(wire["config"]):
        assert entry["class_name"] in classes, f"{producer} writes no {entry['class_name']}"
        if entry["class_name"] == "Sequential":
            config = entry["config"]
            assert isinstance(config, list) == producer.list_sequential, f"{producer}: {config}"
            inner = config if isinstance(config, list) else config["layers"]
            if producer.old_era:  # tfjs-layers writes a Sequential's InputLayer where it was built with one
                assert all(layer["class_name"] != "InputLayer" for layer in inner), f"{producer}: {inner}"
        for node in entry.get("inbound_nodes", []):
            for item in _entries(node):
                assert len(item) == (3 if producer.version < (2,) else 4), f"{producer}: {item}"
                assert len(item) == 3 or item[3] == {}, f"{producer}: {item}"


@FAST
@given(models(WRITERS))
def test_the_parser_reads_every_old_era_model(generated: Generated) -> None:
    _only_what_the_release_writes(generated)
    difference = diff(generated.expected, parse(generated.text).to_json())
    assert difference is None, f"{generated.producer}: {difference}\n{generated.text}"


@FAST
@given(invalid_models(models([release for release in OLD_ERA if release < "keras-2"], max_layers=4), ["too-deep"]))
def test_a_keras1_model_made_too_deep_is_rejected(mutation: Mutation) -> None:
    # Keras 1's three-item entries have no kwargs to nest a deep value in: the mutation must still bite.
    with pytest.raises(ParseError) as caught:
        parse(mutation.text)
    assert caught.value.code == "too-deep", f"{mutation.description}: {caught.value.line()}"


@FAST
@given(invalid_models(models(TFJS, max_layers=3), ["dangling-reference"]))
def test_a_tfjs_model_is_mutated_inside_its_model_topology(mutation: Mutation) -> None:
    # the wiring of a tfjs-layers model.json is inside modelTopology: a reference there can dangle
    with pytest.raises(ParseError) as caught:
        parse(mutation.text)
    assert caught.value.code == "dangling-reference", f"{mutation.description}: {caught.value.line()}"


def _draws(release: str, count: int, features: frozenset[str] | None = None) -> list[Generated]:
    drawn: list[Generated] = []

    @seed(5)
    @settings(settings.get_profile("replay"), max_examples=count)
    @given(models(release) if features is None else models(release, features=features))
    def gather(generated: Generated) -> None:
        drawn.append(generated)

    gather()
    return drawn


def _nested_from_one(wire: dict[str, Any]) -> bool:
    """Whether a nested model is referenced with node index 1 or more (numbered from 1 before 2.4)."""
    wire = _topology(wire)
    if wire["class_name"] == "Sequential":
        return False
    nested = {entry["name"] for entry in wire["config"]["layers"] if entry["class_name"] in MODELS}
    references = [item for entry in wire["config"]["layers"] for item in _entries(entry["inbound_nodes"])]
    outputs = wire["config"]["output_layers"]
    return any(item[0] in nested and item[1] >= 1 for item in [*references, *outputs])


@pytest.mark.parametrize("release", WRITERS)
def test_the_draws_hold_the_wire_variants_of_the_release(release: str) -> None:
    producer = Producer.parse(release)
    # (tfjs-layers: more draws, to meet both forms of its nested Sequential)
    wires = [_topology(json.loads(generated.text)) for generated in _draws(release, 80 if producer.tfjs else 40)]
    classes = {entry["class_name"] for wire in wires for entry in _layers(wire["config"])}
    assert ("Merge" in classes) == (producer.version < (2,)), sorted(classes)
    assert {"Model", "Sequential"} <= classes, sorted(classes)
    listed = [entry for wire in wires for entry in _layers(wire["config"]) if isinstance(entry.get("config"), list)]
    assert bool(listed) == producer.list_sequential
    assert any(_nested_from_one(wire) for wire in wires)
    if producer.tfjs:  # a nested Sequential with and without its InputLayer, both numbered from 1
        firsts = {
            entry["config"]["layers"][0]["class_name"]
            for wire in wires
            for entry in _layers(wire["config"])
            if entry["class_name"] == "Sequential"
        }
        assert {"InputLayer", "Dense"} <= firsts, sorted(firsts)
        assert "Bidirectional" in classes and "Lambda" not in classes, sorted(classes)
        return  # (no Lambda or Merge: tfjs-layers has neither)
    # the old era's rarer constructs, drawn with the features that hold them
    focus = frozenset({"wrappers", "lambda", "list-call", "nested-sequential"})
    focused = [json.loads(generated.text) for generated in _draws(release, 30, focus)]
    entries = [entry for wire in focused for entry in _layers(wire["config"])]
    assert {"Bidirectional", "Lambda"} <= {entry["class_name"] for entry in entries}
    modes = {entry["config"]["mode"] for entry in entries if entry["class_name"] == "Merge"}
    keras1 = producer.version < (2,)
    assert bool({"dot", "cos"} & modes) == keras1, sorted(modes)
    # Keras 1's Merge of Sequentials: a top-level Sequential whose first layer merges whole models
    merged = [
        wire
        for wire in [*wires, *focused]
        if wire["class_name"] == "Sequential"
        and wire["config"][0]["class_name"] == "Merge"
        and all(branch["class_name"] == "Sequential" for branch in wire["config"][0]["config"]["layers"])
    ]
    assert bool(merged) == keras1


def _masked(release: str, count: int) -> list[Generated]:
    drawn: list[Generated] = []

    @seed(5)
    @settings(settings.get_profile("replay"), max_examples=count)
    @given(models(release, features={"rnn-state", "tensor-in-kwargs"}))
    def gather(generated: Generated) -> None:
        if "mask-kwarg" in generated.features:
            drawn.append(generated)

    gather()
    return drawn


@pytest.mark.parametrize("release", WRITERS)
def test_a_mask_kwarg_is_drawn_as_the_release_writes_it(release: str) -> None:
    """LSTM(x, mask=m): refused by Keras 1 and 2.0.2; 2.0.8 to 2.3.1 and tfjs-layers write the kwargs
    as {} and leave m out."""
    drawn = _masked(release, 30)
    if Producer.parse(release).version < (2, 0, 8):
        assert not drawn
        return
    assert drawn, f"no mask= drawn for {release}"
    for generated in drawn:
        wire = _topology(json.loads(generated.text))
        names = {entry["name"] for entry in wire["config"]["layers"]}
        masks = {layer.name for layer in generated.live.model.layers if layer.name and layer.name.startswith("mask")}
        assert masks and not masks & names, f"{release}: {sorted(names)}"
        assert not [item for item in wire["config"]["input_layers"] if item[0] in masks]
        lstms = [entry for entry in wire["config"]["layers"] if entry["class_name"] == "LSTM"]
        assert lstms and all(item[3] == {} for entry in lstms for node in entry["inbound_nodes"] for item in node)
        assert generated.lossy
        difference = diff(generated.expected, parse(generated.text).to_json())
        assert difference is None, f"{release}: {difference}"
