"""Real containers built from a case's model JSON, laid out as Keras lays them out, byte for byte
reproducible: a ``.keras`` archive (a zip with ``metadata.json`` and ``config.json``) and a legacy
``.h5`` file (root attributes ``model_config``, ``keras_version``, ``backend``, and the
``model_weights`` group a weightless model gets: ``layer_names``, ``backend``, ``keras_version``
and one group per top-level layer with an empty ``weight_names``).

They carry the architecture only (no weights): what a reader that only reads files, or a scanner,
looks at. The JSON is stored as text; only the top-level layer names are read from it, for the
``model_weights`` group. Nothing in it is run.
"""

from __future__ import annotations

import io
import json
import zipfile

from kerasspec._load import glance

TO_JSON = "to_json"
KERAS_ARCHIVE = "keras-archive"
H5 = "h5"
SUFFIXES = {KERAS_ARCHIVE: ".keras", H5: ".h5"}
#: The file name suffix of each container, the plain JSON file of ``to_json`` included.
FILE_SUFFIXES = {TO_JSON: ".json", **SUFFIXES}
# A fixed time for every zip member: the archive depends on the JSON alone.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_DATE_SAVED = "1980-01-01@00:00:00"


def _layer_names(text: str) -> list[str]:
    """The top-level layers' names, in order, as ``model.layers`` has them (names a group can take)."""
    data = glance(text)
    config = data.get("config") if isinstance(data, dict) else None
    layers = config if isinstance(config, list) else config.get("layers") if isinstance(config, dict) else None
    names: list[str] = []
    for layer in layers if isinstance(layers, list) else []:
        inner = layer.get("config") if isinstance(layer, dict) else None
        name = inner.get("name") if isinstance(inner, dict) else None
        if isinstance(name, str) and name and "/" not in name and name not in names:
            names.append(name)
    return names


def _envelope(text: str, keras_version: str | None, backend: str | None) -> tuple[str, str]:
    """The release and backend as the JSON names them, else as given (Keras 3 JSON names neither)."""
    data = glance(text)
    if not isinstance(data, dict):
        data = {}
    version = data.get("keras_version", keras_version)
    written = data.get("backend", backend)
    return (version if isinstance(version, str) else "", written if isinstance(written, str) else "")


def keras_archive(text: str, keras_version: str | None = None, backend: str | None = None) -> bytes:
    """A ``.keras`` archive holding ``text`` as its ``config.json``."""
    version, _ = _envelope(text, keras_version, backend)
    metadata = json.dumps({"keras_version": version, "date_saved": _DATE_SAVED})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, member in (("metadata.json", metadata), ("config.json", text)):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.encode("utf-8"))
    return buffer.getvalue()


def h5_file(text: str, keras_version: str | None = None, backend: str | None = None) -> bytes:
    """A legacy ``.h5`` file holding ``text`` as its ``model_config`` attribute (needs h5py)."""
    import h5py  # the `h5` extra: only this container needs it
    import numpy as np  # h5py's own dependency

    version, backend = _envelope(text, keras_version, backend)
    buffer = io.BytesIO()
    with h5py.File(buffer, "w", libver="earliest", track_order=False) as f:
        f.attrs["model_config"] = text.encode("utf-8")
        f.attrs["keras_version"] = version.encode("utf-8")
        f.attrs["backend"] = backend.encode("utf-8")
        # As Keras's legacy HDF5 save writes the weights of a model without any (readers such as
        # keras2ncnn open this group before anything else).
        names = _layer_names(text)
        weights = f.create_group("model_weights")
        weights.attrs["layer_names"] = np.asarray([name.encode("utf-8") for name in names])
        weights.attrs["backend"] = backend.encode("utf-8")
        weights.attrs["keras_version"] = version.encode("utf-8")
        for name in sorted(names):
            weights.create_group(name).attrs["weight_names"] = np.asarray([])
    return buffer.getvalue()


def build(container: str, text: str, keras_version: str | None = None, backend: str | None = None) -> bytes:
    """The bytes of ``container`` (``keras-archive`` or ``h5``) holding the model JSON ``text``.

    ``keras_version`` and ``backend`` (the producer's) fill in what the JSON does not name.
    """
    if container == KERAS_ARCHIVE:
        return keras_archive(text, keras_version, backend)
    if container == H5:
        return h5_file(text, keras_version, backend)
    raise ValueError(f"no such container {container!r}: one of {sorted(SUFFIXES)}")


def file_bytes(container: str, text: str, keras_version: str | None = None, backend: str | None = None) -> bytes:
    """The bytes of a model file of ``container``: the JSON text itself for ``to_json``, else :func:`build`."""
    if container == TO_JSON:
        return text.encode("utf-8")
    return build(container, text, keras_version, backend)
