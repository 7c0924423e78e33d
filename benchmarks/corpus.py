"""A synthetic, seeded briefing corpus for benchmarks and large-site tests.

Each seed has ~1,200 words in 10 paragraphs, typographic quotes and a paywall line; each
sidecar ~6 quotes (some elided), ~8 annotations, 5 sources, a timeline, tags from a pool
of 50 and speakers from a pool of 300. The same (n, seed) always gives the same files.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from pathlib import Path

WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "with",
    "as",
    "by",
    "at",
    "from",
    "was",
    "were",
    "be",
    "has",
    "have",
    "had",
    "this",
    "which",
    "but",
    "not",
    "are",
    "or",
    "an",
    "they",
    "their",
    "its",
    "more",
    "after",
    "over",
    "into",
    "than",
    "about",
    "while",
    "also",
    "militia",
    "forces",
    "government",
    "border",
    "strike",
    "attack",
    "drone",
    "talks",
    "minister",
    "official",
    "statement",
    "security",
    "region",
    "capital",
    "province",
    "negotiations",
    "ceasefire",
    "sanctions",
    "embassy",
    "troops",
    "base",
    "oil",
    "field",
    "river",
    "convoy",
    "report",
    "analysts",
    "observers",
    "parliament",
    "election",
    "coalition",
    "deal",
    "pressure",
    "response",
    "warning",
    "escalation",
    "sovereignty",
    "agreement",
    "withdrawal",
    "operation",
]
FIRST = [
    "Ali",
    "Sara",
    "Omar",
    "Lina",
    "Karim",
    "Noor",
    "Hassan",
    "Rania",
    "Yusuf",
    "Leila",
    "Samir",
    "Dana",
    "Tariq",
    "Mona",
    "Adel",
]
LAST = [
    "Haddad",
    "Khalil",
    "Mansour",
    "Nasser",
    "Saleh",
    "Aziz",
    "Farouk",
    "Jaber",
    "Rahman",
    "Qasim",
    "Bakr",
    "Hamdan",
]
PLACES = [
    "Qaim",
    "Omar",
    "Mosul",
    "Erbil",
    "Basra",
    "Raqqa",
    "Tikrit",
    "Homs",
    "Kirkuk",
    "Najaf",
    "Fallujah",
    "Deir",
]


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def make_briefing(i: int, rng: random.Random) -> tuple[str, str]:
    """(seed text, sidecar text) of briefing number i."""
    date = dt.date(2020, 1, 1) + dt.timedelta(days=i % 2000)
    speakers = [
        f"{FIRST[s % 15]} {LAST[(s // 15) % 12]}-{s % 2}"
        for s in (rng.randrange(300) for _ in range(6))
    ]
    anchors = [f"{rng.choice(PLACES)} Council {i}-{k}" for k in range(8)]
    quotes: list[str] = []
    paragraphs: list[str] = []
    for p in range(10):
        parts = [sentence(rng, rng.randint(10, 18)) for _ in range(6)]
        if p < 6:
            quote = sentence(rng, 14)[:-1]
            quotes.append(quote)
            parts.insert(2, f"“{quote},” said {speakers[p]}.")
        if p < 8:
            parts.insert(4, f"The {anchors[p]} met again.")
        paragraphs.append(" ".join(parts))
    paragraphs.append("You have 42% of this article to read. The rest is for subscribers only.")
    seed = "\n\n".join(
        [date.strftime("%B %-d, %Y"), f"Briefing number {i} on the border", *paragraphs]
    )

    tags = sorted({f"topic-{rng.randrange(50)}" for _ in range(3)})
    lines = [
        f"title: Briefing {i} on strikes, talks and the border",
        f"summary: Summary of briefing {i}, with a citation.[^src0]",
        "key_points:",
        *[f"  - Key point {k} of briefing {i}.[^src{k}]" for k in range(3)],
        f"tags: [{', '.join(tags)}]",
        "article:",
        "  publisher: The Daily",
        f"  url: https://daily.example/{i}",
        "sources:",
    ]
    for k in range(5):
        lines += [
            f"  src{k}:",
            f"    title: Source {k} of briefing {i}",
            f"    publisher: Agency {k}",
            f"    url: https://agency{k}.example/{i}",
            f"    published: {date.isoformat()}",
        ]
    lines.append("quotes:")
    for k, quote in enumerate(quotes):
        words = quote.split()
        text = quote if k % 2 else " ".join(words[:4]) + " (…) " + " ".join(words[-5:])
        lines += [f'  - text: "{text}"', f"    speaker: {speakers[k]}", "    role: Official"]
    lines.append("annotations:")
    for k, anchor in enumerate(anchors):
        lines += [
            f"  - anchor: {anchor}",
            f"    note: Context note {k}.",
            f"    sources: [src{k % 5}]",
        ]
    lines.append("timeline:")
    for k in range(4):
        when = date - dt.timedelta(days=30 * k)
        lines += [
            f"  - date: {when.isoformat()}",
            f"    event: Event {k} of briefing {i}.",
            f"    source: src{k}",
        ]
    return seed + "\n", "\n".join(lines) + "\n"


def corpus_at(root: Path | None, n: int, prefix: str) -> Path:
    """Where a benchmark's corpus of n briefings is: `root` (--root, kept to be reused),
    or a new temporary folder named after `prefix`; written unless already there."""
    root = root or Path(tempfile.mkdtemp(prefix=prefix)) / f"site-{n}"
    if not (root / "seeds").is_dir():
        write_corpus(root, n)
    return root


def write_corpus(root: Path, n: int, seed: int = 1) -> None:
    """Write a site of n briefings under root (seeds/ and briefgen.yml)."""
    rng = random.Random(seed)
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    (root / "briefgen.yml").write_text(
        "title: Synthetic desk\nsite_url: https://desk.example/\n", encoding="utf-8"
    )
    for i in range(n):
        seed_text, sidecar = make_briefing(i, rng)
        (root / "seeds" / f"briefing-{i:05d}.txt").write_text(seed_text, encoding="utf-8")
        (root / "seeds" / f"briefing-{i:05d}.yml").write_text(sidecar, encoding="utf-8")
