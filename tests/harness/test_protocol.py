"""The protocol schemas: valid 2020-12 schemas with stable ids, and the messages the harness sends
and the replies it accepts are exactly the ones they describe."""

from __future__ import annotations

import json

import jsonschema
import pytest

from kerasspec._resources import schemas_dir
from kerasspec.harness import _protocol

IMPL = {"name": "x", "version": "1", "language": "c"}
NAMES = ["start", "start-reply", "parse", "parse-reply", "error", "stop", "request", "report"]


@pytest.mark.parametrize("name", NAMES)
def test_schema_is_valid_with_a_stable_id(name):
    schema = json.loads((schemas_dir() / "protocol" / f"{name}.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"https://kerasspec.dev/schemas/protocol/{name}.json"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize(
    "message",
    [
        _protocol.start(),
        _protocol.parse(1, "keras3/x", '{"a": NaN}'),
        _protocol.parse_file(2, "keras3/x", "h5", "/tmp/kerasspec-files-x/2.h5"),
        _protocol.stop(),
    ],
)
def test_what_the_harness_sends_is_a_request(message):
    assert _protocol.problem("request", message) is None
    assert json.loads(_protocol.encode(message)) == message
    assert _protocol.encode(message).count(b"\n") == 1  # one line, whatever the text holds


@pytest.mark.parametrize(
    ("schema", "message", "problem"),
    [
        (
            "start-reply",
            {"version": 1, "implementation": {"name": "x", "version": "1"}, "formats": ["keras2"]},
            "start-reply message invalid at $.implementation: 'language' is a required property",
        ),
        (
            "start-reply",
            {"version": 1, "implementation": {"name": "x", "version": "1", "language": "c"}, "formats": ["keras4"]},
            "start-reply message invalid at $.formats[0]: 'keras4' is not one of ['keras2', 'keras3']",
        ),
        (
            "start-reply",
            {"version": 1, "implementation": IMPL, "formats": ["keras2"], "containers": ["keras"]},
            "start-reply message invalid at $.containers[0]: 'keras' is not one of ['to_json', 'keras-archive', 'h5']",
        ),
        (
            "start-reply",
            {"version": 1, "implementation": IMPL, "formats": ["keras2"], "containers": []},
            "start-reply message invalid at $.containers: [] should be non-empty",
        ),
        (
            "start-reply",
            {"version": 1, "implementation": IMPL, "formats": ["keras2"], "track": "linter"},
            "start-reply message invalid at $.track: 'linter' is not one of ['parser', 'scanner']",
        ),
        (
            "parse",
            {"cmd": "parse", "seq": 1, "case": "c", "text": "{}", "container": "h5", "path": "/x.h5"},
            "parse message invalid at $: {'cmd': 'parse', 'seq': 1, 'case': 'c', 'text': '{}', 'container': 'h5', "
            "'path': '/x.h5'} is not valid under any of the given schemas",
        ),
        (
            "parse",
            {"cmd": "parse", "seq": 1, "case": "c", "path": "/x.h5"},
            "parse message invalid at $: {'cmd': 'parse', 'seq': 1, 'case': 'c', 'path': '/x.h5'} "
            "is not valid under any of the given schemas",
        ),
        (
            "parse-reply",
            {"seq": 1, "findings": [{"path": "config.layers[1]"}]},
            "parse-reply message invalid at $.findings[0].path: 'config.layers[1]' does not match '^\\\\$'",
        ),
        (
            "parse-reply",
            {"seq": 1, "findings": [{"path": "$", "severity": "high"}]},
            "parse-reply message invalid at $.findings[0]: Additional properties are not allowed "
            "('severity' was unexpected)",
        ),
        (
            "parse-reply",
            {"seq": 1, "findings": [], "document": {}},
            "parse-reply message invalid at $: {'seq': 1, 'findings': [], 'document': {}} "
            "is valid under each of {'required': ['findings']}, {'required': ['document']}",
        ),
        (
            "parse-reply",
            {"seq": 1},
            "parse-reply message invalid at $: {'seq': 1} is not valid under any of the given schemas",
        ),
        (
            "parse-reply",
            {"seq": 1, "document": {}, "error": {"code": "x", "message": ""}},
            "parse-reply message invalid at $: {'seq': 1, 'document': {}, 'error': {'code': 'x', 'message': ''}} "
            "is valid under each of {'required': ['error']}, {'required': ['document']}",
        ),
        (
            "parse-reply",
            {"seq": 1, "error": {"code": "cycle"}},
            "parse-reply message invalid at $.error: 'message' is a required property",
        ),
        (
            "parse-reply",
            {"seq": "1", "document": {}},
            "parse-reply message invalid at $.seq: '1' is not of type 'integer'",
        ),
    ],
)
def test_malformed_replies_are_named_precisely(schema, message, problem):
    assert _protocol.problem(schema, message) == problem


def test_good_replies_pass():
    assert _protocol.problem("parse-reply", {"seq": 3, "document": {"format": "keras3", "model": {}}}) is None
    assert _protocol.problem("parse-reply", {"seq": 3, "error": {"code": "cycle", "message": "m", "path": "$"}}) is None
    findings = [{"path": "$.config.layers[1].config.function", "message": "bytecode"}, {"layer": "f"}, {}]
    assert _protocol.problem("parse-reply", {"seq": 3, "findings": findings}) is None
    assert _protocol.problem("parse-reply", {"seq": 3, "findings": []}) is None
    scanner = {"version": 1, "implementation": IMPL, "formats": ["keras3"], "containers": ["h5"], "track": "scanner"}
    assert _protocol.problem("start-reply", scanner) is None
