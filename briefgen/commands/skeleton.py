"""`briefgen new`: a sidecar skeleton written from what the seed itself says.

It finds every quoted passage of the body — in double or single quotes of any common
typography (“…” „…“ «…» »…« ‘…’ ‚…‘ ‹…› 「…」, straight ones, mixed styles, a closing
quote pasted as an opening one), never taking an apostrophe for a quote mark — and the
names that recur, so the editor starts from the article's own material instead of a blank
page.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass

import yaml

from briefgen.commands.candidates import guess_language, name_candidates, speaker_hint
from briefgen.stages.seeds import Seed
from briefgen.vocabulary import quotemarks

OPENERS = quotemarks.OPENERS
"""Each opening quote mark and the marks that may close it. Pastes mix styles (“…", „…",
«…", "…”), so a straight quote closes “ „ ” and «, and ” or “ closes a straight one; the
same for single quotes."""
CLOSES = {
    c: frozenset(o for o, cs in OPENERS.items() if c in cs) for c in "".join(OPENERS.values())
}
"""Each closing mark and the opening marks it may close."""
MARKS = "[" + re.escape("".join(sorted({*OPENERS, *CLOSES}))) + "]"
MARK_RE = re.compile(f"{MARKS}(?!{MARKS})|(?<!{MARKS}){MARKS}")
"""A quote mark, unless between two others: that one would open or close a passage that
begins or ends with a quote mark (triple nesting, which news copy does not have). So a run
of marks costs two steps of the scan, however long it is."""
SINGLES = "'\u2018\u2019\u201a"
"""The marks that are also written as apostrophes."""
SPACED = "\u00ab\u2039"
"""Opening marks French typography follows with a space: « Il… »."""
TIGHT = "\u00ab\u2039"
"""Closing marks of reversed guillemets (»…«, ›…‹): they close only touching the word
before, so the « of a French « … » never closes a stray »."""
BRACKETS = "\u300c\u300d\u300e\u300f"
"""CJK corner brackets: unambiguous, and written between letters, with no spaces."""
PROCLITICS = "\u0648\u0641\u0628\u0644\u0643"
"""Arabic one-letter words written joined to the next (و and, ف so, ب by, ل for, ك as):
و"الحشد" is "and «al-Hashd»", so an opening mark may follow them."""
TATWEEL = "\u0640"
"""The Arabic joining stroke: after a prefix, it ends no word."""
NOT_AFTER_OPENER = ",;:!?)]}\u060c\u061b\u061f"
"""What never starts a quoted passage: a mark before them closes one (message “, assured)."""
ONLY_OPENS = "\u00bf\u00a1\u201e\u201a"
"""Punctuation that only starts something (¿ ¡ „ ‚): a mark before it never closes."""
ELIDED = re.compile(r"\d\d(?!\d)|(?:em|tis|twas|til)\b", re.IGNORECASE)
"""What follows a word-initial apostrophe: a decade or year ('90s, '98) or a stock elision."""


@dataclass(frozen=True)
class Passage:
    """A quoted passage of the body."""

    text: str
    """The words between the marks."""
    line: int
    col: int
    """Where the opening mark is in the seed file."""
    said_by: str = ""
    """The speaker a speech verb of the same sentence names, for the editor to confirm."""


def apostrophe(text: str, i: int) -> bool:
    """Whether the ' ’ or ‘ at text[i] is an apostrophe, which never opens or closes a quote.

    Between letters or digits it marks an elision or a possessive (don't, l'armée,
    aujourd’hui, 90's) or transliterates a hamza or an ayn (Ja'far, Shi'ite, Al-Qa'ida,
    and al-'Aziz after the article's hyphen). At the start of a word it stands for dropped
    letters before a decade or a stock elision ('90s, 'em), and both marks of rock 'n' roll
    do. A letter before and a space after (the militias' action) may be a plural possessive
    or the end of a single-quoted passage: `quoted_spans` decides that one from what follows.
    """
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1 : i + 2]
    if before.isalnum() and after.isalnum():
        return True
    if before == "-" and i >= 2 and text[i - 2].isalpha() and after.isalpha():
        return True
    if not before.isalnum() and ELIDED.match(text, i + 1):
        return True
    # 'n' between words: the opening mark, then the closing one.
    if after and after in "nN" and text[i + 2 : i + 3] in ("'", "\u2019"):
        return not before.isalnum() and not text[i + 3 : i + 4].isalnum()
    if before and before in "nN" and i >= 2 and text[i - 2] in SINGLES:
        return not after.isalnum() and not (i >= 3 and text[i - 3].isalnum())
    return False


def touches_word(text: str, i: int) -> bool:
    """Whether text[i] follows the end of a word, as an opening mark never does (a one-letter
    Arabic proclitic is not the end of one, nor a tatweel: لـ«الشرق الأوسط» joins a
    proclitic to the mark, as Arabic writes a prefix before what does not join)."""
    if i == 0 or not text[i - 1].isalnum() or text[i - 1] == TATWEEL:
        return False
    return not (text[i - 1] in PROCLITICS and not (i >= 2 and text[i - 2].isalnum()))


@functools.cache
def ends_passage(after: str) -> bool:
    """Whether what follows a mark lets it close a passage: a space or punctuation of any
    script (”. », "، ’” “)), but not what only ever starts something (( ¿ „): a mark
    before those opens a passage."""
    if after.isspace():
        return True
    category = unicodedata.category(after)
    return category[0] == "P" and category != "Ps" and after not in ONLY_OPENS


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the opening and closing mark of every outermost quoted passage of `text`.

    One scan with a stack of open marks, so it is linear even in a paragraph of unclosed
    quotes. A closing mark closes the innermost open mark it may close, dropping unclosed
    ones inside it; a mark that may open or close (a straight quote) closes when something
    is open for it. A passage nested in another (“He said ‘no’ to me”) is not listed, as
    the editor quotes the outer one — unless the outer one never closes.

    A single mark after a letter and before a space (the militias' action) is a possessive
    unless a single quote is open: then it closes it, unless a closing single mark follows
    before anything opens (‘The militias’ action was illegal,’ he said).
    """
    text = f" {text} "  # so every mark has a character on each side; offsets are one more
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[int, str]] = []
    closable = dict.fromkeys(CLOSES, 0)  # how many open marks each closing mark may close
    tentative = 0  # when > 0, a possessive-or-closing mark that closes stack[-1] if need be

    def pop() -> None:
        nonlocal tentative
        start, mark = stack.pop()
        for c in OPENERS[mark]:
            closable[c] -= 1
        if tentative:
            pairs.append((start - 1, tentative - 1))
            tentative = 0

    for m in MARK_RE.finditer(text):
        i = m.start()
        ch, before, after = text[i], text[i - 1], text[i + 1]
        if (before.isalnum() or after.isalnum()) and ch in SINGLES and apostrophe(text, i):
            continue
        if closable.get(ch) and (
            ch in BRACKETS or (ends_passage(after) and not (ch in TIGHT and before.isspace()))
        ):
            if ch in "'\u2019" and before.isalpha() and after.isspace():
                if not tentative and stack[-1][1] in CLOSES[ch] and stack[-1][0] < i - 1:
                    tentative = i
                continue
            while stack[-1][1] not in CLOSES[ch]:
                pop()
            if stack[-1][0] < i - 1:
                tentative = 0
                pairs.append((stack[-1][0] - 1, i - 1))
                pop()
                continue
        if ch in OPENERS and (
            ch in BRACKETS
            or (
                not (before.isalnum() and touches_word(text, i))
                and (ch in SPACED or not after.isspace())
                and after not in NOT_AFTER_OPENER
            )
        ):
            if tentative:
                pop()
            stack.append((i, ch))
            for c in OPENERS[ch]:
                closable[c] += 1
    if tentative:
        pop()
    pairs.sort()
    outermost: list[tuple[int, int]] = []
    for start, end in pairs:
        if not outermost or start > outermost[-1][1]:
            outermost.append((start, end))
    return outermost


def quoted_passages(seed: Seed, language: str = "") -> list[Passage]:
    """Every quoted passage of the seed body, in order, each with the speaker its sentence
    names in `language` (see `candidates.speaker_hint`)."""
    found: list[Passage] = []
    for paragraph in seed.paragraphs:
        for start, end in quoted_spans(paragraph.text):
            words = paragraph.text[start + 1 : end].strip()
            if any(ch.isalnum() for ch in words):
                said_by = speaker_hint(paragraph.text, start, end, language)
                found.append(Passage(words, *paragraph.locate(start), said_by))
    return found


def seed_language(seed: Seed, default: str = "") -> str:
    """The seed's language as its function words tell, else `default` (the site's)."""
    return guess_language([seed.headline, *(p.text for p in seed.paragraphs)], default)


def recurring_names(seed: Seed, limit: int = 15, language: str = "") -> list[str]:
    """Names that occur more than once (headline included), most frequent first; see
    `candidates` for what is not taken for a name."""
    blocks = [seed.headline, *(p.text for p in seed.paragraphs)]
    return name_candidates(blocks, seed_language(seed, language), limit)


def registered_in_seed(
    seed: Seed, spellings: Iterable[tuple[str, str, str]], proposed: Container[object]
) -> list[tuple[str, str, str]]:
    """The register's entries the seed names (as whole words), once each, in the order
    of the register, leaving out those the recurring names already propose."""
    body = "\n".join(p.text for p in seed.paragraphs)
    found: dict[str, tuple[str, str, str]] = {}
    for spelling, ident, name in spellings:
        if ident in found or (ident, name) in proposed:
            continue
        if re.search(rf"(?<!\w){re.escape(spelling)}(?!\w)", body):
            found[ident] = (spelling, ident, name)
    return list(found.values())


def in_register(entry: tuple[str, str] | None) -> str:
    """`  # in register: pmf (Popular Mobilization Forces)`, for a name the register has."""
    return f"  # in register: {entry[0]} ({entry[1]})" if entry else ""


def scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly `value`."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=10**6)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def no_register(name: str) -> tuple[str, str] | None:
    del name
    return None


def sidecar_skeleton(
    seed: Seed,
    schema_ref: str,
    language: str = "",
    registered: Callable[[str], tuple[str, str] | None] = no_register,
    spellings: Iterable[tuple[str, str, str]] = (),
) -> str:
    """The text of `seeds/<slug>.yml` for a new seed; `language` is the site's, used when
    the article's own words do not tell its language. `registered(name)` is the register
    entry (id, name) a name is a spelling of: the skeleton marks those, and proposes
    `about:` for them, and for every other register spelling (spelling, id, name) found
    in the seed's words."""
    language = seed_language(seed, language)
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# Sidecar for {seed.path}, started by `briefgen new`. Fill in the blanks, then run",
        "# `briefgen check`: it reports what is still missing, with file:line:col.",
        f"title: {scalar(seed.headline)}",
        # The date line's reading, as a comment: written as a key it would keep that
        # reading even after article.language changes how the line reads (03/04/2020).
        f"# date: {seed.date.isoformat()}  (read from the date line; uncomment to override)",
        "summary:  # required: the bottom line up front (Markdown); cite with [^source-id]",
        "key_points: []",
        "tags: []",
        "article:",
        "  publisher:",
        "  url:",
        "  language:  # BCP 47 tag of the article (ar, fr, de-CH); default: the site's",
    ]
    passages = quoted_passages(seed, language)
    if passages:
        lines.append("quotes:")
        for p in passages:
            entry = registered(p.said_by) if p.said_by else None
            lines += [
                f"  # {seed.path}:{p.line}:{p.col}",
                f"  - text: {scalar(p.text)}",
                f"    speaker:  # said by: {p.said_by}?{in_register(entry)}"
                if p.said_by
                else "    speaker:  # who said it? (required)",
            ]
    else:
        lines.append("quotes: []")
    lines.append("annotations: []")
    names = recurring_names(seed, language=language)
    if names:
        lines.append("# Names that recur in the seed; uncomment those a reader needs explained:")
        for name in names:
            entry = registered(name)
            if entry:
                lines += [
                    f"#  - anchor: {scalar(name)}{in_register(entry)}",
                    f"#    about: {entry[0]}",
                ]
            else:
                lines += [f"#  - anchor: {scalar(name)}", "#    note:", "#    sources: []"]
    in_seed = registered_in_seed(seed, spellings, {registered(n) for n in names})
    if in_seed:
        lines.append("# In the register; uncomment those a reader needs explained:")
        for spelling, ident, name in in_seed:
            anchor = f"#  - anchor: {scalar(spelling)}{in_register((ident, name))}"
            lines += [anchor, f"#    about: {ident}"]
    lines += ["timeline: []", "sources: {}"]
    return "\n".join(lines) + "\n"
