"""The scanner track (spec/scanners.md#track): a security scanner on trial over the corpus.

Each selected case is written as a real file of its container (``.json``, ``.keras``, ``.h5``,
built by :mod:`kerasspec.containers`) into one folder; the scanner's adapter is run once on that
folder and answers, per file, the locations it flags. Each file's answer is scored against
:func:`kerasspec.code.code_sites` of the case: ``pass``, ``missed`` (naming the sites no finding
matched), ``false-alarm`` (naming the findings that match no site), or ``error``. Findings on a
TensorFlow-op layer (not code, spec/scanners.md#not-code) are a policy of the scanner: reported,
never counted.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kerasspec import containers
from kerasspec.canonical import path_join
from kerasspec.code import CodeSite, code_sites
from kerasspec.corpus import Case, Corpus

PASS = "pass"
MISSED = "missed"
FALSE_ALARM = "false-alarm"
ERROR = "error"
NOT_CODE_CLASSES = frozenset({"TFOpLambda", "SlicingOpLambda"})
SUFFIXES = containers.FILE_SUFFIXES


@dataclass(frozen=True)
class Finding:
    """One location a scanner flags: a JSON path, a layer name, or neither (the file as a whole)."""

    layer: str | None = None
    path: str | None = None
    message: str = ""

    def label(self) -> str:
        return self.path or (f"layer {self.layer!r}" if self.layer else "the file")

    def as_json(self) -> dict[str, Any]:
        """The finding as the protocol writes it (spec/protocol.md#tracks): only what it names."""
        found = {"path": self.path, "layer": self.layer, "message": self.message}
        return {key: value for key, value in found.items() if value}


@dataclass
class Score:
    """A file's outcome: what was missed, what was flagged wrongly, what was flagged by policy."""

    outcome: str
    missed: list[CodeSite] = field(default_factory=list)
    false_alarms: list[Finding] = field(default_factory=list)
    policy: list[Finding] = field(default_factory=list)
    detail: str = ""


def _inside(path: str, prefixes: Iterable[str]) -> bool:
    return any(path == p or path.startswith((p + ".", p + "[")) for p in prefixes)


def _innermost(path: str, layers: frozenset[str]) -> str:
    """The layer config a JSON path lies in: the longest layer path it is, or lies below."""
    return max((layer for layer in layers if _inside(path, (layer,))), key=len, default="$")


def _names(finding: Finding, layer: str, held: Sequence[CodeSite], layers: frozenset[str]) -> bool:
    """Whether ``finding`` names the layer config at ``layer`` itself (its path, a path inside it, its name)."""
    if finding.path is not None:
        return _innermost(finding.path, layers) == layer
    return finding.layer is not None and bool(held[0].layers) and held[0].layers[-1] == finding.layer


def _holds(finding: Finding, layer: str, held: Sequence[CodeSite]) -> bool:
    """Whether ``finding`` names a model or wrapper holding the layer at ``layer`` (or, naming nothing, the file)."""
    if finding.path is not None:
        return _inside(layer, (finding.path,))
    if finding.layer is not None:
        return finding.layer in held[0].layers
    return True


def score(
    sites: Sequence[CodeSite],
    findings: Iterable[Finding],
    not_code_layers: frozenset[str] = frozenset(),
    not_code_paths: frozenset[str] = frozenset(),
    layer_paths: frozenset[str] | None = None,
) -> Score:
    """Which sites the findings cover, and the findings that name no code (spec/scanners.md#expected).

    The unit is the layer: a finding that names a layer config (its JSON path, a path inside it, or
    its name) covers every code-carrying config of that layer, not those of the layers nested in it.
    A finding that names a model or wrapper holding code, or nothing, stands for one layer with code
    inside it that no finding named (the most precise findings first). A finding that names no code
    is a false alarm, unless it names a TensorFlow-op layer (by name or by a path inside its config):
    that is the scanner's policy, reported and not counted. ``layer_paths`` are the document's
    layer configs (:func:`kerasspec.code.layer_paths`); by default those of the sites.
    """
    held: dict[str, list[CodeSite]] = {}
    for site in sites:
        held.setdefault(site.layer, []).append(site)
    layers = layer_paths if layer_paths is not None else frozenset({"$", *held})
    covered: set[str] = set()
    loose = []
    for finding in findings:
        named = {layer for layer, inside in held.items() if _names(finding, layer, inside, layers)}
        covered |= named
        if not named:
            loose.append(finding)
    false_alarms, policy = [], []
    # The most precise first: a path (the deepest first), then a layer's name, then the file as a whole.
    for finding in sorted(loose, key=lambda f: (f.path is None, f.layer is None, -len(f.path or ""))):
        holding = [layer for layer, inside in held.items() if _holds(finding, layer, inside)]
        free = [layer for layer in holding if layer not in covered]
        if free:
            covered.add(free[0])
        elif holding:
            continue  # it names code that other findings already cover: right, and counted once
        elif (finding.layer is not None and finding.layer in not_code_layers) or (
            finding.path is not None and _inside(finding.path, not_code_paths)
        ):
            policy.append(finding)
        else:
            false_alarms.append(finding)
    missed = [site for site in sites if site.layer not in covered]
    outcome = MISSED if missed else FALSE_ALARM if false_alarms else PASS
    return Score(outcome, missed, false_alarms, policy)


def not_code_layers(model: Any) -> frozenset[str]:
    """Names of the TensorFlow-op layers at any depth (their flags are policy, not misses)."""
    names: set[str] = set()
    stack = [model]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            config = value.get("config")
            if value.get("class_name") in NOT_CODE_CLASSES and isinstance(config, dict):
                name = config.get("name", value.get("name"))
                if isinstance(name, str):
                    names.add(name)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return frozenset(names)


def not_code_paths(model: Any) -> frozenset[str]:
    """JSON paths of the TensorFlow-op layer objects at any depth (a finding inside one is policy)."""
    paths: set[str] = set()
    stack: list[tuple[Any, str]] = [(model, "$")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            if value.get("class_name") in NOT_CODE_CLASSES and isinstance(value.get("config"), dict):
                paths.add(path)
            stack.extend((item, path_join(path, key)) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, path_join(path, i)) for i, item in enumerate(value))
    return frozenset(paths)


@dataclass(frozen=True)
class Item:
    """One file of the track: a case (its model JSON) written as one container."""

    case: Case
    container: str

    @property
    def id(self) -> str:
        return self.case.id if self.case.container == self.container else f"{self.case.id}/{self.container}"

    @property
    def name(self) -> str:
        """The file's name: the id made flat, with the container's suffix."""
        return self.id.replace("/", "__") + SUFFIXES[self.container]


def items(corpus: Corpus, cases: Iterable[Case]) -> list[Item]:
    """Each selected model in every container, with the JSON that container holds.

    The corpus keeps a container's own case only where its JSON differs from ``to_json``'s: a
    container without one holds the ``to_json`` text, as the real file does.
    """
    by_id = {case.id: case for case in corpus.cases}
    chosen = []
    for case in cases:
        if case.kind == "invalid" or (case.container or "to_json") != "to_json":
            continue
        for container in SUFFIXES:
            own = by_id.get(f"{case.id}/{container}")
            chosen.append(Item(own if own is not None else case, container))
    return chosen


def write_files(chosen: Iterable[Item], folder: Path) -> dict[str, Item]:
    """Write every item as a real file of its container into ``folder``; name -> item."""
    written = {}
    for item in chosen:
        text = item.case.read_input()
        producer = item.case.producer
        data = containers.file_bytes(
            item.container, text, producer.version_text if producer else None, producer.backend if producer else None
        )
        (folder / item.name).write_bytes(data)
        written[item.name] = item
    return written


def findings(raw: Any) -> list[Finding]:
    """The findings of a scanner's answer (a list of ``{path, layer, message}``); anything else is skipped."""
    found = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict):
            layer, path = item.get("layer"), item.get("path")
            found.append(
                Finding(
                    layer if isinstance(layer, str) else None,
                    path if isinstance(path, str) else None,
                    str(item.get("message", ""))[:300],
                )
            )
    return found


def run(
    command: Sequence[str], chosen: Sequence[Item], results: Path, *, timeout: float = 3600
) -> list[dict[str, Any]]:
    """Run a scanner adapter over ``chosen`` files; write and return one result each (JSON Lines)."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kerasspec-scan-") as tmp:
        folder = Path(tmp)
        written = write_files(chosen, folder)
        try:
            done = subprocess.run([*command, str(folder)], capture_output=True, text=True, timeout=timeout, check=False)
            answer = json.loads(done.stdout) if done.returncode == 0 else None
            failure = "" if answer is not None else f"exit {done.returncode}: {done.stderr[-400:]}"
        except subprocess.TimeoutExpired:
            answer, failure = None, f"no answer within {timeout:.0f} s"
        except ValueError as exc:
            answer, failure = None, f"answer is not JSON: {exc}"
    seconds = time.monotonic() - started
    files = answer.get("files") if isinstance(answer, dict) else None
    implementation = answer.get("implementation") if isinstance(answer, dict) else None
    rows = []
    for name, item in written.items():
        case = item.case
        document = json.loads(case.read_input())
        sites = code_sites(document)
        entry = files.get(name) if isinstance(files, dict) else None
        if not isinstance(entry, dict):
            result = Score(ERROR, detail=failure or "the answer has no entry for this file")
        else:
            result = score(sites, findings(entry.get("findings")), not_code_layers(document), not_code_paths(document))
            result.detail = str(entry.get("note", ""))[:300]
        rows.append(
            {
                "type": "case",
                "track": "scanner",
                "case": item.id,
                "kind": case.kind,
                "format": case.format,
                "release": case.release,
                "container": item.container,
                "features": list(case.features),
                "outcome": result.outcome,
                "sites": [site.as_json() for site in sites],
                "missed": [site.as_json() for site in result.missed],
                "false_alarms": [f.label() for f in result.false_alarms],
                "policy": [f.label() for f in result.policy],
                "detail": result.detail,
            }
        )
    results.parent.mkdir(parents=True, exist_ok=True)
    with results.open("w", encoding="utf-8") as out:
        out.write(
            json.dumps(
                {
                    "type": "run",
                    "track": "scanner",
                    "command": list(command),
                    "implementation": implementation,
                    "selected": len(rows),
                    "seconds": round(seconds, 1),
                }
            )
            + "\n"
        )
        for row in rows:
            out.write(json.dumps(row) + "\n")
        out.write(json.dumps({"type": "summary", "track": "scanner", **summarize(rows)}) + "\n")
    return rows


def summarize(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Counts per outcome, per container, and the sites found, missed and the false alarms."""
    outcomes: dict[str, int] = {}
    by_container: dict[str, dict[str, int]] = {}
    sites = missed = false_alarms = policy = 0
    for row in rows:
        outcomes[row["outcome"]] = outcomes.get(row["outcome"], 0) + 1
        slot = by_container.setdefault(row["container"], {})
        slot[row["outcome"]] = slot.get(row["outcome"], 0) + 1
        if row["outcome"] != ERROR:
            sites += len(row["sites"])
            missed += len(row["missed"])
        false_alarms += len(row["false_alarms"])
        policy += len(row["policy"])
    return {
        "outcomes": outcomes,
        "by_container": by_container,
        "sites": sites,
        "found": sites - missed,
        "missed": missed,
        "false_alarms": false_alarms,
        "policy_flags": policy,
    }
