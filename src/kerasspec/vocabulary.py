"""The words of the spec, defined once: wire formats, case kinds, outcomes, producer releases, exit codes.

Every other module takes these names from here (``generator/_worker.py``, which runs inside old
Python environments without this package, keeps the one copy it needs, tied to this module by
``tests/generator/test_vocabulary.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, get_args

__all__ = [
    "CASE_KINDS",
    "CONSTANT_VALUE",
    "CONTAINERS",
    "EXIT_BAD_INPUT",
    "FORMATS",
    "HAND_MADE",
    "KERAS2_PACKAGES",
    "STRUCTURE_PRESERVING",
    "TFJS_LAYERS",
    "TRACKS",
    "AnswerKind",
    "CaseKind",
    "Container",
    "Format",
    "Outcome",
    "Producer",
    "Track",
    "default_backend",
    "release_label",
]

# --- wire formats and case kinds -------------------------------------------------------------------

#: The two wire formats of spec/keras2.md and spec/keras3.md.
Format = Literal["keras2", "keras3"]
FORMATS: tuple[Format, ...] = get_args(Format)

#: What a corpus case asks of a parser: read it exactly (valid), reject it (invalid), or read the
#: part the file keeps (lossy).
CaseKind = Literal["valid", "invalid", "lossy"]
CASE_KINDS: tuple[CaseKind, ...] = get_args(CaseKind)

#: Where a model JSON sits (spec/envelope.md): the text of ``to_json()``, the ``config.json`` of a
#: ``.keras`` archive, the ``model_config`` of an ``.h5`` file. A reader that reads files is handed
#: each case in the containers it asks for (spec/protocol.md#containers).
Container = Literal["to_json", "keras-archive", "h5"]
CONTAINERS: tuple[Container, ...] = get_args(Container)

#: What a reader on trial answers (spec/protocol.md#tracks): a ``parser`` the canonical graph, a
#: ``scanner`` the places that carry code (spec/scanners.md).
Track = Literal["parser", "scanner"]
TRACKS: tuple[Track, ...] = get_args(Track)

#: What a parser did with one case before judgement: a ``document``, an ``error`` (a rejection),
#: a scanner's ``findings``, or one of the failures the harness records itself.
AnswerKind = Literal["document", "error", "findings", "crash", "timeout", "protocol-error", "unsupported"]


class Outcome(StrEnum):
    """The outcome of one case (spec/protocol.md, "Outcomes")."""

    PASS = "pass"
    FAIL = "fail"  # a document that differs from the expected one
    REJECTED_VALID = "rejected-valid"
    ACCEPTED_INVALID = "accepted-invalid"
    WRONG_ERROR = "wrong-error"  # rejected with another code (strict mode only)
    CRASH = "crash"
    TIMEOUT = "timeout"
    PROTOCOL_ERROR = "protocol-error"
    UNSUPPORTED = "unsupported"  # a wire format (or container) the parser declared it does not read
    MISSED = "missed"  # scanner track: a code-carrying config no finding matched
    FALSE_ALARM = "false-alarm"  # scanner track: a finding that matches no code-carrying config

    @property
    def failing(self) -> bool:
        """Whether this outcome fails a run (unless the case is a known failure)."""
        return self not in (Outcome.PASS, Outcome.UNSUPPORTED)


# --- exit codes ----------------------------------------------------------------------------------

#: Exit status for input that is not a conforming model, a corpus or data file that cannot be
#: trusted, and a per-case parser's rejection (sysexits.h ``EX_DATAERR``).
EXIT_BAD_INPUT = 65

# --- keras2 wire constants ---------------------------------------------------------------------------

#: Layers whose keras2 node keeps the structure of the first argument as written (tf_keras
#: ``_preserve_input_structure_in_config``): a single tensor is a bare entry, not a list of one.
STRUCTURE_PRESERVING = frozenset({"TFOpLambda", "SlicingOpLambda", "ClassMethod", "InstanceMethod", "InstanceProperty"})

#: The layer name of a keras2 entry that holds a constant instead of a tensor reference.
CONSTANT_VALUE = "_CONSTANT_VALUE"

# --- producer releases ---------------------------------------------------------------------------

#: The TensorFlow.js layers package, which writes keras2 from JavaScript (spec/envelope.md#tfjs-layers).
TFJS_LAYERS = "tfjs-layers"

#: Packages that write keras2 (tf.keras inside TensorFlow 2.x, the tf_keras package, and tfjs-layers).
KERAS2_PACKAGES = frozenset({"tf_keras", "tensorflow", TFJS_LAYERS})

#: The release label of corpus cases no Keras wrote.
HAND_MADE = "hand-made"

_NAME = re.compile(r"^(keras|tf_keras|tensorflow|tfjs-layers)-(\d+(?:\.\d+)*)(?:-([a-z]+))?$")
_DEFAULT_BACKEND = "tensorflow"
#: Standalone Keras before 2.4 runs on Theano in the corpus (its only backend there), so its
#: releases are named without a backend, like the TensorFlow-backed ones.
_OLD_ERA_BACKEND = "theano"
#: tfjs-layers runs on tfjs-core's pure-JavaScript CPU backend in the corpus.
_TFJS_BACKEND = "cpu"


def default_backend(package: str, version: tuple[int, ...]) -> str:
    """The backend a release is named without: Theano for standalone Keras before 2.4, the CPU backend
    for tfjs-layers, else TensorFlow."""
    if package == TFJS_LAYERS:
        return _TFJS_BACKEND
    return _OLD_ERA_BACKEND if package == "keras" and version < (2, 4) else _DEFAULT_BACKEND


@dataclass(frozen=True, order=True)
class Producer:
    """A release of a Keras package that writes model JSON, e.g. ``keras-3.15.1`` or ``tf_keras-2.21.0``.

    ``backend`` is the backend the release ran on: unless told otherwise ``theano`` for standalone
    Keras before 2.4 and ``tensorflow`` for every later release (:func:`default_backend`);
    ``tensorflow`` the TensorFlow version installed beside it, when the corpus manifest records one.
    Releases order by package, then numerically by version (``keras-3.10.0`` after ``keras-3.9.2``).
    """

    package: str
    version: tuple[int, ...]
    backend: str = ""
    tensorflow: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.backend:
            object.__setattr__(self, "backend", default_backend(self.package, self.version))

    @classmethod
    def parse(cls, name: str | Producer) -> Producer:
        """Read ``"<package>-<version>"`` (the producer names of ``generator/matrix.toml``), with an
        optional backend appended as in case ids (``keras-3.15.1-jax``); ``keras-2.2.4-theano``, the
        label corpus 0.8.0 gave old-era cases, reads as ``keras-2.2.4``."""
        if isinstance(name, Producer):
            return name
        match = _NAME.match(name)
        if match is None:
            raise ValueError(
                "a producer is 'keras-X.Y.Z', 'tf_keras-X.Y.Z', 'tensorflow-X.Y.Z' or 'tfjs-layers-X.Y.Z', "
                f"not {name!r}"
            )
        return cls(match[1], _version(match[2]), match[3] or "")

    @classmethod
    def of(cls, package: str, version: str, backend: str | None = None, tensorflow: str | None = None) -> Producer:
        """A producer from the fields of a corpus manifest entry (``version`` as written, ``3.15.1``)."""
        return cls(package, _version(version), backend or "", tensorflow)

    @property
    def name(self) -> str:
        """``keras-3.15.1``: the package and version, as ``generator/matrix.toml`` names a release."""
        return f"{self.package}-{self.version_text}"

    @property
    def release(self) -> str:
        """The release label, the second part of case ids: ``keras-3.15.1``, ``keras-2.2.4``; a backend
        other than the release's default is appended (``keras-3.15.1-jax``)."""
        default = default_backend(self.package, self.version)
        return self.name if self.backend == default else f"{self.name}-{self.backend}"

    @property
    def version_text(self) -> str:
        return ".".join(map(str, self.version))

    @property
    def format(self) -> Format:
        """The wire format this release writes."""
        # The keras package wrote keras2 before 3.0 (standalone Keras 1.x and 2.x).
        keras2 = self.package in KERAS2_PACKAGES or (self.package == "keras" and self.version < (3,))
        return "keras2" if keras2 else "keras3"

    @property
    def old_era(self) -> bool:
        """Standalone Keras before 2.4 (spec/keras2.md#old-era)."""
        return self.package == "keras" and self.version < (2, 4)

    @property
    def tfjs(self) -> bool:
        """TensorFlow.js layers (JavaScript): the generator runs it with Node.js, not in a Python venv."""
        return self.package == TFJS_LAYERS

    @property
    def container_writer(self) -> bool:
        """Writes with ``Container.get_config`` (spec/keras2.md#old-era): every nested model numbered
        from 1, inputs and outputs as flat lists. Standalone Keras before 2.4, and tfjs-layers, which
        ported that writer."""
        return self.old_era or self.tfjs

    @property
    def containers(self) -> tuple[Container, ...]:
        """The containers this release writes model JSON into (spec/protocol.md#containers): every
        Python release writes ``.h5``; ``.keras`` archives exist from tf.keras 2.13 and Keras 3 on
        (``model.save()`` to a ``.keras`` name writes HDF5 before); tfjs-layers writes only its ``model.json``."""
        if self.tfjs:
            return ("to_json",)
        archive = self.format == "keras3" or (self.package in KERAS2_PACKAGES and self.at_least(2, 13))
        return CONTAINERS if archive else ("to_json", "h5")

    @property
    def list_sequential(self) -> bool:
        """Writes a Sequential's config as the bare list of its layers (Keras 1.0 to 2.2.2)."""
        return self.package == "keras" and self.version < (2, 2, 3)

    def at_least(self, *version: int) -> bool:
        return self.version >= version

    def __str__(self) -> str:
        return self.name


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def release_label(text: str) -> str:
    """``text`` as case ids write the release: a release named with its default backend
    (``keras-2.2.4-theano``, the label corpus 0.8.0 reported) loses it; anything else (a glob,
    ``hand-made``) is returned as it is."""
    try:
        return Producer.parse(text).release
    except ValueError:
        return text


def release_order(release: str) -> tuple[object, ...]:
    """Sort key of a release label: by package, then numerically by version (``keras-3.10.0`` after
    ``keras-3.9.2``); also orders labels that are not releases (``hand-made``) among them."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", release))
