"""The no-op check: whether a build would change nothing, asked of one small file
before anything else is read or imported.

A rebuild with nothing to do is the one an editor runs most (`serve`, a CI step, a
habit), and at 10,000 briefings it used to spend more time loading the theme, the
register and the 15 MB manifest, and importing the stages that need them, than
stat'ing the files it checks. The last successful build leaves `noop` in the cache
folder: a hash of the code and the command's options, where its inputs and outputs
lie, one digest of every input's stamp (size, mtime), the list of its output files with
one digest of their stamps, and what it reported. A build is a no-op when all of that
still holds; the settings (config, register, templates, catalogs) need not be read,
since each is an input whose stamp is in the digest, and the built-in theme and
catalogs are in `code_version`.

Only stamps are compared, as git's index does, so the last build records the file only
when every input's stamp was settled (older than its own clock: see Manifest.settled);
an output file touched, removed or changed since shows in its stamp, and the build then
runs in full and repairs it. The file is trusted only under the content hash on its
first line, and is removed as soon as a build finds it has work to do, so a build
stopped halfway never leaves one behind that describes the output before it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
from array import array
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from briefgen.incremental.keys import FORMAT, code_version, environment_key
from briefgen.stages.inputs import input_stamps
from briefgen.vocabulary.hashing import content_hash, digest

NOOP = "noop"
"""The file, in the cache folder."""


@dataclass(frozen=True)
class Layout:
    """Where the last build read and wrote (from its config), and its site URL: what a
    no-op needs to know without reading the config."""

    seeds_dir: str
    register: str
    site_dir: str
    content_dir: str
    site_url: str | None


def noop_key(root: Path, drafts: bool, strict: bool, site_url: str | None) -> str:
    """What shapes a build besides its input files: the code, the Python, the options,
    and the site folder's name (the title when the config sets none)."""
    options = repr((drafts, strict, site_url, root.resolve().name))
    return digest(FORMAT, code_version(), environment_key(), options)


def stamps_digest(stamps: Mapping[str, list[int] | None]) -> str:
    """One hash of every input's path and stamp (sorted by path: input_stamps)."""
    values = array("q")
    for stamp in stamps.values():
        values.extend(stamp or (-1, -1))
    names = "\0".join(stamps).encode("utf-8", "surrogateescape")
    return content_hash(names, values.tobytes())


def outputs_digest(root: str, files: list[str]) -> str | None:
    """One hash of every output file's stamp, None when one is missing. (A stat per
    file is all it costs: 2.3 µs here, formatting each stamp as text took half as much
    again.)"""
    values = array("q")
    prefix = os.path.join(root, "")
    stat, extend = os.stat, values.extend
    try:
        for rel in files:
            st = stat(prefix + rel)
            extend((st.st_size, st.st_mtime_ns))
    except OSError:
        return None
    return content_hash(values.tobytes())


class Apart:
    """`outputs_digest(root, files)`, made by a forked child while this process stamps
    the inputs: the no-op check's two halves, 0.1 s each at 10,000 briefings, on two
    cores. Made here instead, when asked, where no fork is safe (another thread is
    running: a server's) or possible, or when the child fails."""

    def __init__(self, root: str, files: list[str]) -> None:
        self.root, self.files = root, files
        self.pid = 0
        self.pipe = -1
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return
        try:
            read, write = os.pipe()
        except OSError:  # no descriptor left: made here
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: the digest, then gone, running nothing of the parent's
            code = 1
            try:
                os.close(read)
                os.write(write, (outputs_digest(root, files) or "-").encode("ascii"))
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pid, self.pipe = pid, read

    def result(self) -> str | None:
        if not self.pid:
            return outputs_digest(self.root, self.files)
        try:
            data = b""
            while chunk := os.read(self.pipe, 4096):
                data += chunk
        except BaseException:
            self.cancel()
            raise
        if not self.reaped() or not data:
            return outputs_digest(self.root, self.files)
        return None if data == b"-" else data.decode("ascii")

    def cancel(self) -> None:
        """Not wanted (an input changed): the child is ended and reaped."""
        if self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            self.reaped()

    def reaped(self) -> bool:
        """Whether the child ended well; it is reaped and its pipe closed."""
        pid, self.pid = self.pid, 0
        os.close(self.pipe)
        _, status = os.waitpid(pid, 0)
        return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def noop_bytes(
    key: str,
    layout: Layout,
    stamps: Mapping[str, list[int] | None],
    outputs: Mapping[str, Mapping[str, list[Any]]],
    summary: dict[str, Any],
) -> bytes:
    """The file: its content hash, a line of JSON, then the output files (relative to
    the site root, by folder), each ending in NUL (no file name holds one).
    `outputs`: folder name -> file -> [fingerprint, size, mtime], as the manifest holds
    them."""
    stamped = {
        f"{folder}/{rel}": e for folder, entries in outputs.items() for rel, e in entries.items()
    }
    files = sorted(stamped)
    values = array("q")
    for file in files:
        values.extend(stamped[file][1:3])
    recorded = content_hash(values.tobytes())
    head = {
        "key": key,
        "layout": asdict(layout),
        "inputs": stamps_digest(stamps),
        "outputs": recorded,
        "summary": summary,
    }
    body = (
        json.dumps(head, sort_keys=True).encode("utf-8")
        + b"\n"
        + "".join(f + "\0" for f in files).encode("utf-8")
    )
    return content_hash(body).encode("ascii") + b"\n" + body


@dataclass(frozen=True)
class Stamped:
    """The inputs' stamps a no-op check took and found changed, and the folders they
    cover: the build that follows takes them rather than stat every input again (0.1 s
    at 10,000 briefings), if its config reads the same folders.

    Taken before the build holds its lock and reads its clock, they are no less safe:
    every file is read after the clock, so one saved since its stamp shows a newer stamp
    next time, and one whose mtime shares the clock's tick is not trusted (Manifest
    .settled)."""

    seeds_dir: str
    register: str
    stamps: dict[str, list[int] | None]


def last_build(
    root: Path, cache_dir: Path, key: str
) -> tuple[dict[str, Any], Layout] | Stamped | None:
    """The last build's summary and layout if this build would change nothing; else the
    stamps it took (a changed input or output), or None (no file, another key, or a
    damaged file)."""
    try:
        raw = (cache_dir / NOOP).read_bytes()
    except OSError:
        return None
    hashed, _, body = raw.partition(b"\n")
    if hashed != content_hash(body).encode("ascii"):
        return None
    line, _, listing = body.partition(b"\n")
    try:
        head = json.loads(line)
        if head["key"] != key:
            return None
        layout = Layout(**head["layout"])
        files = listing.decode("utf-8").split("\0")[:-1]
    except (ValueError, KeyError, TypeError):
        return None
    outputs = Apart(str(root), files)
    try:
        stamps = input_stamps(root, layout.seeds_dir, layout.register)
    except BaseException:
        outputs.cancel()
        raise
    if stamps_digest(stamps) != head["inputs"]:
        outputs.cancel()
        return Stamped(layout.seeds_dir, layout.register, stamps)
    if outputs.result() != head["outputs"]:
        return Stamped(layout.seeds_dir, layout.register, stamps)
    return head["summary"], layout


def forget(cache_dir: Path) -> None:
    """This build has work to do: until it ends well, no build is a no-op."""
    (cache_dir / NOOP).unlink(missing_ok=True)
