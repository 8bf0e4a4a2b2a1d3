"""Producer virtual environments: created with uv (hard links from its cache), reused if present; a
tfjs-layers producer's npm packages with ``npm ci`` from generator/tfjs/package-lock.json."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

from generator._matrix import REPO_ROOT, Environment
from kerasspec.vocabulary import Producer

TFJS_DIR = REPO_ROOT / "generator" / "tfjs"
_PROBE = "import importlib.metadata as m, sys; print(m.version(sys.argv[1]))"


def _distribution(producer: Producer) -> str:
    return "tensorflow-cpu" if producer.package == "tensorflow" else producer.package


def _tfjs_ready(environment: Environment) -> bool:
    manifest = environment.node_modules / "@tensorflow" / "tfjs-layers" / "package.json"
    try:
        installed = json.loads(manifest.read_text())["version"]
    except (OSError, ValueError, KeyError):
        return False
    return bool(installed == environment.producer.version_text)


def _ensure_tfjs(environment: Environment) -> None:
    """npm packages pinned by generator/tfjs/package-lock.json, installed without their install scripts
    (the pure-JavaScript backend needs none; tfjs-node, which downloads native binaries, is not used)."""
    environment.venv.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(TFJS_DIR / name, environment.venv / name)
    step = ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"]
    done = subprocess.run(step, capture_output=True, text=True, cwd=environment.venv, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(step)} failed:\n{done.stderr[-2000:]}")


def is_ready(environment: Environment) -> bool:
    """The venv exists and holds the producer's release (cheap: no Keras import)."""
    if environment.producer.tfjs:
        return _tfjs_ready(environment)
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
    if environment.producer.tfjs:
        _ensure_tfjs(environment)
        if not is_ready(environment):
            raise RuntimeError(f"{environment.producer.release}: installed, but tfjs-layers is not its version")
        return "created"
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
