"""Where a cold build's time goes: each pipeline stage timed per briefing, in one process.

    python benchmarks/stages.py [--n 300]

Writes the benchmark's synthetic corpus (benchmarks/corpus.py), then takes every seed
through the stages one by one, as a worker does, and times each: reading, parsing the
seed, parsing and validating the sidecar, verifying, building the document model, writing
its Markdown, emitting the page's HTML from it (--whole: also rendering the Markdown with
markdown-it-py, as builds did before), the index view, pickling for the cache; then
renders each briefing page through its template and builds the search index. Prints
milliseconds per briefing, so a change to one stage shows up as a change in one row. The
garbage collector is paused, as in a build.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus

from briefgen.incremental.cache import pickled
from briefgen.pipeline import collector_paused
from briefgen.site.indexes import index_view, neighbours
from briefgen.site.pages import briefing_page
from briefgen.site.render import render_page
from briefgen.site.search import make_index
from briefgen.site.theme import load_theme
from briefgen.stages.config import read_config
from briefgen.stages.document import build_document
from briefgen.stages.generate import briefing_document
from briefgen.stages.inputs import gather
from briefgen.stages.markdown import render_markdown, render_summary
from briefgen.stages.pagehtml import page_html
from briefgen.stages.prepare import Prepared
from briefgen.stages.seeds import parse_seed
from briefgen.stages.sidecars import advisories, parse_sidecar
from briefgen.stages.verify import Briefing, verify


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="briefings to time")
    parser.add_argument(
        "--whole", action="store_true", help="also time rendering the Markdown whole, as before"
    )
    args = parser.parse_args()
    whole = args.whole
    totals: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        totals[name] = totals.get(name, 0.0) + time.perf_counter() - started

    # As a build does (pipeline.collector_paused): with the collector running, the stages
    # that allocate most (sidecar parsing) would be charged its scans of all kept so far.
    with collector_paused(), tempfile.TemporaryDirectory(prefix="briefgen-stages-") as tmp:
        root = Path(tmp) / "site"
        write_corpus(root, args.n)
        config = read_config(root)
        found, _ = gather(root, config.seeds_dir)
        full: list[tuple[Briefing, Briefing, str]] = []
        for files in found:
            with stage("read files"):
                raw = files.raw()
                seed_text, sidecar_text, _ = files.texts(raw)
            assert seed_text is not None and sidecar_text is not None
            with stage("parse seed"):
                seed, _ = parse_seed(files.seed_path, files.slug, seed_text, config.boilerplate)
            with stage("parse + validate sidecar"):
                sidecar, _ = parse_sidecar(files.sidecar_path, sidecar_text)
            assert seed is not None and sidecar is not None
            with stage("verify quotes and anchors"):
                briefing, _ = verify(seed, sidecar, files.sidecar_path, config.reproduce)
            assert briefing is not None
            with stage("advisories"):
                advisories(files.sidecar_path, sidecar)
            with stage("document model"):
                document = build_document(briefing)
            with stage("generate Markdown"):
                markdown, marks = briefing_document(briefing, document)
            with stage("page HTML from the document"):
                html = page_html(document, markdown, marks)
            if whole:
                with stage("render Markdown whole (markdown-it-py, before)"):
                    render_markdown(markdown, marks)
            with stage("render summary"):
                render_summary(sidecar.summary)
            with stage("index view"):
                light = index_view(briefing)
            with stage("pickle for the cache"):
                pickled(Prepared(briefing, markdown, html))
            full.append((light, briefing, html))
        theme = load_theme(None)
        lights = [light for light, _, _ in full]
        near = neighbours(lights)
        bodies = {id(light): (briefing, html) for light, briefing, html in full}
        for light in lights:
            older, newer = near[light.slug]
            page = briefing_page(light, older, newer, config, lambda b: bodies[id(b)])
            with stage("briefing page template"):
                render_page(page, config, theme)
        with stage("search index (term shards)"):
            make_index(lights, lambda b: b.slug)
    n = len(found)
    width = max(len(name) for name in totals)
    print(f"ms per briefing, {n} briefings, one process\n")
    for name, seconds in totals.items():
        print(f"{name:<{width}}  {seconds / n * 1000:6.2f}")
    print(f"{'total':<{width}}  {sum(totals.values()) / n * 1000:6.2f}")


if __name__ == "__main__":
    main()
