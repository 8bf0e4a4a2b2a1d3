"""keras2ncnn 0.2.0's Keras reader (``keras2ncnn.h5df_parser.H5dfParser``) on the kerasspec protocol.

Run it with the python of a venv that has keras2ncnn (see README.md); it needs only h5py. keras2ncnn
converts a Keras ``.h5`` file to ncnn: it opens the file with h5py, reads the ``model_config``
attribute itself and builds its graph (``keras2ncnn.graph_tool.Grapher``) in ``parse_graph``, before
any of its optimisation or conversion passes. The adapter is a reader of files: its start reply asks
for ``.h5`` files (spec/protocol.md#containers), which the harness builds from each case as Keras lays
them out (:mod:`kerasspec.containers`); it gives each file to ``H5dfParser`` and answers with the graph
keras2ncnn built:

- a layer is a node keras2ncnn read (one it gave a layer config), in the order it read them; a
  nested ``Model``/``Functional`` is inlined by keras2ncnn (its layers become the outer graph's), a
  nested Sequential is one opaque layer;
- a layer's inputs are the node's ``inbounds``: every string found anywhere in its ``inbound_nodes``
  (all nodes together, keyword tensors and indices dropped), or, when there is none, the graph's
  current tails (keras2ncnn's fallback): one call whose first argument is that tensor, or the list
  of them, each ``[name, 0, 0]``; no inbounds, no call;
- a Sequential's layers get no calls (its wiring is its order, which keras2ncnn follows);
- ``inputs``/``outputs`` are the graph's heads and tails among the layers it read.

keras2ncnn does not say which wire format it read: the answer's ``format`` is the file's, from its
``keras_version`` attribute and the config keras2ncnn decoded (spec/envelope.md#format-detection). Its
``sys.exit`` on a file it cannot read and its exceptions are rejections (``load-error``), with what it
printed or raised. Weights are not read (the file has none). Nothing in the file is run: keras2ncnn
reads JSON and HDF5 attributes only. Given text instead of a file (a harness that does not hand
files), the adapter writes the ``.h5`` itself with :func:`kerasspec.containers.h5_file`.
"""

from __future__ import annotations

import contextlib
import copy
import io
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO_ROOT / "src"))

from kerasspec import ParseError  # noqa: E402
from kerasspec.containers import h5_file  # noqa: E402  (h5py, which keras2ncnn needs too)
from kerasspec.harness import serve  # noqa: E402  (standard library only)
from kerasspec.parser import detect_format  # noqa: E402


class Rejected(Exception):
    code = "load-error"

    def __init__(self, message: str) -> None:
        self.message = message[:400]
        super().__init__(self.message)


def read_graph(path: Path) -> tuple[Any, dict[str, Any], list[str], str | None]:
    """keras2ncnn's reading of the ``.h5`` file: the model config it decoded, its graph, the names of
    the layers it read in order, and the file's ``keras_version``."""
    from keras2ncnn.graph_tool import Grapher
    from keras2ncnn.h5df_parser import H5dfParser

    class Recording(Grapher):  # type: ignore[misc]
        """Grapher, remembering the order in which keras2ncnn gives layers their config."""

        def __init__(self) -> None:
            super().__init__()
            self.read: list[str] = []

        def set_node_attr(self, name: str, attr: Any) -> None:
            super().set_node_attr(name, attr)
            if name not in self.read:
                self.read.append(name)

    graph = Recording()
    printed = io.StringIO()  # keras2ncnn prints its errors; stdout belongs to the protocol
    parser = None
    try:
        with contextlib.redirect_stdout(printed):
            parser = H5dfParser(str(path))
            config = copy.deepcopy(parser.get_model_config())  # parse_graph adds names to it
            parser.parse_graph(graph)
        version = parser.get_h5df_file().attrs.get("keras_version")
    except SystemExit as exit_:
        said = " ".join(line.strip() for line in printed.getvalue().splitlines()[:2])
        raise Rejected(f"sys.exit({exit_.code}): {said}") from None
    except (Exception, RecursionError) as error:
        lines = str(error).strip().splitlines()
        raise Rejected(f"{type(error).__name__}: {lines[0][:300] if lines else ''}") from error
    finally:
        if parser is not None:
            parser.f.close()
    if isinstance(version, bytes):
        version = version.decode("utf-8", "replace")
    return config, graph.get_graph(), graph.read, version if isinstance(version, str) and version else None


def tensor(name: str) -> dict[str, Any]:
    return {"tensor": [name, 0, 0]}


def one_or_list(names: list[str]) -> dict[str, Any] | None:
    if not names:
        return None
    return tensor(names[0]) if len(names) == 1 else {"list": [tensor(n) for n in names]}


def model_document(arch: Any, graph: dict[str, Any], read: list[str]) -> dict[str, Any]:
    """The canonical model of keras2ncnn's graph of the file whose model config is ``arch``."""
    config = arch.get("config") if isinstance(arch, dict) else None
    sequential = isinstance(arch, dict) and arch.get("class_name") == "Sequential"
    layers = []
    consumed = {n for name in read for n in graph[name].get("inbounds") or []}
    for name in read:
        layer = graph[name]["attr"]["layer"]
        inbounds = list(graph[name].get("inbounds") or [])
        value = one_or_list(inbounds)
        calls = [] if sequential or value is None else [{"args": [value], "kwargs": {}}]
        layers.append(
            {"name": name, "class_name": layer.get("class_name"), "module": layer.get("module"), "calls": calls}
        )
    heads = [n for n in read if not graph[n].get("inbounds")]
    tails = [n for n in read if n not in consumed]
    return {
        "class_name": arch.get("class_name") if isinstance(arch, dict) else None,
        "name": config.get("name") if isinstance(config, dict) else None,
        "inputs": None if sequential else one_or_list(heads),
        "outputs": None if sequential else one_or_list(tails),
        "layers": layers,
    }


def read(source: Path | str) -> dict[str, Any]:
    """The canonical document of keras2ncnn's reading of the ``.h5`` file ``source`` (or of the text)."""
    with tempfile.TemporaryDirectory(prefix="keras2ncnn-") as tmp:
        if isinstance(source, str):
            path = Path(tmp) / "model.h5"
            path.write_bytes(h5_file(source))
        else:
            path = source
        arch, graph, names, keras_version = read_graph(path)
    try:
        found = detect_format(arch, keras_version)
    except ParseError:
        found = "keras2"  # a keras_version no release writes: keras2ncnn reads it as its own keras2
    return {"format": found, "model": model_document(arch, graph, names)}


def main() -> int:
    return serve(
        read,
        implementation={
            "name": "keras2ncnn h5df_parser",
            "version": version("keras2ncnn"),
            "language": "python",
            "homepage": "https://github.com/MarsTechHAN/keras2ncnn",
        },
        containers=("h5",),
    )


if __name__ == "__main__":
    sys.exit(main())
