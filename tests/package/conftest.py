"""The package as users install it: a wheel built once per session, installed into fresh environments."""

from __future__ import annotations

from pathlib import Path

import pytest
from _environment import REPO, Environment, environment, uv


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, and the wheel built from that sdist (so the sdist is proven complete)."""
    out = tmp_path_factory.mktemp("dist")
    uv("build", "--quiet", "--out-dir", out, REPO)
    return out


@pytest.fixture(scope="session")
def wheel(dist: Path) -> Path:
    (found,) = dist.glob("kerasspec-*.whl")
    return found


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Environment:
    """The wheel with its extras, and pytest for the plugin."""
    return environment(tmp_path_factory.mktemp("env"), wheel, ["fuzz", "h5"], "pytest")


@pytest.fixture(scope="session")
def bare(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Environment:
    """The wheel without any extra."""
    return environment(tmp_path_factory.mktemp("env"), wheel, [])
