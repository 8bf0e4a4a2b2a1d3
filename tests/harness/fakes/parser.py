"""A fake parser that misbehaves on purpose, to test every failure path of the harness.

    python parser.py BEHAVIOUR CORPUS_DIR            # persistent protocol mode
    python parser.py BEHAVIOUR CORPUS_DIR FILE       # per-case mode (one model file)

It knows the right answers by reading the corpus manifest (an oracle, not a parser), so the only
thing under test is the harness. Each behaviour is one function below; ``correct`` is the baseline.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BEHAVIOUR = sys.argv[1]
CORPUS = Path(sys.argv[2])
MANIFEST = json.loads((CORPUS / "manifest.json").read_text())
CASES = {case["id"]: case for case in MANIFEST["cases"]}
BY_INPUT = {str((CORPUS / case["input"]).resolve()): case for case in MANIFEST["cases"]}
IMPLEMENTATION = {"name": f"fake-{BEHAVIOUR}", "version": "0.0.0", "language": "python"}
# What a hostile parser says: rich markup, terminal escapes (OSC title, clear screen), a Markdown
# fence, HTML, a forged error line and a lone surrogate.
HOSTILE_TEXT = "[/nope] [bold red]x \x1b]0;pwned\x07\x1b[2J ```\n</pre><script>alert(1)</script>\nerror[forged]: \ud800"
if BEHAVIOUR == "hostile-text":
    IMPLEMENTATION["name"] = HOSTILE_TEXT


def oracle(case_id: str) -> dict:
    """The right reply body for a case: its expected document, or its expected error."""
    case = CASES[case_id]
    if case["kind"] == "invalid":
        return {"error": {"code": case["error"], "message": "rejected by the oracle", "path": "$"}}
    return {"document": json.loads((CORPUS / case["expected"]).read_text())}


def send(message: dict | str) -> None:
    line = message if isinstance(message, str) else json.dumps(message)
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def hang() -> None:
    while True:
        time.sleep(60)


def lie(case_id: str) -> dict:
    """Wrong answers, one kind per case (see tests/harness/test_fakes.py for the expected outcomes)."""
    body = oracle(case_id)
    name = case_id.rsplit("/", 1)[-1]
    if name == "dense-chain" and case_id.startswith("keras3"):
        body["document"]["model"]["name"] = "not-the-name"
    elif name == "mha-positional" and case_id.startswith("keras2"):
        body["document"]["model"]["layers"][2]["calls"][0]["kwargs"] = {}
    elif name == "shared-layer":
        body = {"error": {"code": "bad-node", "message": "I do not like shared layers"}}
    elif name == "dangling-reference":
        body = oracle("keras2/tf_keras-2.21.0/dense-chain")
    elif name == "cycle":
        body = {"error": {"code": "bad-node", "message": "not the code the corpus wants"}}
    return body


def answer(seq: int, case_id: str) -> None:
    """One parse request, answered the way BEHAVIOUR says."""
    if BEHAVIOUR == "crash-first" and seq == 1:
        sys.stderr.write("Traceback (most recent call last):\nRuntimeError: crash on the first case\n")
        sys.exit(3)
    if BEHAVIOUR == "crash-in-colour":  # what a terminal-minded parser writes: ANSI escapes, a NUL byte
        sys.stderr.write("\x1b[31merror\x1b[0m in \x00 native code\n")
        sys.exit(134)
    if BEHAVIOUR == "crash-every-tenth" and seq % 10 == 0:
        sys.stderr.write(f"segfaulting on seq {seq}\n")
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    if BEHAVIOUR == "hang" and "mha" in case_id:
        hang()
    if BEHAVIOUR == "crash-on-mha" and "mha" in case_id:  # the same cases whichever process gets them
        os._exit(9)
    if BEHAVIOUR == "slow" and "dense" in case_id:
        time.sleep(float(os.environ.get("FAKE_SLEEP", "1.5")))
    if BEHAVIOUR == "garbage":
        return send("this is not JSON, it is a parser having a bad day")
    if BEHAVIOUR == "wrong-seq":
        return send({"seq": seq + 1, **oracle(case_id)})
    if BEHAVIOUR == "half-line":
        sys.stdout.write(json.dumps({"seq": seq, **oracle(case_id)})[:40])
        sys.stdout.flush()
        sys.exit(0)
    if BEHAVIOUR == "stderr-flood":
        chunk = "x" * 1023 + "\n"
        for _ in range(4096):  # 4 MiB per case, far more than the harness keeps
            sys.stderr.write(chunk)
        sys.stderr.write("END OF FLOOD\n")
        sys.stderr.flush()
    if BEHAVIOUR == "huge":
        body = oracle(case_id)
        if "document" in body:
            body["document"]["padding"] = "y" * (8 << 20)
        return send({"seq": seq, **body})
    if BEHAVIOUR == "liar":
        return send({"seq": seq, **lie(case_id)})
    if BEHAVIOUR == "deep":  # a reply nested 100,000 deep
        return send(f'{{"seq": {seq}, "document": {{"model": ' + "[" * 100_000 + "]" * 100_000 + "}}")
    if BEHAVIOUR == "many-values":  # 6 million empty lists: 18 MB, about 450 MB decoded
        return send(f'{{"seq": {seq}, "document": {{"padding": [' + "[]," * 6_000_000 + "[]]}}")
    if BEHAVIOUR == "hostile-text":
        return send({"seq": seq, "error": {"code": "bad-node", "message": HOSTILE_TEXT, "path": "$" + HOSTILE_TEXT}})
    if BEHAVIOUR == "child-holds-stdout":  # exits, leaving a child with its stdout open
        subprocess.Popen(["sleep", "60"])
        sys.exit(0)
    if BEHAVIOUR == "keras3-only" and CASES[case_id]["format"] != "keras3":
        sys.stderr.write(f"the harness sent me {case_id}, a format I did not declare\n")
        sys.exit(4)
    return send({"seq": seq, **oracle(case_id)})


def protocol() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        if request["cmd"] == "start":
            if BEHAVIOUR == "exit-on-start":
                sys.stderr.write("cannot initialise: missing licence file\n")
                sys.exit(7)
            if BEHAVIOUR == "silent-start":
                hang()
            formats = ["keras3"] if BEHAVIOUR == "keras3-only" else ["keras2", "keras3"]
            version = 2 if BEHAVIOUR == "future-protocol" else request["version"]
            send({"version": version, "implementation": IMPLEMENTATION, "formats": formats})
        elif request["cmd"] == "parse":
            answer(request["seq"], request["case"])
        elif request["cmd"] == "stop":
            return


def per_case(path: str) -> None:
    case = BY_INPUT[str(Path(path).resolve())]
    if BEHAVIOUR == "hang" and "mha" in case["id"]:
        hang()
    if BEHAVIOUR == "crash-first" and "dense" in case["id"]:
        os.kill(os.getpid(), signal.SIGSEGV)
    if BEHAVIOUR == "garbage" and "dense" in case["id"]:
        print("<html>not a document</html>")
        return
    if BEHAVIOUR == "deep" and "dense" in case["id"]:
        print("[" * 100_000 + "]" * 100_000)
        return
    body = lie(case["id"]) if BEHAVIOUR == "liar" else oracle(case["id"])
    if "error" in body:
        error = body["error"]
        print(f"error[{error['code']}]: {error['message']} at {error.get('path', '$')}", file=sys.stderr)
        sys.exit(65)
    print(json.dumps(body["document"]))


if __name__ == "__main__":
    per_case(sys.argv[3]) if len(sys.argv) > 3 else protocol()
