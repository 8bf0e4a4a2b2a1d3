"""The conformance corpus: ``corpus/manifest.json`` read into typed cases, and case selection.

A case is one model JSON with one reason to exist: a ``valid`` or ``lossy`` case carries the
canonical document a parser must produce; an ``invalid`` case the error code it must be rejected
with. Selection narrows a corpus by wire format, producer release, feature tag, case-id glob and
kind, so a maintainer can run exactly the part of the suite that applies to them.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from kerasspec._limits import Limits
from kerasspec._load import load as load_file
from kerasspec._resources import corpus_dir
from kerasspec._wrappers import unwrap
from kerasspec.errors import DataFileError
from kerasspec.vocabulary import CASE_KINDS, CONTAINERS, FORMATS, HAND_MADE, CaseKind, Format, Producer, release_label

__all__ = ["Case", "Corpus", "CorpusError", "Selection", "load"]


class CorpusError(DataFileError):
    """A corpus (or its manifest) that cannot be trusted: the run stops before any case (exit 65)."""

    code = "bad-corpus"
    default_path = "$"


@dataclass(frozen=True, slots=True)
class Case:
    """One corpus case, with paths relative to the corpus root ``root``."""

    id: str
    kind: CaseKind
    format: Format
    producer: Producer | None
    recipe: str | None
    container: str | None
    features: tuple[str, ...]
    input: str
    expected: str | None
    live: str | None
    error: str | None
    sha256: Mapping[str, str]
    description: str
    root: Path = field(compare=False, repr=False)

    @property
    def release(self) -> str:
        """The producer release label, or ``hand-made`` for cases no Keras wrote."""
        return self.producer.release if self.producer is not None else HAND_MADE

    @property
    def input_path(self) -> Path:
        return self.root / self.input

    def read_input(self, *, verify: bool = True) -> str:
        """The model JSON exactly as stored (checked against the manifest's sha256 unless told not to)."""
        return self._read(self.input, verify).decode("utf-8")

    def read_model(self, limits: Limits | None = None) -> Any:
        """The model JSON of the input as data, as a reader sees it before reading the graph.

        The file is decoded as ``kerasspec parse`` decodes it (a ``.keras`` or ``.h5`` container
        opened) and any wrapper around the model JSON is removed (spec/envelope.md#wrappers: a
        double-encoded string, a tfjs ``modelTopology``); what is wrapped is the point of some
        cases, so a check of the model JSON itself reads it through here. A case whose file holds
        no model (an invalid one) raises its :class:`~kerasspec.errors.ParseError`. Not checked
        against the manifest's sha256.
        """
        limits = limits or Limits()
        return unwrap(load_file(self.input_path, limits), limits)[0]

    def read_expected(self, *, verify: bool = True) -> Any:
        """The expected canonical document (valid and lossy cases), as JSON data."""
        if self.expected is None:
            raise CorpusError(f"case {self.id} has no expected document", path=self.id)
        return json.loads(self._read(self.expected, verify))

    def verify(self) -> None:
        """Check every file the case uses (input, expected, live) against its sha256 in the manifest."""
        for relative in dict.fromkeys([self.input, self.expected, self.live, *self.sha256]):
            if relative is not None:
                self._read(relative)

    def _read(self, relative: str, verify: bool = True) -> bytes:
        try:
            data = (self.root / relative).read_bytes()
        except OSError as error:
            raise CorpusError(
                f"case {self.id}: cannot read {relative}: {error.strerror}", path=self.id, value=relative
            ) from None
        want = self.sha256.get(relative) if verify else None
        if want is not None and hashlib.sha256(data).hexdigest() != want:
            raise CorpusError(
                f"case {self.id}: {relative} does not match its sha256 in the manifest",
                path=self.id,
                value=relative,
                hint="regenerate the corpus or restore the file",
            )
        return data


@dataclass(frozen=True, slots=True)
class Selection:
    """Which cases to run. Every criterion is optional; a case must meet all given ones.

    Within one criterion any value may match; ``ids`` and ``releases`` are shell globs
    (``keras3/*/mha-*``, ``keras-3.1*``); ``features`` are tags from ``spec/features.md``;
    ``cases`` are exact case ids (the failures of an earlier run).
    """

    formats: tuple[str, ...] = ()
    releases: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    cases: frozenset[str] | None = None

    @property
    def filtered(self) -> bool:
        """Whether any criterion is set (the run covers part of the corpus)."""
        return bool(self.describe())

    def matches(self, case: Case) -> bool:
        if self.cases is not None and case.id not in self.cases:
            return False
        if self.formats and case.format not in self.formats:
            return False
        if self.kinds and case.kind not in self.kinds:
            return False
        if self.features and not set(self.features) & set(case.features):
            return False
        if self.releases and not any(fnmatch.fnmatchcase(case.release, release_label(g)) for g in self.releases):
            return False
        return not self.ids or any(fnmatch.fnmatchcase(case.id, glob) for glob in self.ids)

    def describe(self) -> dict[str, list[str]]:
        """The criteria that are set, for reports."""
        criteria = {
            "formats": self.formats,
            "releases": self.releases,
            "features": self.features,
            "ids": self.ids,
            "kinds": self.kinds,
        }
        described = {name: list(values) for name, values in criteria.items() if values}
        if self.cases is not None:
            described["cases"] = sorted(self.cases)
        return described


@dataclass(frozen=True, slots=True)
class Corpus:
    """A loaded corpus: its manifest metadata and its cases in manifest order."""

    root: Path
    version: str
    generated_by: str
    producers: tuple[Mapping[str, Any], ...]
    cases: tuple[Case, ...]

    def select(self, selection: Selection | None = None) -> list[Case]:
        if selection is None:
            return list(self.cases)
        return [case for case in self.cases if selection.matches(case)]

    def case(self, case_id: str) -> Case:
        for case in self.cases:
            if case.id == case_id:
                return case
        raise KeyError(case_id)

    @property
    def features(self) -> list[str]:
        return sorted({tag for case in self.cases for tag in case.features})


def load(root: str | os.PathLike[str] | None = None) -> Corpus:
    """Read ``manifest.json`` of the corpus at ``root`` (default: the bundled corpus).

    Raises :class:`CorpusError` when the manifest is missing, not JSON, or a case is malformed.
    """
    directory = corpus_dir(root)
    manifest_path = directory / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusError(
            f"no manifest.json in {directory}", path=str(manifest_path), hint="generate the corpus first"
        ) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise CorpusError(f"manifest.json is not JSON: {error}", path=str(manifest_path)) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("cases"), list):
        raise CorpusError("manifest.json must be an object with a 'cases' list", path="$.cases")
    inside = _Inside(directory)
    cases = tuple(_case(directory, index, raw, inside) for index, raw in enumerate(manifest["cases"]))
    _check_unique(cases)
    return Corpus(
        root=directory,
        version=str(manifest.get("version", "unknown")),
        generated_by=str(manifest.get("generated_by", "")),
        producers=tuple(manifest.get("producers") or ()),
        cases=cases,
    )


def _case(root: Path, index: int, raw: Any, inside: _Inside) -> Case:
    where = f"$.cases[{index}]"
    if not isinstance(raw, dict):
        raise CorpusError("a case must be an object", path=where, value=raw)

    def text(key: str, *, required: bool = True, choices: Sequence[str] = ()) -> str | None:
        value = raw.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or (choices and value not in choices):
            expected = " | ".join(choices) if choices else "a string"
            raise CorpusError(f"{key} must be {expected}", path=f"{where}.{key}", value=value)
        return value

    kind = text("kind", choices=CASE_KINDS)
    case_id = text("id")
    assert case_id is not None and kind is not None
    expected = text("expected", required=kind != "invalid")
    error = text("error", required=kind == "invalid")
    features = raw.get("features") or []
    if not isinstance(features, list) or not all(isinstance(tag, str) for tag in features):
        raise CorpusError("features must be a list of tags", path=f"{where}.features", value=features)
    sha256 = raw.get("sha256") or {}
    if not isinstance(sha256, dict):
        raise CorpusError("sha256 must map paths to digests", path=f"{where}.sha256", value=sha256)
    for key in ("input", "expected", "live"):
        inside(raw.get(key), f"{where}.{key}")
    for relative in sha256:
        inside(relative, f"{where}.sha256")
    return Case(
        id=case_id,
        kind=cast(CaseKind, kind),
        format=cast(Format, text("format", choices=FORMATS)),
        producer=_producer(raw.get("producer"), f"{where}.producer"),
        recipe=text("recipe", required=False),
        container=text("container", required=False, choices=CONTAINERS),
        features=tuple(features),
        input=text("input") or "",
        expected=expected,
        live=text("live", required=False),
        error=error,
        sha256=sha256,
        description=text("description", required=False) or "",
        root=root,
    )


class _Inside:
    """A corpus reads only its own files: a path that leaves the root (``..``, absolute, a symlink out) is refused.

    A path is resolved as ``Path.resolve`` does, but each folder once: the cases of a corpus share a
    few thousand folders, and resolving every path whole costs seconds of ``lstat`` calls.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        resolved = str(root.resolve())
        self.prefix = resolved.rstrip("/") + "/"
        self.resolved: dict[str, str] = {"": resolved}

    def _real(self, relative: str) -> str:
        found = self.resolved.get(relative)
        if found is None:
            parent, _, name = relative.rpartition("/")
            joined = os.path.join(self._real(parent), name)
            # A plain name that is no symlink resolves to itself; anything else as realpath says.
            plain = name not in ("", ".", "..") and not os.path.islink(joined)
            found = joined if plain else os.path.realpath(joined)
            self.resolved[relative] = found
        return found

    def __call__(self, relative: Any, where: str) -> None:
        if not isinstance(relative, str):
            return
        target = str((self.root / relative).resolve()) if relative.startswith("/") else self._real(relative)
        if not (target + "/").startswith(self.prefix):
            raise CorpusError(
                f"{relative!r} is outside the corpus folder",
                path=where,
                value=relative,
                hint="a case's files are paths relative to the folder of manifest.json, inside it",
            )


def _producer(raw: Any, where: str) -> Producer | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) for k in ("package", "version")):
        raise CorpusError("producer must be null or have package and version", path=where, value=raw)
    if not re.fullmatch(r"\d+(\.\d+)*", raw["version"]):
        raise CorpusError("producer version must be numbers and dots", path=f"{where}.version", value=raw["version"])
    return Producer.of(raw["package"], raw["version"], raw.get("backend"), raw.get("tensorflow"))


def _check_unique(cases: Iterable[Case]) -> None:
    seen: set[str] = set()
    for index, case in enumerate(cases):
        if case.id in seen:
            raise CorpusError(f"duplicate case id {case.id}", path=f"$.cases[{index}].id", value=case.id)
        seen.add(case.id)
