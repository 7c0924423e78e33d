"""Stage 1 of the pipeline: a seed article as pasted from a publisher, parsed.

A seed is a date line (read by `datelines.py`), a headline, then paragraphs separated by
blank lines. Publishers wrap articles in boilerplate (paywall notices, "Read also" links);
those paragraphs are recognised by regular expressions and kept out of the body, but what
they say is kept: a "Read also" headline becomes related reading, a paywall notice marks
the seed truncated.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from .datelines import DateLine, date_later_in, read_date_line
from .dates import human_date
from .errors import Diagnostic, error

BUILTIN_BOILERPLATE = (
    r"^(?:Article reserved for our subscribers\s+)?Read also\s*:?\s+(?P<related>.+)$",
    r"^You have (?P<missing>\d+(?:[.,]\d+)?)\s*% of this article (?:left )?to read\. "
    r"The rest is for subscribers only\.?$",
)
"""Le Monde's paywall lines: a `related` group becomes related reading, and a `missing`
group marks the seed truncated. Site patterns may use the same group names."""

DATE_HINT = (
    "write the date as publishers print it: August 3, 2021, 3 août 2021, 3. August 2021, "
    "03.08.2021, 03/08/2021 or 2021-08-03, with or without a label (Updated, Stand:) and a time"
)
REST_HINT = "a label (Updated, Publié le), a weekday and a time may stay; delete the rest"
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


def parse_date(text: str, language: str = "") -> dt.date | None:
    """The date of a date line that holds nothing else (see `datelines.py`), or None."""
    line = read_date_line(text, language)
    return None if line.rest else line.date


@dataclass(frozen=True)
class Pattern:
    """A site's boilerplate pattern, with where `briefgen.yml` declares it."""

    text: str
    line: int = 0
    col: int = 0


PATTERN_BUDGET = 1.0
"""Seconds all of a site's patterns may take on one seed. A pattern that backtracks
catastrophically (`(a|aa)+$`) doubles its time with each character; past the budget it
is an error, never a build that does not end."""


def parse_seed(
    path: str,
    slug: str,
    text: str,
    boilerplate: Sequence[str | Pattern] = (),
    *,
    language: str = "",
) -> tuple[Seed | None, list[Diagnostic]]:
    """Parse seed text (already decoded); `boilerplate` adds the site's own patterns, and
    `language` (the article's BCP 47 tag) orders an ambiguous numeric date."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks = list(split_blocks(text))
    if not blocks:
        return None, [
            error(path, 1, 1, "seed is empty", "a seed starts with a date line, then the headline")
        ]
    date_line, date_text = blocks[0][0], blocks[0][1][0]
    read = read_date_line(date_text, language)
    if read.date is None or read.rest:
        return None, [date_line_error(path, date_line, date_text, read, language)]
    date = read.date
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

    builtin = [re.compile(p) for p in BUILTIN_BOILERPLATE]
    site = [p if isinstance(p, Pattern) else Pattern(p) for p in boilerplate]
    deadline = time.monotonic() + PATTERN_BUDGET
    paragraphs: list[Paragraph] = []
    related: list[str] = []
    missing: str | None = None
    for line, block_lines in rest:
        paragraph = make_paragraph(line, block_lines)
        m: re.Match[str] | regex.Match[str] | None
        m = next((m for p in builtin if (m := p.search(paragraph.text))), None)
        for pattern in site:
            if m is not None:
                break
            try:
                budget = max(0.01, deadline - time.monotonic())
                m = regex.search(pattern.text, paragraph.text, timeout=budget)
            except TimeoutError:
                return None, [slow_pattern(pattern, path, paragraph)]
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


def slow_pattern(pattern: Pattern, path: str, paragraph: Paragraph) -> Diagnostic:
    """A located error for a site pattern past its time budget, naming the seed."""
    return error(
        "briefgen.yml",
        pattern.line,
        pattern.col,
        f"boilerplate pattern '{pattern.text[:60]}' took over {PATTERN_BUDGET:g} s on "
        f"{path}:{paragraph.line}: it backtracks catastrophically",
        "avoid a repetition inside a repetition that can match the same text two ways: "
        "(a+)+ or (a|aa)+ → a+",
    )


def date_line_error(
    path: str, line: int, text: str, read: DateLine, language: str = ""
) -> Diagnostic:
    """Why a date line cannot be read: no date, an impossible one, words before the date
    (a byline copied with it), or more than a date."""
    if not read.found:
        later = date_later_in(text, language)
        if later is None:
            message = f"first line must be the article's date; got '{text.strip()[:60]}'"
            return error(path, line, 1, message, DATE_HINT)
        before, read = later
        assert read.date is not None
        left = f", then '{read.rest[:60]}'" if read.rest else ""
        message = (
            f"'{before[:60]}' stands before the date ({human_date(read.date)}){left}: "
            "keep only the date on this line"
        )
        return error(path, line, 1, message, REST_HINT)
    if read.date is None:
        return error(path, line, 1, f"impossible date '{read.found[:60]}': {read.impossible}")
    message = (
        f"found {human_date(read.date)}, then '{read.rest[:60]}': keep only the date on this line"
    )
    return error(path, line, 1, message, REST_HINT)


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
