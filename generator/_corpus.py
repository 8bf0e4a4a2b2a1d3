"""The corpus on disk: cases in memory, merged with what is already committed, written back.

Layout: every case's files live in the folder named by its id, ``corpus/<id>/``:
``model.json`` (the input), ``expected.json`` and, for a lossy case, ``live.json``. The
to_json case of a recipe is ``<format>/<producer>/<recipe>``, its other containers are
``.../<recipe>/keras-archive`` and ``.../<recipe>/h5``. Identical files are written once per
case that holds them (git stores one blob for them). Writing is deterministic: the same cases
give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kerasspec.vocabulary import Producer

CONTAINERS = ("to_json", "keras-archive", "h5")
ROLES = ("input", "expected", "live")
# The file name of each role inside a case's folder.
FILE_NAMES = {"input": "model.json", "expected": "expected.json", "live": "live.json"}
CONTAINER_WORDS = {
    "to_json": "",
    "keras-archive": " [.keras archive config.json]",
    "h5": " [legacy .h5 model_config]",
}
GENERATED_DIRS = ("keras2", "keras3", "invalid", "handmade")


def document_bytes(doc: Any) -> bytes:
    """Canonical JSON files: sorted keys, compact, final newline (stable bytes, half the size of indented)."""
    return (json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n").encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Case:
    """One manifest case and the bytes of its files, keyed by role."""

    meta: dict[str, Any]  # manifest fields except input/expected/live/sha256
    files: dict[str, bytes]  # role ("input", "expected", "live") -> bytes

    @property
    def id(self) -> str:
        return str(self.meta["id"])

    @property
    def paths(self) -> dict[str, str]:
        """role -> the file's path relative to the corpus root, inside the case's folder."""
        return {role: case_path(self.id, role) for role in ROLES if role in self.files}


def case_path(case_id: str, role: str) -> str:
    """``keras3/keras-3.15.1/mha-positional`` + ``input`` -> ``.../mha-positional/model.json``."""
    return f"{case_id}/{FILE_NAMES[role]}"


def first_difference(a: Any, b: Any, path: str = "$") -> str | None:
    """JSON path of the first place two canonical documents differ (for lossy descriptions)."""
    if type(a) is not type(b):
        return path
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}.{key}"
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None if len(a) == len(b) else path
    return None if a == b else path


def cases_from_result(producer: Producer, recipe: Any, result: dict[str, Any]) -> list[Case]:
    """The cases of one (producer, recipe) worker result with status ok."""
    cases = []
    folder = f"{producer.format}/{producer.release}/{recipe.name}"
    for container in CONTAINERS:
        text = result["containers"].get(container)
        if text is None:
            continue
        expected = result["expected"][container]
        live = result["live"].get(container)
        files = {"input": text.encode("utf-8"), "expected": document_bytes(expected)}
        description = recipe.description + CONTAINER_WORDS[container]
        if live is not None:
            files["live"] = document_bytes(live)
            description += f" (lossy: the live model differs at {first_difference(expected, live)})"
        case_id = folder if container == "to_json" else f"{folder}/{container}"
        unreadable = result.get("unreadable", {}).get(container)
        if unreadable:
            # Real output that the spec's numbering rule cannot resolve: a must-reject case
            # until the spec says otherwise (worker rule 9).
            cases.append(
                Case(
                    {
                        "id": case_id,
                        "kind": "invalid",
                        "format": producer.format,
                        "producer": producer_ref(producer),
                        "recipe": recipe.name,
                        "container": container,
                        "features": sorted(recipe.tags),
                        "error": "node-index-out-of-range",
                        "description": f"{recipe.description}{CONTAINER_WORDS[container]}; real "
                        f"{producer.package} {producer.version_text} output that the node "
                        f"numbering rule cannot read: {unreadable[0]}",
                    },
                    {"input": files["input"]},
                )
            )
            continue
        meta = {
            "id": case_id,
            "kind": "lossy" if live is not None else "valid",
            "format": producer.format,
            "producer": producer_ref(producer),
            "recipe": recipe.name,
            "container": container,
            "features": sorted(recipe.tags),
            "description": description,
        }
        cases.append(Case(meta, files))
    return cases


def producer_ref(producer: Producer) -> dict[str, Any]:
    return {
        "package": producer.package,
        "version": producer.version_text,
        "backend": producer.backend,
        "tensorflow": producer.tensorflow,
    }


def producer_name_of(case_id: str) -> str:
    """`keras3/keras-3.15.1/recipe[/container]` -> `keras-3.15.1`."""
    return case_id.split("/")[1]


def load_cases(root: Path) -> tuple[dict[str, Any] | None, list[Case]]:
    """The committed manifest and its cases with their bytes (for merging a partial run)."""
    manifest_path = root / "manifest.json"
    if not manifest_path.exists():
        return None, []
    manifest = json.loads(manifest_path.read_text())
    cases = []
    for entry in manifest["cases"]:
        meta = {k: v for k, v in entry.items() if k not in ("input", "expected", "live", "sha256")}
        # Read from wherever the manifest points (an older layout too), written back in the case's folder.
        files = {role: (root / entry[role]).read_bytes() for role in ROLES if entry.get(role)}
        cases.append(Case(meta, files))
    return manifest, cases


def lay_out(cases: Iterable[Case]) -> dict[str, bytes]:
    """Every file of every case at its path in the case's folder (relative path -> bytes)."""
    return {path: case.files[role] for case in cases for role, path in case.paths.items()}


def manifest_case(case: Case) -> dict[str, Any]:
    entry = dict(case.meta)
    paths = case.paths
    entry.update(paths)
    entry["sha256"] = {path: sha256(case.files[role]) for role, path in sorted(paths.items())}
    return dict(sorted(entry.items()))


def write_files(root: Path, files: dict[str, bytes]) -> None:
    """Write `files` under root and remove every other generated file (no stale leftovers)."""
    for top in GENERATED_DIRS:
        target = root / top
        if target.exists():
            shutil.rmtree(target)
    for rel, data in sorted(files.items()):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def corpus_size(root: Path) -> tuple[int, int]:
    """(number of files, bytes) under root."""
    files = [p for p in root.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)
