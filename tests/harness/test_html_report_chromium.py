"""The HTML report renders in a real browser: headless Chromium from Debian's package.

Marked ``browser``: it needs the ``chromium`` binary (``apt-get update && apt-get install -y chromium``;
``scripts/test`` installs it when run as root). Without it the test fails with that instruction rather
than skipping; deselect it explicitly with ``-m "not browser"``.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
from html import escape

import pytest
from _chromium import FLAGS as CHROMIUM_FLAGS
from harness_fixtures import fake_command

from kerasspec.harness import ProtocolParser, _reports, run

pytestmark = pytest.mark.browser


def chromium(*arguments: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    assert binary, "headless Chromium is required: apt-get update && apt-get install -y chromium"
    with tempfile.TemporaryDirectory() as profile:
        command = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *arguments]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def report_page(fixture_corpus, tmp_path_factory):
    done = run(
        ProtocolParser(fake_command("liar"), timeout=5),
        fixture_corpus.cases,
        strict_errors=True,
        options={"rerun": ["--strict-errors", "--", *fake_command("liar")]},
    )
    path = tmp_path_factory.mktemp("report") / "report.html"
    _reports.write(done, "html", path)
    return path, done


def test_report_dom_has_the_matrix_and_every_failure(report_page):
    path, done = report_page
    rendered = chromium("--dump-dom", path.as_uri())
    assert rendered.returncode == 0, rendered.stderr[-2000:]
    dom = rendered.stdout
    assert '<table class="matrix">' in dom
    for release in ("keras-3.15.1", "keras-3.15.1-jax", "tf_keras-2.21.0", "hand-made"):
        assert f'<th class="rel">{release}</th>' in dom
    failing = [result for result in done.results if result.outcome.failing]
    assert len(failing) == 5
    for result in failing:
        assert f"<h3>{result.case}</h3>" in dom
        # where to look and what to type: the case's model file and the command that reruns it
        assert result.input is not None and result.input.endswith(f"{result.case}/model.json")
        assert f"<dt>input</dt><dd><code>{escape(result.input, quote=False)}</code></dd>" in dom
        rerun = done.rerun_command(result.case)
        assert rerun.startswith(f"kerasspec check --case {result.case} --strict-errors -- ")
        assert f"<dt>rerun</dt><dd><code>{escape(rerun, quote=False)}</code></dd>" in dom
    assert "<code>$.model.layers[2].calls[0].kwargs.value</code>" in dom
    assert "failed</span>" in dom


def test_report_renders_to_a_screenshot(report_page, tmp_path):
    path, _ = report_page
    shot = tmp_path / "report.png"
    rendered = chromium(f"--screenshot={shot}", "--window-size=1200,1600", path.as_uri())
    assert rendered.returncode == 0, rendered.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 1600)
    assert len(data) > 20_000  # a blank page compresses to a few kilobytes; this one has tables and text
