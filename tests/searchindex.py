"""Read a built site's search index as the page's scripts leave it in BRIEFGEN_SEARCH."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from briefgen.site.search import CHUNK, shard_of
from briefgen.site.searchterms import STEMMERS, fold, term

PREFIX = '(window.BRIEFGEN_SEARCH=window.BRIEFGEN_SEARCH||{})["'


def load_index(site: Path) -> dict[str, Any]:
    """Every part of the index, by the key its script files it under (t3, d0, x<slug>)."""
    found: dict[str, Any] = {}
    for path in sorted((site / "search").rglob("*.js")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith(PREFIX) and text.endswith(";\n"), path
        key, _, data = text[len(PREFIX) : -2].partition('"]=')
        found[key] = json.loads(data)
    return found


def slugs_with(index: dict[str, Any], word: str, languages: tuple[str, ...] = ()) -> set[str]:
    """The briefings whose index has the word, as search.js looks it up: folded, and
    stemmed in each language."""
    shards = sum(1 for key in index if key.startswith("t"))
    folded = fold(word)
    candidates = {folded} | {term(folded, lang) or folded for lang in languages or STEMMERS}
    docs: set[int] = set()
    for candidate in candidates:
        coded = index[f"t{shard_of(candidate, shards)}"].get(candidate, [])
        number = 0
        for k in range(0, len(coded), 2):
            number += coded[k]
            docs.add(number)
    return {index[f"d{n // CHUNK}"][n % CHUNK][0] for n in docs}
