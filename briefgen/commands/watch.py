"""Watching a site's inputs for `briefgen serve`: notifications, polling as the fallback.

A build reads briefgen.yml, the files directly in the seeds folder and everything under
templates/. `Inputs` names those paths; a watcher reports which of them changed, in
batches (one batch, one rebuild). `Notifier` is told by the operating system (watchdog:
inotify, FSEvents, ReadDirectoryChangesW), so an idle server costs nothing however many
seeds there are. `Poller` compares the build's own input stamps every 0.3 s: for where
notifications are unavailable (the inotify watch limit reached, some network and
container file systems) or asked for (`--poll`).

Only inputs count, so the writes of a build (site/, content/, .briefgen_cache/, the
`.briefgen-*` staging folders) and editors' temporary files (`.swp`, `~`, `.#…`, vim's
`4913` probe) never start a rebuild.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from briefgen.stages.config import read_config
from briefgen.stages.inputs import (
    CONFIG_FILE,
    LOCALES_DIR,
    SIDECAR_SUFFIXES,
    TEMPLATES_DIR,
    input_stamps,
)
from briefgen.vocabulary.errors import BriefgenError

DEBOUNCE = 0.3
"""Seconds a batch stays open after its first change: an editor's save (temp file,
rename, metadata) or a `git checkout` of many files makes one rebuild, not several."""
POLL_INTERVAL = 0.3
EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]
"""What is listened for: changes only. Opening and reading (a build reads every seed)
are left out, so the kernel does not even report them."""


def editor_temp(name: str) -> bool:
    """A file editors write beside the one being saved, never an input."""
    return (
        name.endswith("~")
        or name.startswith(".#")
        or name == "4913"
        or posixpath.splitext(name)[1] in (".swp", ".swx", ".swo")
    )


@dataclass(frozen=True)
class Inputs:
    """Where a build's inputs are, from briefgen.yml (read when it changes, not per poll)."""

    root: Path
    """The site root, absolute."""
    seeds_dir: str = "seeds"
    """The seeds folder relative to the root, normalised ('seeds', 'data/seeds')."""
    site_dir: str = "site"
    """The folder served."""
    register: str = "register.yml"
    """The register file relative to the root."""

    @classmethod
    def read(cls, root: Path) -> Inputs:
        """The folders briefgen.yml names; the defaults while it does not load (the
        build reports why)."""
        root = root.absolute()
        try:
            config = read_config(root)
        except BriefgenError:
            return cls(root)
        seeds = posixpath.normpath(Path(config.seeds_dir).as_posix())
        register = posixpath.normpath(Path(config.register).as_posix())
        return cls(root, seeds, config.site_dir, register)

    def relevant(self, rel: str) -> bool:
        """Whether a change at `rel` (relative to the root, '/'-separated) can change a
        build: briefgen.yml, the register, a seed or sidecar, a template, a catalog in
        locales/, or a folder on the way to the seeds or templates (created, removed or
        renamed)."""
        if rel in (CONFIG_FILE, self.register):
            return True
        name = posixpath.basename(rel)
        if editor_temp(name):
            return False
        for folder in (self.seeds_dir, TEMPLATES_DIR, LOCALES_DIR):
            if folder == rel or folder.startswith(rel + "/") or rel == ".":
                return True
        if rel.startswith((TEMPLATES_DIR + "/", LOCALES_DIR + "/")):
            return True
        parent = posixpath.dirname(rel) or "."
        suffix = posixpath.splitext(name)[1]
        return (
            parent == self.seeds_dir
            and not name.startswith(".")
            and suffix in (".txt", *SIDECAR_SUFFIXES)
        )

    def folders(self) -> dict[Path, bool]:
        """The folders to watch, each with whether to watch its subfolders: the root (for
        briefgen.yml and the seeds and templates folders coming and going), the seeds
        folder — or, until it exists, the deepest of its parents that does — and
        templates/."""
        watched = {self.root: False}
        seeds = Path(self.root, self.seeds_dir)
        while not seeds.is_dir() and seeds != self.root and self.root in seeds.parents:
            seeds = seeds.parent
        if seeds.is_dir() and seeds.resolve().is_relative_to(self.root.resolve()):
            watched.setdefault(seeds, False)
        for folder in (self.root / TEMPLATES_DIR, self.root / LOCALES_DIR):
            if folder.is_dir():
                watched[folder] = True
        return watched


class Watcher(Protocol):
    """Reports changed inputs in batches."""

    how: str
    """How it watches, for the terminal."""

    def wait(self) -> set[str]:
        """Block until inputs change; the paths that did (relative to the root)."""

    def follow(self, inputs: Inputs) -> None:
        """Watch `inputs` from now on (briefgen.yml moved the seeds folder, or a watched
        folder was created or removed). Raises OSError when the system refuses."""

    def close(self) -> None: ...


class Notifier(FileSystemEventHandler):
    """Changes as the operating system reports them, batched for `DEBOUNCE` seconds."""

    how = "file-system notifications"

    def __init__(self, inputs: Inputs, debounce: float = DEBOUNCE) -> None:
        self.inputs = inputs
        self.debounce = debounce
        self.changes: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.observer: BaseObserver = Observer()
        self.watches: dict[Path, tuple[ObservedWatch, bool]] = {}
        """Folder -> its watch, and whether it is recursive."""
        self.stale: set[Path] = set()
        """Watched folders removed, moved or made anew since (`rm -r seeds; git checkout
        seeds` gives a new folder, maybe with the old one's inode): watched again."""
        self.lock = threading.Lock()
        self.observer.start()
        try:
            self.follow(inputs)
        except OSError:
            self.close()
            raise

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Called on the observer's thread: queue the inputs the event touches."""
        inputs = self.inputs
        for path in (event.src_path, event.dest_path):  # dest_path: where a file moved to
            if not path:
                continue
            full = Path(os.fsdecode(path))
            if event.is_directory and event.event_type != "modified":
                with self.lock:
                    self.stale.update(
                        f for f in tuple(self.watches) if f == full or full in f.parents
                    )
            try:
                rel = full.relative_to(inputs.root).as_posix()
            except ValueError:
                continue
            if inputs.relevant(rel):
                self.changes.put(rel)

    def wait(self) -> set[str]:
        batch = {self.changes.get()}
        deadline = time.monotonic() + self.debounce
        while (left := deadline - time.monotonic()) > 0:
            try:
                batch.add(self.changes.get(timeout=left))
            except queue.Empty:
                break
        return batch

    def follow(self, inputs: Inputs) -> None:
        self.inputs = inputs
        wanted = inputs.folders()
        with self.lock:
            stale, self.stale = self.stale, set()
        for folder, (watch, recursive) in list(self.watches.items()):
            if folder in stale or wanted.get(folder) != recursive:
                with contextlib.suppress(KeyError):  # its emitter may have ended itself
                    self.observer.unschedule(watch)
                del self.watches[folder]
        for folder, recursive in wanted.items():
            if folder not in self.watches:
                watch = self.observer.schedule(
                    self, str(folder), recursive=recursive, event_filter=EVENTS
                )
                self.watches[folder] = (watch, recursive)

    def close(self) -> None:
        self.observer.stop()
        self.observer.join()


class Poller:
    """Changes found by comparing the build's input stamps every `interval` seconds."""

    how = f"polling every {POLL_INTERVAL} s"

    def __init__(self, inputs: Inputs, interval: float = POLL_INTERVAL) -> None:
        self.inputs = inputs
        self.interval = interval
        self.stamps = input_stamps(inputs.root, inputs.seeds_dir, inputs.register)

    def wait(self) -> set[str]:
        while True:
            time.sleep(self.interval)
            stamps = input_stamps(self.inputs.root, self.inputs.seeds_dir, self.inputs.register)
            changed = {
                rel
                for rel in stamps.keys() | self.stamps.keys()
                if stamps.get(rel) != self.stamps.get(rel) and self.inputs.relevant(rel)
            }
            self.stamps = stamps
            if changed:
                return changed

    def follow(self, inputs: Inputs) -> None:
        self.inputs = inputs

    def close(self) -> None:
        pass


def watcher(inputs: Inputs, *, poll: bool, debounce: float = DEBOUNCE) -> tuple[Watcher, str]:
    """A notifier, or a poller when asked for or when notifications are unavailable; and
    why it polls when it was not asked to (for the terminal; empty otherwise)."""
    if poll:
        return Poller(inputs), ""
    try:
        return Notifier(inputs, debounce), ""
    except OSError as exc:
        return Poller(inputs), f"file-system notifications unavailable ({reason(exc)}), "


def reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
