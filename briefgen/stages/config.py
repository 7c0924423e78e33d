"""Site configuration (`briefgen.yml`): every key declared once, with its default and doc."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PureWindowsPath
from typing import Literal

from briefgen.stages.boilerplate import BUILTIN_NAMES
from briefgen.stages.inputs import CONFIG_FILE, read_text
from briefgen.stages.seeds import Pattern, Reproduce
from briefgen.typedyaml import schema
from briefgen.typedyaml.schema import Language, Positions, Regex, Text, Url, doc, positions
from briefgen.vocabulary.errors import BriefgenError, Diagnostic, error
from briefgen.vocabulary.labels import PLURAL_CATEGORIES

FOLDER_KEYS = ("seeds_dir", "content_dir", "site_dir")


@dataclass(frozen=True, kw_only=True)
class PluralLabel(Mapping[str, str]):
    """A counted label's text for each of the language's plural categories (CLDR's, as
    Babel knows them: `one`, `other` in French; all six in Arabic), so that a count
    takes its own form. As a mapping it holds the categories written."""

    zero: str | None = doc("For 0, in languages with a zero form (ar).", default=None)
    one: str | None = doc("For 1 (and 0 in French).", default=None)
    two: str | None = doc("For 2, in languages with a dual (ar, he).", default=None)
    few: str | None = doc("For a few (ar: 3-10; ru, pl: 2-4).", default=None)
    many: str | None = doc("For many (ar: 11-99; fr: a million).", default=None)
    other: str = doc("For every other count, and those the entry leaves out.")
    where: Positions = positions()

    def __getitem__(self, category: str) -> str:
        value = getattr(self, category, None) if category in PLURAL_CATEGORIES else None
        if not isinstance(value, str):
            raise KeyError(category)
        return value

    def __iter__(self) -> Iterator[str]:
        return (c for c in PLURAL_CATEGORIES if getattr(self, c) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass(frozen=True, kw_only=True)
class Config:
    """`briefgen.yml`: site-wide settings. Unknown keys are errors."""

    title: str = doc("Site title (default: the site folder's name).", default="")
    description: str = doc("One line about the site, for the home page and feed.", default="")
    language: Language = doc(
        "BCP 47 tag of the site's language (en, fr, ar, de-CH): the pages' lang attribute, "
        "the default article.language, and the theme's words and dates (built in: en, fr, "
        "de, es, ar; fr-CA uses fr).",
        default=Language("en"),
    )
    labels: dict[Text, str | PluralLabel] = doc(
        "Theme words to replace: English text of a label → the site's own "
        '("Bottom line": "The essentials"); wins over every catalog. A counted label '
        "(`%(count)s briefing`) takes a text per plural category of the language "
        "(`one:`, `other:`; Arabic also `zero:`, `two:`, `few:`, `many:`).",
        default_factory=dict,
    )
    digits: Literal["latin", "native"] = doc(
        "Digits of dates and counts: latin (0-9), or the language's native digits "
        "(Arabic ٠-٩ for ar).",
        default="latin",
    )
    site_url: Url | None = doc(
        "Absolute base URL of the published site: feed, sitemap and canonical URLs.", default=None
    )
    cname: str | None = doc("Custom domain: writes site/CNAME.", default=None)
    directory_urls: bool = doc(
        "true: links end in '/'; false: links name index.html, for browsing from disk.",
        default=True,
    )
    reproduce: Reproduce = doc(
        "Default for article.reproduce: excerpts, full or none.", default="excerpts"
    )
    boilerplate: tuple[Regex, ...] = doc(
        "Extra regexes: a seed paragraph matching one is publisher boilerplate, "
        "kept out of the body.",
        default=(),
    )
    boilerplate_off: tuple[str, ...] = doc(
        "Names of built-in boilerplate patterns to switch off (byline, advertising, …; "
        "the list is in the README).",
        default=(),
    )
    feed_limit: int = doc(
        "How many of the newest briefings the Atom feed lists.", default=50, minimum=1
    )
    page_size: int = doc(
        "Briefings per page on the home and tag pages; older ones continue on page/2/, ….",
        default=50,
        minimum=1,
    )
    seeds_dir: str = doc("Folder of seeds and sidecars.", default="seeds")
    content_dir: str = doc("Folder for generated Markdown (stage 4).", default="content")
    site_dir: str = doc("Folder for the generated site (stage 7).", default="site")
    register: str = doc(
        "The register of people, groups and places, from the site root (used if it exists).",
        default="register.yml",
    )
    where: Positions = positions()


def parse_config(path: str, text: str, root_name: str) -> tuple[Config | None, list[Diagnostic]]:
    """Validate config text; fills defaults that depend on the site folder."""
    config, diagnostics = schema.load(path, text, Config, what="config")
    if config is None:
        return None, diagnostics
    for key in (*FOLDER_KEYS, "register"):
        name = getattr(config, key)
        pos = config.where.get(key)
        line, col = (pos.line, pos.col) if pos else (0, 0)
        if any(ord(ch) < 32 or ch == "\x7f" for ch in name):
            diagnostics.append(error(path, line, col, f"{key} contains a control character"))
        elif key in ("seeds_dir", "register") and outside(
            name
        ):  # output folders: writer's own checks
            diagnostics.append(
                error(
                    path,
                    line,
                    col,
                    f"{key} '{name}' is outside the site root",
                    "folders are relative to the folder of briefgen.yml, e.g. seeds",
                )
            )
    diagnostics += unknown_builtins(path, config)
    if diagnostics:
        return None, diagnostics
    if not config.title:
        config = replace(config, title=root_name)
    if config.site_url and not config.site_url.endswith("/"):
        config = replace(config, site_url=config.site_url + "/")
    return config, diagnostics


def unknown_builtins(path: str, config: Config) -> list[Diagnostic]:
    """A located error for each name in `boilerplate_off` that no built-in pattern has."""
    found = []
    for i, name in enumerate(config.boilerplate_off):
        if name not in BUILTIN_NAMES:
            pos = config.where.get(f"boilerplate_off.{i}")
            line, col = (pos.line, pos.col) if pos else (0, 0)
            hint = schema.did_you_mean(name, BUILTIN_NAMES) or (
                "built-in patterns: " + ", ".join(BUILTIN_NAMES)
            )
            message = f"boilerplate_off: no built-in pattern is called '{name}'"
            found.append(error(path, line, col, message, hint))
    return found


def outside(name: str) -> bool:
    """Whether a folder setting names a place outside the site root, as written: an
    absolute path (`/etc`, `C:\\x`, `~`) or one that climbs out with '..'. Symlinks
    out of the root are refused where the folder is used."""
    if name.startswith(("/", "\\", "~")) or PureWindowsPath(name).is_absolute():
        return True
    depth = 0
    for part in name.replace("\\", "/").split("/"):
        depth += -1 if part == ".." else 0 if part in ("", ".") else 1
        if depth < 0:
            return True
    return False


def boilerplate_patterns(config: Config) -> tuple[Pattern, ...]:
    """The site's boilerplate patterns, each with its place in briefgen.yml for messages."""
    found = []
    for i, text in enumerate(config.boilerplate):
        pos = config.where.get(f"boilerplate.{i}")
        found.append(Pattern(text, pos.line, pos.col) if pos else Pattern(text))
    return tuple(found)


def key_position(config: Config, key: str) -> tuple[int, int]:
    """Line and column of a key's value in briefgen.yml; (0, 0) when it was not written.
    `labels.<text>.<category>` is a plural label's category."""
    pos = config.where.get(key)
    if pos is None and key.startswith("labels."):
        msgid, _, category = key[len("labels.") :].rpartition(".")
        label = config.labels.get(Text(msgid))
        if isinstance(label, PluralLabel):
            pos = label.where.get(category)
    return (pos.line, pos.col) if pos else (0, 0)


def with_site_url(config: Config, url: str) -> Config:
    """The config with `site_url` overridden (as CI does with the Pages base URL)."""
    if not schema.URL_RE.fullmatch(url):
        raise BriefgenError(
            [error("--site-url", 0, 0, f"must be an http:// or https:// URL; got '{url}'")]
        )
    return replace(config, site_url=Url(url if url.endswith("/") else url + "/"))


def read_config(root: Path) -> Config:
    """Read `briefgen.yml` from the site root; a missing file means all defaults."""
    path = root / CONFIG_FILE
    text, diagnostics = read_text(root, path) if path.is_file() else ("", [])
    if text is None:
        raise BriefgenError(diagnostics)
    config, diagnostics = parse_config(CONFIG_FILE, text, root.resolve().name)
    if config is None:
        raise BriefgenError(diagnostics)
    return config
