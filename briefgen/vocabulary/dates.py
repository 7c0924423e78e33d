"""Dates as readers see them: one spelling everywhere, in the site's locale, independent of
the machine's."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import NewType

PartialDate = NewType("PartialDate", str)
"""YYYY, YYYY-MM or YYYY-MM-DD: timelines often know only the year or month."""
PARTIAL_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def partial_date_key(value: str) -> tuple[int, int, int]:
    """Sort key for a PartialDate: a bare year sorts before its months."""
    m = PARTIAL_DATE_RE.fullmatch(value)
    assert m, value
    return (int(m[1]), int(m[2] or 0), int(m[3] or 0))


MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


SOURCE_LOCALE = "en"


@functools.lru_cache(maxsize=1 << 16)
def long_date(date: dt.date, locale: str) -> str:
    """A date as every page, feed, search result and Markdown file writes it, in Babel's
    `locale` (`3 août 2021`, `3. August 2021`, `٣ أغسطس ٢٠٢١` once `Labels.digits` has
    run): the one formatter, reached through `Labels.date`. Kept: Babel takes a third
    of a millisecond per date, and a large site writes the same few thousand dates on
    many pages.

    English is `3 August 2021` as briefgen always wrote it, unambiguous on both sides of
    the Atlantic (CLDR's `en` long format is the American `August 3, 2021`); it is
    Babel's `d MMMM y` (a test holds them equal), written without importing Babel,
    whose date module costs an English build 50 ms to import.
    """
    if english(locale):
        return f"{date.day} {MONTH_NAMES[date.month - 1]} {date.year}"
    import babel
    import babel.dates

    pattern = babel.Locale.parse(locale).date_formats["long"]
    return str(babel.dates.format_date(date, pattern, locale=locale))


@functools.lru_cache(maxsize=1 << 12)
def month_and_year(year: int, month: int, locale: str) -> str:
    """`January 2020`, `janvier 2020`: a timeline entry that knows only its month."""
    if english(locale):
        return f"{MONTH_NAMES[month - 1]} {year}"
    import babel.dates

    return str(babel.dates.format_skeleton("yMMMM", dt.date(year, month, 1), locale=locale))


def partial_date(value: str, locale: str) -> str:
    """`2020`, `January 2020` or `3 January 2020` for a timeline's YYYY[-MM[-DD]]."""
    year, month, day = partial_date_key(value)
    if not month:
        return str(year)
    if not day:
        return month_and_year(year, month, locale)
    return long_date(dt.date(year, month, day), locale)


def english(locale: str) -> bool:
    return locale.split("_")[0] == SOURCE_LOCALE
