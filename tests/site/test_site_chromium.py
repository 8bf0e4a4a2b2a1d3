"""The site in a real browser: headless Chromium at a desktop and a phone width.

Marked ``browser``: it needs Debian's ``chromium`` (``scripts/test`` installs it when run as root);
without it the test fails with that instruction rather than skipping. Screenshots go to pytest's
temporary folder; set ``KERASSPEC_SITE_SCREENSHOTS=DIR`` to keep a copy there.
"""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from _chromium import Browser

from kerasspec.harness import Outcome, load_results
from kerasspec.site import _colours

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)
# Page name: (the site it is in, its file). The scanner site has a parser and a scanner (a scanners column).
PAGES = {
    "front": ("site", "index.html"),
    "reader": ("site", "readers/liar/index.html"),
    "failure": ("site", "readers/liar/failures/keras2__tf-keras-2.21.0__mha-positional.html"),
    "scanners-front": ("scanner_site", "index.html"),
    "scanner": ("scanner_site", "readers/top-level-scanner/index.html"),
    "scanner-failure": (
        "scanner_site",
        "readers/top-level-scanner/failures/keras2__tf-keras-2.21.0__lambda-functional-in-sequential__h5.html",
    ),
}

# Runs in the page: what the assertions need, as JSON.
MEASURE = """(() => {
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const background = (element) => {
    for (let at = element; at; at = at.parentElement) {
      const colour = rgb(getComputedStyle(at).backgroundColor);
      if (colour.length === 3 || (colour.length === 4 && colour[3] > 0)) return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(element)) continue;
    seen.add(element);
    const style = getComputedStyle(element);
    if (style.display === "none" || element.getClientRects().length === 0) continue;
    texts.push({text: walker.currentNode.textContent.trim().slice(0, 60), colour: rgb(style.color).slice(0, 3),
                background: background(element), size: parseFloat(style.fontSize)});
  }
  const outside = [...document.body.querySelectorAll("*")].filter((element) => {
    if (element.closest(".scroll")) return false;
    const box = element.getBoundingClientRect();
    return box.width > 0 && (box.right > innerWidth + 0.5 || box.left < -0.5);
  }).map((element) => element.tagName + "." + element.className);
  return {
    title: document.title, innerWidth, scrollWidth: document.documentElement.scrollWidth, outside, texts,
    images: [...document.images].map((image) => [image.getAttribute("src"), image.naturalWidth]),
    cells: [...document.querySelectorAll("td[data-cell]")].map((cell) => ({
      key: cell.dataset.cell, text: cell.textContent, background: background(cell)})),
    columns: [...document.querySelectorAll("td[data-column]")].map((cell) => ({
      reader: cell.parentElement.querySelector("a").getAttribute("href"), column: cell.dataset.column,
      text: cell.textContent, background: background(cell)})),
    styled: getComputedStyle(document.body).fontFamily.includes("system-ui"),
  };
})()"""


def _hex(colour: list[float]) -> str:
    return "#" + "".join(f"{round(channel):02x}" for channel in colour)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _colours_in(data: bytes) -> int:
    """How many different pixel values the first image rows hold (a blank page has one)."""
    chunks, position = b"", 8
    while position < len(data):
        length = struct.unpack(">I", data[position : position + 4])[0]
        if data[position + 4 : position + 8] == b"IDAT":
            chunks += data[position + 8 : position + 8 + length]
        position += 12 + length
    raw = zlib.decompress(chunks)
    return len(set(raw[:200_000]))


@pytest.fixture(scope="module")
def shots(site, scanner_site, tmp_path_factory) -> dict[tuple[str, int], tuple[Path, dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("screenshots")
    keep = os.environ.get("KERASSPEC_SITE_SCREENSHOTS")
    taken = {}
    sites = {"site": site, "scanner_site": scanner_site}
    with Browser() as browser:
        for name, (where, page) in PAGES.items():
            for width in WIDTHS:
                browser.open((sites[where].out / page).as_uri(), width, height=1000)
                measured = browser.evaluate(MEASURE)
                path = folder / f"{name}-{width}.png"
                path.write_bytes(browser.screenshot())
                if keep:
                    Path(keep).mkdir(parents=True, exist_ok=True)
                    shutil.copy(path, Path(keep) / path.name)
                taken[name, width] = (path, measured)
    return taken


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_a_page_renders_at_full_width_without_overflowing(shots, name, width):
    path, measured = shots[name, width]
    assert measured["innerWidth"] == width
    assert measured["scrollWidth"] <= width, f"{name} is {measured['scrollWidth']} px wide at {width}"
    assert measured["outside"] == []
    assert measured["title"].strip()
    assert measured["styled"], "the style sheet did not load"
    assert all(natural > 0 for _, natural in measured["images"]), measured["images"]
    assert _png_size(path.read_bytes()) == (width, 1000)
    assert _colours_in(path.read_bytes()) > 20  # text and coloured cells, not a blank page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_every_text_is_readable(shots, name, width):
    _, measured = shots[name, width]
    assert len(measured["texts"]) > 5
    for found in measured["texts"]:
        ratio = _colours.contrast(_hex(found["colour"]), _hex(found["background"]))
        assert ratio >= 4.5, f"{found['text']!r}: contrast {ratio:.2f}"


def test_the_grid_shows_the_counts_and_colours_of_the_results(shots, results):
    _, measured = shots["reader", 1280]
    expected: dict[str, list[int]] = {}
    for result in load_results(results["liar"]).results:
        rows = [*result.features] + ([f"invalid: {result.expected_error}"] if result.kind == "invalid" else [])
        for row in rows or ["(untagged)"]:
            tally = expected.setdefault(f"{result.format}|{result.release}|{row}", [0, 0])
            if result.outcome is not Outcome.UNSUPPORTED:
                tally[0] += result.outcome is Outcome.PASS
                tally[1] += 1
    shown = {cell["key"]: cell for cell in measured["cells"]}
    assert shown.keys() == expected.keys()
    for key, (passed, attempted) in expected.items():
        assert shown[key]["text"] == f"{passed}/{attempted}", key
        band = _colours.bucket(passed / attempted if attempted else None)
        assert _hex(shown[key]["background"]) == band.cell, key
    assert {_hex(cell["background"]) for cell in measured["cells"]} >= {
        _colours.bucket(1.0).cell,
        _colours.bucket(0.0).cell,
        _colours.bucket(0.5).cell,
    }


@pytest.mark.parametrize("width", WIDTHS)
def test_the_front_page_shows_the_counts_and_colours_of_every_column_scanners_included(shots, scanner_results, width):
    _, measured = shots["scanners-front", width]
    expected: dict[tuple[str, str], list[int]] = {}
    for name, path in scanner_results.items():
        run = load_results(path)
        for result in run.results:
            if run.track == "scanner":
                column = "scanner"
            else:
                column = "must-reject" if result.kind == "invalid" else result.format
            tally = expected.setdefault((f"readers/{name}/index.html", column), [0, 0])
            if result.outcome is not Outcome.UNSUPPORTED:
                tally[0] += result.outcome is Outcome.PASS
                tally[1] += 1
    shown = {(cell["reader"], cell["column"]): cell for cell in measured["columns"]}
    readers = {reader for reader, _ in shown}
    assert readers == {f"readers/{name}/index.html" for name in scanner_results}
    assert {column for _, column in shown} == {"keras2", "keras3", "must-reject", "scanner"}
    assert len(shown) == 4 * len(readers)
    for key, cell in shown.items():
        if key not in expected:
            assert cell["text"] == "not run", key
            assert _hex(cell["background"]) == _colours.NOT_ATTEMPTED.cell, key
            continue
        passed, attempted = expected[key]
        assert cell["text"].startswith(f"{passed:,}/{attempted:,} ("), key
        assert _hex(cell["background"]) == _colours.bucket(passed / attempted).cell, key
    assert ("readers/top-level-scanner/index.html", "scanner") in expected
