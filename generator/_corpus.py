"""The corpus on disk: cases in memory, merged with what is already committed, written back.

Layout: every case has a natural folder ``<format>/<producer>/<recipe>/`` holding
``model.json`` / ``expected.json`` / ``live.json`` for ``to_json`` and ``archive-*`` / ``h5-*``
files for the other containers. A file byte-identical to one at a path that sorts earlier
is not written again: the case points at that path (``input``/``expected``/``live`` are
paths, not folders). Writing is deterministic: the same cases give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONTAINERS = ("to_json", "keras-archive", "h5")
# Natural file names per container and role (input / expected / live).
FILE_NAMES = {
    "to_json": ("model.json", "expected.json", "live.json"),
    "keras-archive": ("archive-config.json", "archive-expected.json", "archive-live.json"),
    "h5": ("h5-model-config.json", "h5-expected.json", "h5-live.json"),
}
CONTAINER_WORDS = {
    "to_json": "",
    "keras-archive": " [.keras archive config.json]",
    "h5": " [legacy .h5 model_config]",
}
GENERATED_DIRS = ("keras2", "keras3", "invalid")


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
    natural: dict[str, str]  # role -> natural relative path
    paths: dict[str, str] = field(default_factory=dict)  # role -> actual path (after dedupe)

    @property
    def id(self) -> str:
        return str(self.meta["id"])


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


def cases_from_result(producer: Any, recipe: Any, result: dict[str, Any]) -> list[Case]:
    """The cases of one (producer, recipe) worker result with status ok."""
    cases = []
    folder = f"{producer.format}/{producer.name}/{recipe.name}"
    for container in CONTAINERS:
        text = result["containers"].get(container)
        if text is None:
            continue
        expected = result["expected"][container]
        live = result["live"].get(container)
        names = FILE_NAMES[container]
        files = {"input": text.encode("utf-8"), "expected": document_bytes(expected)}
        natural = {"input": f"{folder}/{names[0]}", "expected": f"{folder}/{names[1]}"}
        description = recipe.description + CONTAINER_WORDS[container]
        if live is not None:
            files["live"] = document_bytes(live)
            natural["live"] = f"{folder}/{names[2]}"
            description += f" (lossy: the live model differs at {first_difference(expected, live)})"
        case_id = folder if container == "to_json" else f"{folder}/{container}"
        unreadable = result.get("unreadable", {}).get(container)
        if unreadable:
            # Real output that the spec's numbering rule cannot resolve: a must-reject case
            # until the spec says otherwise (worker rule 9).
            cases.append(Case(
                {"id": case_id, "kind": "invalid", "format": producer.format,
                 "producer": producer_ref(producer), "recipe": recipe.name, "container": container,
                 "features": sorted(recipe.tags), "error": "node-index-out-of-range",
                 "description": f"{recipe.description}{CONTAINER_WORDS[container]}; real "
                                f"{producer.package} {producer.version} output that the node "
                                f"numbering rule cannot read: {unreadable[0]}"},
                {"input": files["input"]}, {"input": natural["input"]}))
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
        cases.append(Case(meta, files, natural))
    return cases


def producer_ref(producer: Any) -> dict[str, Any]:
    return {
        "package": producer.package,
        "version": producer.version,
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
        files, natural = {}, {}
        for role in ("input", "expected", "live"):
            if entry.get(role):
                files[role] = (root / entry[role]).read_bytes()
                natural[role] = natural_path(entry, role)
        cases.append(Case(meta, files, natural))
    return manifest, cases


def natural_path(entry: dict[str, Any], role: str) -> str:
    if entry["kind"] == "invalid" and entry["id"].startswith("invalid/"):
        return str(entry[role])
    folder = "/".join(entry["id"].split("/")[:3])
    names = FILE_NAMES[entry["container"]]
    return f"{folder}/{names[('input', 'expected', 'live').index(role)]}"


def assign_paths(cases: Iterable[Case]) -> dict[str, bytes]:
    """Dedupe: each distinct content lives at the smallest natural path that has it."""
    owner: dict[bytes, str] = {}
    for case in cases:
        for role, data in case.files.items():
            path = case.natural[role]
            if data not in owner or path < owner[data]:
                owner[data] = path
    written: dict[str, bytes] = {}
    for case in cases:
        case.paths = {role: owner[data] for role, data in case.files.items()}
        for data in case.files.values():
            written[owner[data]] = data
    return written


def manifest_case(case: Case) -> dict[str, Any]:
    entry = dict(case.meta)
    for role in ("input", "expected", "live"):
        if role in case.paths:
            entry[role] = case.paths[role]
    entry["sha256"] = {path: sha256(case.files[role]) for role, path in sorted(case.paths.items())}
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
