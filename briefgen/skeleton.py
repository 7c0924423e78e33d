"""`briefgen new`: a sidecar skeleton written from what the seed itself says.

It finds every quoted passage of the body (typographic or straight quotes, and the
common paste error of a closing quote typed as an opening one), and the names that recur,
so the editor starts from the article's own material instead of a blank page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import yaml

from .dates import MONTH_NAMES
from .seeds import Seed

OPENERS = {"\u201c": "\u201d\u201c", "\u201e": "\u201c\u201d", "\u00ab": "\u00bb", '"': '"'}
"""Each opening quote mark and the marks that may close it: “ is also accepted as a
closing mark, since publishers' pastes often type the closing quote as an opening one."""
NAME_RE = re.compile(
    r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|the|for|al|el|ez|de|du|bin|ibn|von|van)\s+)*[A-Z][\w'’-]*)*"
)
NOT_NAMES = {
    *[
        "A",
        "An",
        "And",
        "As",
        "At",
        "But",
        "By",
        "During",
        "Despite",
        "For",
        "From",
        "He",
        "However",
        "If",
        "In",
        "It",
        "Its",
        "Mr",
        "Mrs",
        "Ms",
    ],
    *[
        "On",
        "Since",
        "She",
        "So",
        "That",
        "The",
        "Their",
        "There",
        "These",
        "They",
        "This",
        "Those",
        "To",
        "Under",
        "We",
        "When",
    ],
    *["While", "With", "Against", "After", "Before"],
    *["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    *MONTH_NAMES,
}
"""Capitalised words that start sentences or name dates, not people or places."""


@dataclass(frozen=True)
class Passage:
    """A quoted passage of the body."""

    text: str
    """The words between the marks."""
    line: int
    col: int
    """Where the opening mark is in the seed file."""


def is_boundary(ch: str) -> bool:
    return not ch or ch.isspace() or ch in ",.;:!?)]—–-"


def quoted_passages(seed: Seed) -> list[Passage]:
    """Every quoted passage of the seed body, in order."""
    found: list[Passage] = []
    for paragraph in seed.paragraphs:
        text = paragraph.text
        i = 0
        while i < len(text):
            ch = text[i]
            closers = OPENERS.get(ch)
            # An opening mark stands before a word, not after one.
            if closers is None or (i > 0 and text[i - 1].isalnum()) or i + 1 >= len(text):
                i += 1
                continue
            if text[i + 1].isspace() and ch != "\u00ab":
                i += 1
                continue
            end = next(
                (
                    j
                    for j in range(i + 1, len(text))
                    if text[j] in closers and is_boundary(text[j + 1 : j + 2]) and j > i + 1
                ),
                -1,
            )
            if end < 0:
                i += 1
                continue
            words = text[i + 1 : end].strip()
            if words:
                line, col = paragraph.locate(i)
                found.append(Passage(words, line, col))
            i = end + 1
    return found


def recurring_names(seed: Seed, limit: int = 15) -> list[str]:
    """Capitalised names that occur more than once (headline included), most frequent first."""
    text = "\n".join([seed.headline, *(p.text for p in seed.paragraphs)])
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m in NAME_RE.finditer(text):
        words = m[0].split()
        while words and words[0] in NOT_NAMES:
            words = words[1:]
        name = " ".join(words)
        if len(name) < 3 or (name.isupper() and len(name) < 4):
            continue
        counts[name] += 1
        first.setdefault(name, m.start())
    # A name recurs when it appears twice, or when a longer name containing it does.
    for name in list(counts):
        for other in counts:
            if other != name and re.search(rf"\b{re.escape(name)}\b", other):
                counts[name] += counts[other]
    recurring = [n for n, c in counts.items() if c >= 2]
    recurring.sort(key=lambda n: (-counts[n], first[n]))
    return recurring[:limit]


def scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly `value`."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=10**6)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def sidecar_skeleton(seed: Seed, schema_ref: str) -> str:
    """The text of `seeds/<slug>.yml` for a new seed."""
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# Sidecar for {seed.path}, started by `briefgen new`. Fill in the blanks, then run",
        "# `briefgen check`: it reports what is still missing, with file:line:col.",
        f"title: {scalar(seed.headline)}",
        f"date: {seed.date.isoformat()}",
        "summary:  # required: the bottom line up front (Markdown); cite with [^source-id]",
        "key_points: []",
        "tags: []",
        "article:",
        "  publisher:",
        "  url:",
    ]
    passages = quoted_passages(seed)
    if passages:
        lines.append("quotes:")
        for p in passages:
            lines += [
                f"  # {seed.path}:{p.line}:{p.col}",
                f"  - text: {scalar(p.text)}",
                "    speaker:  # who said it? (required)",
            ]
    else:
        lines.append("quotes: []")
    lines.append("annotations: []")
    names = recurring_names(seed)
    if names:
        lines.append("# Names that recur in the seed; uncomment those a reader needs explained:")
        for name in names:
            lines += [f"#  - anchor: {scalar(name)}", "#    note:", "#    sources: []"]
    lines += ["timeline: []", "sources: {}"]
    return "\n".join(lines) + "\n"
