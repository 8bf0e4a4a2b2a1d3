"""Keras's own loaders on the harness protocol: load a model JSON, answer with the LOADED model's wiring.

Shared by ``adapters/readers/keras3-loader`` (Keras 3.x) and ``adapters/readers/tf-keras-loader`` (tf_keras 2.x).
It runs inside a producer venv (``.cache/producers/<package>-<version>``), never in the kerasspec
package's environment: it imports that venv's Keras, the generator's live-model extraction
(``generator/_worker.py``: the same code that computed every expected document, from the model
objects the producer built) and ``kerasspec.harness.serve`` (standard library only) from the checkout.

For each case:

1. the text is loaded by the reader's public entry point (``Reader.load``); any exception there is the
   reader refusing the file, answered as a rejection with the exception's first line (code
   ``load-error``);
2. the canonical document is read from the loaded model's live objects (layers' inbound nodes, call
   arguments, Keras history) by the generator's ``Keras3Graph``/``Keras2Graph`` for the reader's object
   model, expressed in the conventions of the *file's* wire format (``CrossFormat`` below when they
   differ). An exception there is an adapter bug, not a rejection: it escapes and the harness records
   a crash, so it can never hide in the matrix as the reader's behaviour.

Only each layer's ``class_name`` and ``module`` come from the file (as in the generator): they name
the class as the serializer wrote it and are not wiring. Layers are matched to the file by name, so a
reader that builds its layers in another order still gets the document in the file's order.
"""

from __future__ import annotations

import gc
import inspect
import json
import os
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]

# Quiet TensorFlow and pin the CPU backend before any import of Keras: the adapter's stdout is the
# protocol, and a GPU probe or a log line there would be a protocol error.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
sys.path[:0] = [str(REPO_ROOT), str(REPO_ROOT / "src")]

from generator._worker import (  # noqa: E402
    Graph,
    Keras2Graph,
    Keras3Graph,
    LegacyGraph,
    Producer,
    RecipeError,
    legacy_environment,
    restore_collections_aliases,
    written_name,
)
from kerasspec import ParseError  # noqa: E402  (kerasspec's parser and serve use only the standard library)
from kerasspec.harness import serve  # noqa: E402
from kerasspec.parser import detect_format  # noqa: E402
from kerasspec.vocabulary import FORMATS  # noqa: E402

LOAD_ERROR = "load-error"
CLEAR_EVERY = 200  # cases between two full garbage collections


class Rejected(Exception):
    """The reader refused the file: a protocol rejection (``code``, ``message``)."""

    code = LOAD_ERROR

    def __init__(self, error: BaseException) -> None:
        lines = str(error).strip().splitlines()
        self.message = f"{type(error).__name__}: {lines[0][:300] if lines else ''}".rstrip(": ")
        super().__init__(self.message)


def file_format(config: Any) -> str:
    """The wire format of a decoded model config, by the spec's detection rule (``kerasspec.parser``).

    It only picks the *conventions* of the answer (keras2 or keras3 calls); the wiring itself always
    comes from the loaded model.
    """
    try:
        return detect_format(config) if isinstance(config, dict) else "keras3"
    except ParseError:  # a keras_version that is neither 2.x nor 3.x: Keras itself decides below
        return "keras3"


class OtherLayers(RecipeError):
    """The loaded model holds another set of layers than the file lists (the loader dropped an unused
    input, or added layers of its own for a mask): the file's layers cannot be matched to it."""


def _without_modules(config: Any) -> Any:
    """``config`` without ``module`` members: keras2 files write none, so a keras3 self-description
    of a model read from one must not differ from it there."""
    if isinstance(config, dict):
        return {key: _without_modules(value) for key, value in config.items() if key != "module"}
    if isinstance(config, list):
        return [_without_modules(item) for item in config]
    return config


class _ByName(Graph):
    """Mixin: align the live layers with the file's ``layers`` by name (the generator aligns by position,
    which holds for the model it built itself but not for one a reader rebuilt)."""

    def __init__(self, producer: Producer) -> None:
        super().__init__(producer)
        self._names: list[list[str | None]] = []

    def model(self, model: Any, config: dict[str, Any], *, wire: bool) -> dict[str, Any]:
        inner = config.get("config", config)
        # Keras 1.x to 2.2.2 write a Sequential's config as the bare list of its layers (as Graph.model reads it).
        layers = inner if isinstance(inner, list) else inner.get("layers", [])
        self._names.append([written_name(c) for c in layers])
        try:
            return super().model(model, config, wire=wire)
        finally:
            self._names.pop()

    def config_layers(self, model: Any, sequential: bool) -> list[Any]:
        live = super().config_layers(model, sequential)
        names = self._names[-1]
        if sequential and len(live) == len(names) + 1 and self.is_input_layer(live[0]) and live[0].name not in names:
            # The loader gave a Sequential whose file lists no InputLayer one of its own (named after
            # the first layer, or "input_layer"), as its public ``model.layers`` hides: not in the file.
            live = live[1:]
        by_name = {layer.name: layer for layer in live}
        named = {name for name in names if name is not None}
        if len(by_name) == len(live) == len(names) and len(named) == len(names) - names.count(None):
            # A layer the file names nowhere (a model in a list-shaped Sequential config) or that the
            # loader renamed (it drops the name of a list-shaped Sequential nested in a Functional)
            # takes the next live layer the file does not name, in the reader's order: the answer
            # then names it as the loaded model does.
            others = iter([layer for layer in live if layer.name not in named])
            return [by_name[name] if name in by_name else next(others) for name in names]
        raise OtherLayers(f"live layers {[layer.name for layer in live]} are not the config's {names}")

    def check_layers(self, layers: list[Any], written: list[str | None]) -> None:
        """Nothing left to check: :meth:`config_layers` aligned the live layers with the file's, or raised."""


class SameFormat3(_ByName, Keras3Graph):
    """A Keras 3 reader on a keras3 file: the generator's own extraction."""


class SameFormat2(_ByName, Keras2Graph):
    """A tf_keras reader on a keras2 file: the generator's own extraction."""


class Legacy(_ByName, LegacyGraph):
    """Standalone Keras 1.x-2.3 as a reader: the generator's own extraction for those releases."""


class CrossFormat(_ByName, Keras3Graph):
    """A Keras 3 reader on a keras2 file: Keras 3 live objects in keras2 conventions (spec/keras2.md).

    keras2's ``Node.serialize`` writes ``args = [first argument]`` and every other positional argument
    by its parameter name in ``kwargs``, and never records what the framework filled in itself (tf_keras
    pops an implicit ``mask`` and a framework-set ``training`` before recording the node). Keras 3
    records the call as made plus what ``Layer.__call__`` injected: ``mask`` (the input's Keras mask,
    ``None`` without masking) and call-context arguments (``training``) resolved from the call
    signature's default. Those injected values are dropped here so that what remains is what the
    loader passed from the file. Consequence (stated in the README): an explicit ``mask: null``, or a
    ``training`` equal to the layer's default, written in a keras2 file cannot be told from an injected
    one and is dropped too; the corpus has no such case.
    """

    def call(self, layer: Any, node: Any, index: dict[Any, int], *, wire: bool) -> dict[str, Any]:
        params = [
            p
            for p in inspect.signature(layer.call).parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        names = [p.name for p in params]
        defaults = {p.name: p.default for p in params}
        args = list(node.arguments.args)
        kwargs = dict(node.arguments.kwargs)
        # The first argument, also when passed by keyword (``layer(inputs=x)``).
        first = args.pop(0) if args else kwargs.pop(names[0]) if names and names[0] in kwargs else None
        named = dict(zip(names[1:], args, strict=False))
        named.update(kwargs)
        nest = self.p.tf.nest  # (keras.tree is not in every Keras 3 release; TensorFlow is the backend)
        if "mask" in named and all(leaf is None for leaf in nest.flatten(named["mask"])):
            named.pop("mask")  # also a structure of Nones: the mask of each input of a nested model
        for context in getattr(layer, "_call_context_args", ("training",)):
            if context in named and named[context] == defaults.get(context):
                named.pop(context)
        arg = self.value(first, index)
        if isinstance(first, (list, tuple)) and len(first) == 1 and not nest.is_nested(first[0]):
            arg = self.value(first[0], index)  # keras2 rule 1: a list of one entry is that entry
        return {"args": [arg], "kwargs": {str(k): self.value(v, index) for k, v in named.items()}}

    # keras2 inputs/outputs: the generator's keras2 reading of them (rule 3), which only needs a
    # tensor test (``_keras_history``, which Keras 3 tensors have too) and ``tf.nest``.
    io = Keras2Graph.io
    wraps_single_io = Keras2Graph.wraps_single_io
    is_keras_tensor = Keras2Graph.is_keras_tensor


class Reader:
    """One Keras release as a reader: how it loads a file and which object model it builds."""

    def __init__(self, package: str) -> None:
        self.package = package
        self.legacy = package == "keras-legacy"  # standalone Keras 1.x-2.3 on Theano
        if package == "tf_keras":
            import tf_keras as keras
        elif self.legacy:
            legacy_environment(os.environ.get("TMPDIR", "/tmp"))
            restore_collections_aliases()
            import keras
        else:
            import keras
        self.keras = keras
        self.version = keras.__version__
        self.object_format = "keras3" if package == "keras" else "keras2"
        self.producer = Producer(
            {
                "format": self.object_format,
                "package": "keras" if self.legacy else package,
                "version": self.version,
                "backend": "theano" if self.legacy else "tensorflow",
            }
        )
        self.custom_objects = self._corpus_custom_layers()
        self.loaded = 0
        self.clear_takes_free_memory = not self.legacy and (
            "free_memory" in inspect.signature(keras.backend.clear_session).parameters
        )

    def _corpus_custom_layers(self) -> dict[str, type]:
        """The corpus's custom layer classes (generator/recipes), passed as ``custom_objects``.

        A user loading a model with custom layers passes their classes; without them every such case
        would only show "Unknown layer", which says nothing about the reader's wiring.
        """
        from generator.recipes.kwargs import _custom_layers

        if self.legacy:
            return {}  # the corpus's custom layers use the tf.keras call API
        return _custom_layers(self.producer.kit())

    def load(self, text: str, config: Any, fmt: str) -> Any:
        """The reader's public entry point for this kind of file.

        Keras 3 has two: ``model_from_json`` (the ``serialization_lib`` format, whose envelope names
        each class's ``module``) and the legacy ``model_from_config`` that ``load_model`` uses for
        ``.h5`` files, and the way Keras 3 reads tf.keras/tf_keras configs. keras2 files take the
        legacy path (``model_from_json`` refuses even tf_keras 2.21's own ``to_json`` output: its
        envelope names ``tf_keras.src...`` modules, see FINDINGS.md); keras3 files take
        ``model_from_json`` unless they have no ``module`` (Keras 3's own ``.h5`` model_config), as
        ``functional_from_config`` itself dispatches ("Legacy format deserialization (no "module"
        key)"). tf_keras's ``model_from_json`` dispatches between its two formats itself.
        """
        if self.package == "keras" and isinstance(config, dict) and (fmt == "keras2" or "module" not in config):
            from keras.src.legacy.saving import saving_utils

            return saving_utils.model_from_config(config, custom_objects=self.custom_objects)
        return self.keras.models.model_from_json(text, custom_objects=self.custom_objects)

    def graph(self, fmt: str) -> Any:
        if self.legacy:
            return Legacy(self.producer)
        if self.object_format == "keras3":
            return (SameFormat3 if fmt == "keras3" else CrossFormat)(self.producer)
        return SameFormat2(self.producer)

    def parse(self, text: str) -> dict[str, Any]:
        # A fresh global state per case (name counters: Keras names an unnamed op from them, and
        # an answer must not depend on the cases before it). The garbage collection Keras 3.15 adds
        # to clear_session costs 0.6 s, ten times a load, so it runs only every CLEAR_EVERY cases.
        self.loaded += 1
        if self.legacy:
            self.producer.reset()
        elif self.clear_takes_free_memory:
            self.keras.backend.clear_session(free_memory=False)
        else:
            self.keras.backend.clear_session()
        if self.loaded % CLEAR_EVERY == 0:
            gc.collect()
        try:
            config = json.loads(text)  # what both loaders do first (model_from_json)
            fmt = file_format(config)
            model = self.load(text, json.loads(text), fmt)  # loaders may edit the dict they get
        except (Exception, RecursionError) as error:  # the reader refused the file
            raise Rejected(error) from error
        if not isinstance(model, self.keras.models.Model):
            # Keras returned something else without complaint (model_from_json('"abc"') is "abc"):
            # there is no model to read a document from, so it cannot have accepted the file.
            raise Rejected(TypeError(f"the loader returned a {type(model).__name__}, not a model, without an error"))
        # wire=True: the release's writing conventions (the generator's "expected" side).
        try:
            return {"format": fmt, "model": self.graph(fmt).model(model, config, wire=True)}
        except OtherLayers:
            # The answer is the model the reader built, as it describes itself (its own config): judged
            # against the expected graph, it fails where the layers differ, as the reader does.
            own = json.loads(model.to_json())
            own = _without_modules(own) if fmt == "keras2" else own
            own["class_name"] = config.get("class_name", own["class_name"])  # the file's, as read (`Model`)
            return {"format": fmt, "model": self.graph(fmt).model(model, own, wire=True)}

    def implementation(self) -> dict[str, str]:
        homepage = {
            "keras": "https://github.com/keras-team/keras",
            "keras-legacy": "https://github.com/keras-team/keras",
            "tf_keras": "https://github.com/keras-team/tf-keras",
        }[self.package]
        name = "keras" if self.legacy else self.package
        return {"name": f"{name} model_from_json", "version": self.version, "language": "python", "homepage": homepage}


def main(package: str) -> int:
    reader = Reader(package)
    # Both formats are sent: which Keras reads which format is the question the matrix answers.
    return serve(reader.parse, implementation=reader.implementation(), formats=FORMATS)
