"""Finding an editor's words in a seed, the way the spec defines a match.

Matching ignores typography, and nothing else: typographic vs straight quotes and
apostrophes, dash kinds, runs of whitespace, the space French typography puts before
``: ; ? ! » ›`` and after ``« ‹`` (optional on both sides; since quote kinds do not
count, a space next to any double quote mark is), and Arabic harakat and tatweel. Case,
words and all other punctuation count. One more allowance is for Arabic script, where
conjunctions and prepositions are written as one-letter prefixes: a quote (or an elided
piece of one) may start inside a seed word to leave out such a prefix.

Text is normalised once, keeping a map from each normalised character back to the
original, so a match can be reported (and marked up) at its exact place in the seed.

A quote that fails is explained by `Passages.closest` (the most similar run of words, as
`mark_differences` shows it) or by `find_parts` (all its words are there, with words
between them that the quote leaves out without an elision mark).
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate, compress, count

from briefgen.vocabulary import quotemarks

QUOTES = {c: s for c, s in quotemarks.FOLDS.items() if s == '"'}
APOSTROPHES = {c: s for c, s in quotemarks.FOLDS.items() if s == "'"}
DASHES = quotemarks.DASHES
FOLD = quotemarks.TYPOGRAPHIC
MARKS = "\u0640" + "".join(map(chr, range(0x064B, 0x0653)))
"""Dropped in matching: Arabic tatweel (U+0640) and harakat (tanween, fatha, damma,
kasra, shadda, sukun: U+064B–U+0652), which an editor may type or leave out."""
DOUBLE_QUOTES = '"' + "".join(QUOTES)
SPACE_AFTER = "\u2039" + DOUBLE_QUOTES
"""A space after these is optional: French typography puts one inside « » and ‹ ›. As
quote kinds do not count, a space on either side of any double quote mark is optional
(an editor may type " for «, or « for ”)."""
SPACE_BEFORE = ":;?!\u203a" + DOUBLE_QUOTES
"""A space before these is optional: French typography puts one there."""
PROCLITICS = "\u0648\u0641\u0628\u0644\u0643"
"""و ف ب ل ك: the one-letter Arabic proclitics (and, so, with, for, like) a quote's first
word may leave out."""
IGNORED = (
    "matching ignores quote, apostrophe and dash styles, spacing (also whether a space "
    "stands before : ; ? ! ›, after ‹ or next to a double quote mark, as French typography "
    "puts inside « »), Arabic harakat and tatweel, and "
    "a one-letter proclitic و ف ب ل ك on the first word of a quote or elided piece; "
    "case, words and all other punctuation count"
)
"""What a misquote's hint says: exactly what `normalize` and `find_first` let pass."""
ELISION = re.compile(r"\s*(?:\(\s*(?:…|\.\.\.)\s*\)|\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)\s*")
"""The elision marks a quote may use: (…) […] [...] (...) … and ..."""


@dataclass(frozen=True)
class Normalized:
    """Text folded for matching, and how to map its offsets back to the original.

    Folding maps characters one to one; whitespace runs shrink to one space (or none,
    where the space is optional), and tatweel and harakat are dropped. So the map is kept
    as segments — where each run of kept text or whitespace starts in both texts — which
    costs O(runs), not O(characters).
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
    source: str = field(default="", repr=False, compare=False)
    """The original text (only read to extend a span over the marks it drops)."""

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
        """The original span of the normalised span [start, end).

        The span ends after the harakat and tatweel on its last letter: they belong to
        that letter, and a footnote placed between the two would detach them.
        """
        if end <= start:
            return self.original(start), self.original(start)
        stop = self.original(end - 1) + 1
        while stop < len(self.source) and self.source[stop] in MARKS:
            stop += 1
        return self.original(start), stop


SPACE_TABLE = str.maketrans({chr(cp): " " for cp in range(0x3100) if chr(cp).isspace()})
"""Every whitespace character made a space (one for one)."""
FOLD_TABLE = str.maketrans({**FOLD, **{chr(k): v for k, v in SPACE_TABLE.items()}})
"""Quotes, apostrophes and dashes folded, and every whitespace character made a space:
all one for one, so only the changes EVENT finds move offsets."""


class OneForOne:
    """`str.translate` with a table that maps characters one for one, done as a regex
    substitution of just the characters it changes.

    A seed paragraph has a typographic quote, so it is not ASCII, and `translate` then
    looks up every character in the table; the characters that change are a few in a
    paragraph, and finding them is the regex engine's job (8x faster, measured).
    """

    def __init__(self, table: dict[int, str]) -> None:
        changes = {chr(k): v for k, v in table.items() if chr(k) != v}
        self.pattern = re.compile("[" + re.escape("".join(changes)) + "]")
        self.replace = changes.__getitem__

    def __call__(self, text: str) -> str:
        return self.pattern.sub(lambda m: self.replace(m[0]), text)


folded_chars = OneForOne(FOLD_TABLE)
spaced_chars = OneForOne(SPACE_TABLE)
EVENT = re.compile(
    rf"(?=[ {MARKS}])"  # each alternative starts at one of these: tried first, it is quick
    rf"(?:[ {MARKS}]*[{MARKS}][ {MARKS}]*|  +"
    rf"|(?<=[{SPACE_AFTER}]) | (?=[{re.escape(SPACE_BEFORE)}]))"
)
"""Where normalising changes length (on text with whitespace made spaces): a run holding
marks, a run of spaces, or a single space that may be optional."""


def normalize(text: str) -> Normalized:
    """Fold quotes, apostrophes and dashes; collapse whitespace runs to one space, or to
    none where French typography puts an optional one; drop harakat and tatweel.

    A short text is remembered (a Normalized is a value): verifying a quote folds each
    of its pieces twice (`raw_pieces`, then `split_elisions` or the verifier), half of
    all calls. A seed's paragraphs, normalised once each, are not: held, they would
    push the pieces out, and a server would keep a thousand of them between builds
    (found by review: up to 0.9 MB each)."""
    if len(text) <= REMEMBERED:
        return remembered(text)
    return normalized(text)


REMEMBERED = 1000
"""The longest text `normalize` remembers (a quote's piece is far shorter)."""


@functools.lru_cache(maxsize=1024)
def remembered(text: str) -> Normalized:
    return normalized(text)


def normalized(text: str) -> Normalized:
    folded = folded_chars(text)
    probe = spaced_chars(text)  # guillemets still told apart from other quotes
    if not EVENT.search(probe):
        return Normalized(folded, (0,), (0,), (False,), len(text), text)
    parts: list[str] = []
    starts: list[int] = []
    sources: list[int] = []
    spaces: list[bool] = []
    pos = out = 0
    for m in EVENT.finditer(probe):
        s, e = m.span()
        if s > pos:
            parts.append(folded[pos:s])
            starts.append(out)
            sources.append(pos)
            spaces.append(False)
            out += s - pos
        pos = e
        run = probe[s:e]
        if " " not in run:
            continue
        if (s and probe[s - 1] in SPACE_AFTER) or (e < len(probe) and probe[e] in SPACE_BEFORE):
            continue
        parts.append(" ")
        starts.append(out)
        sources.append(s + run.index(" "))
        spaces.append(True)
        out += 1
    if pos < len(folded):
        parts.append(folded[pos:])
        starts.append(out)
        sources.append(pos)
        spaces.append(False)
    if not starts:  # only marks and optional spaces
        return Normalized("", (0,), (0,), (False,), len(text), text)
    return Normalized("".join(parts), tuple(starts), tuple(sources), tuple(spaces), len(text), text)


def fold(text: str) -> str:
    """The normalised form alone, trimmed: for comparing editor-typed strings."""
    return normalize(text).text.strip()


def raw_pieces(quote: str) -> list[str]:
    """The pieces of a quote between elision marks, as typed; empty pieces dropped."""
    return [piece.strip() for piece in ELISION.split(quote) if fold(piece)]


def split_elisions(quote: str) -> list[str]:
    """The pieces of a quote between elision marks, normalised; empty pieces dropped."""
    return [fold(piece) for piece in raw_pieces(quote)]


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def is_arabic_letter(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" and ch.isalpha()


def find_first(haystack: str, needle: str, start: int = 0, *, proclitic: bool = False) -> int:
    """The first offset >= start of `needle` in `haystack` that cuts no word in two, or -1.

    "act" must not match inside "action": words count, so a match whose edge is a letter
    or digit must sit at a word boundary. With `proclitic`, an Arabic needle may also
    start right after one of PROCLITICS that itself starts a word: "كل" in "وكل", never
    in "تكل" or after two prefix letters.
    """
    if not needle:
        return -1
    left_word = is_word_char(needle[0])
    right_word = is_word_char(needle[-1])
    may_drop = proclitic and is_arabic_letter(needle[0])
    size = len(haystack)
    i = haystack.find(needle, start)
    while i >= 0:
        end = i + len(needle)
        left_ok = (
            not left_word
            or i == 0
            or not is_word_char(haystack[i - 1])
            or (
                may_drop
                and haystack[i - 1] in PROCLITICS
                and (i == 1 or not is_word_char(haystack[i - 2]))
            )
        )
        if left_ok and (not right_word or end == size or not is_word_char(haystack[end])):
            return i
        i = haystack.find(needle, i + 1)
    return -1


def find_all(haystack: str, needle: str, start: int = 0, *, proclitic: bool = False) -> list[int]:
    """Every offset `find_first` accepts, overlapping ones included."""
    found: list[int] = []
    i = find_first(haystack, needle, start, proclitic=proclitic)
    while i >= 0:
        found.append(i)
        i = find_first(haystack, needle, i + 1, proclitic=proclitic)
    return found


def match_pieces(paragraph: Normalized, pieces: list[str]) -> list[tuple[int, int]] | None:
    """Normalised spans where `pieces` occur in order in one paragraph, or None.

    One greedy pass: each piece goes at its earliest acceptable occurrence at or after
    the end of the previous one. That finds a match whenever one exists. Whether an
    occurrence is acceptable (word boundaries, a dropped proclitic) depends only on the
    paragraph's characters around it, not on where the other pieces went. So take any
    match: by induction, greedy piece k ends no later than that match's piece k (piece k
    of the match starts after its piece k-1 ends, so after greedy's; it is one of the
    occurrences greedy chose among, and greedy took the earliest; pieces have fixed
    lengths). Hence greedy always has room for the next piece when the match does.
    """
    if not pieces:
        return None
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in pieces:
        i = find_first(paragraph.text, piece, pos, proclitic=True)
        if i < 0:
            return None
        pos = i + len(piece)
        spans.append((i, pos))
    return spans


# -- explaining a quote that fails --------------------------------------------------------


@dataclass(frozen=True)
class Parts:
    """A quote whose parts all occur in order in one paragraph, with words between them."""

    paragraph: int
    """Index of the paragraph."""
    spans: tuple[tuple[int, int], ...]
    """Original-text span of each part in the paragraph."""
    after: tuple[str, ...]
    """For each gap the quote has no elision mark for: its last word before the gap, as
    the editor typed it."""


MAX_PARTS = 4
"""More parts than this is words found here and there, not a quote with words left out."""


def find_parts(paragraphs: Sequence[Normalized], pieces: Sequence[str]) -> Parts | None:
    """Split the raw `pieces` of a failed quote where the seed has words the quote leaves
    out (without an elision mark), so that all parts occur in order in one paragraph.

    Each part is the longest run of the quote's words that occurs after the previous
    part (a heuristic: it may miss a split that a shorter first part would allow). A part
    has two words or more, unless it is a whole elided piece; every new gap holds a word
    in the seed (a comma alone between two parts is a misquote, shown as a difference).
    """
    typed = [normalize(p) for p in pieces]
    words = [[m.span() for m in re.finditer(r"\S+", q.text)] for q in typed]
    distinct = sorted(
        {q.text[s:e] for q, ws in zip(typed, words, strict=True) for s, e in ws}, key=len
    )
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        if not all(w in text for w in reversed(distinct)):
            continue
        found = _parts_in(text, typed, words)
        if found is None:
            continue
        spans, after = found
        if len(spans) <= MAX_PARTS and after:
            return Parts(index, tuple(paragraph.span(s, e) for s, e in spans), tuple(after))
    return None


def _parts_in(
    text: str, typed: list[Normalized], words: list[list[tuple[int, int]]]
) -> tuple[list[tuple[int, int]], list[str]] | None:
    """Greedy longest parts of every piece in `text`: their spans, and the editor's last
    word before each new gap; None where the quote cannot be split so."""
    spans: list[tuple[int, int]] = []
    after: list[str] = []
    pos = 0
    for quote, ws in zip(typed, words, strict=True):
        i = 0
        while i < len(ws):
            if len(spans) >= MAX_PARTS:
                return None

            # Occurring is monotone in the run's length: a shorter run occurs where a
            # longer one does (the quote has a space after each of its words), so bisect
            # for the longest run of words i..j-1 that occurs (j == i: none does).
            lo, hi = i, len(ws)
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if find_first(text, _run(quote, ws, i, mid), pos, proclitic=True) >= 0:
                    lo = mid
                else:
                    hi = mid - 1
            j = lo
            whole = i == 0 and j == len(ws)
            if j == i or (j - i < 2 and not whole):
                return None
            start = find_first(text, _run(quote, ws, i, j), pos, proclitic=True)
            if i:  # a gap the quote has no elision mark for
                if not any(is_word_char(c) for c in text[pos:start]):
                    return None
                source = quote.source
                last = ws[i - 1]
                after.append(source[quote.original(last[0]) : quote.span(*last)[1]])
            spans.append((start, start + ws[j - 1][1] - ws[i][0]))
            pos = spans[-1][1]
            i = j
    return spans, after


def _run(quote: Normalized, words: list[tuple[int, int]], i: int, j: int) -> str:
    """Words i..j-1 of a normalised quote."""
    return quote.text[words[i][0] : words[j - 1][1]]


@dataclass(frozen=True)
class Closest:
    """The passage of a paragraph that best resembles a failed quote or anchor."""

    start: int
    """Offset in the original paragraph text."""
    end: int
    ratio: float
    """Similarity, 0–1 (difflib's ratio over words)."""
    paragraph: int = 0
    """Index of the paragraph, among those searched."""


PUNCTUATION = "\"'.,;:!?()[]{}-…"


def word_key(word: str) -> str:
    """A normalised word as similarity sees it: no surrounding punctuation, no case."""
    return word.strip(PUNCTUATION).casefold()


SEPARATOR = re.compile('[ "]')
"""Where the words of normalised text are split, for similarity."""
POSTINGS_BUDGET = 100_000
"""Seed occurrences of the quote's words that vote, rarest words first."""
CANDIDATES = 30
"""Alignments most voted for, compared with difflib."""
COMPARE_BUDGET = 200_000
"""Words compared by difflib in all, across every window of every candidate."""
Rank = tuple[int, int, bool, int, int, int, int]
"""How alike a window is (see `Passages.closest`): larger is better."""


class Passages:
    """The words of a seed's paragraphs, indexed to find the passage closest to a
    failed quote within a fixed amount of work, however long the seed.

    Every occurrence in the seed of a word of the quote votes for the alignment of the
    quote it implies (where the quote's first word would be). The best-voted alignments
    are compared word by word with difflib, in windows of the quote's length give or take
    a word, starting a word early or late; the best window is then widened while that
    saves an edit. A window that shares no word with the quote could not be shown anyway.
    Words common in the seed vote last and are left out when over budget, as are
    alignments beyond the best CANDIDATES: on a short seed, nothing is left out.
    """

    def __init__(self, paragraphs: Sequence[Normalized]) -> None:
        self.paragraphs = paragraphs
        self._keys: list[list[str]] = []
        """The keys of each paragraph's words (tokens with a letter or digit in them)."""
        self._ends: list[array[int]] = []
        """Per paragraph, the total length of its tokens up to each one, included."""
        self._raw: list[list[int] | None] = []
        """Per paragraph, the token number of each word (None: every token is a word)."""
        self._firsts: list[int] = []
        """The global number of each paragraph's first word."""
        self._paragraph_of: list[int] = []
        """The paragraph of each word, by global number."""
        self._index: dict[str, list[int]] | None = None

    def _build(self) -> dict[str, list[int]]:
        """Keys per paragraph, and key -> global word numbers (on first use).

        Tokens are split at each space and each double quote mark (normalised text has
        no space next to one, so `sovereignty"Iraqi` is two words): one character apart,
        so a token's offset follows from the lengths of those before it, kept as running
        totals rather than an offset per token. Empty tokens are no words.
        """
        if self._index is None:
            index: dict[str, list[int]] = {}
            keyed: dict[str, str] = {}
            number = 0
            for k, paragraph in enumerate(self.paragraphs):
                tokens = SEPARATOR.split(paragraph.text)
                raw = [keyed.get(t) or keyed.setdefault(t, word_key(t)) for t in tokens]
                keys = list(filter(None, raw))
                self._ends.append(array("q", accumulate(map(len, tokens))))
                self._raw.append(None if len(keys) == len(raw) else list(compress(count(), raw)))
                self._firsts.append(number)
                self._paragraph_of.extend([k] * len(keys))
                self._keys.append(keys)
                for offset, key in enumerate(keys):
                    index.setdefault(key, []).append(number + offset)
                number += len(keys)
            self._index = index
        return self._index

    def _word_span(self, paragraph: int, i: int) -> tuple[int, int]:
        """The normalised span of word i of a paragraph (the whole token, punctuation in)."""
        raw = self._raw[paragraph]
        n = raw[i] if raw is not None else i
        ends = self._ends[paragraph]
        end = ends[n] + n
        return end - (ends[n] - (ends[n - 1] if n else 0)), end

    def closest(self, wanted: str) -> Closest | None:
        """The run of words most like `wanted`, for "did you mean" messages.

        Windows are ranked by the fewest word edits (a changed, missing or extra word
        costs one), then by words in common, then by the same length — so a misspelt
        word shows as changed rather than as missing — then by words in the same places,
        then by coming first.
        """
        target = [k for k in (word_key(w) for w in SEPARATOR.split(fold(wanted))) if k]
        if not target:
            return None
        index = self._build()
        width = len(target)
        places: dict[str, list[int]] = {}
        for j, key in enumerate(target):
            places.setdefault(key, []).append(j)
        votes: Counter[int] = Counter()  # global number of the quote's first word
        spent = 0
        for key in sorted(places, key=lambda k: (len(index.get(k, ())), k)):
            hits = index.get(key, [])[: POSTINGS_BUDGET // len(places[key])]
            if spent and spent + len(hits) * len(places[key]) > POSTINGS_BUDGET:
                break
            for j in places[key]:
                votes.update([number - j for number in hits])
            spent += len(hits) * len(places[key])
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(target)

        def rank(paragraph: int, i: int, size: int) -> Rank:
            window = self._keys[paragraph][i : i + size]
            matcher.set_seq1(window)
            edits = sum(
                max(i2 - i1, j2 - j1)
                for tag, i1, i2, j1, j2 in matcher.get_opcodes()
                if tag != "equal"
            )
            same = sum(block.size for block in matcher.get_matching_blocks())
            aligned = sum(1 for a, b in zip(window, target, strict=False) if a == b)
            return (-edits, same, len(window) == width, aligned, -paragraph, -len(window), -i)

        sizes = sorted({max(1, width - 1), width, width + 1})
        seen: set[tuple[int, int, int]] = set()
        best: tuple[Rank, int, int, int] | None = None
        budget = COMPARE_BUDGET
        last_word = len(self._paragraph_of) - 1
        for first, _ in votes.most_common(CANDIDATES):
            # The quote's first word may fall in the paragraph before its last word's.
            ends = (min(last_word, max(0, first)), min(last_word, max(0, first + width - 1)))
            for paragraph in sorted({self._paragraph_of[n] for n in ends}):
                count = len(self._keys[paragraph])
                for size in sizes:
                    top = max(0, count - size)
                    start = first - self._firsts[paragraph]
                    for i in sorted({min(top, max(0, start + d)) for d in (-1, 0, 1)}):
                        if (paragraph, size, i) not in seen:
                            seen.add((paragraph, size, i))
                            budget -= min(size, count) + width
                            here = (rank(paragraph, i, size), paragraph, i, min(size, count - i))
                            best = here if best is None or here[0] > best[0] else best
            if budget <= 0:
                break
        if best is None:
            return None
        # The quote may leave out more words than a window's slack: widen the best window
        # while that saves an edit.
        score, paragraph, i, size = best
        count = len(self._keys[paragraph])
        for _ in range(width):
            grown = [
                (rank(paragraph, i - left, size + left + right), i - left, size + left + right)
                for left in range(4)
                for right in range(4)
                if left + right > 0 and i - left >= 0 and i + size + right <= count
            ]
            wider = max(grown, default=None)
            if wider is None or wider[0][0] <= score[0]:
                break
            score, i, size = wider
        # The passage takes in the quote marks right around its words in the seed.
        norm = self.paragraphs[paragraph]
        start = self._word_span(paragraph, i)[0]
        end = self._word_span(paragraph, i + size - 1)[1]
        start, end = norm.span(start, end)
        while start and norm.source[start - 1] in DOUBLE_QUOTES:
            start -= 1
        while end < len(norm.source) and norm.source[end] in DOUBLE_QUOTES:
            end += 1
        return Closest(start, end, score[1] / max(size, width), paragraph)


def closest_passage(paragraph: str, wanted: str) -> Closest | None:
    """The run of words in one paragraph most like `wanted` (see `Passages.closest`)."""
    return Passages([normalize(paragraph)]).closest(wanted)


# -- showing the differences ---------------------------------------------------------------

TOKEN = re.compile(r"(?:\w|[\u0300-\u036f\u0610-\u061a\u0640\u064b-\u065f\u0670])+|[^\w\s]")
"""A word (letters, digits, their combining marks) or a single punctuation character:
differences are marked at this grain, so a comma for a full stop shows."""


@dataclass(frozen=True)
class Marked:
    """A seed passage with its differences from a quote marked, as `git diff
    --word-diff=plain` does: [-seed words-]{+quote words+}."""

    start: int
    """Where the shown passage starts in the passage compared (its first shown token)."""
    end: int
    text: str


def mark_differences(found: str, wanted: str) -> Marked:
    """`found` (from the seed) with what differs from `wanted` (the editor's words)
    marked [-removed-] and {+added+}: words and punctuation, case included; what matching
    ignores is not marked.

    `found` was cut at word boundaries, so punctuation at its very ends is compared only
    where the quote has punctuation at that end too: a closing quote mark after the last
    word is no difference when the quote stops at that word, a comma where the quote has
    a full stop is. What is left out is not shown, and `start`/`end` say what is. A
    punctuation mark glued to words on both sides (a hyphen) is marked with them:
    [-pro-Iranian-]{+pro Iranian+} reads better than pro[---]Iranian.
    """
    seed = [(m.start(), m.end()) for m in TOKEN.finditer(found)]
    quote = [(m.start(), m.end()) for m in TOKEN.finditer(wanted)]
    if quote:
        seed = _trimmed(found, seed, wanted, quote)
    a = [fold(found[s:e]) for s, e in seed]
    b = [fold(wanted[s:e]) for s, e in quote]
    opcodes: Opcodes = list(difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes())
    # What is left of a trailing "delete" of punctuation (a comma after the quote's own
    # closing quote mark) is outside the quote too.
    if len(opcodes) > 1 and opcodes[0][0] == "delete" and _bare(found, seed[: opcodes[0][2]]):
        opcodes = opcodes[1:]
    last = opcodes[-1] if opcodes else None
    if len(opcodes) > 1 and last and last[0] == "delete" and _bare(found, seed[last[1] :]):
        opcodes = opcodes[:-1]
    opcodes = _glued(found, seed, wanted, quote, opcodes)
    out: list[str] = []
    after_insert = False
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "insert":
            lead = _spaced(wanted, quote, j1)
            text = f"{{+{_chunk(wanted, quote[j1:j2])}+}}"
        else:
            lead = _spaced(found, seed, i1) or (after_insert and _spaced(wanted, quote, j1))
            text = _chunk(found, seed[i1:i2])
            if tag == "delete":
                text = f"[-{text}-]"
            elif tag == "replace":
                text = f"[-{text}-]{{+{_chunk(wanted, quote[j1:j2])}+}}"
        out.append(f" {text}" if lead and out else text)
        after_insert = tag == "insert"
    shown = [(i1, i2) for _, i1, i2, _, _ in opcodes if i2 > i1]
    if not shown:
        return Marked(0, len(found), "".join(out))
    return Marked(seed[shown[0][0]][0], seed[shown[-1][1] - 1][1], "".join(out))


Tokens = list[tuple[int, int]]
Opcode = tuple[str, int, int, int, int]
Opcodes = list[Opcode]


def _bare(text: str, tokens: Tokens) -> bool:
    """Whether the tokens are punctuation only."""
    return not any(is_word_char(c) for s, e in tokens for c in text[s:e])


def _trimmed(found: str, seed: Tokens, wanted: str, quote: Tokens) -> Tokens:
    """The seed's tokens without edge punctuation where the quote has none at that edge."""
    first, last = 0, len(seed)
    if not _bare(wanted, quote[:1]):
        while first < last and _bare(found, seed[first : first + 1]):
            first += 1
    if not _bare(wanted, quote[-1:]):
        while last > first and _bare(found, seed[last - 1 : last]):
            last -= 1
    return seed[first:last] or seed


def _spaced(text: str, tokens: Tokens, k: int) -> bool:
    """Whether whitespace stands before token k (within the tokens compared)."""
    return 0 < k < len(tokens) and text[tokens[k][0] - 1].isspace()


def _chunk(text: str, tokens: Tokens) -> str:
    """The text of a run of tokens, whitespace runs shown as one space."""
    return " ".join(text[tokens[0][0] : tokens[-1][1]].split())


def _glued(
    found: str, seed: Tokens, wanted: str, quote: Tokens, opcodes: Sequence[Opcode]
) -> Opcodes:
    """Opcodes where a change of punctuation alone, with no space on either side, takes
    the word on each side into the change."""
    ops = list(opcodes)
    k = 1
    while k < len(ops) - 1:
        tag, i1, i2, j1, j2 = ops[k]
        before, after = ops[k - 1], ops[k + 1]
        if tag == "insert":
            text, tokens, lo, hi = wanted, quote, j1, j2
        else:
            text, tokens, lo, hi = found, seed, i1, i2
        glued = (
            before[0] == "equal"
            and after[0] == "equal"
            and _bare(text, tokens[lo:hi])
            and not _spaced(text, tokens, lo)
            and not _spaced(text, tokens, hi)
        )
        if not glued:
            k += 1
            continue
        merged = [("replace", i1 - 1, i2 + 1, j1 - 1, j2 + 1)]
        if before[2] - before[1] > 1:
            merged.insert(0, ("equal", before[1], before[2] - 1, before[3], before[4] - 1))
        if after[2] - after[1] > 1:
            merged.append(("equal", after[1] + 1, after[2], after[3] + 1, after[4]))
        ops[k - 1 : k + 2] = merged
        k += len(merged) - 1
    return ops
