"""A fresh virtual environment with the built wheel installed, and running commands there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Environment:
    """A fresh virtual environment with the built wheel installed, and a working folder outside the checkout."""

    venv: Path
    home: Path

    def run(
        self, *argv: str, stdin: str | None = None, extra_env: Mapping[str, str] | None = None, timeout: float = 600
    ) -> subprocess.CompletedProcess[str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("KERASSPEC_", "PYTHON"))}
        env.update(extra_env or {})
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["XDG_CACHE_HOME"] = str(self.home / "cache")
        env["VIRTUAL_ENV"] = str(self.venv)
        return subprocess.run(
            list(argv), cwd=self.home, env=env, input=stdin, capture_output=True, text=True, timeout=timeout
        )

    def kerasspec(self, *argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return self.run(str(self.venv / "bin" / "kerasspec"), *argv, stdin=stdin)

    @property
    def python(self) -> str:
        return str(self.venv / "bin" / "python")


def uv(*argv: str | Path) -> None:
    uv = shutil.which("uv")
    assert uv is not None, "uv is needed to build and install the wheel (scripts/test installs it)"
    subprocess.run([uv, *map(str, argv)], check=True, capture_output=True, text=True, timeout=900)


def environment(root: Path, wheel: Path, extras: Sequence[str], *more: str) -> Environment:
    """The wheel (with ``extras``, and the requirements ``more``) installed into a new venv under ``root``."""
    venv = root / "venv"
    uv("venv", "--quiet", "-p", sys.executable, venv)
    requirement = f"kerasspec[{','.join(extras)}] @ {wheel.as_uri()}" if extras else str(wheel)
    uv("pip", "install", "--quiet", "--python", venv / "bin" / "python", requirement, *more)
    home = root / "work"
    home.mkdir()
    return Environment(venv, home)
