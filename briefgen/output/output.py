"""Where everything a build writes goes: an output sink, passed into the pipeline.

Stages and rendering make values; the pipeline (and the render workers it forks) hand
each file to the sink as it is made, so a site of any size is never held in memory
whole. `StagingSink` streams them into staging folders beside site/ and content/
(reusing the spare generation kept in the cache) and swaps both in at `commit`, or
removes them at `abort`: a failed build leaves the previous output intact.
`DiscardSink` is `briefgen check`'s: the same pipeline, nothing written.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from briefgen.output.writer import MARKER, MARKER_TEXT, Staging, write_file
from briefgen.vocabulary.hashing import content_hash, file_hash

SITE = "site_dir"
CONTENT = "content_dir"
"""The two output folders, by the config key that names them."""


class DiscardSink:
    """Takes every file and keeps none: for `check`, which validates and writes nothing."""

    def write(self, kind: str, rel: str, data: bytes | Path) -> None:
        """One file of an output folder: new bytes, or a previous build's file to carry."""
        del kind, rel, data

    def holds(self, kind: str, rel: str, fingerprint: str) -> list[int] | None:
        """The staged file's stamp if the staged folder already has this file, made from
        the same inputs as far as its stamp tells (writer.Staging.holds); else None."""
        del kind, rel, fingerprint
        return None

    def kept_spare(self, kind: str) -> tuple[str, Mapping[str, Sequence[Any]]] | None:
        """The staged folder of a kind and the files recorded for it, when it is the kept
        generation reused (the entries `holds` checks against); else None."""
        del kind
        return None

    def stamps(self, kind: str) -> Mapping[str, Sequence[int]]:
        """The kept generation's files' stamps (hashing.found_stamp), as far as another
        process took them while listing it (writer.Staging.listed_stamps); a file not
        there is stat'ed by whoever asks."""
        del kind
        return {}

    def staged(self, kind: str, rel: str) -> Path | None:
        """Where a staged file is (to check its hash), None when nothing is staged."""
        del kind, rel
        return None

    def prune(self, kind: str, wanted: Container[str]) -> None:
        """Drop what the staged folder holds beyond `wanted`."""
        del kind, wanted

    def commit(self) -> list[str]:
        """Put the output in place; returns the kinds whose old generation was kept."""
        return []

    def clone(self, kinds: Sequence[str]) -> Callable[[], list[str]]:
        """After `commit`: make these kinds' kept generation a copy of hard links of the
        new one (writer.Staging.clone); returns a call that waits for the copies and
        gives the kinds it could copy (once asked, the same each time)."""
        del kinds
        return list

    def abort(self) -> None:
        """Remove whatever was staged; the previous output stays."""

    def wait(self) -> None:
        """Until background removals of old generations are done."""

    def __enter__(self) -> DiscardSink:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.abort()


class StagingSink(DiscardSink):
    """site/ and content/ staged file by file, swapped in together (see writer.Staging)."""

    def __init__(
        self,
        targets: Mapping[str, Path],
        keep: Mapping[str, Path | None],
        spares: Mapping[str, Any],
        journal: Path | None,
        list_apart: int | None = None,
    ) -> None:
        """`targets`: kind -> the output folder; `keep`: kind -> where its retired
        generation is kept (None: deleted); `spares`: kind -> the files recorded for the
        kept generation; `journal`: where the swap is recorded while it is made;
        `list_apart`: see writer.Staging."""
        self.targets = dict(targets)
        by_path = {self.targets[kind]: keep.get(kind) for kind in self.targets}
        recorded = {self.targets[k]: v for k, v in spares.items() if k in self.targets}
        self.staging = Staging(by_path, recorded, journal, list_apart)
        try:
            for kind in self.targets:
                out = self.folder(kind)
                if file_hash(out / MARKER) != content_hash(MARKER_TEXT):  # reused, damaged
                    write_file(out, MARKER, MARKER_TEXT)
        except BaseException:
            self.abort()
            raise

    def folder(self, kind: str) -> Path:
        return self.staging.folder(self.targets[kind])

    def write(self, kind: str, rel: str, data: bytes | Path) -> None:
        write_file(self.folder(kind), rel, data)

    def holds(self, kind: str, rel: str, fingerprint: str) -> list[int] | None:
        return self.staging.holds(self.targets[kind], rel, fingerprint)

    def kept_spare(self, kind: str) -> tuple[str, Mapping[str, Sequence[Any]]] | None:
        return self.staging.kept_spare(self.targets[kind])

    def stamps(self, kind: str) -> Mapping[str, Sequence[int]]:
        return self.staging.listed_stamps(self.targets[kind])

    def staged(self, kind: str, rel: str) -> Path | None:
        return self.folder(kind) / rel

    def prune(self, kind: str, wanted: Container[str]) -> None:
        self.staging.prune(self.targets[kind], wanted)

    def commit(self) -> list[str]:
        kept = set(self.staging.commit())
        return [kind for kind, path in self.targets.items() if path in kept]

    def clone(self, kinds: Sequence[str]) -> Callable[[], list[str]]:
        copies: list[tuple[str, Callable[[], bool]]] = []
        try:
            for kind in kinds:
                copies.append((kind, self.staging.clone(self.targets[kind])))
        except BaseException:  # Ctrl-C: no child started goes on after the build
            for _, whole in copies:
                whole()
            raise
        made: list[str] | None = None

        def cloned() -> list[str]:
            nonlocal made
            if made is None:
                made = [kind for kind, whole in copies if whole()]
            return made

        return cloned

    def abort(self) -> None:
        self.staging.abort()

    def wait(self) -> None:
        self.staging.wait()
