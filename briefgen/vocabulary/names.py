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

from briefgen.vocabulary.quotemarks import TYPOGRAPHIC
from briefgen.vocabulary.urls import needs_transliteration, slugify

OPTIONAL_MARKS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640"
    "\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]"
)
"""Arabic harakat, Quranic marks and tatweel; Hebrew cantillation and points: written
or left out at the typist's choice, like accents."""
WORD_BREAKS = re.compile(r"[\s\-]+")
KEY_TABLE = str.maketrans(TYPOGRAPHIC)


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


ARTICLE_PREFIX = re.compile(r"(?:al|el)[-\u2010](?=\w)|\u0627\u0644(?=\w\w)", re.IGNORECASE)
"""The Arabic article on a surname (Al-Kadhimi, el-Sisi, الكاظمي): indexes file it under
the name."""
FAMILY_NAMES_WRITTEN_FIRST = """
    an bae baek bang bong byun cha chae cheon choi chun chung do gang go gu ha han
    heo hong hwang hyun jang jeon jeong jin jo joo jung kang kim ko kwak kwon lee lim ma
    moon na nam noh oh paik park ryu seo seong shin sim son song suh sung woo yang yoo
    yoon yu yun
    cao chen deng ding du fan fang feng gao guo he hu huang jiang kong lei li liang lin
    liu lu luo mao meng pan peng qian qin ren shen shi sun tan tang tian wang wei wen wu
    xi xiao xie xu xue yan yao ye yi yin yuan zeng zhang zhao zheng zhou zhu
    nguyen tran le pham hoang phan vu vo dang bui ngo duong ly
"""
FAMILY_NAME_FIRST = frozenset(FAMILY_NAMES_WRITTEN_FIRST.split())
"""Common Korean, Chinese and Vietnamese family names, romanized: written first."""
GIVEN_NAME_PART = re.compile(r"[A-Z][a-z]{0,4}(?:-[a-z]{1,4})?")
"""A romanized syllable of a given name (`Joon`, `Ho`, `Jae-in`)."""
ORGANISATION_NAMING = """
    agency army association authority bank board bureau cabinet command commission
    committee company corporation council court department embassy foundation front
    government group institute league ministry movement office organisation
    organization parliament party police presidency secretariat service university
"""
ORGANISATION_WORDS = frozenset(ORGANISATION_NAMING.split())
"""Words that make a name an organisation's, when nothing says what it names: it is
listed under its name, not a last word (`US Environmental Protection Agency`)."""


def speaker_kind(name: str) -> str:
    """What an unregistered speaker most likely is: `organisation` when a word of its
    name says so (Agency, Ministry, Council…) or it is an acronym, else `person`."""
    words = name.split()
    if len(words) == 1 and name.isupper() and len(name) > 1:
        return "organisation"  # NATO, IAEA
    if any(w.casefold().strip(".,'’") in ORGANISATION_WORDS for w in words):
        return "organisation"
    return "person"


def surname(name: str) -> str:
    """What a person is listed by, as a book's index would: the family name. That is the
    last word without a leading al- or el-, but the first where family names come first
    (`Bong Joon Ho`, `Moon Jae-in`: a common Korean, Chinese or Vietnamese family name
    followed by given-name syllables), and a name written without spaces whole (`李伟`)."""
    words = name.split()
    if not words:
        return name
    first, rest = words[0], words[1:]
    if (
        first.casefold() in FAMILY_NAME_FIRST
        and rest
        and all(GIVEN_NAME_PART.fullmatch(w) for w in rest)
        and (len(rest) > 1 or "-" in rest[0])
    ):
        return first
    last = words[-1]
    return ARTICLE_PREFIX.sub("", last, count=1) or last


def sort_name(name: str, kind: str | None = None) -> str:
    """What the indexes sort a name by, registered or not (one rule for both): a person's
    family name (`surname`), anything else's name itself. `kind` None is a speaker
    nothing describes: `speaker_kind` guesses it from the name."""
    if kind is None:
        kind = speaker_kind(name)
    return surname(name) if kind == "person" else name
