"""Where the bundled spec data lives: the corpus and the JSON Schemas.

Lookup order, so that a checkout, an editable install and a wheel all work:
1. an explicit directory given by the caller (the CLI's ``--corpus DIR``);
2. the environment variables ``KERASSPEC_CORPUS`` / ``KERASSPEC_SCHEMAS``;
3. the copy shipped inside the package (``kerasspec/_bundled/``, filled when a wheel is built);
4. the source checkout this module sits in (``<repo>/corpus``, ``<repo>/schemas``).
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent


def _find(name: str, env: str, explicit: str | os.PathLike[str] | None) -> Path:
    if explicit is not None:
        return Path(explicit)
    if env in os.environ:
        return Path(os.environ[env])
    for candidate in (_PACKAGE / "_bundled" / name, _CHECKOUT / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"no bundled {name}/ found; pass a directory or set {env}",
    )


def corpus_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The corpus directory (the one holding ``manifest.json``)."""
    return _find("corpus", "KERASSPEC_CORPUS", explicit)


def spec_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The directory of the written spec (its ``generated/`` tables are data the package reads)."""
    return _find("spec", "KERASSPEC_SPEC", explicit)


def schemas_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The directory of the JSON Schemas (``keras2/``, ``keras3/``, ``canonical-graph/``, ``protocol/``)."""
    return _find("schemas", "KERASSPEC_SCHEMAS", explicit)
