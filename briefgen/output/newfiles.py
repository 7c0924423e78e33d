"""Files a command creates once (a new site, a sidecar, an imported seed): never over
another file unless asked. The output side's one way to write outside a build."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from briefgen.vocabulary.errors import BriefgenError, error


def made_folder(path: Path) -> Path:
    """A folder a command writes into, made if missing."""
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_new(target: Path, files: Mapping[str, bytes], *, overwrite: bool = False) -> None:
    """Create files that must not exist yet (scaffolds): refuses before writing any.

    `overwrite` (the commands' --force) replaces existing files instead.
    """
    clashes = [] if overwrite else [rel for rel in sorted(files) if (target / rel).exists()]
    if clashes:
        raise BriefgenError(
            [
                error(str(target / rel), 0, 0, "already exists; briefgen will not overwrite it")
                for rel in clashes
            ]
        )
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
