"""The producer matrix (generator/matrix.toml) as value objects."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

MATRIX_PATH = Path(__file__).with_name("matrix.toml")
REPO_ROOT = Path(__file__).resolve().parent.parent
PRODUCERS_DIR = REPO_ROOT / ".cache" / "producers"


@dataclass(frozen=True)
class Producer:
    """One Keras release that writes corpus files, in its own virtual environment."""

    name: str
    package: str  # keras | tf_keras | tensorflow
    version: str
    format: str  # keras3 | keras2
    backend: str
    tensorflow: str | None
    pins: tuple[str, ...]

    @property
    def venv(self) -> Path:
        return PRODUCERS_DIR / self.name

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def spec(self) -> str:
        """The `package==version` form used on the command line."""
        return f"{self.package}=={self.version}"

    def requirements(self) -> list[str]:
        reqs = []
        if self.package != "tensorflow":
            reqs.append(self.spec)
        if self.tensorflow:
            reqs.append(f"tensorflow-cpu=={self.tensorflow}")
        return [*reqs, *self.pins, "h5py"]

    def manifest_entry(self) -> dict[str, object]:
        return {
            "name": self.name,
            "package": self.package,
            "version": self.version,
            "format": self.format,
            "backend": self.backend,
            "tensorflow": self.tensorflow,
        }


def load_matrix(path: Path = MATRIX_PATH) -> list[Producer]:
    """Every producer in the matrix file, in file order."""
    data = tomllib.loads(path.read_text())
    return [
        Producer(
            name=row["name"],
            package=row["package"],
            version=row["version"],
            format=row["format"],
            backend=row["backend"],
            tensorflow=row["tensorflow"] or None,
            pins=tuple(row.get("pins", ())),
        )
        for row in data["producers"]
    ]


def select(producers: list[Producer], wanted: list[str]) -> list[Producer]:
    """Producers matching `--producer` values (`keras==3.15.1`, or a name like `keras-3.15.1-jax`)."""
    if not wanted:
        return producers
    chosen = [p for p in producers if p.name in wanted or p.spec in wanted]
    missing = [w for w in wanted if not any(w in (p.name, p.spec) for p in producers)]
    if missing:
        raise SystemExit(f"unknown producer(s): {', '.join(missing)}")
    return chosen
