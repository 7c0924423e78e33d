"""What a page needs to know about a language: its direction, its quotation marks, its name.

Tags are BCP 47 (`schema.language_tag` has normalised them). Facts are looked up for the
whole tag, then for its language and script, then its language alone (`de-CH`, then `de`),
so a regional convention can differ from its language's.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import NamedTuple

from markupsafe import Markup

from briefgen.vocabulary import quotemarks

RTL_LANGUAGES = frozenset(
    {"ar", "arc", "azb", "bal", "bqi", "ckb", "dv", "fa", "glk", "he", "iw", "khw"}
    | {"ks", "lrc", "mzn", "nqo", "pnb", "prs", "ps", "sd", "syr", "ug", "ur", "yi"}
)
"""Languages written right to left by default (CLDR's character order)."""
RTL_SCRIPTS = frozenset(
    {"Adlm", "Arab", "Hebr", "Mand", "Mend", "Nkoo", "Rohg", "Samr", "Syrc", "Thaa", "Yezi"}
)
"""Scripts written right to left: a script subtag decides (`ku-Arab`, `az-Arab`)."""

QUOTATION_MARKS: dict[str, tuple[str, str]] = {
    # CLDR's quotationStart and quotationEnd (common/main/*.xml, delimiters); French
    # typography's narrow no-break space inside guillemets is part of the mark.
    "ar": ("\u201d", "\u201c"),
    "bg": ("\u201e", "\u201c"),
    "ca": ("\u00ab", "\u00bb"),
    "cs": ("\u201e", "\u201c"),
    "da": ("\u201c", "\u201d"),
    "de": ("\u201e", "\u201c"),
    "de-CH": ("\u00ab", "\u00bb"),
    "el": ("\u00ab", "\u00bb"),
    "en": ("\u201c", "\u201d"),
    "es": ("\u00ab", "\u00bb"),
    "fa": ("\u00ab", "\u00bb"),
    "fi": ("\u201d", "\u201d"),
    "fr": ("\u00ab\u202f", "\u202f\u00bb"),
    "fr-CH": ("\u00ab", "\u00bb"),
    "he": ("\u201d", "\u201d"),
    "hu": ("\u201e", "\u201d"),
    "it": ("\u00ab", "\u00bb"),
    "ja": ("\u300c", "\u300d"),
    "ko": ("\u201c", "\u201d"),
    "ku": ("\u00ab", "\u00bb"),
    "nb": ("\u00ab", "\u00bb"),
    "nl": ("\u2018", "\u2019"),
    "pl": ("\u201e", "\u201d"),
    "pt": ("\u201c", "\u201d"),
    "pt-PT": ("\u00ab", "\u00bb"),
    "ro": ("\u201e", "\u201d"),
    "ru": ("\u00ab", "\u00bb"),
    "sv": ("\u201d", "\u201d"),
    "tr": ("\u201c", "\u201d"),
    "uk": ("\u00ab", "\u00bb"),
    "ur": ("\u201d", "\u201c"),
    "zh": ("\u201c", "\u201d"),
    "zh-Hant": ("\u300c", "\u300d"),
}
DEFAULT_MARKS = ("\u201c", "\u201d")

NAMES = {
    "ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fa": "Persian",
    "fr": "French", "he": "Hebrew", "it": "Italian", "ja": "Japanese", "ko": "Korean",
    "ku": "Kurdish", "nl": "Dutch", "pl": "Polish", "pt": "Portuguese", "ru": "Russian",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "zh": "Chinese",
}  # fmt: skip


def lookups(tag: str) -> list[str]:
    """`sr-Latn-RS` → sr-Latn-RS, sr-Latn, sr: from the most to the least specific."""
    parts = tag.split("-")
    return ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]


def script_of(tag: str) -> str | None:
    return next((p for p in tag.split("-")[1:] if len(p) == 4 and p.isalpha()), None)


def direction(tag: str) -> str:
    """`rtl` or `ltr`: an explicit script decides (`ku-Arab`, `az-Latn`), else the language."""
    script = script_of(tag)
    if script in RTL_SCRIPTS:
        return "rtl"
    if script is not None:
        return "ltr"
    return "rtl" if tag.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


@functools.lru_cache(maxsize=1024)
def quotation_marks(tag: str) -> tuple[str, str]:
    """The opening and closing marks a reader of this language expects around a quote."""
    return next((QUOTATION_MARKS[t] for t in lookups(tag) if t in QUOTATION_MARKS), DEFAULT_MARKS)


def language_name(tag: str) -> str:
    """`French` for `fr` or `fr-CA`; the tag itself for a language without a name here."""
    return next((NAMES[t] for t in lookups(tag.lower()) if t in NAMES), tag)


def html_attributes(tag: str, around: str | None = None) -> dict[str, str]:
    """`lang` and, for right-to-left text, `dir` — left out where they would repeat what
    the surrounding element (`around`, the page's language) already says."""
    if around is not None and tag == around:
        return {}
    attributes = {"lang": tag}
    if around is None or direction(tag) != direction(around):
        attributes["dir"] = direction(tag)
    return attributes


OPENING = quotemarks.OPENING
CLOSING = quotemarks.CLOSING
"""Quote marks of every style, as they open and close a quotation (German „…“ and
»…«, French « … », Arabic ”…“ among them)."""
SINGLE = quotemarks.SINGLE


def unquoted(text: str) -> str:
    """`text` without one outer pair of quote marks, of any style, when it has one.

    Editors often keep the article's marks in a quote (`„Wir schaffen das“`); the page
    sets its own pair, so the editor's would double it. A pair is outer only when the
    marks inside balance (`"A" and "B"` is two quotes, not one).
    """
    stripped = text.strip()
    if len(stripped) < 3 or stripped[0] not in OPENING or stripped[-1] not in CLOSING:
        return text
    if (stripped[0] in SINGLE) != (stripped[-1] in SINGLE):
        return text  # a single mark cannot close a double one
    inner, opening, closing = stripped[1:-1], stripped[0], stripped[-1]
    double = stripped[0] not in SINGLE
    depth = 0
    for i, ch in enumerate(inner):
        if ch not in OPENING and ch not in CLOSING:
            continue
        if (ch in SINGLE) == double:
            continue  # the other family: an apostrophe, or a quote nested in the other style
        if ch == opening != closing:
            closes = False
        elif ch == closing != opening:
            closes = True
        else:  # a straight mark, or a style of its own: a mark after a word closes
            before = inner[i - 1] if i else " "
            closes = not before.isspace() and before not in "([{\u2014\u2013-"
        depth += -1 if closes else 1
        if depth < 0:
            return text
    return inner.strip() if depth == 0 else text


@functools.lru_cache(maxsize=1024)  # a page asks it for every quote it shows
def attributes_html(tag: str, around: str) -> str:
    """` lang="ar" dir="rtl"` for a template, or "" where the page's language holds."""
    return "".join(f' {name}="{value}"' for name, value in html_attributes(tag, around).items())


def right_to_left(text: str) -> bool:
    """Whether a name has right-to-left letters (Arabic, Hebrew, Syriac, Thaana, …)."""
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def left_to_right(text: str) -> bool:
    """Whether a name has left-to-right letters (Latin, Cyrillic, CJK, …): digits and
    punctuation take the direction around them, so they do not count."""
    return any(unicodedata.bidirectional(ch) == "L" for ch in text)


def foreign_direction(text: str, around: str) -> bool:
    """Whether `text` has letters written against the direction of the language `around`:
    Arabic letters on an English page, Latin ones on an Arabic page."""
    return right_to_left(text) if direction(around) == "ltr" else left_to_right(text)


def isolated(text: str, around: str = "en") -> Markup:
    """An editor's name or label inside the page's own words, escaped; wrapped in <bdi>
    when it has letters of the other direction than the page's (`around`), so the commas
    and parentheses around it stay in place."""
    if foreign_direction(text, around):
        return Markup("<bdi>{}</bdi>").format(text)
    return Markup.escape(text)


def in_language(text: str, tag: str, around: str) -> Markup:
    """`text` in a `<span lang dir>` when its language is not the page's, escaped: for
    words that share an element with the page's own (an arrow before a title), so the
    page's marks keep the page's direction."""
    attributes = attributes_html(tag, around)
    if not attributes:
        return Markup.escape(text)
    return Markup(f"<span{attributes}>{{}}</span>").format(text)


class Arrows(NamedTuple):
    """Arrows that point back and forward along the reading direction."""

    back: str
    forward: str


def arrows(tag: str) -> Arrows:
    """← and → for a left-to-right page; a right-to-left page reads towards the left, so
    its 'older' points right and its 'next' left (arrows are not mirrored by Unicode)."""
    return Arrows("\u2192", "\u2190") if direction(tag) == "rtl" else Arrows("\u2190", "\u2192")
