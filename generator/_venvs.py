"""Producer virtual environments: created with uv (hard links from its cache), reused if present."""

from __future__ import annotations

import os
import subprocess

from generator._matrix import Environment
from kerasspec.vocabulary import Producer

_PROBE = "import importlib.metadata as m, sys; print(m.version(sys.argv[1]))"


def _distribution(producer: Producer) -> str:
    return "tensorflow-cpu" if producer.package == "tensorflow" else producer.package


def is_ready(environment: Environment) -> bool:
    """The venv exists and holds the producer's release (cheap: no Keras import)."""
    if not environment.python.exists():
        return False
    probe = subprocess.run(
        [str(environment.python), "-c", _PROBE, _distribution(environment.producer)],
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.returncode == 0 and probe.stdout.strip() == environment.producer.version_text


def ensure_venv(environment: Environment) -> str:
    """Create the producer's venv unless it is ready; return a log of what was done."""
    if is_ready(environment):
        return "reused"
    environment.venv.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "VIRTUAL_ENV": str(environment.venv)}
    steps = [
        ["uv", "venv", "-q", "--allow-existing", "-p", "python3.11", str(environment.venv)],
        ["uv", "pip", "install", "-q", *environment.requirements()],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(step)} failed:\n{done.stderr[-2000:]}")
    if not is_ready(environment):
        raise RuntimeError(f"{environment.producer.release}: installed, but {environment.spec} is not importable")
    return "created"
