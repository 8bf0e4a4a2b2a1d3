"""``kerasspec site RESULTS... --out DIR``: the results site (built by :mod:`kerasspec.site`)."""

from __future__ import annotations

import click

from kerasspec.cli._common import fail_data_file
from kerasspec.corpus import CorpusError
from kerasspec.harness._runner import ResultsError
from kerasspec.site import SiteError, build


@click.command("site")
@click.argument("results", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder to write the site to.")
@click.option("--corpus", "corpus_path", type=click.Path(file_okay=False), help="Corpus directory (default: bundled).")
def site_command(results: tuple[str, ...], out: str, corpus_path: str | None) -> None:
    """Build a static site (HTML and CSS) from RESULTS files of `kerasspec check`, one reader each.

    The front page has a row per reader; each reader has a feature x release grid and a page per
    failing case with the input, the expected and actual documents, every difference and the command
    that reproduces it. Exit status: 0 written, 2 usage or output folder, 65 bad results or corpus.
    """
    try:
        built = build(results, out, corpus=corpus_path)
    except (ResultsError, CorpusError) as error:
        fail_data_file(error)
    except SiteError as error:
        raise click.UsageError(str(error)) from None
    except OSError as error:
        raise click.UsageError(f"cannot write the site to {out}: {error.strerror}") from None
    click.echo(
        f"site: {len(built.readers)} reader(s), {built.pages:,} pages in {built.seconds:.1f} s; "
        f"front page {built.front_bytes / 1024:.1f} KB: {built.out / 'index.html'}"
    )
