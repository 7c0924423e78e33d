"""Plain text and sources written as Markdown: escaping, link destinations, citations.

Shared by the document model (a note's short citations are Markdown inside the editor's
own Markdown) and the Markdown emitter (`generate`), so one rule escapes every word.
"""

from __future__ import annotations

import re

from briefgen.stages.sidecars import Source
from briefgen.vocabulary.labels import ENGLISH, Labels

INLINE_SPECIALS = re.compile(r"([\\`*_\[\]>])")
ENTITIES = {"<": "&lt;", "~": "&#126;"}
"""Written as entities, not backslash escapes: Python-Markdown (MkDocs) does not treat
`\\<` or `\\~` as escapes and would show the backslash, and passes raw `<` through as HTML."""
ENTITY_TABLE = str.maketrans(ENTITIES)
LINE_START_SPECIALS = re.compile(r"^(\s*)([#>+-]|\d+(?=[.)]))")
ENTITY = re.compile(r"&(?=#?\w+;)")
ESCAPED = re.compile(r"[\\`*_\[\]><~&]")
"""Any character `escape_inline` changes: most text has none (one search, not three
passes, for the hundred strings a briefing's Markdown escapes)."""


def escape(text: str) -> str:
    """Seed or editor plain text, escaped so Markdown shows it literally."""
    text = escape_inline(text)
    m = LINE_START_SPECIALS.match(text)
    if m:
        if m[2].isdigit():
            end = m.end()
            text = text[:end] + "\\" + text[end:]
        else:
            text = text[: m.start(2)] + "\\" + text[m.start(2) :]
    return text


def escape_inline(text: str) -> str:
    """Escape text that continues a line: line-start rules no longer apply."""
    if not ESCAPED.search(text):
        return text
    text = ENTITY.sub("&amp;", text)
    text = INLINE_SPECIALS.sub(r"\\\1", text)
    return text.translate(ENTITY_TABLE)


def link(text: str, url: str | None) -> str:
    """`[text](<url>)`, or the escaped text alone without a URL."""
    if not url:
        return escape(text)
    return f"[{escape(text)}](<{destination(url)}>)"


DESTINATION_TABLE = str.maketrans({"<": "%3C", ">": "%3E", " ": "%20", "\\": "%5C"})


def destination(url: str) -> str:
    """A URL as a Markdown link destination `<…>`: the characters that would end it or
    be read as an escape there, percent-encoded (the URL a browser follows is the same)."""
    return url.translate(DESTINATION_TABLE)


def citation(source: Source, labels: Labels = ENGLISH) -> str:
    """A source in one line, as a footnote or sources-list entry shows it."""
    parts = []
    if source.author:
        parts.append(escape(source.author))
    if source.publisher:
        parts.append(escape(source.publisher))
    parts.append(f"*{link(source.title, source.url)}*")
    text = labels.separator.join(parts)
    if source.published:
        text += labels.separator + labels.date(source.published)
    if source.accessed:
        text += labels.accessed(labels.date(source.accessed))
    return text + labels.end_of_sentence


def short_citation(source: Source, labels: Labels = ENGLISH) -> str:
    """A source named briefly inside a note; the full entry is in the Sources list."""
    if source.publisher:
        return f"{escape(source.publisher)}{labels.separator}*{link(source.title, source.url)}*"
    return f"*{link(source.title, source.url)}*"


def indent(text: str, prefix: str) -> str:
    """Indent continuation lines so multi-line Markdown stays inside its list item or note."""
    lines = text.strip().split("\n")
    return "\n".join([lines[0], *[(prefix + line) if line.strip() else "" for line in lines[1:]]])
