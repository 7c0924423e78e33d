"""Stage 1 of the pipeline: a seed article as pasted from a publisher, parsed.

A seed is a date line, a headline, then paragraphs separated by blank lines. Publishers
wrap articles in boilerplate (paywall notices, "Read also" links); those paragraphs are
recognised by regular expressions and kept out of the body, but what they say is kept:
a "Read also" headline becomes related reading, a paywall notice marks the seed truncated.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import Diagnostic, error

MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
DATE_FORMATS = [
    # August 3, 2021 (optionally "Tuesday, Aug. 3, 2021")
    re.compile(WEEKDAY + r"(?P<month>[a-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})", re.I),
    # 3 August 2021
    re.compile(WEEKDAY + r"(?P<day>\d{1,2})\s+(?P<month>[a-z]+)\.?,?\s+(?P<year>\d{4})", re.I),
    # 2021-08-03
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"),
]

BUILTIN_BOILERPLATE = (
    r"^(?:Article reserved for our subscribers\s+)?Read also\s*:?\s+(?P<related>.+)$",
    r"^You have (?P<missing>\d+(?:[.,]\d+)?)\s*% of this article (?:left )?to read\. "
    r"The rest is for subscribers only\.?$",
)
"""Le Monde's paywall lines: a `related` group becomes related reading, and a `missing`
group marks the seed truncated. Site patterns may use the same group names."""

SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the body, with where it is in the seed file."""

    text: str
    """The paragraph's lines joined by single spaces, otherwise exactly as in the seed."""
    line: int
    """1-based line of the paragraph's first line in the seed file."""
    starts: tuple[int, ...]
    """Offset in `text` where each source line starts, to turn offsets into line:col."""

    def locate(self, offset: int) -> tuple[int, int]:
        """Line and column in the seed file of `text[offset]`."""
        index = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        return self.line + index, offset - self.starts[index] + 1


@dataclass(frozen=True)
class Seed:
    """A parsed seed article."""

    path: str
    """The seed's path, for messages."""
    slug: str
    """File name without extension; the briefing's URL segment."""
    date: dt.date
    """From the date line."""
    headline: str
    """The second non-empty line."""
    headline_line: int
    """Line number of the headline, for messages."""
    paragraphs: tuple[Paragraph, ...]
    """The body, boilerplate removed."""
    related: tuple[str, ...] = ()
    """Headlines of "Read also" boilerplate: related reading."""
    missing_percent: str | None = None
    """When the publisher truncated the text: the share missing, as written ("38.16")."""


def parse_date(text: str) -> dt.date | None:
    """A date line in any of the spec's formats (and abbreviated months), or None."""
    text = SPACES.sub(" ", text).strip()
    for pattern in DATE_FORMATS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        month_text = m["month"]
        month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower())
        if month is None:
            continue
        try:
            return dt.date(int(m["year"]), month, int(m["day"]))
        except ValueError:
            return None
    return None


def parse_seed(
    path: str, slug: str, text: str, boilerplate: Sequence[str] = ()
) -> tuple[Seed | None, list[Diagnostic]]:
    """Parse seed text (already decoded); `boilerplate` adds the site's own patterns."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks = list(split_blocks(text))
    if not blocks:
        return None, [
            error(path, 1, 1, "seed is empty", "a seed starts with a date line, then the headline")
        ]
    date_line, date_text = blocks[0][0], blocks[0][1][0]
    date = parse_date(date_text)
    if date is None:
        return None, [
            error(
                path,
                date_line,
                1,
                f"first line must be the article's date; got '{date_text.strip()[:60]}'",
                "write it as August 3, 2021, 3 August 2021 or 2021-08-03",
            )
        ]
    # The date and headline are lines of their own even without a blank line between.
    lines = [(date_line + i, line) for i, line in enumerate(blocks[0][1])][1:]
    rest = blocks[1:]
    if lines:
        rest.insert(0, (lines[0][0], [line for _, line in lines]))
    if not rest:
        return None, [error(path, date_line, 1, "seed has a date but no headline")]
    headline_line, headline_lines = rest[0]
    headline = SPACES.sub(" ", headline_lines[0]).strip()
    if len(headline_lines) > 1:
        rest[0] = (headline_line + 1, headline_lines[1:])
    else:
        rest = rest[1:]

    patterns = [re.compile(p) for p in (*BUILTIN_BOILERPLATE, *boilerplate)]
    paragraphs: list[Paragraph] = []
    related: list[str] = []
    missing: str | None = None
    for line, block_lines in rest:
        paragraph = make_paragraph(line, block_lines)
        m = next((m for p in patterns if (m := p.search(paragraph.text))), None)
        if m is None:
            paragraphs.append(paragraph)
            continue
        groups = m.groupdict()
        if groups.get("related"):
            related.append(groups["related"].strip())
        if groups.get("missing"):
            missing = groups["missing"].replace(",", ".")
    if not paragraphs:
        return None, [
            error(path, headline_line, 1, "seed has no body paragraphs after the headline")
        ]
    seed = Seed(
        path, slug, date, headline, headline_line, tuple(paragraphs), tuple(related), missing
    )
    return seed, []


def split_blocks(text: str) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with the 1-based line number of its first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():  # any Unicode space, as editors show it: blank
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def make_paragraph(line: int, lines: list[str]) -> Paragraph:
    """Join wrapped lines with single spaces, remembering where each line starts."""
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for raw in lines:
        stripped = raw.rstrip()
        starts.append(offset)
        parts.append(stripped)
        offset += len(stripped) + 1
    return Paragraph(" ".join(parts), line, tuple(starts))
