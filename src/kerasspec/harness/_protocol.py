"""The harness protocol (``spec/protocol.md``): message shapes and their validation.

One JSON message per line. The harness sends ``start``, then ``parse`` requests, then ``stop``;
the parser answers ``start`` and every ``parse``. Every message in both directions has a JSON
Schema in ``schemas/protocol/``; replies are checked against it so that a misbehaving parser
yields a recorded ``protocol-error``, never a harness exception.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

from kerasspec import _versions
from kerasspec._resources import schemas_dir

if TYPE_CHECKING:  # imported when first needed: ``import kerasspec`` stays fast
    from jsonschema import Draft202012Validator
    from referencing import Registry

#: The protocol version this harness speaks; a parser that answers ``start`` with another is refused.
PROTOCOL_VERSION = _versions.protocol()  # written once, in spec/protocol.md
SCHEMA_BASE = "https://kerasspec.dev/schemas/protocol/"
FORMATS = ("keras2", "keras3")


@cache
def registry() -> Registry:
    """Every protocol schema, by its ``$id``."""
    from referencing import Registry, Resource

    resources = []
    for path in sorted((schemas_dir() / "protocol").glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for the protocol message schema ``name`` (``start-reply``, ``parse``, ...)."""
    from jsonschema import Draft202012Validator

    schema = registry().contents(f"{SCHEMA_BASE}{name}.json")
    return Draft202012Validator(schema, registry=registry())


def problem(name: str, message: Any) -> str | None:
    """Why ``message`` is not a valid ``name`` message, in one line, or ``None`` if it is valid."""
    error = next(iter(validator(name).iter_errors(message)), None)
    if error is None:
        return None
    where = error.json_path
    return f"{name} message invalid at {where}: {error.message}"[:500]


def start() -> dict[str, Any]:
    return {"cmd": "start", "version": PROTOCOL_VERSION}


def parse(seq: int, case: str, text: str) -> dict[str, Any]:
    return {"cmd": "parse", "seq": seq, "case": case, "text": text}


def stop() -> dict[str, Any]:
    return {"cmd": "stop"}


def encode(message: dict[str, Any]) -> bytes:
    """One line of the wire: compact JSON, UTF-8, newline-terminated (a newline inside a string is escaped)."""
    return (json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
