"""Markdown to HTML: the one markdown-it setup every page is rendered with.

CommonMark with raw HTML off (a seed or sidecar can never inject markup), footnotes, front
matter (skipped in output), and heading ids from the site's one slug function.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from html import escape as escape_html
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from briefgen.vocabulary.labels import ENGLISH, Labels
from briefgen.vocabulary.languages import foreign_direction, html_attributes
from briefgen.vocabulary.urls import safe_link, slugify

CITATION_RE = re.compile(r"\[\^([^\]\s]+)\]")
"""`[^source-id]` in a Markdown field cites a source; briefgen numbers the footnotes."""


def footnote_ref(
    self: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A footnote marker showing its number alone, even on a repeated reference.

    The plugin's default shows "[1:1]" for a second reference; readers expect "1" again,
    while each reference keeps its own id so its back-link returns to the right place.
    """
    return footnote_ref_html(tokens[idx].meta, labels_of(env))


def footnote_ref_html(meta: dict[str, int], labels: Labels = ENGLISH) -> str:
    """A footnote marker's HTML; `meta` as the footnote plugin sets it (id, subId)."""
    return marker_html(meta["id"], meta.get("subId", 0), labels)


@functools.lru_cache(maxsize=4096)
def marker_html(index: int, sub: int, labels: Labels) -> str:
    """Remembered: a briefing page has some twenty markers, the same few numbers on
    every page, and each asked the labels for two words (Labels hash by identity)."""
    number = index + 1
    name = escape_html(labels.note_name(number))
    return (
        f'<sup class="footnote-ref"><a href="#fn{number}" '
        f'id="fnref{reference_id(index, sub)}" '
        f'aria-label="{name}">{labels.number(number)}</a></sup>'
    )


def labels_of(env: EnvType) -> Labels:
    """The site's words, which `render_markdown` passes through markdown-it's env."""
    labels = env.get("briefgen_labels") if env else None
    return labels if isinstance(labels, Labels) else ENGLISH


def reference_id(index: int, sub: int) -> str:
    """`1` for a note's first reference, `1-2` for its second (`index` and `sub` as the
    footnote plugin's id and subId): ids of letters, digits and dashes only (the
    plugin's `1:2` is not a valid id for HTML validators)."""
    return str(index + 1) + (f"-{sub}" if sub > 0 else "")


def footnote_anchor(
    self: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """The back-link from a note to one of its references.

    Its visible arrow is part of its accessible name, followed by words for screen
    readers (WCAG 2.5.3: the name contains the visible label).
    """
    return footnote_anchor_html(tokens[idx].meta, labels_of(env))


def footnote_anchor_html(meta: dict[str, int], labels: Labels = ENGLISH) -> str:
    """A back-link's HTML; `meta` as the footnote plugin sets it (id, subId)."""
    return back_link_html(meta["id"], meta.get("subId", 0), labels)


@functools.lru_cache(maxsize=4096)
def back_link_html(index: int, sub: int, labels: Labels) -> str:
    """Remembered, as `marker_html` is."""
    words = escape_html(labels.back_to(index + 1, sub + 1))
    return (
        f' <a href="#fnref{reference_id(index, sub)}" '
        f'class="footnote-backref">\u21a9\ufe0e'
        f'<span class="visually-hidden"> {words}</span></a>'
    )


@dataclass(frozen=True)
class Marks:
    """Where a generated page holds words in another language than the page's.

    Markdown has no syntax for a language, and the page must stay portable, so the
    generator that wrote the blocks says where they are; `languages_rule` sets `lang`
    (and `dir`) on them in the HTML.
    """

    lines: Mapping[int, str] = field(default_factory=dict)
    """0-based line of a block (quote, paragraph, heading, list item) -> its language."""
    inline: Mapping[str, str] = field(default_factory=dict)
    """Emphasised text (a cited title) -> its language."""
    around: str = "en"
    """The page's own language."""


BLOCKS = ("blockquote_open", "paragraph_open", "heading_open", "list_item_open")


def languages_rule(state: StateCore) -> None:
    """`lang` and `dir` on the blocks and emphasised titles that `Marks` names."""
    marks = state.env.get("briefgen_marks")
    if not isinstance(marks, Marks):
        return
    done: set[int] = set()
    for token in state.tokens:
        if token.type in BLOCKS and token.map and not token.hidden:
            line = token.map[0]
            if line in marks.lines and line not in done:
                done.add(line)  # the outermost block of the line: a quote, not its paragraph
                for name, value in html_attributes(marks.lines[line], marks.around).items():
                    token.attrSet(name, value)
        if token.type == "inline" and marks.inline and token.children:
            mark_emphasis(token.children, marks)
        if token.type == "inline" and token.children:
            isolate_names(token.children, marks.around)


def mark_emphasis(children: list[Token], marks: Marks) -> None:
    for i, child in enumerate(children):
        if child.type != "em_open":
            continue
        text: list[str] = []
        for inner in children[i + 1 :]:
            if inner.type == "em_close":
                break
            if inner.type in ("text", "text_special"):
                text.append(inner.content)
        language = marks.inline.get("".join(text))
        if language:
            for name, value in html_attributes(language, marks.around).items():
                child.attrSet(name, value)


def isolate_names(children: list[Token], around: str) -> None:
    """`dir="auto"` on bold words (a quote's speaker) written in the other direction than
    the page's, as `<bdi>` would: an Arabic name before ", role" on an English page, a
    Latin one on an Arabic page, must not pull the comma into its own run."""
    for i, child in enumerate(children):
        if child.type != "strong_open" or child.attrGet("dir"):
            continue
        text: list[str] = []
        for inner in children[i + 1 :]:
            if inner.type == "strong_close":
                break
            if inner.type in ("text", "text_special"):
                text.append(inner.content)
        if foreign_direction("".join(text), around):
            child.attrSet("dir", "auto")


def section_ids_rule(state: StateCore) -> None:
    """The English ids on a translated page's section headings (`## Citations` keeps
    `id="quotes"`), so links to a briefing's sections work whatever its language."""
    labels = state.env.get("briefgen_labels")
    if not isinstance(labels, Labels):
        return
    ids = {labels.headings[k]: slugify(english) for k, english in ENGLISH.headings.items()}
    tokens = state.tokens
    for i, token in enumerate(tokens[:-1]):
        if token.type == "heading_open" and token.tag == "h2":
            children = tokens[i + 1].children or []
            text = "".join(c.content for c in children if c.type in ("text", "text_special"))
            if text in ids:
                token.attrSet("id", ids[text])


@cache
def markdown_parser() -> MarkdownIt:
    md = (
        MarkdownIt(
            "commonmark",
            {"html": False, "linkify": False, "typographer": False, "xhtmlOut": False},
        )
        .use(front_matter_plugin)
        .use(footnote_plugin)
        .use(anchors_plugin, min_level=2, max_level=3, slug_func=slugify)
        .enable("table")
        .enable("strikethrough")
    )
    md.core.ruler.push("briefgen_languages", languages_rule)
    md.core.ruler.push("briefgen_section_ids", section_ids_rule)
    md.add_render_rule("footnote_ref", footnote_ref)
    md.add_render_rule("footnote_anchor", footnote_anchor)
    # An allow-list, stricter than markdown-it's deny-list (which lets data:image through).
    md.validateLink = safe_link  # type: ignore[method-assign]
    return md


@cache
def fragment_parser() -> MarkdownIt:
    """The page's parser for one editor field of a page emitted from its document
    (`pagehtml`): the same rules, less what only a whole page has — its footnotes
    section (the emitter writes it, from the footnote state the fields share) and its
    heading ids (a field with a heading is rendered with its whole page)."""
    md = (
        MarkdownIt(
            "commonmark",
            {"html": False, "linkify": False, "typographer": False, "xhtmlOut": False},
        )
        .use(footnote_plugin)
        .enable("table")
        .enable("strikethrough")
    )
    md.core.ruler.disable("footnote_tail")
    md.core.ruler.push("briefgen_languages", languages_rule)
    md.add_render_rule("footnote_ref", footnote_ref)
    md.validateLink = safe_link  # type: ignore[method-assign]
    return md


@functools.lru_cache(maxsize=4096)
def render_summary(text: str) -> str:
    """A summary as shown outside its briefing (lists, feed): `[^source]` markers dropped.

    Cached: the same summary appears on the home, tag and feed pages. Most are prose,
    escaped without a parse.
    """
    text = CITATION_RE.sub("", text)
    if is_prose(text):
        return "<p>" + escapeHtml(text.strip(" \t\n")) + "</p>\n"
    return render_markdown(text)


NOT_PROSE = re.compile(
    r"[\\`*_\[\]<>&~|\0\r]|\n\n|^[ \t]*([-+>#=]|\d+[.)]|$)|\s\n|\n\s", re.MULTILINE
)
"""Markdown that is more than prose: any character Markdown may read as syntax, a line
that could start a block, a blank line, line-edge spaces (a hard break, an indent)."""


def is_prose(text: str) -> bool:
    """Whether `text` renders as its own words escaped, in one paragraph (once stripped):
    most editor fields, which then need no parse."""
    words = text.strip(" \t\n")
    # Other spaces at the edges (U+001F, U+00A0, …) are words to markdown-it, not to strip().
    if not words or words != text.strip() or text.lstrip("\n").startswith((" ", "\t")):
        return False  # an indented first line may be code
    return NOT_PROSE.search(words) is None


@cache
def link_reader() -> MarkdownIt:
    """A parser that keeps every link, whatever its scheme: for checking, never rendering."""
    md = MarkdownIt("commonmark", {"html": False}).use(footnote_plugin)
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def could_link(text: str) -> bool:
    """Whether CommonMark could read a link or image in `text`: an inline one needs `](`,
    a reference one a definition (`]:`), an autolink `<` (raw HTML and linkify are off).
    Most notes have none, and parsing each field of every sidecar was a third of its
    validation."""
    return "](" in text or "]:" in text or "<" in text


def link_targets(text: str) -> list[tuple[str, int, bool]]:
    """(target, line within text, is an image) of every link and image, as a renderer
    would read them."""
    if not could_link(text):
        return []
    found: list[tuple[str, int, bool]] = []
    line = 0
    for token in link_reader().parse(text):
        if token.map:
            line = token.map[0]
        for child in token.children or ():
            for attr in ("href", "src"):
                target = child.attrGet(attr)
                if isinstance(target, str):
                    found.append((unquote(target), line, attr == "src"))
    return found


def render_markdown(text: str, marks: Marks | None = None, labels: Labels = ENGLISH) -> str:
    """HTML for a Markdown document or fragment; `marks` say where its words are in
    another language than the page's; `labels` give the notes' links their words."""
    env: dict[str, object] = {"briefgen_marks": marks} if marks else {}
    if labels is not ENGLISH:
        env["briefgen_labels"] = labels
    html: str = markdown_parser().render(text, env or None)
    return html
