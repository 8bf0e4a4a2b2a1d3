"""Commit messages a maintainer can scan: every commit after the last one of the previous release
work has a subject of at most 72 characters and, when it has a body, a blank line after the subject.

It reads the repository's history, so it needs ``git`` and a clone holding that commit (a clean
clone does; a shallow one does not): without them it fails, saying so, rather than skip.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: The last commit of the previous release work (v0.2.0's review), fixed: the history after it is held
#: to the rule, the history before it is not rewritten.
SINCE = "2ea701be19dc48cf850c3e0d763fa97d1ef4ebc1"
SUBJECT_MAX = 72


def git(*arguments: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("git") is None:
        pytest.fail("git is not installed: this test reads the repository's commit messages")
    return subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=False)


def messages() -> dict[str, list[str]]:
    """Each commit after SINCE (short hash) and its message's lines."""
    if git("cat-file", "-e", f"{SINCE}^{{commit}}").returncode != 0:
        pytest.fail(f"commit {SINCE} is not in the history of {ROOT} (not a git clone, or a shallow one)")
    log = git("log", "--format=%h%x1f%B%x1e", f"{SINCE}..HEAD")
    assert log.returncode == 0, log.stderr
    found = {}
    for record in log.stdout.split("\x1e"):
        if record.strip():
            short, message = record.strip("\n").split("\x1f", 1)
            found[short] = message.rstrip("\n").split("\n")
    return found


def test_subjects_are_at_most_72_characters() -> None:
    long = {short: lines[0] for short, lines in messages().items() if len(lines[0]) > SUBJECT_MAX}
    assert not long, "\n".join(f"{short} ({len(subject)} characters): {subject}" for short, subject in long.items())


def test_a_body_is_separated_from_the_subject_by_a_blank_line() -> None:
    joined = {short: lines[:2] for short, lines in messages().items() if len(lines) > 1 and lines[1].strip()}
    assert not joined, "\n".join(f"{short}: {lines[0]!r} then {lines[1]!r}" for short, lines in joined.items())
