"""Fixtures for the tests of the real readers' adapters (adapters/)."""

from __future__ import annotations

import pytest
from adapter_runs import REPO

from kerasspec import corpus


@pytest.fixture(scope="session")
def real_corpus() -> corpus.Corpus:
    return corpus.load(REPO / "corpus")
