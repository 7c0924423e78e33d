"""The build's one worker pool, and its one way of reporting progress.

Two stages parallelise: preparing seeds (each seed's files go to a worker, its light
result comes back) and rendering pages (workers are forked once the whole site is in
memory and inherit it, so only page numbers cross between processes). Both take their
processes from `pool`, and both report through one `Progress`.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

Progress = Callable[[str, int, int], None]
"""Told (stage, done, total) as a build advances; the CLI shows it for slow builds."""

Item = TypeVar("Item")
Result = TypeVar("Result")


def no_progress(stage: str, done: int, total: int) -> None:
    del stage, done, total


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def pool(jobs: int) -> concurrent.futures.ProcessPoolExecutor:
    """Worker processes; forked where the platform allows (cheap start, shared imports,
    and what the build holds in memory inherited as it is)."""
    context = multiprocessing.get_context("fork" if can_fork() else None)
    return concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context)


def in_order(
    work: Callable[..., Result],
    items: Sequence[Any],
    *shared: Any,
    jobs: int,
    minimum: int,
    stage: str,
    progress: Progress,
) -> Iterator[Result]:
    """`work(item, *shared)` for every item, yielded in the items' order whatever the
    workers' timing (so `-j N` writes the bytes `-j 1` writes). Inline below `minimum`
    items, where starting processes costs more than it saves."""
    if jobs < 2 or len(items) < minimum:
        for done, item in enumerate(items, start=1):
            progress(stage, done, len(items))
            yield work(item, *shared)
        return
    with pool(jobs) as workers:
        chunk = max(1, min(64, len(items) // (jobs * 8)))
        repeated = [[value] * len(items) for value in shared]
        results = workers.map(work, items, *repeated, chunksize=chunk)
        for done, result in enumerate(results, start=1):
            progress(stage, done, len(items))
            yield result


_inherited: Any = None
"""What forked workers read: set just before the fork, so they inherit it."""


def inherited() -> Any:
    """In a forked worker: the state `forked` shared."""
    return _inherited


def forked(
    state: Any,
    work: Callable[[list[int]], int],
    chunks: Iterable[list[int]],
    jobs: int,
    meanwhile: Callable[[], None] = lambda: None,
) -> Iterator[int]:
    """`work(chunk)` in forked workers that inherit `state` (see `inherited`); yields
    what each chunk returns, in order. `meanwhile` runs here once every worker is
    forked and every chunk handed out (so `state` may be let go of here). Should it or
    a chunk fail, the chunks not yet begun are cancelled."""
    global _inherited
    _inherited = state
    try:
        with pool(jobs) as workers:
            pending: list[concurrent.futures.Future[int]] = []
            try:
                # Submitted inside the try: a Ctrl-C between two submits cancels those
                # made, where the pool's exit would otherwise wait for them all.
                for chunk in chunks:
                    pending.append(workers.submit(work, chunk))
                # A fork pool starts all its workers at the first submit (CPython 3.11
                # on, gh-90622); one that forked on demand would fork from what
                # `meanwhile` changes, so there it runs after the work.
                started = len(getattr(workers, "_processes", None) or ())
                forked_all = started >= min(jobs, len(pending))
                if forked_all:
                    _inherited = None
                    meanwhile()
                for future in pending:
                    yield future.result()
                if not forked_all:
                    meanwhile()
            except BaseException:
                # A chunk or `meanwhile` failed, or Ctrl-C: no chunk not yet begun is
                # rendered for nothing (as Executor.map cancels; found by review).
                for future in pending:
                    future.cancel()
                raise
    finally:
        _inherited = None
