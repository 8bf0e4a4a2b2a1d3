"""The ``reference-scanner`` adapter: :func:`kerasspec.code.code_sites` on the harness protocol, as a
scanner of every container (spec/protocol.md#tracks).

Run as ``python -m kerasspec.harness.reference_scanner``; ``kerasspec check --adapter
reference-scanner`` starts it. It reads each model file as :func:`kerasspec.parse` does (the same
limits), flags every code-carrying config by its JSON path and never runs what it finds.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import kerasspec
from kerasspec._load import load
from kerasspec.code import code_sites
from kerasspec.harness._serve import serve
from kerasspec.parser import Limits
from kerasspec.vocabulary import CONTAINERS

IMPLEMENTATION = {
    "name": "kerasspec-scanner",
    "version": kerasspec.__version__,
    "language": "python",
    "homepage": "https://kerasspec.dev",
}


def scan(path: Path) -> list[dict[str, Any]]:
    """The findings for one model file: every code-carrying config, by path (ParseError if unreadable)."""
    model = load(path, Limits())
    return [{"path": site.path, "message": f"{site.kind} {site.name or ''}".strip()} for site in code_sites(model)]


def main() -> int:
    return serve(scan, implementation=IMPLEMENTATION, containers=CONTAINERS, track="scanner")


if __name__ == "__main__":
    sys.exit(main())
