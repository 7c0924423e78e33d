"""How long matching and misquote messages take on the worst inputs issue 15 names.

    python benchmarks/matching.py [--mib 3.9] [--misquotes 50] [--pieces 5000]

Each figure is the wall time of one call in this process:

- verifying a sidecar of one misquote, then of N misquotes (one word changed in a real
  passage of the seed) against a seed of about M MiB in paragraphs of ~80 words: every
  quote fails and gets its closest-passage note (the seed's word index is built once, for
  the first misquote); the same with the seed as one single paragraph;
- `match_pieces` with P elided pieces against a 20,000-word paragraph, when all pieces
  occur and when the last one does not.

Prints one line per figure; nothing is asserted (speed targets live here, not in tests).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import WORDS

from briefgen.stages import matching
from briefgen.stages.seeds import Seed, parse_seed
from briefgen.stages.sidecars import parse_sidecar
from briefgen.stages.verify import verify


def paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def seed_text(rng: random.Random, mib: float, one_paragraph: bool) -> str:
    paragraphs: list[str] = []
    size = 0
    while size < mib * 2**20:
        paragraphs.append(paragraph(rng, 80))
        size += len(paragraphs[-1]) + 2
    body = " ".join(paragraphs) if one_paragraph else "\n\n".join(paragraphs)
    return f"2021-06-28\n\nA headline\n\n{body}\n"


def misquotes(rng: random.Random, seed: Seed, count: int) -> str:
    lines = ["summary: A benchmark.", "quotes:"]
    for _ in range(count):
        words = rng.choice(seed.paragraphs).text.split()
        start = rng.randrange(max(1, len(words) - 12))
        quote = words[start : start + 12]
        quote[len(quote) // 2] = "zzyzx"
        text = " ".join(quote).strip(".")
        lines += [f"  - text: '{text}'", "    speaker: A. Speaker"]
    return "\n".join(lines) + "\n"


def timed_verify(text: str, count: int, rng: random.Random) -> tuple[float, int, int]:
    seed, problems = parse_seed("seeds/big.txt", "big", text)
    assert seed is not None and not problems
    sidecar, problems = parse_sidecar("seeds/big.yml", misquotes(rng, seed, count))
    assert sidecar is not None and not problems, problems
    started = time.perf_counter()
    briefing, diagnostics = verify(seed, sidecar, "seeds/big.yml", "excerpts")
    elapsed = time.perf_counter() - started
    assert briefing is None
    notes = sum(len(d.notes) for d in diagnostics)
    return elapsed, len(diagnostics), notes


def timed_pieces(count: int, rng: random.Random, last_missing: bool) -> tuple[float, bool]:
    words = [rng.choice(WORDS) for _ in range(20_000)]
    norm = matching.normalize(" ".join(words))
    step = len(words) // count
    pieces = [" ".join(words[i * step : i * step + 2]) for i in range(count)]
    if last_missing:
        pieces[-1] = "zzyzx"
    started = time.perf_counter()
    spans = matching.match_pieces(norm, pieces)
    return time.perf_counter() - started, spans is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mib", type=float, default=3.9, help="seed size")
    parser.add_argument("--misquotes", type=int, default=50)
    parser.add_argument("--pieces", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(15)
    for one in (False, True):
        text = seed_text(rng, args.mib, one)
        shape = "one paragraph" if one else "80-word paragraphs"
        for count in (1, args.misquotes):
            elapsed, errors, notes = timed_verify(text, count, rng)
            print(
                f"verify: {count} misquote(s), {len(text) / 2**20:.1f} MiB seed in {shape}: "
                f"{elapsed:.2f} s ({errors} errors, {notes} with a note)"
            )
    for missing in (False, True):
        elapsed, found = timed_pieces(args.pieces, rng, missing)
        what = "last piece missing" if missing else "all pieces occur"
        print(
            f"match_pieces: {args.pieces} pieces, 20,000 words, {what}: "
            f"{elapsed * 1000:.1f} ms (matched: {found})"
        )


if __name__ == "__main__":
    main()
