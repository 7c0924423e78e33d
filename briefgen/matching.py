"""Finding an editor's words in a seed, the way the spec defines a match.

Matching ignores typographic vs straight quotes and apostrophes, dash kinds and runs of
whitespace — nothing else: case and words count. Text is normalised once, keeping a map
from each normalised character back to the original, so a match can be reported (and
marked up) at its exact place in the seed.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass

QUOTES = dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e", '"')
APOSTROPHES = dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4", "'")
DASHES = dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-")
FOLD = {**QUOTES, **APOSTROPHES, **DASHES}
ELISION = re.compile(r"\s*(?:\(\s*(?:…|\.\.\.)\s*\)|\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)\s*")
"""The elision marks a quote may use: (…) […] [...] (...) … and ..."""


@dataclass(frozen=True)
class Normalized:
    """Text folded for matching, and how to map its offsets back to the original.

    Folding maps characters one to one; only whitespace runs shrink (to one space). So
    the map is kept as segments — where each run of kept text or whitespace starts in both
    texts — which costs O(runs), not O(characters).
    """

    text: str
    starts: tuple[int, ...]
    """Start offset in `text` of each segment."""
    sources: tuple[int, ...]
    """Start offset in the original of each segment."""
    spaces: tuple[bool, ...]
    """Whether each segment is a collapsed whitespace run (one character in `text`)."""
    length: int
    """Length of the original text."""

    def original(self, i: int) -> int:
        """The original offset of text[i] (len(original) for i == len(text))."""
        if i >= len(self.text):
            return self.length
        k = bisect.bisect_right(self.starts, i) - 1
        return self.sources[k] + (0 if self.spaces[k] else i - self.starts[k])

    @property
    def origin(self) -> tuple[int, ...]:
        """origin[i] is the original offset of text[i]; one extra entry at the end."""
        return tuple(self.original(i) for i in range(len(self.text) + 1))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the normalised span [start, end)."""
        if end <= start:
            return self.original(start), self.original(start)
        return self.original(start), self.original(end - 1) + 1


SPACE_TABLE = {chr(cp): " " for cp in range(0x3100) if chr(cp).isspace()}
FOLD_TABLE = str.maketrans({**FOLD, **SPACE_TABLE})
"""Quotes, apostrophes and dashes folded, and every whitespace character made a space:
all one for one, so only runs of two or more spaces change offsets."""
SPACE_RUN = re.compile(r"  +")


def normalize(text: str) -> Normalized:
    """Fold quotes, apostrophes and dashes; collapse whitespace runs to one space."""
    folded = text.translate(FOLD_TABLE)
    if "  " not in folded:
        return Normalized(folded, (0,), (0,), (False,), len(text))
    parts: list[str] = []
    starts: list[int] = []
    sources: list[int] = []
    spaces: list[bool] = []
    pos = out = 0
    for m in SPACE_RUN.finditer(folded):
        s, e = m.span()
        if s > pos:
            parts.append(folded[pos:s])
            starts.append(out)
            sources.append(pos)
            spaces.append(False)
            out += s - pos
        parts.append(" ")
        starts.append(out)
        sources.append(s)
        spaces.append(True)
        out += 1
        pos = e
    if pos < len(folded):
        parts.append(folded[pos:])
        starts.append(out)
        sources.append(pos)
        spaces.append(False)
    return Normalized("".join(parts), tuple(starts), tuple(sources), tuple(spaces), len(text))


def fold(text: str) -> str:
    """The normalised form alone, trimmed: for comparing editor-typed strings."""
    return SPACE_RUN.sub(" ", text.translate(FOLD_TABLE)).strip()


def split_elisions(quote: str) -> list[str]:
    """The pieces of a quote between elision marks, normalised; empty pieces dropped."""
    return [piece for piece in (fold(p) for p in ELISION.split(quote)) if piece]


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def find_all(haystack: str, needle: str, start: int = 0) -> list[int]:
    """Offsets of `needle` in `haystack` that do not cut a word in two.

    "act" must not match inside "action": words count, so a match whose edge is a
    letter or digit must sit at a word boundary.
    """
    found: list[int] = []
    if not needle:
        return found
    i = haystack.find(needle, start)
    while i >= 0:
        end = i + len(needle)
        left_ok = not is_word_char(needle[0]) or i == 0 or not is_word_char(haystack[i - 1])
        right_ok = (
            not is_word_char(needle[-1]) or end == len(haystack) or not is_word_char(haystack[end])
        )
        if left_ok and right_ok:
            found.append(i)
        i = haystack.find(needle, i + 1)
    return found


def match_pieces(paragraph: Normalized, pieces: list[str]) -> list[tuple[int, int]] | None:
    """Normalised spans where `pieces` occur in order in one paragraph, or None.

    Tries each place the first piece occurs, then places every later piece as early as
    possible after its predecessor: earliest placement finds a match whenever one exists.
    """
    if not pieces:
        return None
    for first in find_all(paragraph.text, pieces[0]):
        spans = [(first, first + len(pieces[0]))]
        for piece in pieces[1:]:
            hits = find_all(paragraph.text, piece, spans[-1][1])
            if not hits:
                break
            spans.append((hits[0], hits[0] + len(piece)))
        else:
            return spans
    return None


@dataclass(frozen=True)
class Closest:
    """The passage of a paragraph that best resembles a failed quote or anchor."""

    start: int
    """Offset in the original paragraph text."""
    end: int
    ratio: float
    """Similarity, 0–1 (difflib's ratio over words)."""


PUNCTUATION = "\"'.,;:!?()[]{}-…"


def word_key(word: str) -> str:
    """A word as similarity sees it: no surrounding punctuation, no case."""
    return fold(word).strip(PUNCTUATION).casefold()


def closest_passage(paragraph: str, wanted: str) -> Closest | None:
    """The run of words in `paragraph` most like `wanted`, for "did you mean" messages.

    Windows of the wanted length, one word shorter and one longer, are ranked by the
    fewest word edits (a changed, missing or extra word costs one), then by words in
    common, then by the same length — so a misspelt word shows as changed rather than as
    missing — then by words in the same places. Tokens of punctuation alone (a dash)
    are not words.
    """
    norm = normalize(paragraph)
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", norm.text) if word_key(m[0])]
    target = [word_key(w) for w in fold(wanted).split() if word_key(w)]
    if not words or not target:
        return None
    keys = [word_key(norm.text[s:e]) for s, e in words]
    best: Closest | None = None
    best_rank: tuple[int, int, bool, int] | None = None
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)
    width = len(target)
    for size in sorted({max(1, width - 1), width, width + 1}):
        for i in range(0, max(1, len(words) - size + 1)):
            window = keys[i : i + size]
            matcher.set_seq1(window)
            edits = sum(
                max(i2 - i1, j2 - j1)
                for tag, i1, i2, j1, j2 in matcher.get_opcodes()
                if tag != "equal"
            )
            same = sum(block.size for block in matcher.get_matching_blocks())
            aligned = sum(1 for a, b in zip(window, target, strict=False) if a == b)
            rank = (-edits, same, len(window) == width, aligned)
            if best_rank is None or rank > best_rank:
                best_rank = rank
                start, end = norm.span(words[i][0], words[i + len(window) - 1][1])
                best = Closest(start, end, same / max(len(window), width))
    return best


def mark_differences(found: str, wanted: str) -> str:
    """`found` with the words that differ from `wanted` wrapped in »…«, for messages.

    Words the editor wrote that the seed lacks show as »(not in seed: …)«.
    """
    a, b = found.split(), fold(wanted).split()

    def exact(words: list[str]) -> list[str]:
        # Case and punctuation count, as in matching; quotes around a word do not, nor
        # punctuation at the passage's edges, which are cut at word boundaries.
        keys = [fold(w).strip("\"'«»()[]") for w in words]
        if keys:
            keys[0] = keys[0].lstrip(PUNCTUATION)
            keys[-1] = keys[-1].rstrip(PUNCTUATION)
        return keys

    matcher = difflib.SequenceMatcher(a=exact(a), b=exact(b), autojunk=False)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        chunk = " ".join(a[i1:i2])
        if tag == "equal":
            out.append(chunk)
        elif tag == "insert":
            out.append(f"»(not in seed: {' '.join(b[j1:j2])})«")
        else:
            out.append(f"»{chunk}«")
    return " ".join(out)
