"""A staged folder's files, listed by another process while this one builds.

Before a reused generation goes live, everything in it the new site lacks is removed
(writer.Staging.prune), and finding that takes one scandir per folder: a site has a
folder per page, 12,600 at 10,000 briefings, and walking them was 0.17-0.22 s of a
one-sidecar rebuild, all of it on the one core such a rebuild keeps busy. The listing
only reads, and what the build writes into the folder meanwhile is all wanted, so the
walk can be made on the other core from the moment the folder is staged, and the prune
takes its result. A listing that fails in any way is not used: the prune walks the
folder itself, as it does for a small folder or with `-j 1`.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Literal

Kind = Literal["d", "f", "l"]
"""A folder, a file (or a symlink to one, or to nothing), or a symlink to a folder."""
KINDS: dict[str, Kind] = {"d": "d", "f": "f", "l": "l"}

LIST_APART = 2000
"""Files recorded in a kept generation from which it is listed by another process: a
process costs about 20 ms to start (on the other core), a walk in this one about 7 µs
a file."""

STAMP = struct.Struct("<qqQq")
"""A listed file's stamp: size, mtime, inode (unsigned), ctime."""

WALK = rf"""
import os, struct, sys
out = []
stamps = []
pack = struct.Struct({STAMP.format!r}).pack
def walk(folder, rel):
    with os.scandir(folder) as scan:
        for entry in scan:
            name = rel + entry.name
            if entry.is_dir(follow_symlinks=False):
                out.append(b"d" + name)
                walk(entry.path, name + b"/")
            elif entry.is_symlink() and entry.is_dir():
                out.append(b"l" + name)
            else:
                out.append(b"f" + name)
                try:
                    st = entry.stat()
                    stamps.append(pack(st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns))
                except OSError:
                    stamps.append(pack(-1, 0, 0, 0))
walk(os.fsencode(sys.argv[1]), b"")
names = b"\0".join(out)
sys.stdout.buffer.write(len(names).to_bytes(8, "little") + names + b"".join(stamps))
"""
"""The walk, as writer.prune_folder makes it: folders before what they hold, symlinks
never followed. Names as bytes, so no locale of the child can change them; no file name
holds a NUL. After the names, each file's stamp as hashing.found_stamp takes it (size,
mtime, inode, ctime; a size of -1 for a file it could not stat), packed in the order of
the files."""


class Listing:
    """Every file and folder under `folder`, relative to it, being listed by a child
    process (its output goes to an unnamed temporary file: a pipe left unread until the
    prune would stop it at 64 KB)."""

    def __init__(self, folder: Path) -> None:
        """Raises OSError when no process can be started (then: walk in this one)."""
        if not listable():
            raise OSError("no interpreter to list the folder with")
        self.done = False
        self.listed: list[tuple[Kind, str]] | None = None
        self.stamped: dict[str, Sequence[int]] = {}
        self.out: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed by entries or stop)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", WALK, str(folder)],
                stdin=subprocess.DEVNULL,
                stdout=self.out,
                stderr=subprocess.DEVNULL,
            )
        except BaseException:
            self.out.close()
            raise

    def entries(self) -> list[tuple[Kind, str]] | None:
        """(kind, path relative to the folder), folders before their contents, once the
        child is done; None if it failed (killed, a folder it could not read). The child
        is ended and reaped whatever happens meanwhile (Ctrl-C included); what it listed
        is kept for `stamps` and later calls."""
        if self.done:
            return self.listed
        self.done = True
        try:
            code = self.process.wait()
            self.out.seek(0)
            data = self.out.read()
        except OSError:
            return None
        finally:
            self.stop()
        if code == 0:
            self.listed, self.stamped = parsed(data)
        return self.listed

    def stamps(self) -> Mapping[str, Sequence[int]]:
        """Every listed file's stamp, as found_stamp takes it, by its path (none if the
        listing failed): what the build asks of a kept file before it writes it, taken
        on the other core. A file the build has written is never asked about again."""
        self.entries()
        return self.stamped

    def stop(self) -> None:
        """Not wanted (any more): the child is ended and reaped, its output closed."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.out.close()


def parsed(data: bytes) -> tuple[list[tuple[Kind, str]] | None, dict[str, Sequence[int]]]:
    """The walk's output: what it listed, and the stamps of the files it could stat;
    (None, {}) if it is not the walk's."""
    if len(data) < 8:
        return None, {}
    size = int.from_bytes(data[:8], "little")
    names, block = data[8 : 8 + size], data[8 + size :]
    listed: list[tuple[Kind, str]] = []
    files: list[str] = []
    # Decoded as this process reads names, in one piece: NUL is one byte in any
    # encoding a file system's names use, and ends no other character.
    for item in os.fsdecode(names).split("\0") if names else ():
        kind = KINDS.get(item[:1])
        if kind is None:
            return None, {}
        name = item[1:]
        listed.append((kind, name))
        if kind == "f":
            files.append(name)
    if len(block) != len(files) * STAMP.size:
        return None, {}
    stamps: dict[str, Sequence[int]] = {
        name: stamp
        for name, stamp in zip(files, STAMP.iter_unpack(block), strict=True)
        if stamp[0] >= 0
    }
    return listed, stamps


def listable() -> bool:
    """Whether a child can list a folder as this process would: an interpreter to run
    (not a frozen application's own binary, which would be run with arguments it does
    not know), and names as bytes (on Windows a child started with -I reads names as
    UTF-8 whatever this process's file-system encoding)."""
    return bool(sys.executable) and not getattr(sys, "frozen", False) and os.name == "posix"
