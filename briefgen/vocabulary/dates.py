"""Dates as readers see them: one spelling everywhere, independent of the machine's locale."""

from __future__ import annotations

import datetime as dt
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


def human_date(date: dt.date) -> str:
    """`3 August 2021`: unambiguous for readers on both sides of the Atlantic."""
    return f"{date.day} {MONTH_NAMES[date.month - 1]} {date.year}"


def human_partial_date(value: str) -> str:
    """`2020`, `January 2020` or `3 January 2020` for a timeline's YYYY[-MM[-DD]]."""
    year, month, day = partial_date_key(value)
    if not month:
        return str(year)
    if not day:
        return f"{MONTH_NAMES[month - 1]} {year}"
    return human_date(dt.date(year, month, day))
