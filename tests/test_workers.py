"""The render workers and what the build does meanwhile: the search index is made in the
build's own process while forked workers render the pages, and a failure there stops
the workers' remaining work and the build, leaving the previous site as it was."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.build import build
from briefgen.site import render
from briefgen.vocabulary.errors import BriefgenError, error
from briefgen.workers import can_fork, forked, inherited

from conftest import REPO, tree

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import write_corpus

pytestmark = pytest.mark.skipif(not can_fork(), reason="forked workers need fork")


def wait_for_flag(chunk: list[int]) -> int:
    """In a worker: 1 once the flag file `meanwhile` makes exists (10 s at most), else 0."""
    flag = Path(inherited())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if flag.exists():
            return 1
        time.sleep(0.01)
    return 0


def test_meanwhile_runs_while_the_workers_work(tmp_path: Path) -> None:
    """Every chunk waits for what `meanwhile` does: had it run after the work, the
    chunks would have waited in vain."""
    flag = tmp_path / "flag"
    seen: list[str | None] = []

    def meanwhile() -> None:
        seen.append(inherited())  # the workers have their copy: here it is let go
        flag.write_text("")

    done = list(forked(str(flag), wait_for_flag, [[i] for i in range(6)], 2, meanwhile))
    assert done == [1] * 6
    assert seen == [None]


def count_chunk(chunk: list[int]) -> int:
    """In a worker: note the chunk in the log, slowly."""
    with open(inherited(), "a") as log:
        log.write(f"{chunk[0]}\n")
    time.sleep(0.2)
    return 1


def test_a_failure_meanwhile_cancels_the_chunks_not_begun(tmp_path: Path) -> None:
    log = tmp_path / "log"

    def meanwhile() -> None:
        raise RuntimeError("search failed")

    with pytest.raises(RuntimeError, match="search failed"):
        list(forked(str(log), count_chunk, [[i] for i in range(40)], 2, meanwhile))
    begun = log.read_text().split() if log.exists() else []
    assert len(begun) <= 8, f"{len(begun)} of 40 chunks ran after the failure"


def failing_chunk(chunk: list[int]) -> int:
    """In a worker: as count_chunk, but the first chunk fails (a template error, say)."""
    if chunk[0] == 0:
        raise RuntimeError("page failed")
    return count_chunk(chunk)


def test_a_failing_chunk_cancels_the_chunks_not_begun(tmp_path: Path) -> None:
    """Found by review: results were awaited without cancelling the rest, so a page
    that failed first let the whole site render (and the search index be made) before
    the build stopped: 40 of 40 chunks ran, against 6 with Executor.map."""
    log = tmp_path / "log"
    with pytest.raises(RuntimeError, match="page failed"):
        list(forked(str(log), failing_chunk, [[i] for i in range(40)], 2, lambda: None))
    begun = log.read_text().split() if log.exists() else []
    assert len(begun) <= 8, f"{len(begun)} of 40 chunks ran after the failure"


def interrupted(count: int) -> Iterator[list[int]]:
    """Chunks handed out until a Ctrl-C arrives, after `count` of them."""
    for i in range(count):
        yield [i]
    raise KeyboardInterrupt


def test_a_ctrl_c_while_chunks_are_handed_out_cancels_those_handed_out(tmp_path: Path) -> None:
    """Found by review: the chunks were submitted outside the try that cancels them, so
    a Ctrl-C between two submits left the pool's exit waiting for every chunk already
    submitted (here 30, each 0.2 s) before the build could stop."""
    log = tmp_path / "log"
    with pytest.raises(KeyboardInterrupt):
        list(forked(str(log), count_chunk, interrupted(30), 2, lambda: None))
    begun = log.read_text().split() if log.exists() else []
    assert len(begun) <= 8, f"{len(begun)} of 30 chunks ran after the Ctrl-C"


def test_progress_is_told_of_the_search_index(tmp_path: Path) -> None:
    """The search index is a tenth of a cold build; a progress line that said nothing
    while it was made stood still, as a hung build does. Each briefing is counted once,
    in order, with or without workers."""
    root = tmp_path / "desk"
    write_corpus(root, render.FORK_MIN + 6)
    for jobs in (1, 2):
        told: list[tuple[str, int, int]] = []
        build(root, jobs=jobs, clean=True, progress=lambda *step, told=told: told.append(step))
        searched = [(done, total) for stage, done, total in told if stage == "search index"]
        n = render.FORK_MIN + 6
        assert searched == [(k, n) for k in range(1, n + 1)], f"-j{jobs}: {searched[:5]}"


def test_a_search_index_that_fails_leaves_the_previous_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With pages rendered by workers (more than FORK_MIN), an error while the index is
    made stops the build with that error, and site/ is the last good build's."""
    root = tmp_path / "desk"
    write_corpus(root, render.FORK_MIN + 10)
    build(root, jobs=2)
    before = tree(root / "site")
    sidecar = root / "seeds" / "briefing-00003.yml"
    sidecar.write_text(sidecar.read_text().replace("Key point 0 of", "Key point zero of", 1))

    def failing(*args: object, **kwargs: object) -> list[str]:
        raise BriefgenError([error("search", 1, 1, "the index could not be made")])

    monkeypatch.setattr(render, "search_files", failing)
    with pytest.raises(BriefgenError, match="the index could not be made"):
        build(root, jobs=2, clean=True)
    assert tree(root / "site") == before
