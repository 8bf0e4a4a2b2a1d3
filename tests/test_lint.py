"""The code stays clean: ruff (lint and format) and mypy (strict), as configured in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff() -> None:
    result = run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = run("ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def script_folders() -> list[Path]:
    """The folders of adapters/ that hold Python: scripts run by path, so each folder is a run of its own."""
    found = {path.parent for path in (ROOT / "adapters").rglob("*.py")}
    return sorted(f for f in found if not {"node_modules", ".cache"} & set(f.relative_to(ROOT).parts))


@pytest.mark.parametrize("folder", script_folders(), ids=lambda folder: folder.relative_to(ROOT).as_posix())
def test_mypy_adapters(folder: Path) -> None:
    result = run("mypy", *sorted(str(path.relative_to(ROOT)) for path in folder.glob("*.py")))
    assert result.returncode == 0, result.stdout + result.stderr
