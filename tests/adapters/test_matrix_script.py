"""adapters/matrix/matrix.py: the answers cache answers every case exactly once, and the page links every
failing cell."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys

from adapter_runs import REPO

from kerasspec.corpus import Case
from kerasspec.harness import Answer, CaseResult, Outcome

spec = importlib.util.spec_from_file_location("adapters_matrix", REPO / "adapters" / "matrix" / "matrix.py")
matrix = importlib.util.module_from_spec(spec)
sys.modules["adapters_matrix"] = matrix
spec.loader.exec_module(matrix)


class CountingParser:
    """A parser that answers every text with a document naming it, and counts what it was asked."""

    def __init__(self) -> None:
        self.implementation = {"name": "counting", "version": "1", "language": "python"}
        self.asked: list[str] = []

    def answers(self, work):
        for case, text in work:
            self.asked.append(text)
            kind = "timeout" if text == "hang" else "document"
            yield case, Answer(kind, document={"text": text}), 0.0

    def describe(self):
        return {"implementation": self.implementation}

    def close(self) -> None:
        pass


def reader(tmp_path, *, cache_timeouts: bool) -> matrix.Reader:
    source = tmp_path / "adapter.py"
    if not source.exists():
        source.write_text("print('v1')\n")
    return matrix.Reader(
        id="fake",
        label="Fake 1",
        argv=("fake",),
        sources=(str(source),),
        needs=str(source),
        install="-",
        cache_timeouts=cache_timeouts,
    )


def cases(texts):
    return [
        (
            Case(
                id=f"c{i}",
                kind="valid",
                format="keras2",
                producer=None,
                recipe=None,
                container="to_json",
                features=(),
                input="x.json",
                expected=None,
                live=None,
                error=None,
                sha256={},
                description="",
                root=REPO,
            ),
            text,
        )
        for i, text in enumerate(texts)
    ]


def test_cache_answers_each_case_once_and_asks_each_text_once(tmp_path, monkeypatch):
    monkeypatch.setattr(matrix, "CACHE", tmp_path / "cache")
    texts = ["a", "b", "a", "hang", "hang", "b"]
    parser = CountingParser()
    cached = matrix.CachedParser(reader(tmp_path, cache_timeouts=False), parser)
    answered = [(case.id, answer.kind) for case, answer, _ in cached.answers(cases(texts))]
    assert sorted(answered) == sorted((f"c{i}", "timeout" if t == "hang" else "document") for i, t in enumerate(texts))
    assert sorted(parser.asked) == ["a", "b", "hang", "hang"]  # timeouts are asked again

    again = CountingParser()
    list(matrix.CachedParser(reader(tmp_path, cache_timeouts=False), again).answers(cases(texts)))
    assert again.asked == ["hang", "hang"]  # documents came from the cache file


def test_cache_is_dropped_when_the_adapter_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(matrix, "CACHE", tmp_path / "cache")
    first = reader(tmp_path, cache_timeouts=True)
    list(matrix.CachedParser(first, CountingParser()).answers(cases(["a", "hang"])))
    (tmp_path / "adapter.py").write_text("print('v2')\n")
    parser = CountingParser()
    list(matrix.CachedParser(reader(tmp_path, cache_timeouts=True), parser).answers(cases(["a", "hang"])))
    assert parser.asked == ["a", "hang"]


def result(case: str, outcome: Outcome, release: str, features=("shared-layer",)) -> CaseResult:
    return CaseResult(
        case=case,
        kind="valid",
        format="keras2",
        release=release,
        features=features,
        outcome=outcome,
        detail="error[load-error]: ValueError: Unknown layer: 'X'",
    )


def test_render_fits_120_columns_one_column_per_reader():
    readers = [
        matrix.Reader(
            id=f"fake-{n}", label=f"Fake reader number {n} (a long label)", argv=(), sources=(), needs="-", install="-"
        )
        for n in range(1, 8)
    ]
    release = matrix.DEFAULT_RELEASES[0]
    results = [result("k/a", Outcome.PASS, release), result("k/b", Outcome.REJECTED_VALID, release)]
    # A crash's detail is long; the longest case ids of the corpus are about 70 characters.
    long = dataclasses.replace(
        result("keras3/keras-3.15.1-jax/" + "c" * 50, Outcome.CRASH, release), detail="Traceback: " + "x" * 300
    )
    loaded = {reader.id: [*results, long] for reader in readers}
    page, table = matrix.render(readers, loaded, "9.9.9")
    assert "| Fake reader number 1 (a long label) | 33% |" in table
    assert "shared-layer" not in table, "the README gets the summary only; the feature tables are on the page"
    assert "| `shared-layer` | " + " | ".join(["33%"] * 7) + " |" in page
    assert "(7) Fake reader number 7 (a long label)" in page
    assert "- 1 x `rejected-valid: error[load-error]: ValueError: Unknown layer: '…'`\n  e.g. `k/b`" in page
    too_long = [line for line in page.splitlines() if len(line) > 120]
    assert too_long == []


def test_render_only_writes_the_site_beside_the_page(tmp_path, monkeypatch):
    import kerasspec
    from kerasspec import corpus

    results = tmp_path / "results"
    results.mkdir()
    chosen = corpus.load().select(corpus.Selection(releases=("tf_keras-2.21.0",), ids=("*/mha-*",)))
    reader = matrix.READERS[0]

    def no_kwargs(text: str):
        document = kerasspec.parse(text).to_json()
        for layer in document["model"]["layers"]:
            for call in layer["calls"]:
                call["kwargs"] = {}
        return document

    kerasspec.check(
        no_kwargs,
        selection=corpus.Selection(releases=("tf_keras-2.21.0",), ids=("*/mha-*",)),
        results=results / f"{reader.id}.jsonl",
    )
    monkeypatch.setattr(matrix, "RESULTS", results)
    monkeypatch.setattr(matrix, "PAGE", tmp_path / "MATRIX.md")
    monkeypatch.setattr(matrix, "SITE", tmp_path / "site")
    monkeypatch.setattr(matrix, "ROOT", tmp_path)
    assert matrix.main(["--render-only", "--no-readme"]) == 0
    front = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert f'href="readers/{reader.id.replace("_", "-")}/index.html"' in front
    failures = list((tmp_path / "site" / "readers").glob("*/failures/keras2__*.html"))
    assert 0 < len(failures) <= len(chosen)


def test_a_rewritten_page_keeps_the_scanners_table_and_fits_120_columns():
    old = "# Old page\n\n## Scanners\n\nwords\n\n<!-- scanners:start -->\n| scanner | files |\n<!-- scanners:end -->\n"
    page = matrix.with_scanners("# New page\n", old)
    assert page.startswith("# New page\n\n## Scanners\n")
    assert page.endswith("<!-- scanners:start -->\n| scanner | files |\n<!-- scanners:end -->\n")
    assert "Old page" not in page
    assert [line for line in page.splitlines() if len(line) > 120] == []


def test_the_committed_page_fits_120_columns_scanners_table_included():
    page = (REPO / "adapters" / "matrix" / "MATRIX.md").read_text(encoding="utf-8")
    assert page.count(matrix.SCANNERS_START) == page.count(matrix.SCANNERS_END) == 1
    assert "\n| scanner | " in page
    too_long = [line[:60] for line in page.splitlines() if len(line) > 120]
    assert too_long == [], f"{len(too_long)} lines over 120 columns"
