"""The ``reference`` adapter: :func:`kerasspec.parse` on the harness protocol.

Run as ``python -m kerasspec.harness.reference``; ``kerasspec check --adapter reference`` starts it.
"""

from __future__ import annotations

import sys

import kerasspec
from kerasspec.harness._serve import serve

IMPLEMENTATION = {
    "name": "kerasspec",
    "version": kerasspec.__version__,
    "language": "python",
    "homepage": "https://kerasspec.dev",
}


def main() -> int:
    return serve(kerasspec.parse, implementation=IMPLEMENTATION)


if __name__ == "__main__":
    sys.exit(main())
