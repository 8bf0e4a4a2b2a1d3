"""The producer matrix (generator/matrix.toml): each release that writes corpus files, as the package's
:class:`kerasspec.vocabulary.Producer`, with the virtual environment the generator installs it in (for
tfjs-layers, the folder its npm packages are installed in)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from kerasspec.vocabulary import Producer

MATRIX_PATH = Path(__file__).with_name("matrix.toml")
REPO_ROOT = Path(__file__).resolve().parent.parent
PRODUCERS_DIR = REPO_ROOT / ".cache" / "producers"


@dataclass(frozen=True)
class Environment:
    """A producer's virtual environment: the release, and the pins installed beside it."""

    producer: Producer
    pins: tuple[str, ...]

    @property
    def venv(self) -> Path:
        return PRODUCERS_DIR / self.producer.release

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def node_modules(self) -> Path:
        """Where a tfjs-layers producer's npm packages are installed (the folder holds no venv)."""
        return self.venv / "node_modules"

    @property
    def spec(self) -> str:
        """The `package==version` form used on the command line."""
        return f"{self.producer.package}=={self.producer.version_text}"

    def requirements(self) -> list[str]:
        reqs = []
        if self.producer.package != "tensorflow":
            reqs.append(self.spec)
        if self.producer.tensorflow:
            reqs.append(f"tensorflow-cpu=={self.producer.tensorflow}")
        return [*reqs, *self.pins, "h5py"]


def load_matrix(path: Path = MATRIX_PATH) -> list[Environment]:
    """Every producer in the matrix file, in file order."""
    data = tomllib.loads(path.read_text())
    environments = []
    for row in data["producers"]:
        producer = Producer.of(row["package"], row["version"], row["backend"], row["tensorflow"] or None)
        if producer.release != row["name"] or producer.format != row["format"]:
            raise ValueError(f"{path}: {row['name']} is {producer.release}, writing {producer.format}")
        environments.append(Environment(producer, tuple(row.get("pins", ()))))
    return environments


def select(environments: list[Environment], wanted: list[str]) -> list[Environment]:
    """Producers matching `--producer` values (`keras==3.15.1`, or a name like `keras-3.15.1-jax`)."""
    if not wanted:
        return environments
    chosen = [e for e in environments if e.producer.release in wanted or e.spec in wanted]
    missing = [w for w in wanted if not any(w in (e.producer.release, e.spec) for e in environments)]
    if missing:
        raise SystemExit(f"unknown producer(s): {', '.join(missing)}")
    return chosen
