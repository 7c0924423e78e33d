"""One build at a time in a site folder: a lock in the build cache.

Two builds of one folder would each tidy away the other's staging folders and write the
same cache files. So a build holds `.briefgen_cache/lock` from before it reads the cache
until its old output is gone; a second build waits for it (saying so), or, asked not to
wait, stops with a located error.

On POSIX the lock is `fcntl.flock` on that file: the kernel releases it when its process
ends however it ends (SIGKILL included), so a stale lock cannot exist. Where there is no
fcntl, the lock is the file itself, created exclusively; a lock file whose process is
gone is taken over. Either way the file records the holder's pid, for the messages.

This module writes only its own lock file.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from briefgen.vocabulary.errors import BriefgenError, error

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

LOCK = "lock"
WAIT = 600.0
"""Seconds a build waits for another one by default (a cold build of 10,000 briefings
takes under a minute)."""
POLL = 0.1
_held: set[int] = set()
"""Lock file descriptors this process holds (see `close_in_child`)."""


def close_in_child() -> None:
    """In a forked process (a build's workers): let go of the parent's lock file, so
    the lock is released when the parent ends, even should a worker outlive it."""
    for fd in _held:
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=close_in_child)


@contextlib.contextmanager
def build_lock(
    cache_dir: Path,
    *,
    wait: float = WAIT,
    say: Callable[[str], None] = lambda text: None,
    exclusive_file: bool = fcntl is None,
) -> Iterator[None]:
    """Hold the cache folder's lock for the duration; wait up to `wait` seconds for
    another build's (0: do not wait). `exclusive_file` picks the fallback lock (tests
    use it on POSIX too)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / LOCK
    take = take_file if exclusive_file else take_flock
    deadline = time.monotonic() + wait
    told = False
    while True:
        held = take(path)
        if held is not None:
            break
        pid = holder(path)
        if time.monotonic() >= deadline:
            raise busy(cache_dir, pid, wait)
        if not told:
            say(f"waiting for another build in this folder (pid {pid or '?'})…")
            told = True
        time.sleep(POLL)
    try:
        yield
    finally:
        held()


def take_flock(path: Path) -> Callable[[], None] | None:
    """The flock, or None if another process holds it."""
    assert fcntl is not None
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    _held.add(fd)
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())

    def release() -> None:
        _held.discard(fd)
        # The file stays: removing a flocked file would let a third build lock a new one
        # while a second holds the old.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # releases the flock

    return release


def take_file(path: Path) -> Callable[[], None] | None:
    """The lock file, created exclusively; a stale one (its process is gone) is
    removed first. None if a live process holds it."""
    for _ in range(2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            pid = holder(path)
            if pid is not None and alive(pid):
                return None
            if pid is None and recent(path):
                return None  # being written by its holder this very moment
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            continue
        with os.fdopen(fd, "w") as f:
            f.write(f"{os.getpid()}\n")
        return lambda: path.unlink(missing_ok=True)
    return None


def holder(path: Path) -> int | None:
    """The pid recorded in a lock file, if it can be read."""
    try:
        return int(path.read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return None


def recent(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime < 2.0
    except OSError:
        return False


def alive(pid: int) -> bool:
    """Whether a process with this pid exists (on Windows, without signalling it)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def busy(cache_dir: Path, pid: int | None, wait: float) -> BriefgenError:
    where = f"{cache_dir.name}/{LOCK}"
    who = f"pid {pid}" if pid else "pid unknown"
    if wait <= 0:
        message = f"another build is running in this folder ({who})"
        hint = "wait for it to finish, or build without --no-wait to wait for it"
    else:
        message = f"another build has been running in this folder for over {wait:.0f} s ({who})"
        hint = "stop it, or wait for it to finish"
    return BriefgenError([error(where, 0, 0, message, hint)])
