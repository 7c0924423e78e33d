"""Where a one-sidecar rebuild's time goes: each step of the pipeline timed, in one process.

    PYTHONPATH=. python benchmarks/editstages.py --root DIR

DIR is a built benchmark site (benchmarks/incremental.py --root DIR makes one). Edits
one sidecar as incremental.py does, then builds once with the pipeline's steps wrapped
in timers (wall time, nested: `render_site` includes `indexes`), and prints seconds per
step, largest first. A profiler's overhead falls on Python-heavy steps and misstates
their share; this only adds a perf_counter call around each.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from incremental import edit

TIMES: dict[str, float] = {}


def timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            TIMES[name] = TIMES.get(name, 0.0) + time.perf_counter() - started

    return wrapper


def wrap(owner: Any, names: list[str], prefix: str = "") -> None:
    for name in names:
        setattr(owner, name, timed(prefix + name, getattr(owner, name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    edit(args.root)
    started = time.perf_counter()
    import briefgen.build as build
    import briefgen.incremental.reuse as reuse
    import briefgen.output.output as output
    import briefgen.pipeline as pipeline
    import briefgen.site.render as render

    TIMES["imports"] = time.perf_counter() - started
    wrap(build, ["last_build"])
    wrap(pipeline, ["cached_reuse", "gather", "prepare_all", "variants", "place_content"])
    wrap(pipeline, ["render_site", "load_theme"])
    wrap(render, ["indexes", "site_pages", "fingerprint", "render_all", "search_files"])
    wrap(render, ["atom_feed", "sitemap"])
    wrap(output.StagingSink, ["prune", "commit", "clone", "wait"], "sink.")
    wrap(reuse.CachedReuse, ["recall", "unchanged_all", "plan", "remember"], "reuse.")
    started = time.perf_counter()
    result = build.build(args.root, jobs=args.jobs, spent=[])
    total = time.perf_counter() - started
    print(f"one sidecar edited: {len(result.rendered)} files made, {total:.3f} s in build()")
    for name, seconds in sorted(TIMES.items(), key=lambda item: -item[1]):
        print(f"  {name:<20} {seconds:6.3f}")


if __name__ == "__main__":
    main()
