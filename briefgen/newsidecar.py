"""The `new` and `schema` commands' library side: read the seed, write the skeleton.

The skeleton's text comes from `skeleton.py` (pure); this module finds the files, refuses
to clobber an editor's sidecar, and keeps `sidecar.schema.json` beside the seeds folder so
the skeleton's `$schema` line resolves in the editor.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

from .config import boilerplate_patterns, read_config
from .errors import BriefgenError, error
from .inputs import SIDECAR_SUFFIXES, SLUG_RE, label, read_text
from .newfiles import write_new
from .seeds import Seed, parse_seed
from .sidecars import sidecar_schema
from .skeleton import sidecar_skeleton
from .urls import slugify

SCHEMA_FILE = "sidecar.schema.json"


def schema_text() -> str:
    return json.dumps(sidecar_schema(), indent=2, ensure_ascii=False) + "\n"


def new_sidecar(root: Path, seed_path: Path, *, force: bool) -> list[str]:
    """Write `<slug>.yml` beside the seed; returns the files written (site-relative)."""
    config = read_config(root)
    path = seed_path if seed_path.is_absolute() else root / seed_path
    shown = label(root, path)
    if path.suffix != ".txt" or not path.is_file():
        raise BriefgenError([error(shown, 0, 0, "not a seed file", "pass seeds/<slug>.txt")])
    slug = path.stem
    if not SLUG_RE.fullmatch(slug):
        hint = f"rename it to {slugify(slug)}.txt"
        raise BriefgenError([error(shown, 0, 0, f"'{slug}' is not a valid slug", hint)])
    existing = [path.with_suffix(s) for s in SIDECAR_SUFFIXES if path.with_suffix(s).exists()]
    if existing and not force:
        where = label(root, existing[0])
        raise BriefgenError(
            [
                error(
                    where,
                    0,
                    0,
                    "sidecar already exists; not overwritten",
                    "pass --force to replace it",
                )
            ]
        )
    text, problems = read_text(root, path)
    if text is None:
        raise BriefgenError(problems)
    seed, problems = parse_seed(
        shown,
        slug,
        text,
        boilerplate_patterns(config),
        language=config.language,
        off=config.boilerplate_off,
    )
    if seed is None:
        raise BriefgenError(problems)
    files, schema = sidecar_files(root, path.with_suffix(".yml"), seed, config.language)
    write_new(root, files, overwrite=force)
    if schema:
        write_new(root, schema)
    return [*files, *schema]


def sidecar_files(
    root: Path, sidecar: Path, seed: Seed, language: str = ""
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The skeleton sidecar of `seed` at `sidecar`, and `sidecar.schema.json` when the site
    has none yet (site-relative name to bytes; `briefgen import` writes the same).
    `language` is the site's, for when the seed's words do not tell theirs."""
    schema_ref = posixpath.relpath(SCHEMA_FILE, label(root, sidecar.parent))
    skeleton = sidecar_skeleton(seed, schema_ref, language)
    files = {label(root, sidecar): skeleton.encode("utf-8")}
    schema = {} if (root / SCHEMA_FILE).exists() else {SCHEMA_FILE: schema_text().encode("utf-8")}
    return files, schema
