"""Content keys: what names a seed's prepared result, whoever made it and wherever.

A key hashes the seed's and sidecar's bytes, their paths, the settings that shape
stages 2-4 and the code itself, so a result is reused exactly when remaking it would
give the same. Pure: the caller reads the files.
"""

from __future__ import annotations

import functools
import hashlib
import sys
from pathlib import Path

from briefgen import __version__
from briefgen.vocabulary.hashing import digest

FORMAT = "6"
"""Bumped when what the cache holds changes shape."""

CACHE_DIR = ".briefgen_cache"
"""The build cache's folder, at the site root (never in site/)."""


@functools.cache
def code_version() -> str:
    """briefgen's version plus a hash of its own code, built-in catalogs and theme files.

    A released version's code never changes, but a developer's checkout does: the hash
    keeps a cache made by other code from being trusted. It hashes the files' bytes,
    not their stamps: pip gives every file it installs a new mtime, so a cache restored
    in CI after a fresh install of the same version (or a fresh checkout) still holds.
    """
    package = Path(__file__).resolve().parents[1]
    theme = package / "templates"
    if not theme.is_dir():  # a source checkout: the theme is the top-level templates/
        theme = package.parent / "templates"
    files = sorted(package.rglob("*")) + sorted(theme.rglob("*"))
    h = hashlib.sha256()
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            h.update(
                digest(path.relative_to(package.parent).as_posix(), path.read_bytes()).encode()
            )
    return __version__ + ":" + h.hexdigest()[:16]


def environment_key() -> str:
    """Part of every options hash: a cache made by another Python is not trusted."""
    return f"python {sys.version_info[0]}.{sys.version_info[1]}"


def seed_key(
    seed_path: str,
    seed: bytes | int | str,
    sidecar_path: str,
    sidecar: bytes | int | str,
    settings: str,
) -> str:
    """The content key of one seed's stages 2-4: a hash of both files' bytes (or of the
    size of one too large to read, or of why one could not be read), their paths, the
    settings and the code."""
    parts = [
        b"B" + part if isinstance(part, bytes) else f"{type(part).__name__}:{part}".encode()
        for part in (seed, sidecar)
    ]
    return digest(FORMAT, code_version(), seed_path, parts[0], sidecar_path, parts[1], settings)
