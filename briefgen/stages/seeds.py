"""Stage 2 of the pipeline (parse): a seed article as pasted from a publisher, parsed.

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
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

import regex

from briefgen.stages.boilerplate import Builtin, builtins, is_byline
from briefgen.stages.datelines import DateLine, date_later_in, read_date_line
from briefgen.stages.inputs import CONFIG_FILE
from briefgen.vocabulary.dates import SOURCE_LOCALE, long_date
from briefgen.vocabulary.errors import Diagnostic, error

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


Reproduce = Literal["excerpts", "full", "none"]
"""How much of the seed a briefing page reproduces (`article.reproduce`).

Here, below both the config and the sidecars that set it."""


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
    off: Collection[str] = (),
) -> tuple[Seed | None, list[Diagnostic]]:
    """Parse seed text (already decoded); `boilerplate` adds the site's own patterns, `off`
    names built-in patterns the site switches off, and `language` (the article's BCP 47
    tag) orders an ambiguous numeric date."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks = list(split_blocks(text))
    if not blocks:
        return None, [
            error(path, 1, 1, "seed is empty", "a seed starts with a date line, then the headline")
        ]
    matcher = Matcher(
        builtins(frozenset(off)), [p if isinstance(p, Pattern) else Pattern(p) for p in boilerplate]
    )
    try:
        top = read_top(blocks, matcher, language)
    except SlowPattern as slow:
        return None, [slow_pattern(slow.pattern, path, slow.paragraph)]
    if top.date is None:
        date_line, date_text = blocks[0][0], blocks[0][1][0]
        read = read_date_line(date_text, language)
        return None, [date_line_error(path, date_line, date_text, read, language)]
    if top.headline is None:
        return None, [error(path, top.date_line, 1, "seed has a date but no headline")]
    headline_line, headline = top.headline
    related = list(top.related)
    missing = top.missing
    paragraphs: list[Paragraph] = []
    removed_before = True  # a card takes the paragraph before it only from the body
    for line, block_lines in top.body:
        paragraph = make_paragraph(line, block_lines)
        try:
            found = matcher.match(paragraph)
        except SlowPattern as slow:
            return None, [slow_pattern(slow.pattern, path, slow.paragraph)]
        if found is None:
            paragraphs.append(paragraph)
            removed_before = False
            continue
        m, card = found
        groups = m.groupdict()
        if groups.get("related"):
            related.append(groups["related"].strip())
        elif card and not removed_before and card_headline(paragraphs[-1]):
            related.append(paragraphs.pop().text.strip())
        if groups.get("missing"):
            missing = groups["missing"].replace(",", ".")
        removed_before = True
    if not paragraphs:
        return None, [
            error(path, headline_line, 1, "seed has no body paragraphs after the headline")
        ]
    seed = Seed(
        path, slug, top.date, headline, headline_line, tuple(paragraphs), tuple(related), missing
    )
    return seed, []


CARD_HEADLINE_LENGTH = 200
"""Longest paragraph a "Read more" card takes as its headline: a headline is one short
line, never a paragraph of the article."""


def card_headline(paragraph: Paragraph) -> bool:
    """Whether the paragraph before a card can be its headline: one short line."""
    return len(paragraph.starts) == 1 and len(paragraph.text) <= CARD_HEADLINE_LENGTH


class SlowPattern(Exception):
    """A site pattern ran past the time budget."""

    def __init__(self, pattern: Pattern, paragraph: Paragraph) -> None:
        super().__init__(pattern.text)
        self.pattern = pattern
        self.paragraph = paragraph


class Matcher:
    """The built-in patterns a site keeps, then its own, sharing one time budget."""

    def __init__(self, builtin: Sequence[Builtin], site: Sequence[Pattern]) -> None:
        self.builtin = builtin
        self.site = site
        self.deadline = time.monotonic() + PATTERN_BUDGET

    def match(self, paragraph: Paragraph) -> tuple[re.Match[str] | regex.Match[str], bool] | None:
        """The first pattern's match on the whole paragraph, and whether it is a card
        (for a site pattern: a `card` group took part in the match); None when no pattern
        matches. Raises SlowPattern past the budget."""
        for b in self.builtin:
            if m := b.regex.search(paragraph.text):
                return m, b.card
        for pattern in self.site:
            try:
                budget = max(0.01, self.deadline - time.monotonic())
                found = regex.search(pattern.text, paragraph.text, timeout=budget)
            except TimeoutError:
                raise SlowPattern(pattern, paragraph) from None
            if found is not None:
                card = "card" in found.groupdict() and found.group("card") is not None
                return found, card
        return None


@dataclass(frozen=True)
class Top:
    """What comes before the body: the date, the headline, and what the rest of the top
    said (a "Read also" or paywall line there counts as anywhere else)."""

    date: dt.date | None
    date_line: int
    headline: tuple[int, str] | None
    body: list[tuple[int, list[str]]]
    related: tuple[str, ...] = ()
    missing: str | None = None


LABEL_WORDS = 3
LABEL_LENGTH = 40
"""A section label ("World", "Middle East", "Politique") is at most this many words and
characters, with no final punctuation."""


def is_label(text: str) -> bool:
    """Whether a line could be a section label: a few words, no final punctuation."""
    text = text.strip()
    return (
        len(text) <= LABEL_LENGTH
        and len(text.split()) <= LABEL_WORDS
        and text[-1] not in ".!?:;,…»”\"'"
    )


def sentence_like(text: str) -> bool:
    """Whether a line reads as a paragraph of the article rather than a headline."""
    return text.rstrip().rstrip("»”\"' ").endswith((".", "…", "!"))


def read_top(blocks: list[tuple[int, list[str]]], matcher: Matcher, language: str) -> Top:
    """Find the date line and the headline before the body.

    The strict form is a date line, then the headline line. Before the body, lines that
    are a byline, boilerplate, or (before the date) a section label followed by the
    headline may also come before or after the date and the headline; the date is the
    first line that reads as a date and nothing else, the headline the first other line.
    When the first line has a date with more on it, or a date later in it, it is meant as
    the date line: the top is not searched further, so its error stays what it was.
    """
    lines = [
        (n, b, i, line)
        for b, (start, ls) in enumerate(blocks)
        for i, line in enumerate(ls)
        for n in [start + i]
    ]
    first = read_date_line(lines[0][3], language)
    if not (first.date and not first.rest) and (
        first.found or date_later_in(lines[0][3], language) is not None
    ):
        return Top(None, lines[0][0], None, [])
    date: dt.date | None = None
    date_line = lines[0][0]
    headline: tuple[int, str] | None = None
    related: list[str] = []
    missing: str | None = None
    for k, (number, b, i, line) in enumerate(lines):
        if date is None:
            read = read_date_line(line, language)
            if read.date and not read.rest:
                date, date_line = read.date, number
                continue
        if date is not None and headline is not None:
            ls = blocks[b][1]
            body = ([(number, ls[i:])] if i else [blocks[b]]) + blocks[b + 1 :]
            return Top(date, date_line, headline, body, tuple(related), missing)
        if is_byline(line):
            continue
        found = matcher.match(make_paragraph(number, [line]))
        if found is not None:
            groups = found[0].groupdict()
            if groups.get("related"):
                related.append(groups["related"].strip())
            if groups.get("missing"):
                missing = groups["missing"].replace(",", ".")
            continue
        if headline is not None:  # an article line with no date found yet
            return Top(None, lines[0][0], None, [])
        if date is None and is_label(line) and headline_follows(lines[k + 1 :], matcher):
            continue
        headline = (number, SPACES.sub(" ", line).strip())
    if date is None:
        return Top(None, lines[0][0], None, [])
    return Top(date, date_line, headline, [], tuple(related), missing)


def headline_follows(lines: Sequence[tuple[int, int, int, str]], matcher: Matcher) -> bool:
    """Whether the next line that is no byline or boilerplate could be a headline (not a
    sentence): then a short line before it is a section label."""
    for number, _, _, line in lines:
        if is_byline(line) or matcher.match(make_paragraph(number, [line])) is not None:
            continue
        read = read_date_line(line)
        if read.date and not read.rest:
            continue
        return not sentence_like(line)
    return False


def slow_pattern(pattern: Pattern, path: str, paragraph: Paragraph) -> Diagnostic:
    """A located error for a site pattern past its time budget, naming the seed."""
    return error(
        CONFIG_FILE,
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
        when = long_date(read.date, SOURCE_LOCALE)
        message = (
            f"'{before[:60]}' stands before the date ({when}){left}: "
            "keep only the date on this line"
        )
        return error(path, line, 1, message, REST_HINT)
    if read.date is None:
        return error(path, line, 1, f"impossible date '{read.found[:60]}': {read.impossible}")
    when = long_date(read.date, SOURCE_LOCALE)
    message = f"found {when}, then '{read.rest[:60]}': keep only the date on this line"
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
