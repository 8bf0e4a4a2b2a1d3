"""Reading the written spec as data: its pages, anchors, links and corpus-backed JSON examples.

The spec's JSON examples are claims about what real Keras writes; each names the corpus case and
the JSON path it was copied from, in an HTML comment just before its code block::

    <!-- corpus: keras3/keras-3.15.1/mha-positional input $.config.layers[2].inbound_nodes -->

where the second word is the case file (``input``, ``expected`` or ``live``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "spec"

# Pages other helpers own hold no corpus examples by design: the protocol page shows protocol
# messages, and the generated pages are tables computed from the corpus itself.
EXAMPLE_EXEMPT = ("protocol.md", "features.md", "generated/")

_MARKER = re.compile(r"<!--\s*corpus:\s*(\S+)\s+(input|expected|live)\s+(\$\S*)\s*-->")
_FENCE = re.compile(r"^```(\w*)\s*$")
_ANCHOR = re.compile(r"\{#([A-Za-z0-9_-]+)\}|<a id=\"([A-Za-z0-9_-]+)\"")
_LINK = re.compile(r"\]\(([A-Za-z0-9_./-]*\.md)?#([A-Za-z0-9_-]+)\)")
_PATH_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]")


@dataclass(frozen=True)
class Example:
    """One JSON code block of a page, with the corpus location it claims to come from (if any)."""

    page: str
    line: int
    text: str
    case_id: str | None
    file: str | None
    path: str | None

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"

    def value(self) -> Any:
        return json.loads(self.text)


def pages() -> list[Path]:
    return sorted(SPEC.rglob("*.md"))


def page_name(path: Path) -> str:
    """A spec page by its path in spec/; another Markdown file (the README, docs/) by its path in the repository."""
    return path.relative_to(SPEC if path.is_relative_to(SPEC) else REPO).as_posix()


def examples(path: Path) -> list[Example]:
    """The ```json blocks of a page, each with the marker on the nearest non-blank line above it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Example] = []
    index = 0
    while index < len(lines):
        fence = _FENCE.match(lines[index])
        if not fence:
            index += 1
            continue
        start = index
        end = start + 1
        while end < len(lines) and not lines[end].startswith("```"):
            end += 1
        if fence.group(1) == "json":
            above = start - 1
            while above >= 0 and not lines[above].strip():
                above -= 1
            marker = _MARKER.search(lines[above]) if above >= 0 else None
            found.append(
                Example(
                    page=page_name(path),
                    line=start + 1,
                    text="\n".join(lines[start + 1 : end]),
                    case_id=marker.group(1) if marker else None,
                    file=marker.group(2) if marker else None,
                    path=marker.group(3) if marker else None,
                )
            )
        index = end + 1
    return found


def anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {a or b for a, b in _ANCHOR.findall(text)}


def links(path: Path) -> list[tuple[str, str]]:
    """Every ``(target page, anchor)`` a page links to; the target is relative to spec/."""
    here = path.parent
    found = []
    for target, anchor in _LINK.findall(path.read_text(encoding="utf-8")):
        page = (here / target).resolve().relative_to(SPEC.resolve()).as_posix() if target else page_name(path)
        found.append((page, anchor))
    return found


def select(document: Any, path: str) -> Any:
    """The value at a JSON path of the spec's notation: ``$.a.b[3]['odd key']``."""
    if not path.startswith("$"):
        raise ValueError(f"a JSON path starts with $: {path!r}")
    position, value = 1, document
    while position < len(path):
        step = _PATH_STEP.match(path, position)
        if step is None:
            raise ValueError(f"cannot read JSON path {path!r} at character {position}")
        name, index, quoted = step.groups()
        if index is not None:
            value = value[int(index)]
        else:
            value = value[name if name is not None else re.sub(r"\\(.)", r"\1", quoted)]
        position = step.end()
    return value
