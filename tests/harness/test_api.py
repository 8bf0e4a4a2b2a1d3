"""`kerasspec.check(parse_function)` and `serve()`: conformance from Python."""

from __future__ import annotations

import io
import json
import time

from harness_fixtures import FIXTURE_CORPUS

import kerasspec
from kerasspec.harness import Outcome, serve


def test_check_the_reference_parser_in_process():
    run = kerasspec.check(kerasspec.parse, corpus=FIXTURE_CORPUS)
    assert run.passed, run.problems()
    assert run.parser["mode"] == "function"
    assert run.executed == 11


def test_check_records_crashes_timeouts_and_rejections_from_a_function():
    def flaky(text: str):
        if '"shared-layer"' in text or '"shared"' in text:
            raise RuntimeError("shared layers are not implemented")
        if '"mha"' in text:
            time.sleep(2)
        return kerasspec.parse(text)

    run = kerasspec.check(flaky, corpus=FIXTURE_CORPUS, timeout=0.5, formats=["keras3"])
    outcomes = {result.case: result.outcome for result in run.results}
    assert outcomes["keras3/keras-3.15.1/shared-layer"] is Outcome.CRASH
    assert "RuntimeError: shared layers are not implemented" in run.results[2].detail
    assert outcomes["keras3/keras-3.15.1/mha-positional"] is Outcome.TIMEOUT
    assert outcomes["keras2/tf_keras-2.21.0/dense-chain"] is Outcome.UNSUPPORTED
    assert outcomes["invalid/keras3/cycle"] is Outcome.PASS
    assert not run.passed


def test_serve_answers_start_parse_and_stops():
    requests = [
        {"cmd": "start", "version": 1},
        {"cmd": "parse", "seq": 1, "case": "x", "text": "not json"},
        {
            "cmd": "parse",
            "seq": 2,
            "case": "y",
            "text": '{"class_name": "Sequential", "config": {"name": "s", "layers": []}}',
        },
        {"cmd": "stop"},
    ]
    stdin = io.BytesIO("".join(json.dumps(r) + "\n" for r in requests).encode())
    stdout = io.BytesIO()
    implementation = {"name": "t", "version": "1", "language": "python"}
    assert serve(kerasspec.parse, implementation=implementation, stdin=stdin, stdout=stdout) == 0
    replies = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert replies[0] == {"version": 1, "implementation": implementation, "formats": ["keras2", "keras3"]}
    assert replies[1]["seq"] == 1
    assert replies[1]["error"]["code"] == "not-json"
    assert replies[2]["seq"] == 2
    assert len(replies) == 3


def test_serve_needs_only_the_standard_library():
    # Adapters run serve() inside other environments (a producer venv with only Keras installed),
    # so importing it must not pull in jsonschema, rich, click or anything else from site-packages.
    import subprocess
    import sys
    from pathlib import Path

    source = Path(kerasspec.__file__).resolve().parent.parent
    probe = (
        f"import sys; sys.path.insert(0, {str(source)!r})\n"
        "from kerasspec.harness import serve\n"
        "import kerasspec.harness.reference\n"
        "print(sorted(m for m in ('jsonschema', 'referencing', 'rich', 'click', 'hypothesis', 'h5py') "
        "if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-S", "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[]\n"


def test_a_results_file_keeps_the_document_of_a_wrong_answer(tmp_path):
    from kerasspec.harness import load_results
    from kerasspec.harness._outcomes import DOCUMENT_LIMIT

    padded = set()

    def wrong(text: str):
        try:
            document = kerasspec.parse(text).to_json()
        except kerasspec.ParseError:  # accepted: a document for an invalid case
            return {"format": "keras2", "model": {"name": "renamed"}}
        if '"mha"' in text:  # too large to keep
            document["padding"] = "x" * DOCUMENT_LIMIT
            padded.add(document["model"]["name"])
        else:
            document["model"]["name"] = "renamed"
        return document

    results = tmp_path / "results.jsonl"
    run = kerasspec.check(wrong, corpus=FIXTURE_CORPUS, results=results)
    read = {result.case: result for result in load_results(results).results}
    assert read.keys() == {result.case for result in run.results}
    for result in read.values():
        if result.outcome is Outcome.FAIL and result.difference["path"] == "$.padding":
            assert result.document is None
        elif result.outcome in (Outcome.FAIL, Outcome.ACCEPTED_INVALID):
            assert result.document["model"]["name"] == "renamed"
        else:  # a rejection or a pass keeps nothing
            assert result.document is None
    assert padded
    outcomes = {result.outcome for result in read.values()}
    assert {Outcome.FAIL, Outcome.ACCEPTED_INVALID} <= outcomes
