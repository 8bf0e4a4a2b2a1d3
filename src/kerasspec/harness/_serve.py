"""The parser side of the protocol, for parsers written in Python.

``serve(parse_function, implementation=...)`` reads requests from stdin and answers them on stdout
until ``stop``; a maintainer of a Python reader writes a three-line adapter around it. A reader of
files declares ``containers`` (its function gets the path of each model file instead of the text);
a scanner declares ``track="scanner"`` (its function returns the findings, a list of
``{"path", "layer", "message"}``). An exception
with a ``code`` attribute (such as :class:`kerasspec.ParseError`) becomes an error reply; any other
exception escapes, the process dies, and the harness records a ``crash`` with the traceback tail.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from kerasspec.harness import _protocol
from kerasspec.harness._outcomes import document_json, rejection
from kerasspec.vocabulary import FORMATS, Track


def serve(
    parse_function: Callable[[Any], Any],
    *,
    implementation: Mapping[str, str],
    formats: Iterable[str] = FORMATS,
    containers: Iterable[str] | None = None,
    track: Track = "parser",
    stdin: IO[bytes] | None = None,
    stdout: IO[bytes] | None = None,
) -> int:
    """Answer protocol requests with ``parse_function(text)`` until ``stop`` or end of input; returns 0.

    ``parse_function`` returns a canonical document (anything with ``to_json()``, or a JSON-ready
    dict) or raises an exception carrying ``code`` and ``message`` (and optionally ``path``).
    """
    reader = stdin if stdin is not None else sys.stdin.buffer
    writer = stdout if stdout is not None else sys.stdout.buffer
    for line in reader:
        request = json.loads(line)
        command = request.get("cmd")
        if command == "start":
            reply: dict[str, Any] = {
                "version": _protocol.PROTOCOL_VERSION,
                "implementation": dict(implementation),
                "formats": list(formats),
            }
            if containers is not None:
                reply["containers"] = list(containers)
            if track != "parser":
                reply["track"] = track
        elif command == "parse":
            reply = _answer(parse_function, request, track)
        elif command == "stop":
            return 0
        else:
            raise ValueError(f"unknown protocol command {command!r}")
        writer.write(_protocol.encode(reply))
        writer.flush()
    return 0


def _answer(parse_function: Callable[[Any], Any], request: Mapping[str, Any], track: Track) -> dict[str, Any]:
    seq = request["seq"]
    try:
        document = parse_function(Path(request["path"]) if "path" in request else request["text"])
    except Exception as error:
        found = rejection(error)
        if found is None:
            raise  # not a rejection: let the process die so the harness records a crash
        return {"seq": seq, "error": found}
    if track == "scanner":
        return {"seq": seq, "findings": list(document)}
    return {"seq": seq, "document": document_json(document)}
