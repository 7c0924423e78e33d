"""How many of the files an edit makes again come out exactly as they were.

    python benchmarks/rerendered.py --n 1000 [--root DIR] [--jobs 2]

Writes the benchmark corpus (benchmarks/corpus.py) under DIR unless it is already
there and builds it unless it holds a site. It then makes the edit incremental.py
measures: a word never used before in briefing 0's first key point. It builds once in
this process and compares every file the build made anew with the file it replaced.

A file made again with the same bytes is work the page plan could have saved: its
fingerprint changed, but nothing it shows did. The count says how precise the plan's
dependencies are, which rebuild times alone cannot tell (stop 29: at 1,000
briefings, 23 of 27).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus_at
from incremental import edit

from briefgen.build import build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--root", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    root = corpus_at(args.root, args.n, "briefgen-rerendered-")
    if not (root / "site").is_dir():
        build(root, jobs=args.jobs)
    with tempfile.TemporaryDirectory(prefix="briefgen-before-") as scratch:
        before = Path(scratch) / "site"
        shutil.copytree(root / "site", before, symlinks=True)
        edit(root)
        result = build(root, jobs=args.jobs)
        changed = [
            file
            for file in result.rendered
            if not (before / file).is_file()
            or (before / file).read_bytes() != (root / "site" / file).read_bytes()
        ]
    made = len(result.rendered)
    print(f"{args.n:,} briefings, one key point edited: {made} files made anew")
    print(f"  the same bytes as before  {made - len(changed):6d}")
    print(f"  changed                   {len(changed):6d}")
    for file in changed:
        print(f"    {file}")


if __name__ == "__main__":
    main()
