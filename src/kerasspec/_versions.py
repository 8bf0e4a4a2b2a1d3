"""The four versions a user pins, each read from the one place it is written.

- the package: ``kerasspec.__version__`` (the build reads it from there too);
- the spec: the ``**Version: X**`` line of ``spec/README.md``;
- the corpus: ``version`` in ``corpus/manifest.json``;
- the protocol: the ``Protocol version **N**`` line of ``spec/protocol.md``.

What a bump of each means is in the README's "Versions" section.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path

from kerasspec._resources import CORPUS_ARCHIVE, corpus_dir, spec_dir

__all__ = ["corpus", "package", "protocol", "spec"]


def package() -> str:
    from kerasspec import __version__

    return __version__


@cache
def spec() -> str:
    return _declared(spec_dir() / "README.md", r"\*\*Version: ([0-9][^*\s]*)\*\*")


@cache
def protocol() -> int:
    return int(_declared(spec_dir() / "protocol.md", r"Protocol version \*\*([0-9]+)\*\*"))


def corpus(root: str | Path | None = None) -> str:
    """The version of the corpus at ``root`` (default: the bundled one, read without unpacking it)."""
    if root is None and "KERASSPEC_CORPUS" not in os.environ and CORPUS_ARCHIVE.is_file():
        import zipfile

        with zipfile.ZipFile(CORPUS_ARCHIVE) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    else:
        manifest = json.loads((corpus_dir(root) / "manifest.json").read_text(encoding="utf-8"))
    return str(manifest.get("version", "unknown"))


def _declared(path: Path, pattern: str) -> str:
    match = re.search(pattern, path.read_text(encoding="utf-8"))
    if match is None:  # a broken build, not bad input: the test suite keeps these lines in place
        raise RuntimeError(f"{path} does not declare its version ({pattern})")
    return match.group(1)
