"""Offline search: a lunr index built at build time, shipped as a script.

Why lunr: the index is prebuilt in Python (PyPI `lunr`, a port of lunr.js producing the
same serialised format), and the page loads it with a plain `<script>` tag. That works
both over http and from `file://`, where browsers block the `fetch()` that pagefind and
similar tools use to load index files. lunr.js (MIT, vendored in the theme's assets) runs
the query in the browser; nothing is loaded from another host.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from .verify import Briefing

FIELDS = (
    {"field_name": "title", "boost": 10},
    {"field_name": "speakers", "boost": 5},
    {"field_name": "tags", "boost": 3},
    {"field_name": "summary", "boost": 2},
    {"field_name": "quotes"},
    {"field_name": "notes"},
)


def documents(briefings: Sequence[Briefing]) -> list[dict[str, str]]:
    """One search document per briefing: what a reader would look a briefing up by."""
    docs = []
    for b in briefings:
        sidecar = b.sidecar
        docs.append(
            {
                "id": b.slug,
                "title": b.title,
                "speakers": " ".join(dict.fromkeys(q.quote.speaker for q in b.quotes)),
                "tags": " ".join(sidecar.tags),
                "summary": " ".join([sidecar.summary, *sidecar.key_points]),
                "quotes": " ".join(q.quote.text for q in b.quotes),
                "notes": " ".join(
                    [a.note for a in sidecar.annotations]
                    + [a.anchor for a in sidecar.annotations]
                    + [q.note for q in sidecar.quotes]
                    + [t.event for t in sidecar.timeline]
                ),
            }
        )
    return docs


SHARDS = 32
"""The index is split by a hash of each slug, so editing one briefing re-indexes about a
thirty-second of the site (lunr indexes ~1,000 documents a second); the page queries
every shard and merges the results."""


def shard_of(slug: str) -> str:
    return f"{int(hashlib.sha1(slug.encode()).hexdigest()[:4], 16) % SHARDS:02d}"


def shard_file(shard: str) -> str:
    return f"search/index-{shard}.js"


def shards(briefings: Sequence[Briefing]) -> dict[str, list[Briefing]]:
    """Briefings by shard, in a fixed order; empty shards are left out."""
    grouped: dict[str, list[Briefing]] = {}
    for b in sorted(briefings, key=lambda b: b.slug):
        grouped.setdefault(shard_of(b.slug), []).append(b)
    return dict(sorted(grouped.items()))


def shard_payload(briefings: Sequence[Briefing], link: Callable[[Briefing], str]) -> str:
    """The documents of one shard as canonical JSON: what the shard's index is built from."""
    docs = {
        "documents": documents(briefings),
        "results": {
            b.slug: {"title": b.title, "url": link(b), "date": b.date.isoformat()}
            for b in briefings
        },
    }
    return json.dumps(docs, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@functools.cache
def index_builder() -> Callable[[list[dict[str, str]]], Any]:
    """lunr's default builder, with its Porter stemmer remembered per word.

    Stemming is most of lunr's indexing time and a desk's vocabulary is small, so each
    word is stemmed once per process. The function keeps lunr's label "stemmer", so the
    serialised index is the one lunr's own builder makes, byte for byte.
    """
    from lunr import get_default_builder  # imported here: only builds that index pay for it
    from lunr.stemmer import porter_stemmer, stemmer
    from lunr.stop_word_filter import stop_word_filter
    from lunr.trimmer import trimmer

    stems: dict[str, str] = {}

    def stem(word: str, metadata: Any = None) -> str:
        found = stems.get(word)
        if found is None:
            found = stems[word] = porter_stemmer.stem(word, metadata)
        return found

    def remembered(token: Any, i: Any = None, tokens: Any = None) -> Any:
        return token.update(stem)

    remembered.label = stemmer.label  # type: ignore[attr-defined]

    def build(documents: list[dict[str, str]]) -> Any:
        builder = get_default_builder()
        builder.pipeline.reset()
        builder.pipeline.add(trimmer, stop_word_filter, remembered)
        builder.ref("id")
        for field in FIELDS:
            builder.field(**field)
        for document in documents:
            builder.add(document)
        return builder.build()

    return build


def shard_script(payload: str) -> bytes:
    """`search/index-NN.js`: one shard's serialised lunr index plus what a result shows."""
    data = json.loads(payload)
    index = index_builder()(data["documents"])
    shard = {"index": index.serialize(), "docs": data["results"]}
    text = json.dumps(shard, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # "</" cannot end a script element early, even inside a string.
    text = text.replace("</", "<\\/")
    return f"(window.BRIEFGEN_SEARCH = window.BRIEFGEN_SEARCH || []).push({text});\n".encode()
