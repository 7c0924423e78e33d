"""Stage 2 of the pipeline (parse): the editor's annotation sidecar, declared, validated.

The dataclasses below are the sidecar format: their types drive validation (see
`schema.py`) and their `doc` strings feed the JSON Schema and the README's key table.
`parse_sidecar` checks only what one file can tell; checks against the seed (quotes,
anchors) live in `verify.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from briefgen.stages.markdown import CITATION_RE, link_targets
from briefgen.stages.seeds import Reproduce as Reproduce
from briefgen.typedyaml import schema
from briefgen.typedyaml.schema import (
    Ident,
    Language,
    Locator,
    Markdown,
    PartialDate,
    Pos,
    Positions,
    Url,
    doc,
    positions,
)
from briefgen.vocabulary.errors import Diagnostic, error, warning
from briefgen.vocabulary.urls import local_file, safe_link

ARTICLE = "article"
"""The source id that always names the seed article itself."""
LINK_TARGET_RE = re.compile(
    r"\]\(\s*<?(?P<a>(?:[^()\s>]|\([^()\s]*\))+)"  # [text](target), [text](<target>)
    r"|<(?P<b>[a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>"  # <scheme:autolink>
    r"|^\s*\[[^\]]+\]:\s*<?(?P<c>\S+?)>?(?:\s|$)",  # [ref]: target
    re.MULTILINE,
)
"""`[^source-id]` in a Markdown field cites a source; briefgen numbers the footnotes."""


@dataclass(frozen=True, kw_only=True)
class Article:
    """Facts about the seed article, which sidecars cite as source id `article`."""

    title: str | None = doc(
        "The article's title as published (default: the seed headline).", default=None
    )
    publisher: str = doc("Who published it, e.g. Le Monde.", default="")
    author: str = doc("Byline, if any.", default="")
    url: Url | None = doc("Where the original is; http or https.", default=None)
    published: dt.date | None = doc(
        "Publication date (default: the seed's date line).", default=None
    )
    language: Language | None = doc(
        "BCP 47 tag of the seed's language (ar, fr, de-CH): quotes and excerpts carry it "
        "(with dir=rtl for right-to-left scripts), and it reads ambiguous numeric dates. "
        "Default: the site's `language`.",
        default=None,
    )
    translated_from: str = doc(
        "Language code of the original when the seed is a translation.", default=""
    )
    reproduce: Reproduce | None = doc(
        "How much of the seed the page reproduces: excerpts (paragraphs with an annotation or "
        "a verified quote), full (needs the rights), none. Default: the site's `reproduce`.",
        default=None,
    )
    where: Positions = positions()


@dataclass(frozen=True, kw_only=True)
class Source:
    """A cited document other than the article."""

    title: str = doc("Title of the document.")
    publisher: str = doc("Who published it.", default="")
    author: str = doc("Byline, if any.", default="")
    url: Url | None = doc("Where it is; http or https.", default=None)
    published: dt.date | None = doc("Publication date.", default=None)
    accessed: dt.date | None = doc("When the editor read it.", default=None)
    language: Language | None = doc(
        "BCP 47 tag of its language: quotes from it carry it (default: the site's).",
        default=None,
    )
    where: Positions = positions()


@dataclass(frozen=True, kw_only=True)
class Quote:
    """Words someone said, verified against the seed when their source is the article."""

    text: str = doc("The quoted words; elide with …, ..., (…), […] or [...].")
    speaker: str = doc("Who said it, as the person is usually named.")
    role: str = doc("The speaker's position when they said it.", default="")
    source: Ident = doc("Source id the quote comes from.", default=ARTICLE)
    date: dt.date | None = doc(
        "When it was said (default: the source's publication date).", default=None
    )
    note: Markdown = doc("Context for the quote (Markdown).", default="")
    where: Positions = positions()


@dataclass(frozen=True, kw_only=True)
class Annotation:
    """A context note attached to exact words of the seed body."""

    anchor: str = doc("Exact words of the seed body the note is attached to.")
    occurrence: int = doc(
        "Which occurrence of the anchor, counting from 1 (among those matching before/after).",
        default=1,
        minimum=1,
    )
    before: str = doc(
        "Words just before the anchor, to pin it where counting occurrences would break.",
        default="",
    )
    after: str = doc("Words just after the anchor, likewise.", default="")
    note: Markdown = doc(
        "The context note (Markdown); required unless `about` names a register entry.",
        default="",
    )
    about: Ident | None = doc(
        "Id of a register entry (register.yml) whose description is the note.", default=None
    )
    sources: tuple[Ident, ...] = doc("Source ids backing the note.", default=())
    where: Positions = positions()


@dataclass(frozen=True, kw_only=True)
class TimelineEntry:
    """One dated event; timelines of all briefings merge on the site's timeline page."""

    date: PartialDate = doc("YYYY, YYYY-MM or YYYY-MM-DD.")
    event: Markdown = doc("What happened (Markdown).")
    source: Ident | None = doc("Source id backing the entry.", default=None)
    where: Positions = positions()


@dataclass(frozen=True, kw_only=True)
class Sidecar:
    """An editor's annotation of one seed: `seeds/<slug>.yml`."""

    title: str | None = doc("Briefing title (default: the seed headline).", default=None)
    date: dt.date | None = doc("Briefing date (default: the seed's date line).", default=None)
    draft: bool = doc("Drafts are built only with --drafts.", default=False)
    summary: Markdown = doc("The bottom line up front (Markdown).")
    key_points: tuple[Markdown, ...] = doc("Key points (Markdown strings).", default=())
    tags: tuple[str, ...] = doc("Topic tags.", default=())
    article: Article = doc("The seed article itself.", default_factory=Article)
    sources: Mapping[str, Source] = doc("Other sources, by id.", default_factory=dict)
    quotes: tuple[Quote, ...] = doc("Quotes with their speakers.", default=())
    annotations: tuple[Annotation, ...] = doc("Context notes on words of the seed.", default=())
    timeline: tuple[TimelineEntry, ...] = doc("Dated events.", default=())
    where: Positions = positions()


def parse_sidecar(path: str, text: str) -> tuple[Sidecar | None, list[Diagnostic]]:
    """Read and validate one sidecar; returns every problem the file alone reveals."""
    sidecar, diagnostics = schema.load(path, text, Sidecar, what="sidecar")
    if sidecar is None:
        return None, diagnostics
    diagnostics.extend(check_source_ids(path, sidecar, text))
    return (None if diagnostics else sidecar), diagnostics


def advisories(path: str, sidecar: Sidecar) -> list[Diagnostic]:
    """What a careful editor would fix before publishing; errors under --strict."""
    found: list[Diagnostic] = []
    if not sidecar.article.url:
        found.append(
            warning(
                path,
                *line_col(sidecar.where.get("article")),
                "article has no url: readers cannot check the quotes against the original",
                "add article: url: https://…",
            )
        )
    for annotation in sidecar.annotations:
        if not annotation.sources and not annotation.about:  # the register's cite (or warn)
            pos = annotation.where["anchor"]
            found.append(
                warning(
                    path,
                    pos.line,
                    pos.col,
                    f"annotation on '{annotation.anchor}' cites no source",
                    "add sources: [source-id] (article cites the seed)",
                )
            )
    return found


def markdown_fields(sidecar: Sidecar) -> list[tuple[str, schema.Pos | None]]:
    """Every Markdown text of the sidecar with its position, in page order."""
    texts: list[tuple[str, schema.Pos | None]] = [(sidecar.summary, sidecar.where.get("summary"))]
    texts += [(p, sidecar.where.get(f"key_points.{i}")) for i, p in enumerate(sidecar.key_points)]
    texts += [(q.note, q.where.get("note")) for q in sidecar.quotes]
    texts += [(a.note, a.where.get("note")) for a in sidecar.annotations]
    texts += [(t.event, t.where.get("event")) for t in sidecar.timeline]
    return texts


def line_col(pos: Pos | None) -> tuple[int, int]:
    """Where a value is, or the top of the file when the key was not written."""
    return (pos.line, pos.col) if pos else (1, 1)


def check_source_ids(path: str, sidecar: Sidecar, source_text: str) -> list[Diagnostic]:
    """Every source id used anywhere must be defined (`article` always is)."""
    known = {ARTICLE, *sidecar.sources}
    problems: list[Diagnostic] = []

    def check(
        ident: str | None, pos: schema.Pos | None, col_offset: tuple[int, int] | None = None
    ) -> None:
        if ident is None or ident in known:
            return
        line, col = col_offset or line_col(pos)
        hint = (
            schema.did_you_mean(ident, known)
            or f"define it under sources: ({', '.join(sorted(known))})"
        )
        problems.append(error(path, line, col, f"undefined source id '{ident}'", hint))

    if ARTICLE in sidecar.sources:
        problems.append(
            error(
                path,
                *line_col(sidecar.where.get(f"sources.{ARTICLE}")),
                "'article' is reserved for the seed article",
                "describe the article under article: instead",
            )
        )
    for quote in sidecar.quotes:
        check(quote.source, quote.where.get("source"))
    for annotation in sidecar.annotations:
        for i, ident in enumerate(annotation.sources):
            check(ident, annotation.where.get(f"sources.{i}"))
    for entry in sidecar.timeline:
        check(entry.source, entry.where.get("source"))
    for value, pos in markdown_fields(sidecar):
        if pos is None:
            continue
        problems += unsafe_links(path, value, pos, source_text)
        locator = Locator(source_text, pos)
        for m in CITATION_RE.finditer(value):
            check(m[1], pos, locator.next(m[0]))
    return problems


def unsafe_links(path: str, value: str, pos: Pos, source_text: str) -> list[Diagnostic]:
    """Links in an editor's Markdown whose target is not http(s), mailto or relative.

    Targets written plainly are located exactly; markdown-it then reads the value as a
    renderer would (entities and escapes decoded, reference definitions resolved), so a
    disguised `javascript&#58;` is caught too, located at the start of its line.
    """
    hint = "links may be http://, https://, mailto: or relative (not //host)"
    image_hint = "a page loads nothing from another host: put the image in templates/assets/"
    found: list[Diagnostic] = []
    for m in LINK_TARGET_RE.finditer(value):
        target = m["a"] or m["b"] or m["c"]
        if not safe_link(target):
            line, col = pos.find(source_text, target)
            found.append(error(path, line, col, f"link to '{target[:40]}' is not allowed", hint))
    if found:
        return found
    for target, line_in_value, image in link_targets(value):
        if not safe_link(target):
            line, col = pos.line_of(source_text, line_in_value)
            found.append(error(path, line, col, f"link to '{target[:40]}' is not allowed", hint))
        elif image and not local_file(target):
            line, col = pos.find(source_text, target)
            message = f"image '{target[:40]}' is not a file of the site"
            found.append(error(path, line, col, message, image_hint))
    return found


def sidecar_schema() -> dict[str, object]:
    """The JSON Schema editors' YAML tools use for completion and inline errors."""
    body = schema.json_schema(Sidecar)
    # check_source_ids refuses the reserved id, so the schema does too.
    body["properties"]["sources"]["propertyNames"]["allOf"] = [
        {
            "pattern": f"^(?!{ARTICLE}$)",
            "errorMessage": f"'{ARTICLE}' is reserved for the seed article: "
            "describe the article under article: instead",
        }
    ]
    # An annotation says something: its own note, or a register entry's (register.apply).
    body["properties"]["annotations"]["items"]["allOf"].append(
        {
            "if": {"not": {"required": ["about"]}},
            "then": {
                "required": ["note"],
                "errorMessage": "annotations[] has no note: write note: …, or about: <register id>",
            },
        }
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://briefgen.invalid/sidecar.schema.json",
        "title": "briefgen annotation sidecar",
        **body,
    }
