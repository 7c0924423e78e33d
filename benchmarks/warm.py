"""What `briefgen serve` gains by keeping its last build in memory, and what it holds.

    python benchmarks/warm.py --n 10000 [--edits 5] [--root DIR]

Writes a seeded synthetic site of N briefings (benchmarks/corpus.py; kept in --root to
be reused) and builds it with `briefgen build -j 2`. Then, in this one process, it runs
serve's own rebuild (briefgen.commands.serve.rebuild) after one sidecar edit each time,
as a server does:

- `nothing kept`: --edits rebuilds without a Warm, each reading the cache back, as
  serve did before it kept its builds (incremental/warm.py);
- then with a Warm, filled at once as serve does when its first build is a no-op
  (keep_warm): one rebuild (`first warm`: no index records are kept yet), then
  --edits rebuilds each way, alternating: `records kept` (the last build's tags, and a
  full build's lists of records, taken where their briefings are unchanged; a refill's
  records are made when a page reads them, so the two modes now differ little) and
  `records anew` (nothing taken).

Prints each rebuild's seconds (the rebuild and its settling, as serve's loop runs
them) and when open pages were told to reload (`shown after`: once the new site is in
place, before the cache is written), the medians, and after each the process's
resident memory and the objects the collector froze (gc.get_freeze_count: flat from
one rebuild to the next, or something leaks). Linux for the memory figure
(/proc/self/status).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus_at
from incremental import edit

from briefgen.commands.serve import State, keep_warm, rebuild
from briefgen.incremental.reuse import CachedReuse
from briefgen.incremental.warm import Warm


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--root", type=Path)
    parser.add_argument("--jobs", type=int, default=2, help="as serve -j")
    args = parser.parse_args()
    root = corpus_at(args.root, args.n, "briefgen-warm-")
    command = [sys.executable, "-m", "briefgen", "-C", str(root), "build", "-j", "2"]
    subprocess.run(command, check=True, capture_output=True)
    state = State(root / "site")
    take = [True]
    refilled = CachedReuse.refilled
    CachedReuse.refilled = lambda self: refilled(self) if take[0] else None  # type: ignore[method-assign]
    times: dict[str, list[float]] = {}
    told: list[float] = []
    update = state.update

    def told_now(error: str | None) -> None:  # when open pages would reload
        told.append(time.perf_counter())
        update(error)

    state.update = told_now  # type: ignore[method-assign]

    def timed(mode: str, warm: Warm | None) -> None:
        edit(root)
        told.clear()
        started = time.perf_counter()
        rebuild(root, state, False, say, warm, args.jobs)
        seconds = time.perf_counter() - started
        shown = told[0] - started if told else seconds
        times.setdefault(mode, []).append(seconds)
        times.setdefault(f"{mode}, shown", []).append(shown)
        frozen = gc.get_freeze_count()
        print(
            f"{mode:<14} {seconds:6.2f} s   shown after {shown:5.2f} s   "
            f"RSS {rss_mb():5.0f} MB   frozen {frozen:,}"
        )

    def say(text: str) -> None:
        if state.error:
            raise SystemExit(text)

    n = sum(1 for _ in (root / "seeds").glob("*.yml"))  # --root's corpus may be of another N
    print(f"{n:,} briefings, serve's rebuild after one sidecar edit, in one process")
    for _ in range(args.edits):
        timed("nothing kept", None)
    warm = Warm()
    keep_warm(root, warm)
    timed("first warm", warm)  # no records kept yet: keep_warm reads the cache alone
    modes: list[tuple[str, Callable[[], None]]] = [
        ("records kept", lambda: take.__setitem__(0, True)),
        ("records anew", lambda: take.__setitem__(0, False)),
    ]
    for _ in range(args.edits):
        for mode, choose in modes:
            choose()
            timed(mode, warm)
    for mode, seconds in times.items():
        print(f"median {mode:<21} {statistics.median(seconds):6.2f} s")


if __name__ == "__main__":
    main()
