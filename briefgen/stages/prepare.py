"""Stages 2-4 for one seed: parse seed and sidecar, verify, generate Markdown and HTML.

The work that parallelises. `prepare` is a function of the seed's files and the config:
it reads the files, keys what it read (should an editor save one while the build runs,
the key still names what was built from what), and returns everything as values. The
pipeline hands the full result to the reuse store and the Markdown to the output sink;
this module writes nothing.
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

from briefgen.incremental.keys import seed_key
from briefgen.site.indexes import BriefingView, index_view
from briefgen.stages.config import Config, boilerplate_patterns, key_position
from briefgen.stages.document import build_document
from briefgen.stages.generate import briefing_document
from briefgen.stages.inputs import Raw, SeedFiles, gather
from briefgen.stages.markdown import render_summary
from briefgen.stages.pagehtml import briefing_html
from briefgen.stages.register import (
    EMPTY,
    Register,
    apply,
    read_register,
    speaker_hint,
    unregistered_speakers,
)
from briefgen.stages.seeds import parse_seed
from briefgen.stages.sidecars import advisories, parse_sidecar
from briefgen.stages.verify import Briefing, speaker_variants, verify
from briefgen.vocabulary.errors import Diagnostic, Severity
from briefgen.vocabulary.hashing import content_hash
from briefgen.vocabulary.labels import ENGLISH, Labels


@dataclass(frozen=True, slots=True)
class Prepared:
    """One seed taken through stages 2-4, as the store keeps it to render its page."""

    briefing: Briefing
    markdown: str
    """content/<slug>.md."""
    html: str
    """The Markdown rendered: the body of the briefing page."""


@dataclass(frozen=True)
class Entry:
    """What a build keeps in memory of one seed, however large the archive grows.

    Not slotted, as BriefingView is not: pickle restores a frozen slotted dataclass
    through dataclasses' own `__setstate__`, a Python call per object that looks up
    the fields each time (0.3 s of reading 10,000 entries back), and an instance
    dictionary through one C update.
    """

    briefing: BriefingView | None
    """Its index view (indexes.index_view); None when the seed or its sidecar has errors."""
    diagnostics: list[Diagnostic]
    summary_html: str = ""
    """The summary as index pages and the feed show it."""
    stored_hash: str = ""
    """Content hash of the stored Prepared: it is used only if it still hashes so (it is
    read only to render the seed's page or write its Markdown, and then checked)."""


@dataclass(frozen=True, slots=True)
class Made:
    """What preparing one seed gives back: its key, its Entry, and what is to be kept."""

    key: str
    entry: Entry
    data: bytes = b""
    """The Prepared, pickled for the store ("" when the seed has errors)."""
    markdown: bytes | None = None
    """content/<slug>.md, when the seed is published."""


def published(briefing: Briefing | None, drafts: bool) -> TypeGuard[Briefing]:
    """Whether a seed makes a page: it built, and it is no draft (or drafts are built)."""
    return briefing is not None and (drafts or not briefing.draft)


def load_briefing(
    files: SeedFiles,
    config: Config,
    raw: tuple[Raw, Raw] | None = None,
    register: Register = EMPTY,
) -> tuple[Briefing | None, list[Diagnostic]]:
    """Stages 2-3 for one seed: parse seed, parse sidecar, verify one against the other,
    and complete it from the register (register.apply)."""
    seed_text, sidecar_text, diagnostics = files.texts(raw or files.raw())
    if seed_text is None or sidecar_text is None:
        return None, diagnostics
    # The sidecar first: its article.language reads an ambiguous date line (03/04/2020).
    sidecar, sidecar_problems = parse_sidecar(files.sidecar_path, sidecar_text)
    language = (sidecar and sidecar.article.language) or config.language
    seed, problems = parse_seed(
        files.seed_path,
        files.slug,
        seed_text,
        boilerplate_patterns(config),
        language=language,
        off=config.boilerplate_off,
    )
    diagnostics += problems + sidecar_problems
    if seed is None or sidecar is None:
        return None, diagnostics
    briefing, problems = verify(
        seed, sidecar, files.sidecar_path, config.reproduce, config.language
    )
    if briefing is not None:
        briefing, found = apply(briefing, register)
        problems += found
        if any(d.severity is Severity.ERROR for d in found):
            briefing = None
    return briefing, diagnostics + problems + advisories(files.sidecar_path, sidecar)


def key_settings(config: Config, labels: Labels = ENGLISH) -> str:
    """The settings that shape stages 2-4, part of every seed's content key (the
    language reads ambiguous date lines; the labels are the Markdown's own words)."""
    settings = (config.boilerplate, config.reproduce, config.language, config.boilerplate_off)
    if labels is ENGLISH:
        return repr(settings)
    return repr((*settings, labels.digest))


def trust_settings(config: Config, register: Register, labels: Labels = ENGLISH) -> str:
    """What a seed's key trusted from its stamps alone was made under: the settings and
    the whole register (after a register edit, seeds are keyed again, each by its part)."""
    return key_settings(config, labels) + register.digest


def content_key(
    files: SeedFiles,
    config: Config,
    raw: tuple[Raw, Raw],
    register: Register = EMPTY,
    labels: Labels = ENGLISH,
) -> str:
    """A seed's key: its files, the settings, and the register entries its sidecar names."""
    sidecar = raw[1].decode("utf-8", "replace") if isinstance(raw[1], bytes) else ""
    settings = key_settings(config, labels) + register.part(sidecar)
    return seed_key(files.seed_path, raw[0], files.sidecar_path, raw[1], settings)


def prepare(
    files: SeedFiles,
    config: Config,
    drafts: bool,
    register: Register = EMPTY,
    labels: Labels = ENGLISH,
) -> Made:
    """Stages 2-4 for one seed and its body HTML, keyed by what was read; the Markdown
    and its notes' links in the site's words (`labels`)."""
    raw = files.raw()
    key = content_key(files, config, raw, register, labels)
    briefing, diagnostics = load_briefing(files, config, raw, register)
    if briefing is None:
        return Made(key, Entry(None, diagnostics))
    document = build_document(briefing, labels, register)
    markdown, _ = briefing_document(briefing, document)
    data = pickle.dumps(
        Prepared(briefing, markdown, briefing_html(briefing, document)),
        protocol=pickle.HIGHEST_PROTOCOL,
    )
    summary = render_summary(briefing.sidecar.summary)
    entry = Entry(index_view(briefing, key), diagnostics, summary, content_hash(data))
    text = markdown.encode("utf-8") if published(briefing, drafts) else None
    return Made(key, entry, data, text)


def load_briefings(
    root: Path, config: Config, drafts: bool
) -> tuple[list[Briefing], list[Diagnostic]]:
    """Stages 2-3 for every seed, plus the checks that compare briefings (MkDocs plugin)."""
    found, diagnostics = gather(root, config.seeds_dir, key_position(config, "seeds_dir"))
    register = site_register(root, config)
    briefings: list[Briefing] = []
    for files in found:
        briefing, problems = load_briefing(files, config, register=register)
        diagnostics += problems
        if published(briefing, drafts):
            briefings.append(briefing)
    return briefings, diagnostics + variants(briefings, register)


def site_register(root: Path, config: Config) -> Register:
    """The register the site's briefgen.yml names (or register.yml, if it exists)."""
    return read_register(root, config.register, key_position(config, "register"))


def variants(briefings: Sequence[Briefing], register: Register) -> list[Diagnostic]:
    """The cross-briefing checks of speakers' names: one person spelled two ways."""
    hint = functools.partial(speaker_hint, register)
    return speaker_variants(briefings, hint) + unregistered_speakers(briefings, register)
