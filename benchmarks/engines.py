"""What a Markdown engine costs per editor field, and how many fields still need one.

    python benchmarks/engines.py [--n 300]

Pages are emitted from the document model (briefgen.stages.pagehtml): an editor field that is
prose and citations is escaped directly; only a field with Markdown syntax goes through
markdown-it-py. This prints how many fields per briefing of the benchmark corpus (and
of the example site) still reach the renderer, then the microseconds per field of
markdown-it-py, set up as briefgen does, and of the faster engines that are installed
(pip: markdown-it-pyrs, cmarkgfm, pyromark), each with raw HTML off and footnotes on
where it has the option. The faster engines cannot hold briefgen's rules exactly (no
link allow-list hook, no footnote numbering shared across fields, no rule setting a
cited title's language), which is why markdown-it-py renders those fields.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus

from briefgen.stages.config import read_config
from briefgen.stages.document import Document, build_document
from briefgen.stages.inputs import gather
from briefgen.stages.markdown import fragment_parser
from briefgen.stages.pagehtml import Emitter
from briefgen.stages.prepare import load_briefing

REPO = Path(__file__).resolve().parents[1]


def documents(root: Path) -> list[Document]:
    config = read_config(root)
    found, _ = gather(root, config.seeds_dir)
    loaded = [load_briefing(files, config)[0] for files in found]
    return [build_document(b) for b in loaded if b is not None]


def fields(d: Document) -> list[str]:
    """The editor's Markdown fields of a page, as the page renders them."""
    notes = [n.note for n in d.footnotes if n.note]
    quoted = [q.note for q in d.quotes if q.note]
    return [d.summary, *d.key_points, *quoted, *(e.event for e in d.timeline), *notes]


def rendered(documents: list[Document]) -> float:
    """Fields per page that still go through markdown-it-py."""
    calls = 0
    original = fragment_parser().render

    def counting(text: str, env: object = None) -> str:
        nonlocal calls
        calls += 1
        return original(text, env)  # type: ignore[arg-type]

    parser = fragment_parser()
    parser.render = counting  # type: ignore[method-assign]
    try:
        for d in documents:
            Emitter(d).page()
    finally:
        del parser.render
    return calls / len(documents)


def engines() -> dict[str, Callable[[str], str]]:
    found: dict[str, Callable[[str], str]] = {}
    md = fragment_parser()
    found["markdown-it-py (briefgen's rules)"] = lambda text: md.render(text, {})
    try:
        pyrs = importlib.import_module("markdown_it_pyrs")
        rs = pyrs.MarkdownIt("commonmark").enable("footnote")
        found["markdown-it-pyrs (footnote)"] = rs.render
    except ImportError:
        pass
    try:
        cmarkgfm = importlib.import_module("cmarkgfm")
        options = cmarkgfm.Options.CMARK_OPT_FOOTNOTES
        found["cmarkgfm (footnotes, safe)"] = lambda text: cmarkgfm.markdown_to_html(text, options)
    except ImportError:
        pass
    try:
        pyromark = importlib.import_module("pyromark")
        found["pyromark (footnotes; raw HTML on)"] = lambda text: pyromark.html(
            text, options=pyromark.Options.ENABLE_FOOTNOTES
        )
    except ImportError:
        pass
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="corpus briefings")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="briefgen-engines-") as tmp:
        root = Path(tmp) / "site"
        write_corpus(root, args.n)
        corpus = documents(root)
    example = documents(REPO)
    print(f"fields per page through markdown-it-py: corpus {rendered(corpus):.2f}, "
          f"example site {rendered(example):.2f}\n")  # fmt: skip
    texts = [t for d in corpus + example for t in fields(d)]
    print(f"us per editor field ({len(texts)} fields, best of 3)")
    for name, render in engines().items():
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            for text in texts:
                render(text)
            best = min(best, time.perf_counter() - started)
        print(f"  {name:<36} {best / len(texts) * 1e6:8.1f}")


if __name__ == "__main__":
    main()
