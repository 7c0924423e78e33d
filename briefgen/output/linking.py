"""A folder copied as hard links, here or by another process while this one goes on.

After a first build (or one with --clean), each output folder's kept generation is made
a copy of the new one (writer.Staging.clone): a folder for every page, 12,600 at 10,000
briefings, and a link for every file. Making the folders is the file system's work,
1.2-2 s at that size and 0.4 s at 1,000, and it came last, after the swap, on one core
while the other sat idle; the build's record of what it wrote (reuse.remember) came
after it. A child process makes the copy while this one writes that record.

The child runs this module with the interpreter's isolated mode (-I -S), from the
folder this copy of briefgen is in, so the copy is made by this very function: the
module imports nothing of briefgen but listing.py, which imports only the standard
library.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Literal

from briefgen.output.listing import listable

Outcome = Literal["whole", "failed", "stopped"]

CHILD = r"""
import sys
sys.path.append(sys.argv[1])  # after the standard library: nothing there shadows it
from briefgen.output.linking import link_tree
link_tree(sys.argv[2], sys.argv[3], sys.argv[4])
"""
"""What the child runs: `link_tree` itself, imported from this copy of briefgen."""


def link_tree(source: str, copy: str, skip: str) -> None:
    """`copy` made a folder of hard links to every file under `source` (the files named
    `skip` excepted, and symlinks, which no output holds): nothing is copied."""
    os.mkdir(copy)
    with os.scandir(source) as scan:
        entries = list(scan)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            link_tree(entry.path, os.path.join(copy, entry.name), skip)
        elif entry.is_file(follow_symlinks=False) and entry.name != skip:
            os.link(entry.path, os.path.join(copy, entry.name))


class Linking:
    """`link_tree(source, copy, skip)` being made by a child process."""

    def __init__(self, source: Path, copy: Path, skip: str) -> None:
        """Raises OSError when no process can be started (then: link in this one)."""
        if not listable():  # the same needs as a listing's child
            raise OSError("no interpreter to link the folder with")
        package = Path(__file__).resolve().parent.parent.parent
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", CHILD, str(package), str(source), str(copy), skip],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def done(self) -> Outcome:
        """How the copy went, once the child is done: "whole", "failed" (the child
        ended in an error of its own), or "stopped" (killed: by a Ctrl-C that reached
        it too, or by `stop`). The child is ended and reaped whatever happens
        meanwhile (Ctrl-C included)."""
        try:
            code = self.process.wait()
        finally:
            self.stop()
        return "whole" if code == 0 else "failed" if code > 0 else "stopped"

    def stop(self) -> None:
        """Not wanted (any more): the child is ended and reaped."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
