"""Who is who: the identity of people, tags and publishers, in every script.

A name's identity is its *key*: the name with what a typist varies and a reader does not
notice folded away — Unicode compatibility forms, case, accents on Latin letters, Arabic
harakat and tatweel, Hebrew points, quote, apostrophe and dash styles, and spacing (a
hyphen between words is spacing too: `Al-Kadhimi`, `Al Kadhimi`). Two names with one key
are one person; two names with different keys are two people, whatever their slugs.

Slugs are for URLs only. Transliteration makes them readable in any script, which also
means two different names can share one (`李伟` and `李薇` both read `liwei`): `assign_slugs`
gives each identity its own, stable slug.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping

from briefgen.stages.matching import FOLD
from briefgen.vocabulary.urls import needs_transliteration, slugify

OPTIONAL_MARKS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640"
    "\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]"
)
"""Arabic harakat, Quranic marks and tatweel; Hebrew cantillation and points: written
or left out at the typist's choice, like accents."""
WORD_BREAKS = re.compile(r"[\s\-]+")
KEY_TABLE = str.maketrans(FOLD)


def fold_latin_marks(text: str) -> str:
    """Drop combining marks that sit on a Latin letter (é → e), and only those.

    Marks on other scripts are letters' parts there: Devanagari vowel signs, or the
    breve that makes Cyrillic й a letter of its own.
    """
    decomposed = unicodedata.normalize("NFD", text)
    out: list[str] = []
    base_is_latin = False
    for ch in decomposed:
        if unicodedata.combining(ch):
            if base_is_latin:
                continue
        else:
            base_is_latin = "LATIN" in unicodedata.name(ch, "")
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


@functools.lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """The identity of a name: equal keys are the same person, tag or publisher.

    Memoized: a site names a few hundred people, tags and publishers, and its indexes
    ask for their keys hundreds of thousands of times (a fifth of a rebuild at 10,000)."""
    text = unicodedata.normalize("NFKC", name).translate(KEY_TABLE)
    text = OPTIONAL_MARKS.sub("", fold_latin_marks(text)).casefold()
    return WORD_BREAKS.sub(" ", text).strip()


def same_but_for_style(a: str, b: str) -> bool:
    """Two spellings of one name: different as written, one identity."""
    return a != b and name_key(a) == name_key(b)


def suffixed(slug: str, key: str) -> str:
    """`slug-1a2b3c`: the suffix comes from the identity alone, so it never moves."""
    return f"{slug}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:6]}"


def assign_slugs(names: Iterable[tuple[str, str]]) -> dict[str, str]:
    """A distinct URL slug for each identity, from (key, name as displayed) pairs.

    Pairs come oldest mention first. Where identities share a slug, one keeps it plain:
    a name that needed no transliteration first (its slug is the name itself, and was
    its URL before transliteration existed), then the oldest; every other one gets a
    suffix derived from its key. Adding newer briefings never moves an existing URL.
    """
    first: dict[str, tuple[bool, int]] = {}
    for order, (key, name) in enumerate(names):
        first.setdefault(key, (needs_transliteration(name), order))
    groups: dict[str, list[tuple[bool, int, str]]] = {}
    for key, (transliterated, order) in first.items():
        groups.setdefault(slugify(key), []).append((transliterated, order, key))
    slugs: dict[str, str] = {}
    for slug, members in groups.items():
        members.sort()
        for rank, (_, _, key) in enumerate(members):
            slugs[key] = slug if rank == 0 else suffixed(slug, key)
    return slugs


def slug_of(slugs: Mapping[str, str], name: str) -> str:
    """A name's slug as assigned, or as it would be alone."""
    key = name_key(name)
    return slugs.get(key) or slugify(key)
