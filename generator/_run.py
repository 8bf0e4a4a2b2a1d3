"""Runs one worker per producer, in parallel, with a rich progress display."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from generator._matrix import REPO_ROOT, Environment
from generator._venvs import ensure_venv
from kerasspec.vocabulary import Producer

WORKER = REPO_ROOT / "generator" / "_worker.py"
#: The tfjs-layers worker, run with Node.js (generator/tfjs/worker.js).
TFJS_WORKER = REPO_ROOT / "generator" / "tfjs" / "worker.js"


@dataclass
class ProducerRun:
    """What one producer's worker gave back."""

    producer: Producer
    results: list[dict[str, Any]] = field(default_factory=list)
    signatures: dict[str, Any] | None = None
    status: str = "ok"  # ok | failed
    error: str | None = None
    seconds: float = 0.0
    venv: str = ""


def _worker_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    # Determinism and quiet: hash seed fixed, no GPU probing, TF logs off, one thread
    # per op pool so that two workers share the 2 cores without oversubscription.
    env.update(
        PYTHONHASHSEED="0",
        TF_CPP_MIN_LOG_LEVEL="3",
        CUDA_VISIBLE_DEVICES="",
        TF_NUM_INTEROP_THREADS="1",
        TF_NUM_INTRAOP_THREADS="1",
        XLA_FLAGS="--xla_force_host_platform_device_count=1",
        JAX_PLATFORMS="cpu",
    )
    return env


def run_producer(
    environment: Environment,
    recipes: list[str] | None,
    on_recipe: Callable[[str], None],
    signatures: bool,
    timeout: float = 3600,
    python: Path | None = None,
    node_modules: Path | None = None,
) -> ProducerRun:
    """Create/reuse the venv and run the worker; failures are recorded, never raised.

    ``python`` runs the worker with another interpreter that has this producer's Keras
    installed (the drift test uses the test environment's); ``node_modules``, for tfjs-layers,
    another folder of npm packages that holds its release.
    """
    producer = environment.producer
    run = ProducerRun(producer)
    if producer.tfjs and recipes is None:
        from generator._orchestrate import applicable  # the orchestrator imports this module

        recipes = applicable(producer, [])  # the JavaScript worker cannot read the registry
    start = time.monotonic()
    try:
        run.venv = "given" if python or node_modules else ensure_venv(environment)
    except Exception as exc:
        run.status, run.error = "failed", f"environment: {exc}"
        run.seconds = time.monotonic() - start
        return run
    with tempfile.TemporaryDirectory(prefix=f"kerasspec-{producer.release}-") as tmp:
        out = Path(tmp) / "results.jsonl"
        sig_out = Path(tmp) / "signatures.json"
        request = {
            "format": producer.format,
            "package": producer.package,
            "version": producer.version_text,
            "backend": producer.backend,
            "out": str(out),
            "recipes": recipes,
            "signatures_out": str(sig_out) if signatures else None,
        }
        req = Path(tmp) / "request.json"
        req.write_text(json.dumps(request))
        stderr_path = Path(tmp) / "stderr.txt"
        with stderr_path.open("w") as stderr:
            command = [str(python or environment.python), str(WORKER), str(req)]
            env = _worker_env()
            if producer.tfjs:
                command = ["node", str(TFJS_WORKER), str(req)]
                env["NODE_PATH"] = str(node_modules or environment.node_modules)
            proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env, cwd=tmp)
            killer = threading.Timer(timeout, proc.kill)
            killer.start()
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith("@@ "):
                    on_recipe(line[3:].strip())
            code = proc.wait()
            killer.cancel()
        if out.exists():
            run.results = [json.loads(line) for line in out.read_text().splitlines() if line]
        if sig_out.exists():
            run.signatures = json.loads(sig_out.read_text())
        if code != 0:
            tail = stderr_path.read_text().strip().splitlines()[-12:]
            run.status = "failed"
            run.error = f"worker exited {code}: " + " | ".join(tail)[-1500:]
    run.seconds = time.monotonic() - start
    return run


def run_all(
    producers: list[Environment],
    recipes_for: Callable[[Environment], list[str]],
    *,
    jobs: int,
    signatures: bool,
) -> list[ProducerRun]:
    """Every producer, `jobs` at a time; returns runs in the order of `producers`."""
    columns = (
        TextColumn("[bold]{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[recipe]:<36}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, refresh_per_second=4) as progress:
        overall = progress.add_task("all releases", total=len(producers), recipe="")

        def one(environment: Environment) -> ProducerRun:
            wanted = recipes_for(environment)
            task = progress.add_task(environment.producer.release, total=len(wanted), recipe="environment")
            seen: list[str] = []

            def on_recipe(name: str) -> None:
                if seen:
                    progress.advance(task)
                seen.append(name)
                progress.update(task, recipe=name)

            run = run_producer(environment, wanted, on_recipe, signatures)
            label = "done" if run.status == "ok" else "[red]FAILED"
            progress.update(task, completed=len(wanted), recipe=f"{label} {run.seconds:.0f}s")
            progress.advance(overall)
            if run.status != "ok":
                progress.console.print(f"[red]{environment.producer.release} failed:[/red] {run.error}")
            return run

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            return list(pool.map(one, producers))
