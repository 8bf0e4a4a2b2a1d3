"""Fixtures for the harness tests."""

from __future__ import annotations

import pytest
from harness_fixtures import FIXTURE_CORPUS

from kerasspec import corpus


@pytest.fixture(scope="session")
def fixture_corpus() -> corpus.Corpus:
    return corpus.load(FIXTURE_CORPUS)
