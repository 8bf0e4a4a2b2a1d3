"""What real files wrap around a model JSON, and which era wrote it (spec/envelope.md#wrappers).

- a JSON *string* whose text is the model JSON (a file that was ``json.dump``-ed from the text
  ``model.to_json()`` returned): decoded once;
- tfjs-layers' ``model.save()`` output: the Keras JSON is the ``modelTopology`` member;
- the tfjs converter's ``model.json``: ``modelTopology.model_config``, with ``keras_version``
  beside it in ``modelTopology``.

The era matters for one rule only: Keras before 2.4 counted a nested Sequential's calls from 1
even without an InputLayer in its config (spec/keras2.md#node-numbering-before-2-4).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from kerasspec._limits import Limits
from kerasspec._load import load
from kerasspec._location import ROOT, Location
from kerasspec.errors import NotAModel, NotJSON

#: ``keras_version`` values that number every nested model from 1: Keras 1.x and 2.0-2.3
#: (standalone, or tf.keras "-tf"), and tfjs-layers, which kept that writer.
_OLD_ERA = re.compile(r"(1\.|2\.[0-3](\.|$|-)|tfjs-layers)")


#: A container's ``keras_version`` that names a release (any other value there is ignored).
_RELEASE = re.compile(r"([123](\.|$)|tfjs-layers)")


class Unwrapped(NamedTuple):
    """The model envelope inside a file, where it is, and the ``keras_version`` member that applies to it."""

    document: Any
    location: Location
    #: the ``keras_version`` member's value and location (the envelope's, or the one beside a tfjs
    #: converter's ``model_config``); None where there is no such member
    version: tuple[Any, Location] | None

    @property
    def release(self) -> str | None:
        """The ``keras_version`` when it is a string (a release name), else None."""
        value = self.version[0] if self.version is not None else None
        return value if type(value) is str else None


def unwrap(document: Any, limits: Limits) -> Unwrapped:
    """The model envelope inside ``document``, its location, and the ``keras_version`` that applies to it."""
    location: Location = ROOT
    if type(document) is str:
        text = document
        try:
            document = load(text, limits)  # the string's text is held to the same limits as a file
        except NotJSON as error:
            # Valid JSON, but a string and not a model: the file is no model (not "not JSON").
            raise NotAModel(
                f"a model JSON is an object, not a string (its text is no JSON: {error.message})",
                value=text[:80],
            ) from None
        if type(document) is not dict:
            raise NotAModel("a JSON string holding a model JSON holds an object", value=type(document).__name__)
    if type(document) is dict and type(document.get("modelTopology")) is dict and "config" not in document:
        location = (location, "modelTopology")
        document = document["modelTopology"]
        if type(document.get("model_config")) is dict and "config" not in document:
            # The tfjs converter: the keras_version beside model_config is the envelope's, whatever its value.
            beside = (document["keras_version"], (location, "keras_version")) if "keras_version" in document else None
            location = (location, "model_config")
            document = document["model_config"]
            return Unwrapped(document, location, beside or envelope_version(document, location))
    return Unwrapped(document, location, envelope_version(document, location))


def envelope_version(document: Any, location: Location) -> tuple[Any, Location] | None:
    """The ``keras_version`` member of the envelope ``document`` at ``location``, and where it is (None: none)."""
    if type(document) is dict and "keras_version" in document:
        return document["keras_version"], (location, "keras_version")
    return None


def old_era(document: Mapping[str, Any], keras_version: str | None, container_version: str | None = None) -> bool:
    """Whether the file comes from Keras before 2.4 or tfjs-layers (every nested model's calls counted from 1).

    ``keras_version`` decides when present. Without it (the ``model_config`` of an ``.h5`` file), the
    container's own ``keras_version`` (the ``.h5`` root attribute) decides when it names a release
    (spec/keras2.md#node-numbering-before-2-4: a reader that opens the file SHOULD use it); failing
    that, a top-level ``class_name`` of ``Model`` (tf.keras 2.4 on writes ``Functional``) or a
    Sequential config written as a bare list (only Keras before 2.2.3 wrote one) says so.
    """
    if keras_version is None and container_version is not None and _RELEASE.match(container_version):
        keras_version = container_version
    if keras_version is not None:
        return bool(_OLD_ERA.match(keras_version))
    if document.get("class_name") == "Model":
        return True
    return type(document.get("config")) is list
