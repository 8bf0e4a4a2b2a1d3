"""Schema validation: does a document have the shape ``schemas/`` says its wire format has?

This checks *structure* only (spec/errors.md#schema-versus-parser): a file can pass its schema and
still be rejected by a reader, for a dangling reference, a cycle or two layers with one name,
which no JSON Schema can express. ``kerasspec validate FILE`` (:mod:`kerasspec.cli._validate`) is
the command-line face of :func:`validate`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from jsonschema.exceptions import STRONG_MATCHES, WEAK_MATCHES, ValidationError, best_match

from kerasspec import _schemas
from kerasspec._location import Location
from kerasspec.canonical import path_join
from kerasspec.errors import TooDeep

__all__ = [
    "SCHEMAS",
    "SchemaViolation",
    "detect_schema",
    "iter_violations",
    "validate",
]

Schema = Literal["keras2", "keras3", "canonical"]

#: The schemas a document can be checked against, by the name the CLI uses.
SCHEMAS: tuple[Schema, ...] = ("keras2", "keras3", "canonical")

_MESSAGE_LIMIT = 200


@dataclass(frozen=True)
class SchemaViolation:
    """One way a document breaks its schema.

    ``path`` is the JSON path of the offending value in the document
    (``$.config.layers[3].inbound_nodes[0][1]``); ``keyword`` the JSON Schema keyword that failed
    (``type``, ``minItems``, ...); ``rule`` the address of that keyword in the schema files
    (``https://kerasspec.dev/schemas/keras2/entry.json#/$defs/reference-entry/prefixItems/1/type``).
    """

    schema: Schema
    path: str
    keyword: str
    rule: str
    message: str
    value: Any

    code = "schema"

    def line(self) -> str:
        """The one-line form the CLI prints: ``error[schema]: <message> (rule <rule>) at <path>``."""
        return f"error[{self.code}]: {self.message} (rule {self.rule}) at {self.path}"


def detect_schema(
    document: Any, keras_version: str | None = None, *, version: tuple[Any, Location] | None = None
) -> Schema:
    """Which schema applies: ``canonical`` for a canonical document, else the detected wire format.

    ``keras_version`` is the one a wrapper held beside the model JSON (spec/envelope.md#wrappers);
    ``version`` instead is the ``keras_version`` member that applies and where it is, as the wrappers'
    removal finds it, so that a bad one is ``unknown-format`` at its place.
    """
    if isinstance(document, Mapping) and "format" in document and "model" in document:
        return "canonical"
    if not isinstance(document, Mapping) or not _enveloped(document):
        # Not a model at all; either wire schema rejects it at "$", keras3 is the current one. The
        # envelope is checked before keras_version (spec/errors.md#order), as the reader does.
        return "keras3"
    from kerasspec.parser import detect_format, detect_wrapped  # the reader's own detection, so both agree

    return detect_wrapped(document, version) if version is not None else detect_format(document, keras_version)


def _enveloped(document: Mapping[str, Any]) -> bool:
    """Whether ``document`` has a model's envelope: a string ``class_name`` and an object or (Keras before
    2.2.3) array ``config``."""
    return isinstance(document.get("class_name"), str) and isinstance(document.get("config"), (Mapping, list))


def iter_violations(document: Any, schema: Schema) -> Iterator[SchemaViolation]:
    """Every violation of ``schema`` by the decoded ``document``, most relevant first."""
    errors = _errors(document, schema)
    # A stable sort keeps jsonschema's order among equally relevant errors.
    for error in sorted(errors, key=_relevance, reverse=True):
        yield _violation(_deepest(error), schema)


def _errors(document: Any, schema: Schema) -> list[ValidationError]:
    """jsonschema's errors over the whole document, found by jsonschema-rs where it can."""
    errors: list[ValidationError] = []
    if _schemas.exact(document):
        for failure in _schemas.failures(document, schema):
            explained = _schemas.explain(document, schema, failure)
            if not explained:  # the two validators disagree: jsonschema checks it all
                break
            errors.extend(explained)
        else:
            return errors
    return list(_schemas.validator(schema).iter_errors(document))


def validate(document: Any, schema: Schema | Literal["auto"] = "auto") -> SchemaViolation | None:
    """The most relevant violation of the document's schema, or ``None`` when it is valid.

    ``document`` is an already-decoded JSON value. ``schema="auto"`` picks the schema with
    :func:`detect_schema`. A value too deeply nested to word its violation raises
    :class:`~kerasspec.errors.TooDeep`.

    jsonschema-rs finds every failing keyword; jsonschema words the most relevant one, so the
    message, path and rule are those of a jsonschema check of the whole document, at a fraction
    of its cost.
    """
    kind: Schema = detect_schema(document) if schema == "auto" else schema
    if not _schemas.exact(document):
        return _best(lambda: list(_schemas.validator(kind).iter_errors(document)), kind)
    failures = _schemas.failures(document, kind)
    if not failures:
        return None
    # Every error of one failure is equally relevant; max() keeps the first of equals, as
    # best_match does over jsonschema's own errors, which come in the same order.  The shallowest
    # always win, so only they are ranked.
    shallowest = min(len(failure.path) for failure in failures)
    first = max(
        (failure for failure in failures if len(failure.path) == shallowest),
        key=lambda failure: _rank(failure.path, failure.schema_path[-1]),
    )
    return _best(
        lambda: _schemas.explain(document, kind, first) or list(_schemas.validator(kind).iter_errors(document)), kind
    )


def _best(errors: Callable[[], list[ValidationError]], kind: Schema) -> SchemaViolation | None:
    try:
        error = best_match(errors(), key=_relevance)
    except RecursionError:
        raise TooDeep("the document nests too deeply to check against its schema", path="$") from None
    return None if error is None else _violation(_deepest(error), kind)


def _relevance(error: ValidationError) -> tuple[Any, ...]:
    return _rank(error.path, error.validator)


def _rank(path: Sequence[str | int], keyword: Any) -> tuple[Any, ...]:
    # jsonschema's own relevance, except that among siblings the *first* in document order wins:
    # a person fixes a file from the top, and the report must not move as later parts change.
    return (
        -len(path),
        tuple(-key if isinstance(key, int) else _backwards(key) for key in path),
        keyword not in WEAK_MATCHES,
        keyword in STRONG_MATCHES,
    )


@lru_cache(maxsize=4096)
def _backwards(key: str) -> tuple[int, ...]:
    # A key that sorts before another ranks after it (max() then picks the first in document order).
    return tuple(-ord(char) for char in key)


def _deepest(error: ValidationError) -> ValidationError:
    # best_match already descends into anyOf/oneOf context; for if/then/else and $ref chains the
    # error itself is the deepest, so this only follows `context` while it narrows the location.
    while error.context:
        deeper = best_match(error.context, key=_relevance)
        if deeper is None or len(deeper.absolute_path) < len(error.absolute_path):
            break
        error = deeper
    return error


def _violation(error: ValidationError, schema: Schema) -> SchemaViolation:
    path = "$"
    for key in error.absolute_path:
        path = path_join(path, key)
    message = error.message
    if len(message) > _MESSAGE_LIMIT:
        message = message[: _MESSAGE_LIMIT - 3] + "..."
    return SchemaViolation(
        schema=schema,
        path=path,
        keyword=str(error.validator),
        rule=_schemas.rule_location(error, schema),
        message=message,
        value=error.instance,
    )
