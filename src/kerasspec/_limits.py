"""The bounds a reader holds every input to, so that no file can exhaust memory, stack or time."""

from __future__ import annotations

from dataclasses import dataclass

#: Entries a ``.keras`` archive may list (Keras writes three, a few more with assets): reading the
#: central directory of millions costs hundreds of megabytes before any member is opened.
MAX_ARCHIVE_ENTRIES = 10_000
#: Bytes of central directory an archive may have (at most MAX_ARCHIVE_ENTRIES long-named entries).
MAX_ARCHIVE_DIRECTORY = MAX_ARCHIVE_ENTRIES * 1024
#: How many times its compressed size ``config.json`` may inflate to, once past MIN_RATIO_CHECK bytes:
#: Keras configs compress 5-30 times; a zip bomb about 1000.
MAX_INFLATION_RATIO = 200
MIN_RATIO_CHECK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Bounds on what the parser accepts, so that no input can exhaust memory, stack or time.

    ``max_values`` bounds the decoded document: CPython holds a JSON value in 60 to 100 bytes, so
    the default keeps any accepted text near 2 GB decoded at worst, while a model of a million
    layers (about 15 values each) passes.
    """

    max_bytes: int = 256 * 1024 * 1024  #: size of the JSON text (also what is read or inflated)
    max_depth: int = 100  #: nesting depth of models, nodes and values the parser reads
    max_layers: int = 1_000_000  #: layers in the whole document, nested models included
    max_values: int = 20_000_000  #: JSON values in the whole text (objects, arrays, strings, numbers, literals)
