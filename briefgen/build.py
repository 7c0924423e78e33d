"""`briefgen build` from the outside: finish a killed build's swap, answer a no-op from
one small file, and only when there is work to do load the stages (pipeline.py).

Kept apart from the pipeline for the no-op's sake: importing the stages, the theme and
the Markdown and YAML readers costs a quarter of a second, more than the no-op check
itself at 10,000 briefings (noop.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.incremental.keys import CACHE_DIR
from briefgen.incremental.noop import Stamped, last_build, noop_key
from briefgen.output.lock import WAIT
from briefgen.output.swap import finish_swap
from briefgen.result import BuildResult

if TYPE_CHECKING:  # workers.py imports multiprocessing: not for a no-op
    from briefgen.incremental.warm import Warm
    from briefgen.workers import Progress


def no_say(text: str) -> None:
    del text


def build(
    root: Path,
    *,
    drafts: bool = False,
    write: bool = True,
    strict: bool = False,
    site_url: str | None = None,
    clean: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
    wait: float = WAIT,
    say: Callable[[str], None] = no_say,
    spent: list[object] | None = None,
    warm: Warm | None = None,
    live: Callable[[BuildResult], None] | None = None,
) -> BuildResult:
    """Build the site under `root`; raises BriefgenError with every problem found.

    With `write`, a build with no change at all (same code and options, every input's
    stamp and every output's as the last successful build left them) stops after that
    check and reports what the last build did; any other is pipeline.run, incremental
    through the build cache unless `clean`. Without `write` (`briefgen check`) nothing is
    reused and nothing written. `progress`: told of each seed and page done (by default
    no one is); `wait`, `say`: how to wait for another build of the folder (lock.py).

    `spent`: where the build leaves its working memory rather than free it, for a
    process that ends right after (the `briefgen` command: cli.entry). Freeing the
    millions of objects a build of 10,000 briefings holds took half a second at its end.

    `warm`: what a process that builds again and again (serve) keeps of its last build,
    so the next does not read back the cache it wrote (warm.py).

    `live`: told the result as soon as the new site is in place, before the cache is
    written (a fifth of a one-sidecar rebuild at 10,000 briefings), for a server whose
    readers need not wait for it; its `seconds` are until then. Not told of a no-op.
    """
    started = time.perf_counter()
    stamped: Stamped | None = None
    if write:  # before anything else: a killed build's half-made swap is completed
        finish_swap(root / CACHE_DIR)
        if not clean:
            last = last_build(root, root / CACHE_DIR, noop_key(root, drafts, strict, site_url))
            if isinstance(last, Stamped):
                stamped = last
            elif last is not None:
                summary, layout = last
                seconds = time.perf_counter() - started
                return BuildResult.from_summary(layout.site_dir, layout.site_url, summary, seconds)
    from briefgen.pipeline import run  # the stages: loaded only by a build with work to do

    def shown(result: BuildResult) -> None:
        if live is not None:
            result.seconds = time.perf_counter() - started
            live(result)

    result = run(
        root,
        drafts=drafts,
        write=write,
        strict=strict,
        site_url=site_url,
        clean=clean,
        jobs=jobs,
        progress=progress,
        wait=wait,
        say=say,
        spent=spent,
        stamped=stamped,
        warm=warm,
        live=shown,
    )
    result.seconds = time.perf_counter() - started
    return result
