"""Write corpus cases as the files a scanner reads, for the reproductions of FINDINGS.md (S1-S2).

Run: python adapters/findings/scanner_files.py FOLDER CASE...
Each case's model JSON goes into FOLDER as a `.json`, a `.keras` and a `.h5` file named by the case
id without its format, `/` made `-` (keras-3.15.1-lambda-simple), built by kerasspec.containers as
Keras lays them out, with the producer's release and backend. The scanner is then run on those
files with its own command line (FINDINGS.md gives each); nothing of the scanner is imported here,
and nothing in the files is run. Needs the package's `h5` extra (h5py).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from kerasspec import containers  # noqa: E402
from kerasspec.corpus import load  # noqa: E402


def main(folder: Path, case_ids: list[str]) -> None:
    corpus = load()
    folder.mkdir(parents=True, exist_ok=True)
    for case_id in case_ids:
        case = corpus.case(case_id)
        text = case.read_input()
        producer = case.producer
        version, backend = (producer.version_text, producer.backend) if producer else (None, None)
        for container, suffix in containers.FILE_SUFFIXES.items():
            path = folder / ("-".join(case_id.split("/")[1:]) + suffix)
            path.write_bytes(containers.file_bytes(container, text, version, backend))
            print(path)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), sys.argv[2:])
