"""The `briefgen` MkDocs plugin: briefings inside an existing MkDocs site.

Stages 2-4 (seeds + sidecars → verified Markdown) run inside `mkdocs build` and `mkdocs
serve` through the same functions as `briefgen build`, so a briefing reads the same in
both. The pages are added as generated files (nothing is written into docs/), with an
index, a tags page, a people page and a page per kind of the register's other entries
(groups, places): a briefing's speakers and register entries link to their headings
there, by the ids `document.markdown_link` gives them. They are in the words and dates
of the theme's catalogs for the site's language (the plugin's `language`, else MkDocs'
`theme.language`). Errors stop the build with the usual located messages; briefgen's
warnings are logged as MkDocs warnings, so `--strict` fails on them.
"""

from __future__ import annotations

import dataclasses
import logging
import typing
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config as MkDocsOptions
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from briefgen.site.indexes import build_indexes, newest_first
from briefgen.stages.boilerplate import BUILTIN_NAMES
from briefgen.stages.config import Config
from briefgen.stages.generate import briefing_markdown, escape
from briefgen.stages.markdown import CITATION_RE
from briefgen.stages.prepare import load_briefings, site_register
from briefgen.stages.register import EMPTY, FOLDERS, HEADINGS, Register
from briefgen.stages.seeds import Reproduce
from briefgen.stages.verify import Briefing
from briefgen.typedyaml.schema import Regex, language_tag
from briefgen.vocabulary.errors import BriefgenError, Severity, render
from briefgen.vocabulary.labels import ENGLISH, Labels, load_labels
from briefgen.vocabulary.urls import slugify

log = logging.getLogger("mkdocs.plugins.briefgen")
MARKDOWN_EXTENSIONS = ("footnotes", "meta", "attr_list")
"""attr_list: the people and groups pages give their headings the ids briefings link to."""


def declared(key: str) -> Any:
    """The default `Config` declares for a key: the plugin's option has the same one."""
    found = next(f for f in dataclasses.fields(Config) if f.name == key)
    return found.default


def declared_type(key: str) -> Any:
    """The type `Config` declares for a key (a Literal's choices are the option's)."""
    return typing.get_type_hints(Config)[key]


class PluginOptions(MkDocsOptions):  # type: ignore[no-untyped-call]
    """`plugins: - briefgen:` options in mkdocs.yml; the keys shared with briefgen.yml
    take their defaults and choices from `Config`'s declarations."""

    seeds_dir = c.Type(str, default=declared("seeds_dir"))
    """Folder of seeds and sidecars, relative to mkdocs.yml."""
    register = c.Type(str, default="register.yml")
    """The register of people, groups and places, relative to mkdocs.yml (if it exists)."""
    section = c.Type(str, default="Briefings")
    """Nav section title; its slug is the URL prefix (`briefings/`)."""
    reproduce = c.Choice(typing.get_args(Reproduce), default=declared("reproduce"))
    """Default for article.reproduce."""
    boilerplate = c.ListOfItems(c.Type(str), default=list(declared("boilerplate")))
    """Extra boilerplate regexes, as in briefgen.yml."""
    boilerplate_off = c.ListOfItems(
        c.Choice(BUILTIN_NAMES), default=list(declared("boilerplate_off"))
    )
    """Built-in boilerplate patterns switched off by name, as in briefgen.yml."""
    drafts = c.Type(bool, default=False)
    """Include briefings marked draft: true."""
    language = c.Optional(c.Type(str))
    """The site's language, as in briefgen.yml; unset, MkDocs' `theme.language`, else en."""
    digits = c.Choice(typing.get_args(declared_type("digits")), default=declared("digits"))
    """Digits of dates and counts, as in briefgen.yml."""


class BriefgenPlugin(BasePlugin[PluginOptions]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.briefings: list[Briefing] = []
        self.pages: dict[str, str] = {}
        self.register: Register = EMPTY
        self.labels: Labels = ENGLISH

    @property
    def prefix(self) -> str:
        return slugify(self.config.section)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        wanted = str(self.config.language or config.theme.get("language") or "en")
        language = language_tag(wanted)
        if language is None:
            raise PluginError(f"briefgen: language '{wanted}' is not a BCP 47 tag (en, fr, ar)")
        settings = Config(
            title=config.site_name,
            language=language,
            digits=self.config.digits,
            seeds_dir=self.config.seeds_dir,
            register=self.config.register,
            reproduce=typing.cast(Reproduce, self.config.reproduce),
            boilerplate=tuple(Regex(p) for p in self.config.boilerplate),
            boilerplate_off=tuple(self.config.boilerplate_off),
        )
        try:
            self.labels = load_labels(root, language, digits=settings.digits)
            self.register = site_register(root, settings)
        except BriefgenError as exc:
            raise PluginError("briefgen found errors:\n" + render(exc.diagnostics)) from None
        briefings, diagnostics = load_briefings(root, settings, self.config.drafts)
        errors = [d for d in diagnostics if d.severity is Severity.ERROR]
        if errors:
            raise PluginError("briefgen found errors:\n" + render(diagnostics))
        for warning in [*self.labels.notes, *diagnostics]:
            log.warning(warning.format())
        self.briefings = newest_first(briefings)
        self.pages = self.generate()
        for extension in MARKDOWN_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        seeds = str(root / self.config.seeds_dir)
        if seeds not in config.watch:
            config.watch.append(seeds)
        if config.nav is not None:
            config.nav.append({self.config.section: list(self.pages)})
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for src_uri, content in self.pages.items():
            files.append(File.generated(config, src_uri, content=content))
        return files

    def generate(self) -> dict[str, str]:
        """Every generated page by its path in docs/: index, tags, people, briefings."""
        p = self.prefix
        labels = self.labels
        pages = {
            f"{p}/index.md": index_page(self.config.section, self.briefings, labels),
            f"{p}/tags.md": tags_page(self.briefings, labels),
            f"{p}/people.md": people_page(self.briefings, self.register, labels),
        }
        for kind, page in entity_pages(self.briefings, self.register, labels).items():
            pages[f"{p}/{FOLDERS[kind]}.md"] = page
        for b in self.briefings:
            pages[f"{p}/{b.slug}.md"] = briefing_markdown(b, labels, register=self.register)
        return pages


def summary_line(b: Briefing) -> str:
    return " ".join(CITATION_RE.sub("", b.sidecar.summary).split())


def index_page(title: str, briefings: list[Briefing], labels: Labels = ENGLISH) -> str:
    """The section's index: each briefing's title, date (as its page writes it) and
    summary, newest first."""
    lines = [f"# {escape(title)}", ""]
    for b in briefings:
        lines += [f"## [{escape(b.title)}]({b.slug}.md)", "", f"*{labels.date(b.date)}*", ""]
        lines += [summary_line(b), ""]
    if not briefings:
        lines.append(escape(labels.gettext("No briefings yet.")))
    tags, people = escape(labels.gettext("Tags")), escape(labels.gettext("People"))
    lines += ["", f"[{tags}](tags.md) · [{people}](people.md)", ""]
    return "\n".join(lines)


def tags_page(briefings: list[Briefing], labels: Labels = ENGLISH) -> str:
    lines = [f"# {escape(labels.gettext('Tags'))}", ""]
    for tag in build_indexes(briefings).tags:
        lines += [f"## {escape(tag.name)}", ""]
        lines += [f"- [{escape(b.title)}]({b.slug}.md)" for b in tag.briefings]
        lines.append("")
    return "\n".join(lines)


def people_page(
    briefings: list[Briefing], register: Register = EMPTY, labels: Labels = ENGLISH
) -> str:
    """Every person, under the register's name when they have an entry (with its
    description), as the site's people pages show them."""
    lines = [f"# {escape(labels.gettext('People'))}", ""]
    also = escape(labels.gettext("Also written:"))
    for person in build_indexes(briefings, register).people:
        lines += [f"## {escape(person.name)} {{#{person.slug}}}", ""]
        if person.entry and person.entry.aliases:
            names = escape(labels.titles_separator).join(map(escape, person.entry.aliases))
            lines += [f"*{also} {names}*", ""]
        if person.entry and person.entry.description:
            lines += [CITATION_RE.sub("", person.entry.description).strip(), ""]
        for said in person.quotes:
            when = labels.date(said.check.date) if said.check.date else ""
            text = escape(" ".join(said.check.quote.text.split()))
            lines.append(
                f"- “{text}” — {when}, [{escape(said.briefing.title)}]({said.briefing.slug}.md)"
            )
        lines.append("")
    return "\n".join(lines)


def entity_pages(
    briefings: list[Briefing], register: Register = EMPTY, labels: Labels = ENGLISH
) -> dict[str, str]:
    """The register's groups, places and events: a page per kind, a heading per entry
    (its id the entry's), with its description and the briefings naming it."""
    pages = {}
    also = escape(labels.gettext("Also written:"))
    for kind, entities in build_indexes(briefings, register).entities.items():
        lines = [f"# {escape(labels.gettext(HEADINGS[kind]))}", ""]
        for entity in entities:
            entry = entity.entry
            lines += [f"## {escape(entry.name)} {{#{entity.ident}}}", ""]
            if entry.aliases:
                names = escape(labels.titles_separator).join(map(escape, entry.aliases))
                lines += [f"*{also} {names}*", ""]
            if entry.description:
                lines += [CITATION_RE.sub("", entry.description).strip(), ""]
            named = {s.briefing.slug: s.briefing for s in entity.quotes}
            named.update((m.briefing.slug, m.briefing) for m in entity.mentions)
            lines += [f"- [{escape(b.title)}]({b.slug}.md)" for b in named.values()]
            lines.append("")
        pages[kind] = "\n".join(lines)
    return pages
