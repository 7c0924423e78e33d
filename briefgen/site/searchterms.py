"""The words search matches: tokenising, folding and stemming, the same in Python and JS.

The index is written here at build time and queried in the browser by
`templates/assets/search.js`, which repeats every rule of this module: a term the two
sides make differently is a word readers cannot find. `tests/test_search.py` runs both
over word lists in each stemmed language and asserts the same terms.

Folding comes before stemming, so a reader who types without accents, harakat or the
alef forms gives the stemmer the very word the index gave it: `teheran` and `Téhéran`
meet as `teheran` before either is stemmed.

Stemmers are Snowball's: PyPI `snowballstemmer` 2.2 here, and in the page the JavaScript
generated from the same Snowball 2.2 sources (`@orama/stemmers`) for French, German,
Spanish and Arabic, and `wink-porter2-stemmer` for English (Porter2, Snowball's
"english", checked against its vocabulary). Words with a digit are never stemmed:
stemmers are written for words, and the English one mangles digits.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterator

import regex

STEMMERS = {"ar": "arabic", "de": "german", "en": "english", "es": "spanish", "fr": "french"}
"""Languages stemmed on both sides; any other language is folded only."""

WORD = r"[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*"
COMPOUND_RE = regex.compile(WORD + r"(?:[-‐‑]" + WORD + r")*")
"""A word, or words joined by hyphens (`Al-Kadhimi`): each part is a term, and so is the
whole written solid (`alkadhimi`). Everything else — punctuation, citation marks, Markdown
syntax — separates words."""
HYPHEN_RE = regex.compile(r"[-‐‑]")
ELISION_RE = regex.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)'(?=.)")
"""French elided articles and pronouns: `l'armée` is found as `armee`."""
POSSESSIVE_RE = regex.compile(r"'s$")
DIGIT_RE = regex.compile(r"\p{N}")

LETTERS = {
    "\u0640": "",  # tatweel
    "\u0671": "\u0627",  # alef wasla → alef (أ إ آ lose their hamza or madda as marks)
    "\u0649": "\u064a",  # alef maqsura → ya, as the stemmer would, before it strips a ya
    "\u06cc": "\u064a",  # Persian ya
    "\u06a9": "\u0643",  # Persian kaf
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
    "’": "'",
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Extended Arabic-Indic digits
}
"""Letters that folding maps and Unicode decomposition does not."""
TRANSLATE = str.maketrans(LETTERS)
FINAL_LETTERS = {
    "\u0629": "\u0647",  # ta marbuta → ha
}
"""Letters mapped in the term, after stemming: the Arabic stemmer reads ta marbuta as the
ending it is (`الزيارة` and `زيارته` are both `زيار`), and what it leaves of one meets a
reader's `ه`."""
FINISH = str.maketrans(FINAL_LETTERS)

STOP_WORDS: dict[str, str] = {
    "en": "a an and are as at be but by for from had has have he her his i in is it its of on"
    " or she that the their them they this to was we were which who will with",
    "fr": "a au aux avec ce ces dans de des du elle en est et il ils la le les leur lui mais"
    " ne nous on ou par pas pour qui que se sont sur un une",
    "de": "als am an auch auf aus bei das dass dem den der des die ein eine einem einen einer"
    " es im in ist mit nicht sich sie und von vor war wie zu zum zur",
    "es": "a al como con de del el en es la las lo los no para pero por que se su sus un una y",
    "ar": "في من على الى عن ان او ثم مع هذا هذه التي الذي و",
}
"""Words too common to search for, as folded: left out of the index and of queries (in
the query, a stop word of any of the site's languages). Short lists, so that `who` or
`mai` stay findable where a longer list would drop them."""


def language_base(tag: str | None) -> str:
    """`fr-CA` → `fr`: stemmers and stop words go by language alone."""
    return (tag or "").split("-")[0].lower()


@functools.lru_cache(maxsize=1 << 18)
def fold(word: str) -> str:
    """Case, accents, harakat, tatweel, alef forms, elision: what stemming starts from."""
    text = unicodedata.normalize("NFD", word.lower().translate(TRANSLATE))
    text = "".join(c for c in text if not unicodedata.category(c).startswith("M"))
    text = POSSESSIVE_RE.sub("", ELISION_RE.sub("", text)).replace("'", "")
    return unicodedata.normalize("NFC", text)


@functools.cache
def stemmer(language: str) -> Callable[[str], str] | None:
    name = STEMMERS.get(language_base(language))
    if name is None:
        return None
    import snowballstemmer  # imported here: only builds that index pay for it

    stem: Callable[[str], str] = snowballstemmer.stemmer(name).stemWord
    return stem


@functools.lru_cache(maxsize=1 << 18)
def term(folded: str, language: str | None) -> str | None:
    """The index term of a folded word in a language; None for a stop word."""
    base = language_base(language)
    if finish(folded) in stop_words(base):
        return None
    return stemmed(folded, base)


def stemmed(folded: str, language: str | None) -> str:
    """The term of a folded word, stop words aside: search.js's `term`."""
    stem = stemmer(language) if language else None
    if stem is None or DIGIT_RE.search(folded):
        return finish(folded)
    return finish(stem(folded))


@functools.cache
def stop_words(base: str) -> frozenset[str]:
    return frozenset(finish(fold(w)) for w in STOP_WORDS.get(base, "").split())


def finish(folded: str) -> str:
    """A folded word as a term of no language (a name): the final letters mapped."""
    return folded.translate(FINISH)


def words(text: str) -> Iterator[str]:
    """The folded words of a text, with hyphenated compounds also as one word."""
    for chunk in text.split():  # no word spans a space: each distinct chunk is read once
        yield from chunk_words(chunk)


@functools.lru_cache(maxsize=1 << 18)
def chunk_words(chunk: str) -> tuple[str, ...]:
    found: list[str] = []
    for match in COMPOUND_RE.finditer(chunk):
        parts = HYPHEN_RE.split(match.group())
        found += [folded for folded in map(fold, parts) if folded]
        if len(parts) > 1:
            whole = fold("".join(parts))
            if whole:
                found.append(whole)
    return tuple(found)


def terms(text: str, language: str | None) -> Iterator[str]:
    """The index terms of a text: `language` None folds without stemming (names)."""
    for folded in words(text):
        found = term(folded, language)
        if found:
            yield found
