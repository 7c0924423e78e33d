"""The one module that writes to disk: generated folders, swapped in whole or not at all.

A build renders everything in memory first; only then are `content/` and `site/` written,
each into a fresh sibling folder that replaces the old one by rename. A build that fails
(or is interrupted) before the swap leaves the previous output exactly as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from .errors import BriefgenError, error

STAGING = ".briefgen-new-"
RETIRED = ".briefgen-old-"


def check_output_dir(root: Path, name: str, key: str, protected: Mapping[str, str]) -> None:
    """Refuse output folders whose replacement would destroy the editor's own files."""
    target = (root / name).resolve()
    site_root = root.resolve()
    problem = ""
    if target == site_root or target in site_root.parents:
        problem = "is the site root or a folder above it"
    for other_key, other in protected.items():
        other_path = (root / other).resolve()
        if (
            target == other_path
            or other_path.is_relative_to(target)
            or target.is_relative_to(other_path)
        ):
            problem = f"overlaps {other_key} ({other})"
    if problem:
        raise BriefgenError(
            [
                error(
                    "briefgen.yml",
                    0,
                    0,
                    f"{key} '{name}' {problem}; briefgen replaces that folder whole",
                )
            ]
        )


def stage(target: Path, files: Mapping[str, bytes]) -> Path:
    """Write `files` into a new folder beside `target`; returns the folder."""
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f"{STAGING}{target.name}-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    for rel, data in sorted(files.items()):
        path = staging / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return staging


def swap(staging: Path, target: Path) -> None:
    """Put `staging` in place of `target`, removing the old folder afterwards."""
    retired = target.parent / f"{RETIRED}{target.name}-{os.getpid()}"
    if target.exists():
        os.replace(target, retired)
    os.replace(staging, target)
    if retired.exists():
        shutil.rmtree(retired)


def clean_leftovers(target: Path) -> None:
    """Remove staging folders a killed build left beside `target`."""
    if not target.parent.is_dir():
        return
    for path in target.parent.glob(f".briefgen-*-{target.name}-*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def write_new(target: Path, files: Mapping[str, bytes]) -> None:
    """Create files that must not exist yet (scaffolds): refuses before writing any."""
    clashes = [rel for rel in sorted(files) if (target / rel).exists()]
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


def write_outputs(outputs: Mapping[Path, Mapping[str, bytes]]) -> None:
    """Stage every output folder, then swap them all in: nothing changes until all are written."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, files in outputs.items():
            clean_leftovers(target)
            staged.append((stage(target, files), target))
    except BaseException:
        for staging, _ in staged:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    for staging, target in staged:
        swap(staging, target)
