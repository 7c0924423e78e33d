"""The swap: each output folder replaced in one step, the pair recorded as one commit.

A build stages content/ and site/ beside the live ones (writer.Staging); this module
puts both in place at once, records the swap in a journal while it is under way, and
completes (or undoes) one a killed build left.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import json
import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RETIRED = ".briefgen-old-"
"""Prefix of where renaming moves an old generation, beside its output folder."""


def retired_name(target: Path) -> Path:
    return target.parent / f"{RETIRED}{target.name}-{os.getpid()}"


def remove_all(folders: Iterable[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


JOURNAL = "swap.json"
"""In the cache folder while a swap is under way: what the next build must finish."""
UNSUPPORTED = frozenset({errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM})
"""exchange()'s errors that mean "not on this system or file system" (EPERM: a sandbox's
syscall filter): rename instead, which reports any real problem with the folders."""
AT_FDCWD = -100
RENAME_EXCHANGE = 2
"""renameat2's flag (Linux); macOS's RENAME_SWAP for renamex_np has the same value."""


def exchange(a: Path, b: Path) -> None:
    """Swap the names of two folders in one step: at no instant is either name missing.

    Linux's renameat2(RENAME_EXCHANGE) (3.15+, on ext4, XFS, Btrfs, tmpfs, …) or
    macOS's renamex_np(RENAME_SWAP). Raises OSError; an errno in UNSUPPORTED means the
    system or the file system has no such call.
    """
    if sys.platform == "linux":
        call = getattr(_libc(), "renameat2", None)
        args: tuple[Any, ...] = (AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b))
    elif sys.platform == "darwin":
        call = getattr(_libc(), "renamex_np", None)
        args = (os.fsencode(a), os.fsencode(b))
    else:
        call = None
    if call is None:
        raise OSError(errno.ENOSYS, "no exchanging rename here", str(a), None, str(b))
    if call(*args, ctypes.c_uint(RENAME_EXCHANGE)) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))


@functools.cache
def _libc() -> ctypes.CDLL:
    """The C library, for the calls Python's os module lacks."""
    return ctypes.CDLL(None, use_errno=True)


def sync_folder(folder: Path) -> None:
    """fsync a folder, so the renames in it survive a power loss (where the file system
    honours fsync). Not every system can open a folder (Windows): then nothing."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def identity(path: Path) -> list[int] | None:
    """Which folder is at `path` (device and inode: they move with it), or None."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return [found.st_dev, found.st_ino]


@dataclass(frozen=True)
class Swap:
    """One output folder's replacement, as the journal records it."""

    target: Path
    staging: Path
    """Where the new generation was built (and where an exchange leaves the old one)."""
    retired: Path
    """Where renaming moves the old generation, without an exchange."""
    new: list[int] | None
    """identity() of the new generation."""
    old: list[int] | None
    """identity() of the old generation; None where there was none."""

    def done(self) -> bool:
        return identity(self.target) == self.new

    def make(self) -> Path | None:
        """Put the new generation in place; returns where the old one is now. `target`
        is a whole generation at every instant, but (renaming) between two renames."""
        if not self.target.exists():  # a first build; or one stopped between two renames
            os.replace(self.staging, self.target)
            return None if self.old is None else self.retired
        try:
            exchange(self.staging, self.target)
            return self.staging
        except OSError as exc:
            if exc.errno not in UNSUPPORTED:
                raise
        os.replace(self.target, self.retired)
        os.replace(self.staging, self.target)
        return self.retired

    def forward(self) -> None:
        """make(), unless it was made: for a journal's swap, which may have been."""
        if not self.done():
            self.make()

    def back(self) -> None:
        """Undo what make() did of this swap, wherever it stopped."""
        if identity(self.target) == self.old:
            return
        if self.old is not None and self.done() and identity(self.staging) == self.old:
            exchange(self.staging, self.target)  # only an exchange puts it there
            return
        # Renames: as names say (where a folder's identity may not survive a rename).
        moved_out = self.old is None or self.retired.exists()
        if self.target.exists() and not self.staging.exists() and moved_out:
            os.replace(self.target, self.staging)
        if self.old is not None and self.retired.exists():
            os.replace(self.retired, self.target)

    def to_json(self, base: Path) -> dict[str, Any]:
        paths = {"target": self.target, "staging": self.staging, "retired": self.retired}
        relative = {key: os.path.relpath(path, base) for key, path in paths.items()}
        return {**relative, "new": self.new, "old": self.old}

    @classmethod
    def from_json(cls, base: Path, data: dict[str, Any]) -> Swap:
        # Lexically, as relpath made them: ".." must not climb out of a symlinked cache.
        target, staging, retired = (
            Path(os.path.normpath(base / data[key])) for key in ("target", "staging", "retired")
        )
        return cls(target, staging, retired, data["new"], data["old"])


def write_journal(folder: Path, swaps: list[Swap]) -> Path:
    """Record the swaps about to be made, durably, before making any: written whole,
    flushed, renamed into place, and the rename flushed."""
    folder.mkdir(parents=True, exist_ok=True)
    journal = folder / JOURNAL
    temporary = folder / f".{JOURNAL}.{os.getpid()}.tmp"
    data = {"swapping": [swap.to_json(folder) for swap in swaps]}
    try:
        with open(temporary, "wb") as f:
            f.write(json.dumps(data, indent=1).encode())
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, journal)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_folder(folder)
    return journal


def read_journal(folder: Path) -> list[Swap] | None:
    """The swaps a stopped build left under way, or None. A journal that cannot be read
    (never written whole: it is renamed into place) is removed."""
    journal = folder / JOURNAL
    try:
        data = json.loads(journal.read_bytes())
        return [Swap.from_json(folder, item) for item in data["swapping"]]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)
        return None


def finish_swap(folder: Path) -> None:
    """Complete the swap a killed build (or a power loss) interrupted: the first thing a
    build does. Both new generations were whole before the journal was written, so the
    swap is rolled forward; if one of them cannot be found (removed by hand), it is
    rolled back."""
    swaps = read_journal(folder)
    if swaps is None:
        return
    if all(swap.done() or identity(swap.staging) == swap.new for swap in swaps):
        for swap in swaps:
            swap.forward()
    else:
        for swap in reversed(swaps):
            swap.back()
    for parent in {swap.target.parent for swap in swaps}:
        sync_folder(parent)
    (folder / JOURNAL).unlink()


def swap_all(staged: list[tuple[Path, Path]], journal: Path | None) -> list[Path | None]:
    """Put every staged folder in place of its target, as one commit.

    Each target is exchanged with its staging folder in one step where the system can,
    so no kill leaves a folder missing (else two renames, old out and new in: a kill
    between them does). The swaps are first recorded in a journal in the `journal`
    folder, and a build killed among them is completed by the next one (`finish_swap`):
    content/ and site/ are of different generations only while the journal is there.
    An exception — Ctrl-C included — undoes the swaps already made: both old. Returns
    where each old folder is now (None where there was none).
    """
    swaps = [
        Swap(target, staging, retired_name(target), identity(staging), identity(target))
        for staging, target in staged
    ]
    # Folders are known by identity (device, inode) in the journal: not where it is unknown.
    known = all(swap.new and swap.new[1] and swap.new != swap.old for swap in swaps)
    recorded: Path | None = None
    try:
        if journal is not None and known:
            recorded = write_journal(journal, swaps)
        retired = [swap.make() for swap in swaps]
        for parent in {target.parent for _, target in staged}:
            sync_folder(parent)
    except BaseException:
        for swap in reversed(swaps):
            swap.back()  # should this fail, all stays as is, for the next build to finish
        if recorded is not None:
            recorded.unlink()
        remove_all(staging for staging, _ in staged)
        raise
    if recorded is not None:
        recorded.unlink()
    return retired
