"""A build stopped at any instant leaves site/ and content/ whole: the swap and its journal.

The staged folders are exchanged with the live ones in one step (renameat2 on Linux), and
the pair is recorded first in a journal the next build completes. Ctrl-C (an exception)
undoes the swap; a kill, which runs no code, is rolled forward by the next build. The slow
test kills a real build under strace at every rename it makes.
"""

from __future__ import annotations

import concurrent.futures
import errno
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen.build import build
from briefgen.incremental.cache import CACHE_DIR
from briefgen.output import swap, writer

from conftest import REPO, tree

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import make_briefing, write_corpus

JOURNAL = Path(CACHE_DIR) / swap.JOURNAL
STRACE = shutil.which("strace")
CI = os.environ.get("CI") == "true"


def outputs(root: Path) -> dict[str, bytes]:
    return {f"site/{k}": v for k, v in tree(root / "site").items()} | {
        f"content/{k}": v for k, v in tree(root / "content").items()
    }


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.glob(".briefgen-*"))


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def edit(root: Path, n: int) -> None:
    """Change every kind of input: one sidecar edited, one seed added and one removed, a
    config value, and a template (a site override of base.html)."""
    seeds = root / "seeds"
    replace_in(seeds / "briefing-00001.yml", "Key point 1 of briefing 1.", "Key point one.")
    seed, sidecar = make_briefing(n, random.Random(n))
    (seeds / f"briefing-{n:05d}.txt").write_text(seed, encoding="utf-8")
    (seeds / f"briefing-{n:05d}.yml").write_text(sidecar, encoding="utf-8")
    (seeds / "briefing-00002.txt").unlink()
    (seeds / "briefing-00002.yml").unlink()
    replace_in(root / "briefgen.yml", "title: Synthetic desk", "title: Edited desk")
    base = (REPO / "templates" / "base.html").read_text(encoding="utf-8")
    assert "</footer>" in base
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "base.html").write_text(
        base.replace("</footer>", "<p>Edited footer.</p></footer>", 1), encoding="utf-8"
    )


def clean_build(root: Path, to: Path) -> dict[str, bytes]:
    """What the inputs under root build to, in a fresh folder without a cache."""
    shutil.copytree(root, to, ignore=shutil.ignore_patterns("site", "content", CACHE_DIR))
    build(to, clean=True)
    return outputs(to)


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A small site built once then edited: (root, old outputs, new outputs)."""
    tmp_path = tmp_path_factory.mktemp("built")
    root = tmp_path / "desk"
    write_corpus(root, 3)
    build(root)
    old = outputs(root)
    edit(root, 3)
    return root, old, clean_build(root, tmp_path / "clean")


@pytest.fixture
def edited(
    built: tuple[Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path
) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A copy of `built`, for a test to rebuild."""
    root, old, new = built
    shutil.copytree(root, tmp_path / "desk")
    return tmp_path / "desk", old, new


class Killed(BaseException):
    """Stands for SIGKILL in-process: the build stops there, its rollback disabled."""


def killed_at(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, call: int) -> None:
    """Make `owner.name` (swap.exchange, or os.replace) "kill" the build at its call-th
    call of the swap, and let no rollback run after it."""
    real = getattr(owner, name)
    calls = []

    def fake(a: Path, b: Path) -> None:
        if Path(a).name.startswith(writer.STAGING) or Path(b).name.startswith(swap.RETIRED):
            calls.append(b)
            if len(calls) == call:
                raise Killed
        real(a, b)

    def no_rollback(self: swap.Swap) -> None:
        raise Killed

    monkeypatch.setattr(owner, name, fake)
    monkeypatch.setattr(swap.Swap, "back", no_rollback)


def unsupported(a: Path, b: Path) -> None:
    raise OSError(errno.ENOSYS, "Function not implemented")


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one").write_text("a")
    (tmp_path / "b").mkdir()
    try:
        swap.exchange(tmp_path / "a", tmp_path / "b")
    except OSError as exc:
        if sys.platform == "linux" and exc.errno not in swap.UNSUPPORTED:
            raise
        pytest.skip(f"no exchanging rename on this system or file system: {exc}")
    assert tree(tmp_path) == {"b/one": b"a"}
    assert (tmp_path / "a").is_dir()


def test_kill_between_the_two_exchanges_is_rolled_forward(
    edited: tuple[Path, dict[str, bytes], dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, old, new = edited
    killed_at(monkeypatch, swap, "exchange", 2)  # content/ is swapped, site/ not
    with pytest.raises(Killed):
        build(root)
    monkeypatch.undo()
    now = outputs(root)
    assert {k: v for k, v in now.items() if k.startswith("content/")} == {
        k: v for k, v in new.items() if k.startswith("content/")
    }
    assert {k: v for k, v in now.items() if k.startswith("site/")} == {
        k: v for k, v in old.items() if k.startswith("site/")
    }
    assert (root / JOURNAL).is_file(), "different generations only while the journal says so"
    build(root)
    assert outputs(root) == new
    assert leftovers(root) == [] and not (root / JOURNAL).exists()


def test_without_exchange_a_kill_between_renames_is_rolled_forward(
    edited: tuple[Path, dict[str, bytes], dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system cannot exchange (Windows, some file systems), two renames replace
    a folder: a kill between them leaves it missing until the next build restores it."""
    root, old, new = edited
    monkeypatch.setattr(swap, "exchange", unsupported)
    killed_at(monkeypatch, os, "replace", 2)  # content/ moved out, the new not in
    with pytest.raises(Killed):
        build(root)
    monkeypatch.undo()
    assert not (root / "content").exists() and (root / JOURNAL).is_file()
    assert {f"site/{k}": v for k, v in tree(root / "site").items()} == {
        k: v for k, v in old.items() if k.startswith("site/")
    }
    build(root)
    assert outputs(root) == new
    assert leftovers(root) == [] and not (root / JOURNAL).exists()


def test_without_exchange_the_swap_still_works(
    edited: tuple[Path, dict[str, bytes], dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _, new = edited
    monkeypatch.setattr(swap, "exchange", unsupported)
    build(root)
    assert outputs(root) == new
    assert leftovers(root) == [] and not (root / JOURNAL).exists()


@pytest.mark.parametrize("interrupted", [1, 2, 3], ids=["before", "between", "after"])
def test_ctrl_c_during_the_exchanges_leaves_the_old_output(
    edited: tuple[Path, dict[str, bytes], dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    interrupted: int,
) -> None:
    """Ctrl-C is an exception: the swap is undone (also after both exchanges were made,
    as long as the build had not returned), and the journal removed."""
    root, old, _ = edited
    real = swap.exchange
    calls = []

    def exchange(a: Path, b: Path) -> None:
        calls.append(b)
        if len(calls) == interrupted < 3:  # not the rollback's own exchanges
            raise KeyboardInterrupt
        real(a, b)

    monkeypatch.setattr(swap, "exchange", exchange)
    if interrupted == 3:  # after the second exchange: when the folders' parent is synced
        real_sync = swap.sync_folder

        def sync(folder: Path) -> None:
            real_sync(folder)
            if (root / JOURNAL).exists() and folder.resolve() == root.resolve():
                raise KeyboardInterrupt

        monkeypatch.setattr(swap, "sync_folder", sync)
    with pytest.raises(KeyboardInterrupt):
        build(root)
    assert outputs(root) == old
    assert leftovers(root) == [] and not (root / JOURNAL).exists()


def test_an_unreadable_journal_is_removed(
    edited: tuple[Path, dict[str, bytes], dict[str, bytes]],
) -> None:
    root, _, new = edited
    (root / JOURNAL).write_text('{"swapping": [{"target": ')
    build(root)
    assert outputs(root) == new and not (root / JOURNAL).exists()


def test_a_journal_whose_new_generation_is_gone_is_rolled_back(
    edited: tuple[Path, dict[str, bytes], dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rolled forward only when every new generation is there; a staging folder deleted
    by hand makes the next build put the old generation back instead."""
    root, old, new = edited
    killed_at(monkeypatch, swap, "exchange", 2)
    with pytest.raises(Killed):
        build(root)
    monkeypatch.undo()
    (staging,) = root.glob(f"{writer.STAGING}site-*")
    shutil.rmtree(staging)
    swap.finish_swap(root / CACHE_DIR)
    assert outputs(root) == old and not (root / JOURNAL).exists()
    build(root)
    assert outputs(root) == new and leftovers(root) == []


# ---------------------------------------------------------------------------------------
# Killed for real: SIGKILL at each rename of a build, injected by strace.
# ---------------------------------------------------------------------------------------

RENAME = re.compile(r"^(rename|renameat|renameat2)\(")
N = 50


def strace_build(root: Path, log: Path | None, mode: str, kill: tuple[str, int] | None) -> int:
    """`briefgen build -j 1` under strace, killed at the kill[1]-th call of the syscall
    kill[0]; returns its exit status. strace counts calls per syscall and per traced
    thread: without -f only the main thread's (the builder's: with -j 1 it makes every
    rename but Jinja's cache writes from other threads, which come before the swap)."""
    command = [STRACE or "strace", "-qq", "-o", str(log or os.devnull)]
    command += ["-e", "trace=rename,renameat,renameat2"]
    if mode == "renames":  # as on a system without renameat2: the fallback
        command += ["-e", "inject=renameat2:error=ENOSYS"]
    if kill is not None:
        command += ["-e", f"inject={kill[0]}:signal=SIGKILL:when={kill[1]}"]
    command += [sys.executable, "-m", "briefgen", "-C", str(root), "build", "-j", "1"]
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    if kill is None:
        assert done.returncode == 0, done.stderr
    return done.returncode


def renames(log: Path, mode: str) -> list[tuple[str, str]]:
    """The renames a traced build made, in order: (syscall, its line in the log)."""
    calls = []
    for line in log.read_text().splitlines():
        found = RENAME.match(line)
        if found and not (mode == "renames" and "(INJECTED)" in line):
            calls.append((found.group(1), line))
    return calls


def kill_points(calls: list[tuple[str, str]]) -> Iterator[tuple[int, tuple[str, int], str]]:
    """For every rename K: (K, the syscall and its own invocation number, the log line)."""
    seen: dict[str, int] = {}
    for k, (name, line) in enumerate(calls, start=1):
        seen[name] = seen.get(name, 0) + 1
        yield k, (name, seen[name]), line


def generation(files: dict[str, bytes], old: dict[str, bytes], new: dict[str, bytes]) -> str:
    if files == new:
        return "new"
    if files == old:
        return "old"
    return "mixed"


@pytest.mark.slow
@pytest.mark.skipif(not STRACE and not CI, reason="strace is not installed")
@pytest.mark.parametrize("mode", ["exchange", "renames"])
def test_sigkill_at_every_rename(tmp_path: Path, mode: str) -> None:
    """A site of 50 briefings, built; then seeds, config and a template edited. For every
    rename the edited build makes, a copy of the built site is rebuilt and SIGKILLed just
    before that rename: site/ and content/ must each be a whole generation (with
    renames instead of exchanges a folder may be missing, between two renames), of
    different generations only while the journal is there; and the next build must
    give exactly what a clean build gives.

    "renames" stands for a system without renameat2 (strace fails the call with ENOSYS):
    it is killed at the renames of the swap and of the spare; the others, before and
    after, are the same as in "exchange", which is killed at every one.
    """
    started = time.monotonic()
    before = tmp_path / "before"
    write_corpus(before, N)
    build(before)
    edit(before, N)
    new_outputs = clean_build(before, tmp_path / "clean")
    old = {folder: tree(before / folder) for folder in ("site", "content")}
    new = {folder: tree(tmp_path / "clean" / folder) for folder in ("site", "content")}

    dry = tmp_path / "dry"
    shutil.copytree(before, dry)
    strace_build(dry, tmp_path / "renames.log", mode, None)
    assert outputs(dry) == new_outputs
    calls = renames(tmp_path / "renames.log", mode)
    assert len(calls) >= 5, calls
    points = list(kill_points(calls))
    if mode == "renames":  # those of the swap (and of the spare), which renames differ in
        points = [point for point in points if ".briefgen-" in point[2]]

    def killed(point: tuple[int, tuple[str, int], str]) -> int:
        root = tmp_path / f"k{point[0]}"
        shutil.copytree(before, root)
        return strace_build(root, None, mode, point[1])

    with concurrent.futures.ThreadPoolExecutor(2) as pool:  # the builds are processes
        statuses = list(pool.map(killed, points))
    states = []
    for (k, _, line), status in zip(points, statuses, strict=True):
        root = tmp_path / f"k{k}"
        assert status == -signal.SIGKILL, f"K={k} ({line}): not killed, status {status}"
        journal = (root / JOURNAL).is_file()
        state = []
        for folder in ("site", "content"):
            if not (root / folder).is_dir():
                assert mode == "renames" and journal, f"K={k} ({line}): no {folder}/"
                state.append("missing")
                continue
            state.append(generation(tree(root / folder), old[folder], new[folder]))
            assert state[-1] != "mixed", f"K={k} ({line}): {folder}/ is neither generation"
        if state[0] != state[1]:
            assert journal, f"K={k} ({line}): site/ {state[0]}, content/ {state[1]}, no journal"
        states.append((k, *state, journal))
        build(root, jobs=1)
        assert outputs(root) == new_outputs, f"K={k} ({line}): the next build differs"
        assert leftovers(root) == [] and not (root / JOURNAL).exists()
        shutil.rmtree(root)
    # The kills did land inside the swap: some left one folder swapped and the other not.
    assert any(site != content for _, site, content, _ in states), states
    print(f"{mode}: {len(states)} kills in {time.monotonic() - started:.0f} s: {states}")
