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
#: Bounds on a reply beyond its length: JSON values (the decoded reply costs 60-100 bytes each) and
#: nesting (the corpus's deepest canonical document nests 16 levels; the checks after decoding recurse).
MAX_REPLY_VALUES = 5_000_000
MAX_REPLY_DEPTH = 500


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


def decode(data: bytes) -> tuple[Any, str | None]:
    """A reply decoded: ``(value, None)``, or ``(None, why not)`` for a reply that is not JSON,
    holds more than MAX_REPLY_VALUES values or nests deeper than MAX_REPLY_DEPTH."""
    from kerasspec._load import check_values
    from kerasspec.errors import TooLarge

    try:
        check_values(data, MAX_REPLY_VALUES)
        value = json.loads(data)
    except TooLarge:
        return None, f"holds more than {MAX_REPLY_VALUES} JSON values"
    except RecursionError:
        return None, f"nests deeper than {MAX_REPLY_DEPTH} levels"
    except (ValueError, UnicodeDecodeError) as error:
        return None, f"is not JSON ({error}): {excerpt(data)!r}"
    if nests_deeper(value, MAX_REPLY_DEPTH):
        return None, f"nests deeper than {MAX_REPLY_DEPTH} levels"
    return value, None


def nests_deeper(value: Any, limit: int) -> bool:
    """Whether ``value`` has containers nested more than ``limit`` deep (iteratively: no recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list | tuple))
    return False


_EXCERPT = 200


def excerpt(data: bytes) -> str:
    """The start of a reply for a message: at most 200 bytes, decoded leniently."""
    text = data[:_EXCERPT].decode("utf-8", "replace")
    return text + ("..." if len(data) > _EXCERPT else "")


def problem(name: str, message: Any) -> str | None:
    """Why ``message`` is not a valid ``name`` message, in one line, or ``None`` if it is valid."""
    try:
        error = next(iter(validator(name).iter_errors(message)), None)
    except RecursionError:
        return f"{name} message nests too deeply to check"
    if error is None:
        return None
    where = error.json_path
    return f"{name} message invalid at {where}: {error.message}"[:500]


def start() -> dict[str, Any]:
    return {"cmd": "start", "version": PROTOCOL_VERSION}


def parse(seq: int, case: str, text: str) -> dict[str, Any]:
    return {"cmd": "parse", "seq": seq, "case": case, "text": text}


def parse_file(seq: int, case: str, container: str, path: str) -> dict[str, Any]:
    """A ``parse`` request for a reader that reads files: the path of a model file of ``container``."""
    return {"cmd": "parse", "seq": seq, "case": case, "container": container, "path": path}


def stop() -> dict[str, Any]:
    return {"cmd": "stop"}


def encode(message: dict[str, Any]) -> bytes:
    """One line of the wire: compact JSON, UTF-8, newline-terminated (a newline inside a string is escaped)."""
    return (json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
