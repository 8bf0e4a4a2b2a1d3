"""Benchmark: how long the corpus generator takes per release and in total, and how big the corpus is.

    python benchmarks/generate.py                      # keras 3.15.1 (tf and jax) + tf_keras 2.21.0
    python benchmarks/generate.py --producer keras==3.0.5 --jobs 1
    python benchmarks/generate.py --all                # the whole matrix (~30 minutes on 2 cores)

It regenerates into a temporary copy of corpus/ (the committed corpus is not touched) and
prints the seconds per release, the total, and the size of the resulting corpus, plus the
size of the committed corpus (files, bytes, and bytes saved by storing identical files once).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

import click

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator._orchestrate import CORPUS_DIR, generate  # noqa: E402


def committed_size(corpus: Path) -> str:
    manifest = json.loads((corpus / "manifest.json").read_text())
    uses = Counter(path for case in manifest["cases"] for path in case["sha256"])
    stored = sum((corpus / p).stat().st_size for p in uses)
    undeduplicated = sum((corpus / p).stat().st_size * n for p, n in uses.items())
    return (
        f"committed corpus {manifest['version']}: {len(manifest['cases'])} cases, {len(uses)} files, "
        f"{stored / 1e6:.2f} MB stored ({undeduplicated / 1e6:.2f} MB without deduplication)"
    )


@click.command()
@click.option(
    "--producer", "producers", multiple=True, default=("keras==3.15.1", "tf_keras==2.21.0"), show_default=True
)
@click.option("--all", "everything", is_flag=True, help="Every producer in generator/matrix.toml.")
@click.option("--jobs", default=2, show_default=True)
def main(producers: tuple[str, ...], everything: bool, jobs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="kerasspec-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(CORPUS_DIR, corpus)
        summary = generate([] if everything else list(producers), [], jobs=jobs, corpus_dir=corpus, tables=False)
    for name, status, seconds, recipes in summary["runs"]:
        print(
            f"{name:<20} {status:<7} {seconds:7.1f} s  {recipes:4d} recipes  {seconds / max(recipes, 1):5.2f} s/recipe"
        )
    print(f"total {summary['total_seconds']:.1f} s with {jobs} jobs")
    print(committed_size(CORPUS_DIR))


if __name__ == "__main__":
    main()
