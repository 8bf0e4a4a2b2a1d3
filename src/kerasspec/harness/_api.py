"""``kerasspec.check(parse_function)``: conformance from Python in one call."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kerasspec import corpus as _corpus
from kerasspec.harness import _known
from kerasspec.harness._parsers import FunctionParser
from kerasspec.harness._run import Run
from kerasspec.harness._runner import run
from kerasspec.vocabulary import FORMATS


def check(
    parse_function: Callable[[str], Any],
    *,
    corpus: str | os.PathLike[str] | None = None,
    selection: _corpus.Selection | None = None,
    formats: Sequence[str] = FORMATS,
    timeout: float = 5.0,
    strict_errors: bool = False,
    known_failures: str | os.PathLike[str] | _known.KnownFailures | None = None,
    results: str | os.PathLike[str] | None = None,
    implementation: Mapping[str, str] | None = None,
) -> Run:
    """Run ``parse_function`` over the corpus and return the :class:`~kerasspec.harness.Run`.

    ``parse_function(text)`` gets a model JSON as text and returns the canonical document (a
    ``dict``, or anything with ``to_json()``), or raises an exception with a ``code`` attribute (such
    as :class:`kerasspec.ParseError`) to reject it; any other exception is a ``crash``. Each call runs
    in a worker thread bounded by ``timeout``. ``run.passed`` says whether it conforms;
    ``run.failures`` lists what it got wrong::

        run = kerasspec.check(my_reader.to_canonical)
        assert run.passed, run.problems()
    """
    loaded = _corpus.load(corpus)
    known = _known.load(known_failures) if isinstance(known_failures, str | os.PathLike) else known_failures
    parser = FunctionParser(parse_function, timeout=timeout, implementation=implementation, formats=formats)
    return run(
        parser,
        loaded.select(selection),
        corpus=loaded,
        selection=selection,
        strict_errors=strict_errors,
        known=known,
        results_path=results,
        options={"timeout": timeout},
    )
