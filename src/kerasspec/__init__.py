"""kerasspec: the specification and conformance suite for the Keras model JSON format.

The public API:

* :func:`parse` reads a model JSON (keras2 or keras3 wire format) into a canonical :class:`Document`;
* :mod:`kerasspec.canonical` holds that data model and :func:`~kerasspec.canonical.diff`;
* :mod:`kerasspec.errors` holds :class:`ParseError` and one subclass per error code;
* :func:`check` runs a Python parse function over the conformance corpus.
"""

from typing import Any

from kerasspec.canonical import Document, diff
from kerasspec.errors import ParseError
from kerasspec.parser import Limits, parse

__all__ = ["Document", "Limits", "ParseError", "check", "diff", "parse"]
__version__ = "0.2.0"


def __getattr__(name: str) -> Any:
    # ``check`` (conformance of a Python parse function) pulls in the harness, rich and jsonschema:
    # imported on first use, so that parsing alone stays light.
    if name == "check":
        from kerasspec.harness._api import check

        return check
    raise AttributeError(f"module 'kerasspec' has no attribute {name!r}")
