"""The committed corpus and matrix, read once for the generator tests (no Keras needed)."""

from __future__ import annotations

import json
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"


@cache
def manifest() -> dict[str, Any]:
    return json.loads((CORPUS / "manifest.json").read_text())


@cache
def matrix() -> list[dict[str, Any]]:
    return tomllib.loads((REPO / "generator" / "matrix.toml").read_text())["producers"]


def cases(kind: str | None = None) -> list[dict[str, Any]]:
    return [c for c in manifest()["cases"] if kind is None or c["kind"] == kind]


def load(path: str) -> Any:
    return json.loads((CORPUS / path).read_text())
