"""Stage 1 of the pipeline (gather): which seeds and sidecars exist, and their text.

This is the reading edge of the pipeline: it pairs `seeds/<slug>.txt` with its sidecar,
checks file names, and decodes bytes with located errors. Everything after it works on
strings.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from briefgen.vocabulary.errors import Diagnostic, error, warning
from briefgen.vocabulary.hashing import stamp
from briefgen.vocabulary.urls import slugify

CONFIG_FILE = "briefgen.yml"
"""The site's settings, at its root: what marks a folder as a briefgen site."""
TEMPLATES_DIR = "templates"
"""The site's own templates and assets, overriding the theme's file by file."""
LOCALES_DIR = "locales"
"""A site's own catalogs: `locales/<language>.po` beside briefgen.yml."""

SLUG_RE = re.compile(r"[a-z0-9-]+")
SIDECAR_SUFFIXES = (".yml", ".yaml")
MAX_INPUT_BYTES = 4 * 2**20
"""Seeds and sidecars are text an editor wrote or pasted: 4 MiB is far beyond any article."""


@dataclass(frozen=True)
class SeedFiles:
    """A seed and its sidecar as found on disk (not their text: a build of 10,000 seeds
    reads each where it is parsed, rather than holding them all)."""

    root: Path
    slug: str
    seed_path: str
    """Path relative to the site root, for messages."""
    sidecar_path: str

    def raw(self) -> tuple[Raw, Raw]:
        """Both files' bytes, for their content key (the size of one too large to read)."""
        return raw_bytes(self.root / self.seed_path), raw_bytes(self.root / self.sidecar_path)

    def texts(self, raw: tuple[Raw, Raw]) -> tuple[str | None, str | None, list[Diagnostic]]:
        """Both files' text, decoded from `raw`, with every problem located."""
        seed_text, problems = checked_text(self.seed_path, raw[0])
        sidecar_text, more = checked_text(self.sidecar_path, raw[1])
        return seed_text, sidecar_text, problems + more


Raw = bytes | int | str
"""A file's bytes; its size when it is too large to be a seed or sidecar; or why it could
not be read (it can vanish or lose its permissions while a build runs)."""


def raw_bytes(path: Path) -> Raw:
    try:
        size = path.stat().st_size
        return size if size > MAX_INPUT_BYTES else path.read_bytes()
    except OSError as exc:
        return exc.strerror or type(exc).__name__


def decode(label: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text (BOM dropped), or an error naming the line, column and byte offset."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff"), []
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before[before.rfind(b"\n") + 1 :].removeprefix(b"\xef\xbb\xbf")
        col = len(line_start.decode("utf-8", "replace")) + 1
        message = f"not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start}"
        hint = "save the file as UTF-8 (most editors: 'Save with encoding')"
        return None, [error(label, line, col, message, hint)]


def read_text(root: Path, path: Path) -> tuple[str | None, list[Diagnostic]]:
    """A seed or sidecar's text; refuses files too large to be one (a pasted binary)."""
    return checked_text(label(root, path), raw_bytes(path))


def checked_text(where: str, data: Raw) -> tuple[str | None, list[Diagnostic]]:
    """The text of a file's bytes, or located errors (too large, not UTF-8, NUL bytes)."""
    if isinstance(data, int):
        limit = MAX_INPUT_BYTES // 2**20
        return None, [error(where, 0, 0, f"file is {data:,} bytes; the limit is {limit} MiB")]
    if isinstance(data, str):
        return None, [error(where, 0, 0, f"cannot be read: {data}")]
    text, problems = decode(where, data)
    if text is not None and "\0" in text:
        before = text[: text.index("\0")]
        line, col = before.count("\n") + 1, len(before) - before.rfind("\n")
        return None, [error(where, line, col, "NUL byte in text (is this a binary file?)")]
    return text, problems


def label(root: Path, path: Path) -> str:
    """A path as the editor would type it from the site root."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def gather(
    root: Path, seeds_dir: str, where: tuple[int, int] = (0, 0)
) -> tuple[list[SeedFiles], list[Diagnostic]]:
    """Every seed with its sidecar, sorted by slug, and every problem with the file set.

    `where` is the position of `seeds_dir` in briefgen.yml, for the error that refuses
    a seeds folder outside the site.
    """
    folder = root / seeds_dir
    site_root = root.resolve()
    if not folder.resolve().is_relative_to(site_root):
        message = f"seeds_dir '{seeds_dir}' is outside the site root (through '..' or a symlink)"
        return [], [error(CONFIG_FILE, *where, message)]
    if not folder.is_dir():
        return [], [
            error(
                seeds_dir,
                0,
                0,
                "seeds folder not found",
                f"create {seeds_dir}/ with <slug>.txt seeds",
            )
        ]
    diagnostics: list[Diagnostic] = []
    seeds: dict[str, str] = {}
    refused: set[str] = set()
    """Slugs of files refused above: their partner's complaint would only repeat it."""
    sidecars: dict[str, list[str]] = {}
    """By slug, the sidecars' file names (names, not Paths: 20,000 Paths were most of it)."""
    prefix = "" if label(root, folder) == "." else label(root, folder) + "/"
    with os.scandir(folder) as scan:
        listing = sorted((entry.name, entry.is_symlink(), entry.is_file()) for entry in scan)
    for name, symlink, is_file in listing:
        if not is_file or name.startswith("."):
            continue
        stem, dot, extension = name.rpartition(".")  # os.path.splitext, for a name
        stem, suffix = (stem, dot + extension) if dot else (name, "")  # not starting "."
        # The folder is inside the site (checked above): only a symlink can lead out.
        if symlink and not (folder / name).resolve().is_relative_to(site_root):
            refused.add(stem)
            diagnostics.append(
                error(prefix + name, 0, 0, "symlink to a file outside the site root; not followed")
            )
            continue
        if suffix not in (".txt", *SIDECAR_SUFFIXES):
            continue
        if not SLUG_RE.fullmatch(stem):
            diagnostics.append(
                error(
                    prefix + name,
                    0,
                    0,
                    f"'{stem}' is not a valid slug: use lowercase letters, digits and hyphens",
                    f"rename it to {slugify(stem)}{suffix}",
                )
            )
            continue
        if suffix == ".txt":
            seeds[stem] = name
        else:
            sidecars.setdefault(stem, []).append(name)
    found: list[SeedFiles] = []
    for slug, paths in sorted(sidecars.items()):
        if len(paths) > 1:
            diagnostics.append(
                error(
                    prefix + paths[1],
                    0,
                    0,
                    f"two sidecars for '{slug}'",
                    f"keep one of {' and '.join(paths)}",
                )
            )
        if slug not in seeds and slug not in refused:
            diagnostics.append(
                error(
                    prefix + paths[0],
                    1,
                    1,
                    f"sidecar has no seed: {seeds_dir}/{slug}.txt does not exist",
                    "its briefing would silently go unpublished: add the seed or rename "
                    "the sidecar",
                )
            )
    for slug, seed_name in sorted(seeds.items()):
        if slug not in sidecars:
            diagnostics.append(
                warning(
                    prefix + seed_name,
                    0,
                    0,
                    "seed has no sidecar; skipped",
                    f"write {seeds_dir}/{slug}.yml (briefgen new {seeds_dir}/{slug}.txt)",
                )
            )
            continue
        found.append(SeedFiles(root, slug, prefix + seed_name, prefix + sidecars[slug][0]))
    return found, diagnostics


def input_stamps(
    root: Path, seeds_dir: str, register: str = "register.yml"
) -> dict[str, list[int] | None]:
    """(size, mtime) of every file a build reads: config, register, seeds and sidecars,
    templates, the site's own catalogs.

    The no-op check compares them with the last build's, so this runs on every build:
    the seeds folder is scanned once rather than stat'ed path by path. `serve --poll`
    compares them too, to find what changed.
    """
    found: dict[str, list[int] | None] = {}
    if (root / CONFIG_FILE).is_file():
        found[CONFIG_FILE] = stamp(root / CONFIG_FILE)
    if (root / register).is_file():
        found[register] = stamp(root / register)
    seeds = root / seeds_dir
    if seeds.is_dir():
        prefix = seeds.relative_to(root).as_posix()
        with os.scandir(seeds) as scan:
            for entry in scan:
                if entry.is_file():
                    found[f"{prefix}/{entry.name}"] = stamp(entry.path)
    for folder in (root / TEMPLATES_DIR, root / LOCALES_DIR):
        for path in files_under(folder, root):
            found[path.relative_to(root).as_posix()] = stamp(path)
    return dict(sorted(found.items()))


def files_under(folder: Path, boundary: Path) -> list[Path]:
    """Every file under `folder`, sorted, through symlinked folders too as long as they
    stay inside `boundary`, each real folder once (a link loop ends there).

    What a template or catalog folder holds: Jinja loads `templates/inc/foot.html`
    through a symlinked `inc/`, so it is an input like any other. (Path.rglob does not
    follow such links, and an edit there went unseen.)"""
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    inside = boundary.resolve()
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            st = os.stat(current)
            if (st.st_dev, st.st_ino) in seen or not current.resolve().is_relative_to(inside):
                continue
            seen.add((st.st_dev, st.st_ino))
            with os.scandir(current) as scan:
                entries = [(entry.name, entry.is_dir(), entry.is_file()) for entry in scan]
        except OSError:
            continue
        for name, is_dir, is_file in entries:
            if is_dir:
                stack.append(current / name)
            elif is_file:
                found.append(current / name)
    return sorted(found)
