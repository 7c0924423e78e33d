"""How a build tells that a file changed: content hashes, (size, mtime) stamps, and an
output file's identity (inode and ctime), which vouches that it was not written since.

Shared vocabulary below every stage: the incremental side keys and fingerprints with
these, the output side records them, the theme hashes its files with them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

HASH_CHARS = 32
"""Length of a content hash: 128 bits, hex."""

CHUNK = 1 << 20
O_BINARY = getattr(os, "O_BINARY", 0)
"""Windows' flag for reading bytes as they are (0 elsewhere)."""


def content_hash(*parts: bytes) -> str:
    """The hash a cache file is trusted under: SHA-256 (hardware-accelerated on current
    CPUs, and there twice as fast as BLAKE2b), cut to 128 bits."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
    return h.hexdigest()[:HASH_CHARS]


def file_hash(path: Path | str) -> str | None:
    """A file's content hash, or None when it cannot be read.

    Read with os.read rather than open(): a build hashes every output file it carries
    over (43,000 at 10,000 briefings), and a buffered file object per file cost twice
    the reading and hashing itself."""
    try:
        fd = os.open(path, os.O_RDONLY | O_BINARY)
    except OSError:
        return None
    chunks: list[bytes] = []
    try:
        while chunk := os.read(fd, CHUNK):
            chunks.append(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return content_hash(*chunks)


def digest(*parts: str | bytes) -> str:
    """A hash of several strings, unambiguous about where each one ends."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def stamp(path: Path | str) -> list[int] | None:
    """(size, mtime) of a file, the cheap sign that it changed."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


CTIME_VOUCHES = os.name == "posix"
"""Whether a file's ctime is its last change: on POSIX systems every write, truncation,
link or rename of a file sets it to the file system's clock, and nothing can set it
back (Windows' st_ctime is the file's creation)."""


def output_stamp(path: Path | str, settled_before: int) -> list[int] | None:
    """(size, mtime, inode, ctime) of an output file, as recorded after a build.

    The ctime is recorded as 0 (it vouches for nothing) unless it is older than
    `settled_before`, the file system's clock read before this stat: a write after the
    stat then shows as a later ctime, even one that puts the mtime back. A ctime of the
    clock's own tick may be shared by a write still to come ("racily clean", as git
    says), and the file is hashed next time instead."""
    found = found_stamp(path)
    return recorded_stamp(found, settled_before) if found is not None else None


def recorded_stamp(found: Sequence[int], settled_before: int) -> list[int]:
    """A stamp `found_stamp` took after the clock read `settled_before`, as it is
    recorded (see output_stamp)."""
    size, mtime, inode, change = found
    vouches = CTIME_VOUCHES and change < settled_before
    return [size, mtime, inode, change if vouches else 0]


def found_stamp(path: Path | str) -> list[int] | None:
    """(size, mtime, inode, ctime) of a file now, to compare with `output_stamp`'s."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return stamp_of(st)


def stamp_of(st: os.stat_result) -> list[int]:
    """`found_stamp` of a stat already made (of an open file: os.fstat)."""
    return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]


def untouched(recorded: Sequence[int], found: Sequence[int]) -> bool:
    """Whether a file is, byte for byte, the one `recorded` hashed, without reading it:
    the same inode, and no change since (its ctime, which vouches, is the one recorded).

    This is how Bazel trusts a file's cached digest. It trusts the file system: damage
    through it (any write, even with the mtime put back) is seen; a disk that rots
    below it is not, as no stamp can see it, and such a file is carried over."""
    return len(recorded) == 4 and recorded[3] != 0 and list(recorded) == list(found)
