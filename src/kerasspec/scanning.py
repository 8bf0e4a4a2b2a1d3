"""The scanner track's scoring (spec/scanners.md#findings): a scanner's findings for one file
against the code-carrying configs of the model JSON it holds.

:func:`score` says which sites the findings cover (a finding covers the code of the layer it
names) and gives the file's outcome: ``pass``, ``missed`` (naming the sites no finding covers) or
``false-alarm`` (naming the findings that name no code). Findings on a TensorFlow-op layer (not
code, spec/scanners.md#not-code) are a policy of the scanner: reported, never counted. The harness
(``kerasspec check``, kerasspec.harness._scan) hands the files and records the results.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kerasspec.canonical import path_join
from kerasspec.code import CodeSite

PASS = "pass"
MISSED = "missed"
FALSE_ALARM = "false-alarm"
NOT_CODE_CLASSES = frozenset({"TFOpLambda", "SlicingOpLambda"})


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
