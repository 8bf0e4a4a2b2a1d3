"""The corpus as pytest parameters: one parameter per case, its id the case id."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from kerasspec import corpus
from kerasspec._limits import Limits
from kerasspec._load import load
from kerasspec.corpus import Case

_NO_CORPUS = "corpus/manifest.json is not generated yet (generator/ writes it); nothing to check"

# Generous limits: the schema tests look at every case, including the ones built to exceed the
# parser's default limits, which the schema must still see (or the loader must reject).
LIMITS = Limits(max_bytes=512 * 1024 * 1024, max_depth=10_000, max_values=1 << 40)


def cases(keep: Callable[[corpus.Case], bool] = lambda case: True) -> list[Any]:
    loaded = all_cases()
    if not loaded:
        return [pytest.param(None, marks=pytest.mark.skip(reason=_NO_CORPUS), id="no-corpus")]
    return [pytest.param(case, id=case.id) for case in loaded if keep(case)]


def all_cases() -> tuple[corpus.Case, ...]:
    """Every case of the bundled corpus (read once per test run), or none when it is not generated."""
    return _all_cases()


@cache
def _all_cases() -> tuple[corpus.Case, ...]:
    try:
        return corpus.load().cases
    except corpus.CorpusError:
        return ()


def read(case: corpus.Case, relative: str) -> Any:
    """A case file decoded as the CLI would decode it (a .keras or .h5 container included).

    Cached: several tests read every case, and files are shared between cases; callers must not
    modify what they get.
    """
    return _read(case.root / relative)


@cache
def _read(path: Path) -> Any:
    return load(path, LIMITS)


_MODELS: dict[Path, Any] = {}


def read_model(case: Case) -> Any:
    """A case's input as the model JSON inside it (``Case.read_model``: wrappers removed), cached like ``read``."""
    path = case.input_path
    if path not in _MODELS:
        _MODELS[path] = case.read_model(LIMITS)
    return _MODELS[path]
