"""The JSON Schemas of ``schemas/``: one registry, one compiled validator per schema, built once.

Every schema is addressed by its stable ``$id`` (``https://kerasspec.dev/schemas/...``) and
resolved from the local files only, through a :class:`referencing.Registry`: nothing is ever
fetched from the network. Compiling a validator costs far more than running it, so validators
are cached for the life of the process; validating the whole corpus then costs one compile per
schema.

Each schema has two validators over the same files: :func:`fast_validator` (jsonschema-rs,
compiled Rust) decides whether a document is valid and where it is not, tens of times faster
than :func:`validator` (jsonschema), which words each violation (``kerasspec.validate``).
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urldefrag, urljoin

import jsonschema_rs
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
def _contents(directory: Path | None = None) -> dict[str, Any]:
    """Every shipped schema by its ``$id``."""
    schemas = [json.loads(path.read_text(encoding="utf-8")) for path in schema_files(directory)]
    return {schema["$id"]: schema for schema in schemas}


@cache
def registry(directory: Path | None = None) -> Registry[Any]:
    """A registry holding every shipped schema under its ``$id``."""
    resources = [(uri, Resource.from_contents(schema)) for uri, schema in _contents(directory).items()]
    return Registry().with_resources(resources).crawl()


@cache
def validator(kind: str, directory: Path | None = None) -> Draft202012Validator:
    """The compiled jsonschema validator for ``kind`` (``keras2``, ``keras3`` or ``canonical``)."""
    if kind not in ROOTS:
        raise KeyError(f"no schema for {kind!r}; expected one of {sorted(ROOTS)}")
    reg = registry(directory)
    schema = reg.contents(ROOTS[kind])
    return Draft202012Validator(schema, registry=reg)


@cache
def fast_validator(kind: str, directory: Path | None = None) -> jsonschema_rs.Validator:
    """The jsonschema-rs validator for ``kind``, over the same schema files, never going online."""
    if kind not in ROOTS:
        raise KeyError(f"no schema for {kind!r}; expected one of {sorted(ROOTS)}")
    schemas = _contents(directory)
    return jsonschema_rs.Draft202012Validator(
        schemas[ROOTS[kind]], registry=jsonschema_rs.Registry(list(schemas.items())), offline=True
    )


class Failure(NamedTuple):
    """One keyword that jsonschema-rs found failing on one value of a document."""

    path: tuple[str | int, ...]  #: where the value is in the document
    schema_path: tuple[str | int, ...]  #: jsonschema's absolute schema path to the keyword
    location: str  #: the keyword's address in the schema files, ``<$id>#<pointer>``


# Encodes any value without failing on non-JSON types; raises ValueError on NaN and infinities.
_FINITE = json.JSONEncoder(allow_nan=False, check_circular=False, default=lambda value: None)


def exact(document: Any) -> bool:
    """Whether jsonschema-rs sees ``document`` as jsonschema does.

    jsonschema-rs cannot hold ``NaN``, ``Infinity`` and ``-Infinity`` (which Keras writes and the
    spec accepts) as JSON numbers: it skips their numeric checks (``-Infinity`` passes
    ``minimum: 0``) and fails them on keywords jsonschema passes, so a document holding one is
    checked by jsonschema alone. The check encodes the document once in C, a fraction of what
    decoding it cost.
    """
    try:
        _FINITE.encode(document)
    except ValueError:
        return False
    except RecursionError:  # deeper than the C encoder goes: the same question, without recursing
        return _finite_walk(document)
    return True


def _finite_walk(document: Any) -> bool:
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return False
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list | tuple):
            pending.extend(value)
    return True


def failures(document: Any, kind: str) -> list[Failure]:
    """Every failing keyword (once per value it fails on), in the order jsonschema evaluates them."""
    fast = fast_validator(kind)
    if _on_large_stack(fast.is_valid, document):
        return []
    return _on_large_stack(lambda value: _failures(fast, value), document)


def _failures(fast: jsonschema_rs.Validator, document: Any) -> list[Failure]:
    # Each error is turned into its Failure as it comes: a file with 200,000 violations never
    # holds 200,000 of jsonschema-rs's errors (each with a copy of its value) at once.
    found: dict[Failure, None] = {}
    for error in fast.iter_errors(document):
        # jsonschema-rs writes out the $ref hops that jsonschema's schema paths leave implicit.
        schema_path = tuple(part for part in error.evaluation_path if part != "$ref")
        found[Failure(tuple(error.instance_path), schema_path, error.absolute_keyword_location or "")] = None
    return list(found)


def explain(document: Any, kind: str, failure: Failure) -> list[ValidationError]:
    """jsonschema's own errors for the failing keyword, as a whole-document check would give them.

    The keyword's function runs on the value alone, with the schema object that holds it, so its
    cost does not depend on the size of the document.  Empty when jsonschema finds no error there.
    """
    found = _keyword(kind, failure.location)
    if found is None or failure.schema_path[-1:] != (found[1],):
        return []
    scoped, keyword, function = found
    schema = scoped.schema
    instance = document
    try:
        for key in failure.path:
            instance = instance[key]
    except (KeyError, IndexError, TypeError):
        return []
    errors = list(function(scoped, schema[keyword], instance, schema) or ())
    for error in errors:
        # What jsonschema's iter_errors adds to each error a keyword function yields.
        error._set(
            validator=keyword,
            validator_value=schema[keyword],
            instance=instance,
            schema=schema,
            type_checker=scoped.TYPE_CHECKER,
        )
        error.relative_schema_path.appendleft(keyword)
        error.relative_schema_path.extendleft(reversed(failure.schema_path[:-1]))
        error.relative_path.extendleft(reversed(failure.path))
    return errors


@cache
def _keyword(kind: str, location: str) -> tuple[Draft202012Validator, str, Callable[..., Any]] | None:
    """The schema object holding the keyword at ``location`` (as a validator scoped to its file),
    the keyword and its jsonschema function; None when jsonschema has no such keyword there."""
    uri, _, fragment = location.partition("#")
    *parents, keyword = [_unescape(segment) for segment in fragment.split("/")[1:]] or [""]
    function = Draft202012Validator.VALIDATORS.get(keyword)
    reg = registry()
    schema: Any = reg.contents(uri)
    try:
        for part in parents:
            schema = schema[int(part) if isinstance(schema, list) else part]
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if function is None or not isinstance(schema, dict) or keyword not in schema:
        return None
    return validator(kind).evolve(schema=schema, _resolver=reg.resolver(uri)), keyword, function


#: Stack for jsonschema-rs, whose checks recurse as deep as the document nests (within a recursive
#: schema) and would overflow the main thread's stack on values nested some ten thousand deep.
_STACK = 512 * 1024 * 1024

_T = TypeVar("_T")


def _on_large_stack(function: Callable[[Any], _T], argument: Any) -> _T:
    results: list[_T] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            results.append(function(argument))
        except BaseException as error:  # handed to the caller's thread
            failures.append(error)

    try:
        previous = threading.stack_size(_STACK)
    except (ValueError, RuntimeError):  # a platform that refuses the size: its own default stack
        return function(argument)
    thread = threading.Thread(target=run, name="kerasspec-validate")
    try:
        thread.start()
    except RuntimeError:  # no memory for such a stack here: the caller's own
        return function(argument)
    finally:
        threading.stack_size(previous)
    thread.join()
    if failures:
        raise failures[0]
    return results[0]


def rule_location(error: ValidationError, kind: str, directory: Path | None = None) -> str:
    """Where the broken rule is written: ``<schema $id>#<JSON pointer to the keyword>``.

    jsonschema's keyword path runs from the root schema *through* ``$ref`` hops without naming
    them; following each hop in the registry turns it into the address of the keyword in the file
    that holds it, which is what a person needs to open.
    """
    return _rule_location(tuple(error.absolute_schema_path), kind, directory)


@lru_cache(maxsize=4096)
def _rule_location(schema_path: tuple[str | int, ...], kind: str, directory: Path | None) -> str:
    # Cached: a file with many violations of one rule walks the hops once.
    reg = registry(directory)
    base = ROOTS[kind]
    resolver = reg.resolver(base)
    contents: Any = reg.contents(base)
    pointer: list[str] = []
    for part in schema_path:
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
