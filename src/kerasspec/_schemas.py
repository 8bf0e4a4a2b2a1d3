"""The JSON Schemas of ``schemas/``: one registry, one compiled validator per schema, built once.

Every schema is addressed by its stable ``$id`` (``https://kerasspec.dev/schemas/...``) and
resolved from the local files only, through a :class:`referencing.Registry`: nothing is ever
fetched from the network. Compiling a validator costs far more than running it, so validators
are cached for the life of the process; validating the whole corpus then costs one compile per
schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

from kerasspec._resources import schemas_dir

BASE_URI = "https://kerasspec.dev/schemas/"

#: The schema a document of each kind is checked against, by ``$id``.
ROOTS: dict[str, str] = {
    "keras2": BASE_URI + "keras2/model.json",
    "keras3": BASE_URI + "keras3/model.json",
    "canonical": BASE_URI + "canonical-graph/document.json",
}

# The folders this module owns; schemas/protocol/ belongs to the harness and schemas/corpus/ to
# the corpus manifest: loaded too, so that the metaschema check and the registry cover every
# schema the project ships.
_FOLDERS = ("keras2", "keras3", "canonical-graph", "protocol", "corpus")


def schema_files(directory: Path | None = None) -> list[Path]:
    """Every ``*.json`` schema file under the schemas directory, in a stable order."""
    root = schemas_dir(directory)
    files: list[Path] = []
    for folder in _FOLDERS:
        files.extend(sorted((root / folder).glob("*.json")))
    return files


@cache
def registry(directory: Path | None = None) -> Registry[Any]:
    """A registry holding every shipped schema under its ``$id``."""
    resources: list[tuple[str, Resource[Any]]] = []
    for path in schema_files(directory):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources).crawl()


@cache
def validator(kind: str, directory: Path | None = None) -> Draft202012Validator:
    """The compiled validator for ``kind`` (``keras2``, ``keras3`` or ``canonical``)."""
    if kind not in ROOTS:
        raise KeyError(f"no schema for {kind!r}; expected one of {sorted(ROOTS)}")
    reg = registry(directory)
    schema = reg.contents(ROOTS[kind])
    return Draft202012Validator(schema, registry=reg)


def rule_location(error: ValidationError, kind: str, directory: Path | None = None) -> str:
    """Where the broken rule is written: ``<schema $id>#<JSON pointer to the keyword>``.

    jsonschema's keyword path runs from the root schema *through* ``$ref`` hops without naming
    them; following each hop in the registry turns it into the address of the keyword in the file
    that holds it, which is what a person needs to open.
    """
    reg = registry(directory)
    base = ROOTS[kind]
    resolver = reg.resolver(base)
    contents: Any = reg.contents(base)
    pointer: list[str] = []
    for part in error.absolute_schema_path:
        # A keyword absent here but present behind this subschema's $ref: follow the hop first.
        while isinstance(contents, dict) and part not in contents and "$ref" in contents:
            target = urljoin(base, contents["$ref"])
            try:
                resolved = resolver.lookup(target)
            except Unresolvable:
                break
            contents, resolver = resolved.contents, resolved.resolver
            base, fragment = urldefrag(target)
            pointer = [_unescape(segment) for segment in fragment.split("/") if segment]
        pointer.append(str(part))
        try:
            contents = contents[part]
        except (KeyError, IndexError, TypeError):
            contents = None
    return f"{base}#/{'/'.join(_escape(p) for p in pointer)}"


def _unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def check_metaschema(paths: Iterable[Path]) -> None:
    """Raise ``jsonschema.SchemaError`` if any schema file is not a valid 2020-12 schema."""
    for path in paths:
        Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))
