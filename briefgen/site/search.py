"""Offline search: an index sharded by term, loaded a shard at a time by `<script>`.

Why our own shards rather than lunr or pagefind: a query should load only what it needs
(a reader typing one word at 10,000 briefings must not wait for 30 MB), and it must keep
working from `file://`, where browsers refuse the `fetch()` that pagefind and lunr's
loaders use. A `<script>` element added by the page loads from disk as over http, so
every part of the index is a small script that stores its data in
`window.BRIEFGEN_SEARCH`:

- `search/t/NNNN.js`, the term shards: each holds the postings of the terms whose first
  three letters hash to it (so a word, and a prefix of three letters or more, is in one
  shard); postings are doc numbers (delta-coded) and weights;
- `search/d/NNNN.js`, the document table in chunks of `CHUNK`: slug, title, date, link,
  the title's language and the date as the pages write it (`3 août 2021`, `٣ أغسطس
  ٢٠٢١`), formatted here so the page needs no date library of its own;
- `search/x/<slug>.js`, one per briefing: the plain text passages a snippet is cut from.

Terms are made by `searchterms` (folded, stemmed per language); `assets/search.js` makes
the same terms from the query. The text is indexed from the verified briefing's fields,
as plain text: citation marks (`[^id]`), footnote markers and Markdown syntax are gone.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from briefgen.site.searchterms import STEMMERS, STOP_WORDS, finish, language_base, terms, words
from briefgen.stages.markdown import CITATION_RE
from briefgen.stages.verify import Briefing

CHUNK = 64
"""Documents per chunk of the document table: a page of results needs a few chunks."""

BOOSTS = {"title": 10, "speakers": 5, "tags": 3, "summary": 2, "quotes": 1, "notes": 1}
"""How much a term counts in each field: a word of the title outweighs one in a note."""

PREFIX = 3
"""A term's shard is chosen by its first letters: a reader's prefix of this many letters
or more is looked for in one shard."""

LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
AUTOLINK_RE = re.compile(r"<((?:https?|mailto):[^>\s]*)>")
SYNTAX_RE = re.compile(r"(?<!\w)[*_~`]+|[*_~`]+(?!\w)|^\s*(?:#+|>|[-*+]|\d+[.)])\s+", re.M)
SPACE_RE = re.compile(r"\s+")


MARKUP = frozenset("[<*_~`")
"""Characters without which only block syntax (BLOCK_RE) can be Markdown to `plain`."""
BLOCK_RE = re.compile(r"^\s*(?:#|>|[-*+]\s|\d+[.)]\s)", re.M)


def plain(markdown: str) -> str:
    """The words a reader sees in a Markdown field: no citation marks, link targets,
    emphasis marks or block syntax (a footnote marker `[^article]` glued to the word
    before it would otherwise make one unstemmable term of `reacted.[^article]`).
    Most fields hold none: their spaces alone are normalised (30,000 fields a
    1,000-briefing site, five substitutions each, were a sixth of its search index)."""
    if MARKUP.isdisjoint(markdown) and not BLOCK_RE.search(markdown):
        return " ".join(markdown.split())
    text = CITATION_RE.sub(" ", markdown)
    text = LINK_RE.sub(r"\1", text)
    text = AUTOLINK_RE.sub(r"\1", text)
    text = SYNTAX_RE.sub("", text)
    return SPACE_RE.sub(" ", text).strip()


@dataclass(frozen=True)
class Passage:
    """A piece of a briefing's text as search sees it."""

    field: str
    """Which of BOOSTS it counts as."""
    text: str
    """Plain text, as shown in a snippet."""
    language: str | None
    """The language its words are stemmed in; None for names (folded only)."""


def passages(b: Briefing) -> list[Passage]:
    """What a reader would look a briefing up by, each passage in its own language: the
    editor's words in the site's, quotes and anchors in the words' own."""
    sidecar, site = b.sidecar, b.site_language
    found = [Passage("title", b.title, b.title_language)]
    speakers = dict.fromkeys(q.quote.speaker for q in b.quotes)
    found += [Passage("speakers", name, None) for name in speakers]
    found += [Passage("tags", tag, site) for tag in sidecar.tags]
    found += [Passage("summary", plain(t), site) for t in (sidecar.summary, *sidecar.key_points)]
    found += [Passage("quotes", plain(q.quote.text), b.language_of(q)) for q in b.quotes]
    found += [Passage("notes", plain(a.anchor), b.language) for a in sidecar.annotations]
    notes = [a.note for a in sidecar.annotations] + [q.note for q in sidecar.quotes]
    notes += [t.event for t in sidecar.timeline]
    found += [Passage("notes", plain(note), site) for note in notes if note]
    return [p for p in found if p.text]


def weights(found: Iterable[Passage]) -> dict[str, int]:
    """Each term's weight in a briefing: its occurrences, each counted by its field."""
    weight: dict[str, int] = {}
    for passage in found:
        boost = BOOSTS[passage.field]
        for t in terms(passage.text, passage.language):
            weight[t] = weight.get(t, 0) + boost
    return weight


def shard_count(documents: int) -> int:
    """Term shards for a site: a power of two near one per eight briefings, so a shard
    stays a few kilobytes at any size (briefings' vocabularies overlap)."""
    count = 8
    while count * 8 < documents and count < 4096:
        count *= 2
    return count


def shard_of(term: str, count: int) -> int:
    """FNV-1a over the UTF-16 units of the term's first PREFIX code points; search.js
    computes the same. Once per prefix: a site's terms share a few thousand."""
    return prefix_shard(term[:PREFIX], count)


@functools.lru_cache(maxsize=1 << 16)
def prefix_shard(prefix: str, count: int) -> int:
    h = 0x811C9DC5
    data = prefix.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h ^= data[i] | data[i + 1] << 8
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % count


def term_file(shard: int) -> str:
    return f"search/t/{shard:04d}.js"


def chunk_file(chunk: int) -> str:
    return f"search/d/{chunk:04d}.js"


def text_file(slug: str) -> str:
    return f"search/x/{slug}.js"


def script(key: str, data: object) -> bytes:
    """One part of the index as a script that files its data under `key`."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # "</" cannot end a script element early, even inside a string.
    text = text.replace("</", "<\\/")
    return f'(window.BRIEFGEN_SEARCH=window.BRIEFGEN_SEARCH||{{}})["{key}"]={text};\n'.encode()


def ordered(briefings: Sequence[Briefing]) -> list[Briefing]:
    """Documents in slug order: a briefing's number stays put while others are edited."""
    return sorted(briefings, key=lambda b: b.slug)


def index_files(briefings: Sequence[Briefing]) -> list[str]:
    """The files of the term shards and document table, known before indexing: a build
    can tell which are already in place without making any of them."""
    count = shard_count(len(briefings))
    chunks = -(-len(briefings) // CHUNK)
    return [term_file(s) for s in range(count)] + [chunk_file(c) for c in range(chunks)]


def languages(briefings: Sequence[Briefing], site_language: str) -> list[str]:
    """The stemmed languages the index uses: the query is stemmed in each of them."""
    tags = {site_language}
    for b in briefings:  # the languages passages() gives, without making the passages
        tags.update(b.languages_used())
    return sorted({language_base(tag) for tag in tags} & set(STEMMERS))


def page_context(briefings: Sequence[Briefing], site_language: str) -> dict[str, object]:
    """What the search page tells search.js: the index's shape and the query's rules."""
    used = languages(briefings, site_language)
    stop = sorted({w for lang in used for w in STOP_WORDS.get(lang, "").split()})
    return {
        "documents": len(briefings),
        "shards": shard_count(len(briefings)),
        "chunk": CHUNK,
        "languages": used,
        "stop_words": sorted({finish(w) for w in words(" ".join(stop))}),
    }


def make_index(
    briefings: Sequence[Briefing],
    link: Callable[[Briefing], str],
    date: Callable[[dt.date], str] = dt.date.isoformat,
    each: Callable[[Briefing, list[Passage]], None] | None = None,
) -> dict[str, bytes]:
    """Every term shard and document chunk, by file; `date` writes a result's date as
    the site's pages do (`Labels.date`). `each` is told every briefing with its
    passages as they are found (its text file is made from them: they were found twice)."""
    docs = ordered(briefings)
    count = shard_count(len(docs))
    # Posting lists as arrays of C ints, each shard's terms coded and scripted in turn:
    # held as lists of Python ints all at once they were the build's peak of memory at
    # 10,000 briefings (100 MB).
    by_shard: list[dict[str, array[int]]] = [{} for _ in range(count)]
    for number, b in enumerate(docs):
        found = passages(b)
        if each is not None:
            each(b, found)
        for t, w in weights(found).items():
            shard = by_shard[shard_of(t, count)]
            flat = shard.get(t)
            if flat is None:
                flat = shard[t] = array("l")
            flat.extend((number, w))
    files: dict[str, bytes] = {}
    for s in range(count):
        postings, by_shard[s] = by_shard[s], {}
        coded = {t: delta_coded(zip(f[::2], f[1::2], strict=True)) for t, f in postings.items()}
        files[term_file(s)] = script(f"t{s}", coded)
    for c in range(0, len(docs), CHUNK):
        rows = [
            [b.slug, b.title, b.date.isoformat(), link(b), b.title_language, date(b.date)]
            for b in docs[c : c + CHUNK]
        ]
        files[chunk_file(c // CHUNK)] = script(f"d{c // CHUNK}", rows)
    return files


def text_script(b: Briefing, found: list[Passage] | None = None) -> bytes:
    """`search/x/<slug>.js`: the passages a snippet can show, with their languages
    (`found`: the briefing's passages, when they are known)."""
    shown = [
        [p.text, p.language or ""]
        for p in (passages(b) if found is None else found)
        if p.field not in ("title", "speakers", "tags")
    ]
    return script(f"x{b.slug}", shown)


def script_data(key: str, data: bytes) -> object | None:
    """What `script(key, …)` filed, read back from its bytes; None if they are not one."""
    head = f'(window.BRIEFGEN_SEARCH=window.BRIEFGEN_SEARCH||{{}})["{key}"]='.encode()
    if not data.startswith(head) or not data.endswith(b";\n"):
        return None
    try:
        found: object = json.loads(data[len(head) : -2])
        return found
    except ValueError:
        return None


def shard_changes(
    changed: Iterable[tuple[int, Briefing, Briefing]], count: int
) -> dict[int, dict[str, dict[int, int]]]:
    """For documents edited in place (number, before, after): each term shard in which
    a term's weight in one of them changed, with the after-texts' postings of all the
    shard's terms (term -> doc -> weight). No other shard's data changed."""
    found = [(n, weights(passages(old)), weights(passages(new))) for n, old, new in changed]
    touched: dict[int, dict[str, dict[int, int]]] = {
        shard_of(t, count): {}
        for _, old, new in found
        for t in old.keys() | new.keys()
        if old.get(t) != new.get(t)
    }
    for number, _, new in found:
        for t, w in new.items():
            shard = touched.get(shard_of(t, count))
            if shard is not None:
                shard.setdefault(t, {})[number] = w
    return touched


def patched_shard(
    shard: dict[str, list[int]], documents: set[int], postings: dict[str, dict[int, int]]
) -> dict[str, list[int]]:
    """A term shard with `documents` indexed anew: their old postings dropped, `postings`
    (term -> doc -> weight) added; the same data `make_index` would give."""
    patched: dict[str, list[int]] = {}
    for t in set(shard) | set(postings):
        docs = {n: w for n, w in delta_decoded(shard.get(t, [])) if n not in documents}
        docs.update(postings.get(t, {}))
        if docs:
            patched[t] = delta_coded(sorted(docs.items()))
    return patched


def delta_coded(postings: Iterable[tuple[int, int]]) -> list[int]:
    """(doc, weight) pairs in doc order as a shard stores them: each doc number as its
    distance from the one before, so a common term's list stays short in the file."""
    coded: list[int] = []
    previous = 0
    for number, weight in postings:
        coded += (number - previous, weight)
        previous = number
    return coded


def delta_decoded(coded: Sequence[int]) -> Iterable[tuple[int, int]]:
    """The (doc, weight) pairs of a stored posting list (see `delta_coded`)."""
    number = 0
    for k in range(0, len(coded), 2):
        number += coded[k]
        yield number, coded[k + 1]
