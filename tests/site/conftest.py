"""Fixtures for the site tests: three readers' results files and the site built from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from site_fixtures import FIXTURE_CORPUS, make_results, make_scanner_results

from kerasspec.site import Built, build


@pytest.fixture(scope="session")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_results(tmp_path_factory.mktemp("results"))


@pytest.fixture(scope="session")
def site(results: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("site") / "site"
    return build(list(results.values()), out, corpus=FIXTURE_CORPUS)


@pytest.fixture(scope="session")
def scanner_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_scanner_results(tmp_path_factory.mktemp("scanner-results"))


@pytest.fixture(scope="session")
def scanner_site(scanner_results: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A parser and a scanner on one site (the bundled corpus)."""
    return build(list(scanner_results.values()), tmp_path_factory.mktemp("scanner-site") / "site")
