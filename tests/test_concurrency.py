"""Two builds of one folder at once: the second waits for the first (the cache lock)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefgen.build import build
from briefgen.output.lock import LOCK, build_lock, take_flock
from briefgen.vocabulary.errors import BriefgenError

from conftest import REPO, tree

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import write_corpus

N = 60
CACHE = ".briefgen_cache"


def outputs(root: Path) -> dict[str, bytes]:
    return {f"site/{k}": v for k, v in tree(root / "site").items()} | {
        f"content/{k}": v for k, v in tree(root / "content").items()
    }


def clean_build_of(root: Path, tmp_path: Path) -> dict[str, bytes]:
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("site", "content", CACHE))
    build(fresh, clean=True, jobs=1)
    return outputs(fresh)


def briefgen(root: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "briefgen", "-C", str(root), "build", "-j", "2", *args]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    write_corpus(root, N)
    return root


def test_two_builds_at_once_both_succeed(desk: Path, tmp_path: Path) -> None:
    first = briefgen(desk)
    second = briefgen(desk)
    results = [p.communicate(timeout=300) for p in (first, second)]
    for process, (_, err) in zip((first, second), results, strict=True):
        assert process.returncode == 0, err
        assert "Traceback" not in err
    waited = [err for _, err in results if "waiting for another build in this folder" in err]
    assert waited, "one build waited for the other"
    assert outputs(desk) == clean_build_of(desk, tmp_path)


def test_no_wait_says_another_build_is_running(desk: Path) -> None:
    with build_lock(desk / CACHE):
        process = briefgen(desk, "--no-wait")
        _, err = process.communicate(timeout=120)
    assert process.returncode == 1
    assert f"another build is running in this folder (pid {os.getpid()})" in err
    assert "Traceback" not in err
    assert not (desk / "site").exists()


def test_lock_of_a_killed_build_is_taken_over(desk: Path, tmp_path: Path) -> None:
    """SIGKILL a build mid-way (its workers live on, orphaned): the kernel released its
    lock, and the next build takes it, at once or as soon as a worker forked in the
    instant of the kill has run (a forked worker lets go of its copy of the lock file
    first thing: lock.close_in_child; on a loaded machine, CI's, one was not yet
    scheduled when the lock was tried). Workers keeping it would hold it for good: an
    orphaned pool worker waits for work forever."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "briefgen", "-C", str(desk), "build", "-j", "2"]
    victim = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        staging = desk / f".briefgen-new-site-{victim.pid}"
        while not staging.exists():
            assert victim.poll() is None, "the build ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert (desk / CACHE / LOCK).read_text().split() == [str(victim.pid)]
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        deadline = time.monotonic() + 20
        while (release := take_flock(desk / CACHE / LOCK)) is None:
            assert time.monotonic() < deadline, "the orphaned workers hold the lock"
            time.sleep(0.01)
        release()
    finally:
        with contextlib.suppress(ProcessLookupError):  # the orphaned workers
            os.killpg(victim.pid, signal.SIGKILL)
    time.sleep(0.2)  # the orphans are gone
    after = briefgen(desk, "--no-wait")
    _, err = after.communicate(timeout=300)
    assert after.returncode == 0, err
    assert outputs(desk) == clean_build_of(desk, tmp_path)


def test_stale_lock_file_is_taken_over_without_fcntl(tmp_path: Path) -> None:
    """Without fcntl the lock is a file: one left by a dead process is taken over, one
    of a live process is waited for."""
    cache = tmp_path / CACHE
    cache.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    (cache / LOCK).write_text(dead.stdout)
    with build_lock(cache, exclusive_file=True):
        assert (cache / LOCK).read_text().split() == [str(os.getpid())]
    assert not (cache / LOCK).exists()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (cache / LOCK).write_text(f"{sleeper.pid}\n")
        told: list[str] = []
        lock = build_lock(cache, exclusive_file=True, wait=0.3, say=told.append)
        with pytest.raises(BriefgenError, match=f"pid {sleeper.pid}"), lock:
            pass
        assert told == [f"waiting for another build in this folder (pid {sleeper.pid})…"]
    finally:
        sleeper.kill()
        sleeper.wait()


def test_builds_in_one_process_take_turns(desk: Path) -> None:
    """`serve` rebuilds in one process, one after the other: the lock never blocks it."""
    build(desk, jobs=1, wait=0)
    (desk / "seeds" / "briefing-00001.yml").write_text(
        (desk / "seeds" / "briefing-00001.yml").read_text().replace("Key point 1", "Point 1", 1)
    )
    build(desk, jobs=1, wait=0)
