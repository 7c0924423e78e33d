"""The pipeline, top to bottom: gather, parse, verify, generate, render, write.

Every stage before writing is pure and collects diagnostics rather than stopping, so one
run reports every problem of every file. Nothing is written unless all of it succeeded.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .config import Config, read_config, with_site_url
from .errors import BriefgenError, Diagnostic, Severity
from .generate import briefing_markdown
from .inputs import SeedFiles, gather
from .render import load_theme, render_site
from .seeds import parse_seed
from .sidecars import advisories, parse_sidecar
from .verify import Briefing, speaker_variants, verify
from .writer import check_output_dir, write_outputs

log = logging.getLogger("briefgen")
TEMPLATES_DIR = "templates"


@dataclass
class BuildResult:
    """What a build produced and what it had to say."""

    config: Config
    briefings: list[Briefing]
    """Briefings built (drafts only with drafts=True)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Warnings (errors raise instead)."""
    content: dict[str, bytes] = field(default_factory=dict)
    """content/ files by relative path."""
    site: dict[str, bytes] = field(default_factory=dict)
    """site/ files by relative path."""
    seconds: float = 0.0

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    @property
    def quotes_verified(self) -> int:
        return sum(1 for b in self.briefings for q in b.quotes if q.verified)

    @property
    def quotes_unverified(self) -> int:
        return sum(b.unverified for b in self.briefings)

    def summary(self, verb: str = "built") -> str:
        """One line for the terminal: what was built, what was checked, how long it took."""
        n = len(self.briefings)
        return (
            f"{verb} {n} briefing{'s' if n != 1 else ''}: {self.quotes_verified} quotes "
            f"verified, {self.quotes_unverified} unverified, {len(self.warnings)} "
            f"warning{'s' if len(self.warnings) != 1 else ''} ({self.seconds:.2f} s)"
        )


@dataclass
class BuildCache:
    """Stages 1-3 of the last build, keyed by their inputs, for `serve`'s rebuilds.

    A seed whose text, sidecar and relevant settings are unchanged is not parsed or
    verified again; everything after (Markdown, HTML) is redone, which is cheap.
    """

    entries: dict[tuple[object, ...], tuple[Briefing | None, list[Diagnostic]]] = field(
        default_factory=dict
    )


def load_briefing(files: SeedFiles, config: Config) -> tuple[Briefing | None, list[Diagnostic]]:
    """Stages 1-3 for one seed: parse seed, parse sidecar, verify one against the other."""
    seed, diagnostics = parse_seed(files.seed_path, files.slug, files.seed_text, config.boilerplate)
    sidecar, problems = parse_sidecar(files.sidecar_path, files.sidecar_text)
    diagnostics += problems
    if seed is None or sidecar is None:
        return None, diagnostics
    briefing, problems = verify(seed, sidecar, files.sidecar_path, config.reproduce)
    return briefing, diagnostics + problems + advisories(files.sidecar_path, sidecar)


Progress = Callable[[str, int, int], None]
"""Told (stage, done, total) as a build advances; the CLI shows it for slow builds."""


def no_progress(stage: str, done: int, total: int) -> None:
    del stage, done, total


def load_briefings(
    root: Path,
    config: Config,
    drafts: bool,
    cache: BuildCache | None = None,
    progress: Progress = no_progress,
) -> tuple[list[Briefing], list[Diagnostic]]:
    """Stages 1-3 for every seed, plus the checks that compare briefings."""
    found, diagnostics = gather(root, config.seeds_dir)
    briefings: list[Briefing] = []
    used: dict[tuple[object, ...], tuple[Briefing | None, list[Diagnostic]]] = {}
    for done, files in enumerate(found, start=1):
        progress("verifying", done, len(found))
        key = (files, config.boilerplate, config.reproduce)
        if cache is not None and key in cache.entries:
            briefing, problems = cache.entries[key]
        else:
            briefing, problems = load_briefing(files, config)
        used[key] = (briefing, problems)
        diagnostics += problems
        if briefing is not None and (drafts or not briefing.draft):
            briefings.append(briefing)
    if cache is not None:
        cache.entries = used
    return briefings, diagnostics + speaker_variants(briefings)


def build(
    root: Path,
    *,
    drafts: bool = False,
    write: bool = True,
    strict: bool = False,
    site_url: str | None = None,
    clean: bool = False,
    cache: BuildCache | None = None,
    progress: Progress = no_progress,
) -> BuildResult:
    """Build the site under `root`; raises BriefgenError with every problem found."""
    started = time.perf_counter()
    config = read_config(root)
    if site_url:
        config = with_site_url(config, site_url)
    outputs = {"content_dir": config.content_dir, "site_dir": config.site_dir}
    for key, name in outputs.items():
        others = {k: v for k, v in outputs.items() if k != key}
        protected = {"seeds_dir": config.seeds_dir, "templates": TEMPLATES_DIR, **others}
        check_output_dir(root, name, key, protected, clean=clean or not write)

    briefings, diagnostics = load_briefings(root, config, drafts, cache, progress)
    if strict:
        diagnostics = [
            replace(d, severity=Severity.ERROR) if d.severity is Severity.WARNING else d
            for d in diagnostics
        ]
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise BriefgenError(diagnostics)

    markdown = {b.slug: briefing_markdown(b) for b in briefings}
    theme = load_theme(root / TEMPLATES_DIR)
    site = render_site(briefings, markdown, config, theme, progress)
    content = {f"{slug}.md": text.encode("utf-8") for slug, text in sorted(markdown.items())}

    if write:
        write_outputs({root / config.content_dir: content, root / config.site_dir: site})
    result = BuildResult(config, briefings, diagnostics, content, site)
    result.seconds = time.perf_counter() - started
    return result
