"""The reference parser, except that it crashes on 15% of the models (by a digest of the text).

    python benchmarks/crashing_parser.py [PERCENT]

A stand-in for a reader that dies on part of the corpus: `benchmarks/harness.py` runs it with
`--jobs 1` and `--jobs 2` to measure what a crash costs the run.
"""

from __future__ import annotations

import hashlib
import os
import sys
from typing import Any

import kerasspec
from kerasspec.harness._serve import serve

PERCENT = int(sys.argv[1]) if len(sys.argv) > 1 else 15


def parse_or_crash(text: str) -> Any:
    if int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % 100 < PERCENT:
        os._exit(70)  # no reply, no traceback: the process is simply gone
    return kerasspec.parse(text)


if __name__ == "__main__":
    sys.exit(serve(parse_or_crash, implementation={"name": "crashing-reference", "version": "0", "language": "python"}))
