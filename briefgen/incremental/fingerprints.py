"""Page fingerprints: a hash of everything a template can see, briefings by their key.

The incremental side's half of rendering: a page whose fingerprint matches the last
build's is carried over instead of rendered (see reuse.py). Pure: no file is read.

A briefing view and the index records made of its parts (a quote as said by a person,
a timeline entry on the merged timeline, a source and the briefings citing it, its row
on the sources page) carry a content key made from what made them, so they are hashed
by that key rather than by walking their thousands of fields: at 10,000 briefings there
are over 200,000 of them, and hashing each field by field was most of a rebuild.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import typing
from collections.abc import Mapping
from typing import Any

from briefgen.site.indexes import (
    BriefingView,
    CitedSource,
    Records,
    Said,
    SourceRow,
    TimelineItem,
)
from briefgen.typedyaml.schema import record_fields

KEYED = frozenset({BriefingView, Said, TimelineItem, CitedSource, SourceRow})
"""Records hashed by their `key` when they have one (each holds nothing else)."""


def fingerprint(value: Any, keys: set[str] | None = None) -> str:
    """A hash of a template context: everything reachable, keyed records by their key.
    `keys`, when given, gets the key of every keyed record met (the page plan's
    dependencies, plan.py), in the same one walk."""
    h = hashlib.sha256()
    walk(value, h, keys)
    return h.hexdigest()


def walk(v: Any, h: Any, keys: set[str] | None = None) -> None:
    kind = type(v)
    if kind in KEYED and v.key:
        h.update(b"B" + v.key.encode())
        if keys is not None:
            keys.add(v.key)
    elif kind is str:
        data = v.encode("utf-8")
        h.update(b"S" + len(data).to_bytes(8, "little") + data)
    elif v is None or kind in (bool, int, float):
        h.update(repr(v).encode() + b";")
    elif kind in (list, tuple, Records):  # Records: made as walked, a page's own
        h.update(b"[")
        for item in v:
            walk(item, h, keys)
        h.update(b"]")
    elif dataclasses.is_dataclass(v):
        h.update(b"<" + type(v).__name__.encode())
        for f in record_fields(typing.cast(type, type(v))):
            walk(getattr(v, f.name), h, keys)
        h.update(b">")
    elif isinstance(v, (dt.date, dt.datetime)):
        h.update(b"D" + v.isoformat().encode())
    elif isinstance(v, Mapping):
        h.update(b"{")
        for k in sorted(v, key=str):
            walk(str(k), h)
            walk(v[k], h, keys)
        h.update(b"}")
    elif isinstance(v, (list, tuple)):
        walk(list(v), h, keys)
    else:
        h.update(b"?" + repr(v).encode())
