"""Rebuild times and work counted after one sidecar edit, at a given size.

    python benchmarks/incremental.py --n 1000 [--root DIR] [--jobs 2] [--edits 2]

Writes the benchmark corpus (benchmarks/corpus.py) under DIR unless it is already
there, builds it clean unless it holds a site, then measures, each as a separate
process: a no-op rebuild and `--edits` rebuilds after one sidecar edit each (the first
after a clean build has no spare generation to update, the later ones do). Then one
more edit is built in this process and what rendering had to do is printed
(BuildResult.work: pages fingerprinted, keyed records, term shards made), so a shared
machine's noise can be told from a change of work.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import briefgen
from corpus import corpus_at

from briefgen.build import build

POINT = re.compile(r"Key point \S+ of briefing 0\.")


def edit(root: Path) -> None:
    """Give briefing 0's first key point a word never used before (a word used before
    would find its pages in the kept generation, and measure no rendering)."""
    sidecar = root / "seeds" / "briefing-00000.yml"
    text = sidecar.read_text(encoding="utf-8")
    new = f"Key point x{time.time_ns()} of briefing 0."
    sidecar.write_text(POINT.sub(new, text, count=1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--root", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--edits", type=int, default=2)
    args = parser.parse_args()
    root = corpus_at(args.root, args.n, "briefgen-incr-")
    if not (root / "site").is_dir():
        seconds, *_ = briefgen(root, args.jobs, "--clean")
        print(f"cold        {seconds:6.2f} s")
    briefgen(root, args.jobs)  # settle: the stamps of a fresh build are racily clean
    seconds, *_ = briefgen(root, args.jobs)
    print(f"no-op       {seconds:6.2f} s")
    for k in range(args.edits):
        edit(root)
        seconds, *_ = briefgen(root, args.jobs)
        print(f"edit {k + 1}      {seconds:6.2f} s")
    edit(root)
    result = build(root, jobs=args.jobs)
    work = getattr(result, "work", {})
    print(f"edit (in process) {result.seconds:6.2f} s, {len(result.rendered)} files made")
    for name, count in sorted(work.items()):
        print(f"  {name:20} {count:>8,}")
    print(f"load average {os.getloadavg()[0]:.2f}; {subprocess.list2cmdline(sys.argv)}")


if __name__ == "__main__":
    main()
