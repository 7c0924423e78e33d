"""Offline search: a lunr index built at build time, shipped as a script.

Why lunr: the index is prebuilt in Python (PyPI `lunr`, a port of lunr.js producing the
same serialised format), and the page loads it with a plain `<script>` tag. That works
both over http and from `file://`, where browsers block the `fetch()` that pagefind and
similar tools use to load index files. lunr.js (MIT, vendored in the theme's assets) runs
the query in the browser; nothing is loaded from another host.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

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


def search_script(briefings: Sequence[Briefing], link: Callable[[Briefing], str]) -> bytes:
    """`search/index.js`: the serialised lunr index plus what a result shows."""
    from lunr import lunr  # imported here: only builds with briefings pay for it

    docs = documents(briefings)
    index = lunr(ref="id", fields=list(FIELDS), documents=docs) if docs else None
    payload = {
        "index": index.serialize() if index else None,
        "docs": {
            b.slug: {"title": b.title, "url": link(b), "date": b.date.isoformat()}
            for b in briefings
        },
    }
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # "</" cannot end a script element early, even inside a string.
    data = data.replace("</", "<\\/")
    return f"window.BRIEFGEN_SEARCH = {data};\n".encode()
