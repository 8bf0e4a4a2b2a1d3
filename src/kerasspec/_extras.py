"""The optional parts of the package, named for what they add (``pip install 'kerasspec[fuzz]'``).

A command that needs a missing extra says so before it does any work: :func:`require` raises
:class:`MissingExtra`, which the command line prints as one line and exit status 2.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from typing import NoReturn

__all__ = ["EXIT_USAGE", "EXTRAS", "MissingExtra", "exit_missing", "require"]

EXIT_USAGE = 2

#: Each extra: the module it installs, and what it is for.
EXTRAS = {
    "fuzz": ("hypothesis", "generated models (--fuzz, kerasspec.fuzz, kerasspec.strategies)"),
    "h5": ("h5py", "reading legacy .h5 model files"),
}


@dataclass(frozen=True)
class MissingExtra(ImportError):
    """``needed_for`` needs the extra ``extra``, which is not installed."""

    extra: str
    needed_for: str

    def __str__(self) -> str:
        return f"{self.needed_for} needs the '{self.extra}' extra: pip install 'kerasspec[{self.extra}]'"


def require(extra: str, needed_for: str) -> None:
    """Raise :class:`MissingExtra` unless the module that ``extra`` installs can be imported."""
    module, _ = EXTRAS[extra]
    if importlib.util.find_spec(module) is None:
        raise MissingExtra(extra, needed_for)


def exit_missing(error: MissingExtra) -> NoReturn:
    """The command-line ending for a missing extra: one line on standard error, exit status 2."""
    print(f"error: {error}", file=sys.stderr)
    sys.exit(EXIT_USAGE)
