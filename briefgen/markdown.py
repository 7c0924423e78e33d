"""Markdown to HTML: the one markdown-it setup every page is rendered with.

CommonMark with raw HTML off (a seed or sidecar can never inject markup), footnotes, front
matter (skipped in output), and heading ids from the site's one slug function.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .sidecars import CITATION_RE
from .urls import safe_link, slugify


def footnote_ref(
    self: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A footnote marker showing its number alone, even on a repeated reference.

    The plugin's default shows "[1:1]" for a second reference; readers expect "1" again,
    while each reference keeps its own id so its back-link returns to the right place.
    """
    meta = tokens[idx].meta
    number = str(meta["id"] + 1)
    refid = number + (f":{meta['subId']}" if meta.get("subId", -1) > 0 else "")
    return (
        f'<sup class="footnote-ref"><a href="#fn{number}" id="fnref{refid}" '
        f'aria-label="Note {number}">{number}</a></sup>'
    )


@cache
def markdown_parser() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        .use(front_matter_plugin)
        .use(footnote_plugin)
        .use(anchors_plugin, min_level=2, max_level=3, slug_func=slugify)
        .enable("table")
        .enable("strikethrough")
    )
    md.add_render_rule("footnote_ref", footnote_ref)
    # An allow-list, stricter than markdown-it's deny-list (which lets data:image through).
    md.validateLink = safe_link  # type: ignore[method-assign]
    return md


@functools.lru_cache(maxsize=4096)
def render_summary(text: str) -> str:
    """A summary as shown outside its briefing (lists, feed): `[^source]` markers dropped.

    Cached: the same summary appears on the home, tag and feed pages.
    """
    return render_markdown(CITATION_RE.sub("", text))


def render_markdown(text: str) -> str:
    """HTML for a Markdown document or fragment."""
    html: str = markdown_parser().render(text)
    return html
