"""What the register costs a build, and what one entry edit rebuilds.

    python benchmarks/register.py --n 500 [--entries 300]

Writes a synthetic site (corpus.py), builds it clean without a register, then with a
register of `--entries` people (the corpus's speaker pool, each with an alias) and a group
per briefing's first anchor; then edits one person's description and one group's, and
prints each build's time and how many pages it rendered.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from corpus import write_corpus

from briefgen.build import build


def register_text(root: Path, entries: int) -> str:
    speakers: dict[str, None] = {}
    anchors: list[str] = []
    for path in sorted((root / "seeds").glob("*.yml")):
        text = path.read_text()
        speakers.update(dict.fromkeys(re.findall(r"speaker: (.*)", text)))
        anchors.append(re.findall(r"anchor: (.*)", text)[0])
    lines = []
    for k, name in enumerate(list(speakers)[:entries]):
        lines += [
            f"p{k}:",
            f"  name: {name}",
            "  kind: person",
            f"  aliases: [{name.upper()}]",
            f"  description: Person {k}.",
        ]
    for k, anchor in enumerate(anchors):
        lines += [f"g{k}:", f"  name: {anchor}", "  kind: organisation", f"  description: G{k}."]
    return "\n".join(lines) + "\n"


def timed(root: Path, label: str) -> None:
    started = time.perf_counter()
    result = build(root)
    seconds = time.perf_counter() - started
    print(f"{label:<34} {seconds:7.2f} s  {len(result.rendered):6d} pages rendered")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--entries", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "desk"
        write_corpus(root, args.n)
        timed(root, f"clean build, {args.n} briefings")
        register = root / "register.yml"
        register.write_text(register_text(root, args.entries))
        timed(root, "register added")
        timed(root, "no-op")
        text = register.read_text()
        register.write_text(text.replace("description: Person 0.", "description: Person zero."))
        timed(root, "one person's description edited")
        text = register.read_text()
        register.write_text(text.replace("description: G3.", "description: G three."))
        timed(root, "one group's description edited")


if __name__ == "__main__":
    main()
