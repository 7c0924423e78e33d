"""Quote marks of every typography, in one table that everything about quote marks
derives from: matching (which marks count as the same), `briefgen new` (which mark may
close a passage another opens) and the page (which outer pair an editor's quote keeps).

Kept apart, the three lists drifted; a mark added here reaches all three, and
tests/test_languages.py checks that no module keeps a list of its own.
"""

from __future__ import annotations

from typing import NamedTuple


class Mark(NamedTuple):
    """What one quote mark (or a character typed for one) does."""

    folds_to: str
    """The straight mark matching reads it as (`"` or `'`), or "" when it counts as itself;
    the marks folding to `'` are the single ones, which an apostrophe may also be."""
    opens: bool
    """It may open an outer quotation an editor kept around a quote (`„Wir schaffen das“`)."""
    closes: bool
    """It may close one."""
    closed_by: str = ""
    """The marks that may close a passage it opens in a seed, pastes that mix styles
    included (`“…"`, `«…"`); "" when `briefgen new` does not take it for an opening mark."""


MARKS: dict[str, Mark] = {
    "\u201c": Mark('"', True, True, '\u201d\u201c"'),  # “…” English; “…“ a closing one pasted
    "\u201e": Mark('"', True, False, '\u201c\u201d"'),  # „…“ German, „…” Polish
    "\u201d": Mark('"', True, True, '\u201d\u201c"'),  # ”…” Swedish; ”…“ right-to-left as seen
    '"': Mark('"', True, True, '"\u201d\u201c'),
    "\u00ab": Mark('"', True, True, '\u00bb"'),  # «…» French, Arabic; ” or “ nest inside
    "\u00bb": Mark('"', True, True, "\u00ab"),  # »…« German, Danish
    "\u2018": Mark("'", True, True, "\u2019'"),  # ‘…’
    "\u201a": Mark("'", True, False, "\u2018\u2019'"),  # ‚…‘ German
    "'": Mark("'", True, True, "'\u2019"),
    "\u2039": Mark("", True, True, "\u203a"),  # ‹…› French, Swiss
    "\u203a": Mark("", True, True, "\u2039"),  # ›…‹ German
    "\u300c": Mark("", True, False, "\u300d"),  # 「…」
    "\u300e": Mark("", True, False, "\u300f"),  # 『…』
    "\u300d": Mark("", False, True),
    "\u300f": Mark("", False, True),
    "\u201f": Mark('"', True, True),  # ‟
    "\u2019": Mark("'", True, True),  # ’ (mostly an apostrophe)
    "\u201b": Mark("'", True, True),  # ‛
    # Typed for quote marks, and read as them by matching only:
    "\u2033": Mark('"', False, False),  # ″ double prime
    "\u301d": Mark('"', False, False),  # 〝
    "\u301e": Mark('"', False, False),  # 〞
    "\u2032": Mark("'", False, False),  # ′ prime
    "\u02bc": Mark("'", False, False),  # ʼ modifier letter apostrophe
    "\u0060": Mark("'", False, False),  # ` grave accent
    "\u00b4": Mark("'", False, False),  # ´ acute accent
}

FOLDS = {c: m.folds_to for c, m in MARKS.items() if m.folds_to and c != m.folds_to}
"""Each typographic mark matching reads as a straight one."""
DASHES = dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-")
"""Dashes of every typography, read as a hyphen beside the marks (`Al–Kadhimi`)."""
TYPOGRAPHIC = {**FOLDS, **DASHES}
"""What matching and name identity read as the straight marks and the hyphen."""
OPENING = "".join(c for c, m in MARKS.items() if m.opens)
CLOSING = "".join(c for c, m in MARKS.items() if m.closes)
SINGLE = "".join(c for c, m in MARKS.items() if m.folds_to == "'")
OPENERS = {c: m.closed_by for c, m in MARKS.items() if m.closed_by}
"""Each mark that opens a passage in a seed, and the marks that may close it."""
