"""``kerasspec site``: the pages, what they show, escaping, links, reproduction commands, the CLI."""

from __future__ import annotations

import re
import shlex
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from site_fixtures import FIXTURE_CORPUS

from kerasspec.cli import main
from kerasspec.harness import Outcome, load_results
from kerasspec.site import Built, SiteError, _colours, _reader, build
from kerasspec.site._escape import text


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.links += [value for key, value in attrs if key in ("href", "src") and value]
        if found.get("id"):
            self.ids.add(str(found["id"]))
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


def parsed(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def pages(site: Built) -> list[Path]:
    return sorted(site.out.rglob("*.html"))


def test_every_page_has_a_title_and_every_link_resolves(site):
    assert len(pages(site)) == site.pages > 10
    for path in pages(site):
        page = parsed(path)
        assert page.title.strip(), path
        for link in page.links:
            assert not re.match(r"[a-z]+:", link), f"{path}: {link} leaves the site"
            target, _, fragment = link.partition("#")
            resolved = (path.parent / target).resolve() if target else path
            assert resolved.is_file(), f"{path.relative_to(site.out)}: {link}"
            assert site.out in resolved.parents
            if fragment:
                assert fragment in parsed(resolved).ids, f"{path}: {link}"


def test_the_front_page_has_a_row_per_reader_with_its_versions(site, results):
    front = (site.out / "index.html").read_text(encoding="utf-8")
    assert front.count('<tr><td class="row">') == 3
    for reader in site.readers:
        assert f'href="readers/{reader.slug}/index.html"' in front
        suite = reader.suite()
        assert suite["spec"] != "?" and suite["corpus"] == "0.0.1-fixture"
        assert " / ".join(suite.values()) in front
    liar = load_results(results["liar"])
    keras2 = [r for r in liar.results if r.format == "keras2" and r.kind != "invalid"]
    passed = sum(r.outcome is Outcome.PASS for r in keras2)
    assert f"{passed}/{len(keras2)} (" in front


def test_a_page_per_failing_case_and_none_for_a_pass(site, results):
    for reader in site.readers:
        failing = {r.case for r in load_results(reader.source).results if r.outcome.failing}
        folder = site.out / "readers" / reader.slug / "failures"
        made = {parsed(path).title.split(":")[0] for path in folder.glob("*.html") if path.name != "index.html"}
        assert made == failing
    assert not list((site.out / "readers" / "reference" / "failures").glob("*__*.html"))


def test_a_failure_page_lists_every_difference_and_the_input_at_the_failing_place(site):
    page = (site.out / "readers/hostile/failures/keras2__tf-keras-2.21.0__mha-positional.html").read_text("utf-8")
    assert "<h2>Differences (4)</h2>" in page
    for path in ("$.model.name", "$.model.layers[0].class_name", "$.model.layers[1].class_name"):
        assert f"<code>{path}</code>" in page
    assert "unexpected key" in page
    liar = (site.out / "readers/liar/failures/keras2__tf-keras-2.21.0__mha-positional.html").read_text("utf-8")
    assert "Input at <code>$.config.layers[2].inbound_nodes[0]</code>" in liar
    assert "&quot;value&quot;: [&quot;v&quot;, 0, 0]" in liar  # the kwarg the reader lost, in the model file
    assert "Expected document" in liar and "Actual document" in liar


def test_a_rejected_case_shows_the_input_at_the_error_path(site):
    # The liar accepts invalid/keras2/dangling-reference: the input is shown where the reference rejects it.
    page = (site.out / "readers/liar/failures/invalid__keras2__dangling-reference.html").read_text("utf-8")
    assert "accepted-invalid" in page
    assert "error[dangling-reference]" in page
    assert re.search(r"Input at <code>\$\.config\.layers\[\d\]", page)


def test_hostile_text_is_escaped_everywhere(site):
    for path in [*site.out.rglob("*.html"), *site.out.rglob("*.svg")]:
        data = path.read_bytes()
        text = data.decode("utf-8")  # lone surrogates would not have been written
        assert "<script" not in text and "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        assert "alert(1)" not in text or "&lt;script&gt;alert(1)&lt;/script&gt;" in text, path
    front = (site.out / "index.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\\u001b[31m\\u0007\\u202e\\udfff\\ud800&amp;amp;" in front


@pytest.mark.parametrize("case", ["keras2/tf_keras-2.21.0/mha-positional", "invalid/keras3/cycle"])
def test_the_reproduction_command_reproduces_the_failure(site, case, tmp_path, monkeypatch):
    name = case.replace("/", "__").replace("_", "-").replace("--", "__") + ".html"
    page = (site.out / "readers/liar/failures" / name).read_text("utf-8")
    command = re.search(r"<h2>Reproduce</h2><pre>(.*?)</pre>", page, re.S)
    assert command is not None
    argv = shlex.split(command.group(1).replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&"))
    assert argv[:2] == ["kerasspec", "check"]
    results = tmp_path / "again.jsonl"
    runner = CliRunner()
    done = runner.invoke(
        main, [argv[1], "--corpus", str(FIXTURE_CORPUS), "--results", str(results), "--no-progress", *argv[2:]]
    )
    again = load_results(results).results
    assert [r.case for r in again] == [case], done.output
    original = next(r for r in load_results(site.readers[1].source).results if r.case == case)
    assert again[0].outcome is original.outcome and again[0].outcome.failing


def test_the_grid_links_a_cell_with_failures_to_them(site):
    reader = (site.out / "readers/liar/index.html").read_text("utf-8")
    cell = _reader.cell_file("keras2", "tf_keras-2.21.0", "mha")
    assert f'href="cells/{cell}"' in reader
    listed = (site.out / "readers/liar/cells" / cell).read_text("utf-8")
    assert 'href="../failures/keras2__tf-keras-2.21.0__mha-positional.html"' in listed


def test_long_lists_are_paginated(results, tmp_path, monkeypatch):
    monkeypatch.setattr(_reader, "PER_PAGE", 2)
    built = build([results["hostile"]], tmp_path / "site", corpus=FIXTURE_CORPUS)
    folder = built.out / "readers/hostile/failures"
    failing = sum(r.outcome.failing for r in built.readers[0].run.results)
    lists = sorted(folder.glob("index*.html"))
    assert len(lists) == -(-failing // 2) > 2
    assert 'href="index-2.html">next page' in (folder / "index.html").read_text("utf-8")


def test_colours_are_readable_and_banded():
    for what, foreground, background in _colours.pairs():
        assert _colours.contrast(foreground, background) >= 4.5, what
    assert _colours.bucket(1.0).name == "all"
    assert _colours.bucket(0.95).name == "most"
    assert _colours.bucket(0.5).name == "half"
    assert _colours.bucket(0.01).name == "some"
    assert _colours.bucket(0.0).name == "none"
    assert _colours.bucket(None).name == "na"
    assert round(_colours.contrast("#000000", "#ffffff"), 2) == 21.0


def test_the_badge_names_the_pass_count(site, results):
    liar = load_results(results["liar"])
    attempted = [r for r in liar.results if r.outcome is not Outcome.UNSUPPORTED]
    passed = sum(r.outcome is Outcome.PASS for r in attempted)
    badge = (site.out / "readers/liar/badge.svg").read_text("utf-8")
    assert badge.startswith("<svg") and f">{passed:,}/{len(attempted):,}</text>" in badge
    assert _colours.bucket(passed / len(attempted)).badge in badge


def test_the_cli_builds_replaces_and_refuses(results, tmp_path):
    runner = CliRunner()
    out = tmp_path / "site"
    args = ["site", *map(str, results.values()), "--out", str(out), "--corpus", str(FIXTURE_CORPUS)]
    done = runner.invoke(main, args)
    assert done.exit_code == 0, done.output
    assert "3 reader(s)" in done.output
    (out / "stale.html").write_text("old")
    assert runner.invoke(main, args).exit_code == 0
    assert not (out / "stale.html").exists()  # a rebuild replaces the old site whole

    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    refused = runner.invoke(main, ["site", str(results["liar"]), "--out", str(other)])
    assert refused.exit_code == 2 and "not a kerasspec site" in refused.output
    assert (other / "keep.txt").read_text() == "mine"

    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n{}\n")
    broken = runner.invoke(main, ["site", str(bad), "--out", str(tmp_path / "x")])
    assert broken.exit_code == 65 and broken.output.startswith("error[bad-results]")
    assert not (tmp_path / "x").exists()


def test_build_refuses_a_file_as_the_output(results, tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(SiteError):
        build([results["liar"]], target, corpus=FIXTURE_CORPUS)


def test_pages_written_by_forked_workers_are_the_pages_written_in_one_process(results, tmp_path, monkeypatch):
    from kerasspec.site import _build

    monkeypatch.setattr("os.cpu_count", lambda: 2)
    alone = build(list(results.values()), tmp_path / "alone", corpus=FIXTURE_CORPUS)
    monkeypatch.setattr(_build, "CASES_PER_JOB", 1)
    forked = build(list(results.values()), tmp_path / "forked", corpus=FIXTURE_CORPUS)
    files = sorted(path.relative_to(alone.out) for path in alone.out.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(forked.out) for path in forked.out.rglob("*") if path.is_file())
    assert forked.pages == alone.pages == sum(path.suffix == ".html" for path in files)
    for relative in files:
        assert (alone.out / relative).read_bytes() == (forked.out / relative).read_bytes(), relative


def test_a_deeply_nested_answer_gets_its_page(tmp_path):
    import kerasspec

    def deep(text: str):
        document = kerasspec.parse(text).to_json()
        nested: list = []
        for _ in range(5000):  # deeper than the JSON encoder and the recursion limit allow
            nested = [nested]
        document["model"]["name"] = nested
        return document

    results = tmp_path / "deep.jsonl"
    kerasspec.check(deep, corpus=FIXTURE_CORPUS, results=results)
    built = build([results], tmp_path / "site", corpus=FIXTURE_CORPUS)
    page = (built.out / "readers/deep/failures/keras2__tf-keras-2.21.0__dense-chain.html").read_text("utf-8")
    # The harness records such an answer as a protocol error; its page says why and shows the input.
    assert "<strong>protocol-error</strong>" in page and "nests deeper than" in page
    assert "Expected document" in page


def _front_rows(site: Built) -> dict[str, dict[str, str]]:
    """The front page's cells by reader slug, then by column (``data-column``)."""
    front = (site.out / "index.html").read_text(encoding="utf-8")
    rows = {}
    for row in front.split('<tr><td class="row">')[1:]:
        slug = re.search(r'href="readers/([^/]+)/index.html"', row).group(1)
        rows[slug] = dict(re.findall(r'<td class="\w+" data-column="([^"]+)" data-label="[^"]*">([^<]*)</td>', row))
    return rows


def test_a_scanners_column_only_where_a_scanner_is_among_the_readers(site, scanner_site, scanner_results):
    assert {tuple(cells) for cells in _front_rows(site).values()} == {("keras2", "keras3", "must-reject")}
    rows = _front_rows(scanner_site)
    assert set(rows) == {"reference", "top-level-scanner"}
    assert all(tuple(cells) == ("keras2", "keras3", "must-reject", "scanner") for cells in rows.values())
    scanned = load_results(scanner_results["top-level-scanner"]).results
    passed = sum(result.outcome is Outcome.PASS for result in scanned)
    assert 0 < passed < len(scanned), "the top-level scanner finds the top-level Lambdas and misses the nested ones"
    assert rows["top-level-scanner"]["scanner"].startswith(f"{passed}/{len(scanned)} (")
    assert rows["top-level-scanner"]["keras2"] == rows["reference"]["scanner"] == "not run"
    parsed_keras2 = load_results(scanner_results["reference"]).results
    assert rows["reference"]["keras2"].startswith(f"{len(parsed_keras2)}/{len(parsed_keras2)} (")
    front = (scanner_site.out / "index.html").read_text(encoding="utf-8")
    assert "<th>scanners</th>" in front and "every config that carries code is found" in front


def test_a_scanner_page_counts_the_code_found_by_container(scanner_site, scanner_results):
    run = load_results(scanner_results["top-level-scanner"])
    counts = run.scanner_counts()
    page = (scanner_site.out / "readers/top-level-scanner/index.html").read_text(encoding="utf-8")
    assert (
        f"{counts['found']:,} of {counts['sites']:,} configs that carry code found, {counts['missed']:,} missed" in page
    )
    for container, outcomes in run.by_container().items():
        assert f"<td class='row'>{container}</td><td>{outcomes.get('missed', 0)}</td>" in page


def test_a_missed_file_lists_its_code_and_shows_the_input_at_the_first_miss(scanner_site, scanner_results):
    missed = [r for r in load_results(scanner_results["top-level-scanner"]).results if r.outcome is Outcome.MISSED]
    assert {result.container for result in missed} == {"to_json", "keras-archive", "h5"}
    for result in missed:
        name = "__".join(re.sub(r"[^a-z0-9.]+", "-", part.lower()).strip("-.") for part in result.case.split("/"))
        page = (scanner_site.out / f"readers/top-level-scanner/failures/{name}.html").read_text(encoding="utf-8")
        first = result.missed[0]["path"]
        assert f"<h2>Input at <code>{text(first)}</code>" in page, result.case
        assert page.count("<td>missed</td>") == len(result.missed)
        assert page.count("<td>found</td>") == len(result.sites) - len(result.missed)
