"""The `new` and `schema` commands' library side: read the seed, write the skeleton.

The skeleton's text comes from `skeleton.py` (pure); this module finds the files, refuses
to clobber an editor's sidecar, and keeps `sidecar.schema.json` beside the seeds folder so
the skeleton's `$schema` line resolves in the editor.
"""

from __future__ import annotations

import functools
import json
import posixpath
from pathlib import Path

from briefgen.commands.skeleton import sidecar_skeleton
from briefgen.output.newfiles import write_new
from briefgen.stages.config import boilerplate_patterns, key_position, read_config
from briefgen.stages.inputs import SIDECAR_SUFFIXES, SLUG_RE, label, read_text
from briefgen.stages.register import EMPTY, Register, read_register, register_schema
from briefgen.stages.seeds import Seed, parse_seed
from briefgen.stages.sidecars import sidecar_schema
from briefgen.vocabulary.errors import BriefgenError, error
from briefgen.vocabulary.urls import slugify

SCHEMA_FILE = "sidecar.schema.json"
REGISTER_SCHEMA_FILE = "register.schema.json"
"""Written beside the sidecar's schema by `briefgen schema -o`: one folder holds both."""


def schema_text() -> str:
    return json.dumps(sidecar_schema(), indent=2, ensure_ascii=False) + "\n"


def register_schema_text() -> str:
    return json.dumps(register_schema(), indent=2, ensure_ascii=False) + "\n"


def schema_files(output: str) -> dict[str, bytes]:
    """The sidecar's JSON Schema at `output` (site-relative), and the register's beside
    it, so an editor finds both where it was told to look for one."""
    beside = posixpath.join(posixpath.dirname(output), REGISTER_SCHEMA_FILE)
    return {
        output: schema_text().encode("utf-8"),
        beside: register_schema_text().encode("utf-8"),
    }


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
    register = read_register(root, config.register, key_position(config, "register"))
    files, schema = sidecar_files(root, path.with_suffix(".yml"), seed, config.language, register)
    write_new(root, files, overwrite=force)
    if schema:
        write_new(root, schema)
    return [*files, *schema]


def registered(register: Register, name: str) -> tuple[str, str] | None:
    """The register entry (id, name) `name` is a spelling of, for the skeleton's marks."""
    ident = register.resolve(name)
    return (ident, register.entry(ident).name) if ident else None


def sidecar_files(
    root: Path, sidecar: Path, seed: Seed, language: str = "", register: Register = EMPTY
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The skeleton sidecar of `seed` at `sidecar`, and `sidecar.schema.json` when the site
    has none yet (site-relative name to bytes; `briefgen import` writes the same).
    `language` is the site's, for when the seed's words do not tell theirs."""
    schema_ref = posixpath.relpath(SCHEMA_FILE, label(root, sidecar.parent))
    spellings = [
        (spelling, ident, entry.name)
        for ident, entry in register.entries.items()
        for spelling in (entry.name, *entry.aliases)
    ]
    skeleton = sidecar_skeleton(
        seed, schema_ref, language, functools.partial(registered, register), spellings
    )
    files = {label(root, sidecar): skeleton.encode("utf-8")}
    schema = {} if (root / SCHEMA_FILE).exists() else {SCHEMA_FILE: schema_text().encode("utf-8")}
    return files, schema
