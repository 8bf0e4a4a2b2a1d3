"""Where the bundled spec data lives: the corpus, the JSON Schemas and the spec's text.

Lookup order, so that a checkout, an editable install and a wheel all work:
1. an explicit directory given by the caller (the CLI's ``--corpus DIR``);
2. the environment variables ``KERASSPEC_CORPUS`` / ``KERASSPEC_SCHEMAS`` / ``KERASSPEC_SPEC``;
3. the copy shipped inside the wheel (``kerasspec/_bundled/``: the schemas and the spec as folders, the
   corpus as one archive, unpacked into a cache folder on first use: see :mod:`kerasspec._archive`);
4. the source checkout this module sits in (``<repo>/corpus``, ``<repo>/schemas``, ``<repo>/spec``).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE / "_bundled"
_CHECKOUT = _PACKAGE.parent.parent
CORPUS_ARCHIVE = _BUNDLED / "corpus.zip"


def _find(name: str, env: str, explicit: str | os.PathLike[str] | None) -> Path:
    if explicit is not None:
        return Path(explicit)
    if env in os.environ:
        return Path(os.environ[env])
    if (_BUNDLED / name).is_dir():
        return _BUNDLED / name
    if name == "corpus" and CORPUS_ARCHIVE.is_file():
        return _unpacked_corpus()
    if (_CHECKOUT / name).is_dir():
        return _CHECKOUT / name
    raise FileNotFoundError(
        f"no bundled {name}/ found; pass a directory or set {env}",
    )


@cache
def _unpacked_corpus() -> Path:
    from kerasspec import _archive

    return _archive.extracted(CORPUS_ARCHIVE)


def corpus_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The corpus directory (the one holding ``manifest.json``)."""
    return _find("corpus", "KERASSPEC_CORPUS", explicit)


def spec_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The directory of the written spec (its ``generated/`` tables are data the package reads)."""
    return _find("spec", "KERASSPEC_SPEC", explicit)


def schemas_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The directory of the JSON Schemas (``keras2/``, ``keras3/``, ``canonical-graph/``, ``protocol/``)."""
    return _find("schemas", "KERASSPEC_SCHEMAS", explicit)
