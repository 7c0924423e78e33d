"""The register: the people, groups, places and events a desk follows, written once.

`register.yml` (at the site root; `register:` in briefgen.yml moves it) gives each
entity an id, the name the desk writes, every other spelling it meets (`aliases`, in any
script), a description and its sources. A speaker or an anchor whose name has the key
(`names.name_key`) of an entry's name or alias is that entry, so one person spelled a
dozen ways is one page, and a context note is written once.

The entries are declared like the sidecar (`schema.py` reads them with positions and
derives the JSON Schema and the README table from the same declarations). This module
also resolves names to entries, picks the role an entry held on a date, and applies the
register to a verified briefing (`apply`): annotations that are `about` an entry take
its description and sources, quotes without a role take the register's.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import regex
import yaml

from briefgen.stages.inputs import read_text
from briefgen.stages.markdown import CITATION_RE
from briefgen.stages.mdsyntax import citation
from briefgen.stages.sidecars import Source, line_col, unsafe_links
from briefgen.stages.verify import Anchor, Briefing, Mention
from briefgen.typedyaml import schema
from briefgen.typedyaml.schema import Ident, Markdown, PartialDate, Pos, Positions, doc, positions
from briefgen.vocabulary.dates import partial_date_key
from briefgen.vocabulary.errors import BriefgenError, Diagnostic, error, warning
from briefgen.vocabulary.hashing import digest
from briefgen.vocabulary.labels import ENGLISH, Labels
from briefgen.vocabulary.names import KEY_TABLE, OPTIONAL_MARKS, name_key, sort_name

Kind = Literal["person", "organisation", "place", "event"]
FOLDERS: dict[str, str] = {
    "person": "people",
    "organisation": "groups",
    "place": "places",
    "event": "events",
}
"""Where each kind's pages are: people/ (with unregistered speakers), groups/, …"""
HEADINGS: dict[str, str] = {
    "person": "People",
    "organisation": "Groups",
    "place": "Places",
    "event": "Events",
}


@dataclass(frozen=True, kw_only=True)
class Role:
    """A position a person held, from one (partial) date to another."""

    title: str = doc("The position, as a quote's role would say it.")
    start: PartialDate | None = doc(
        "When it began: YYYY, YYYY-MM or YYYY-MM-DD (default: always).", key="from", default=None
    )
    end: PartialDate | None = doc(
        "When it ended, likewise (default: still held).", key="to", default=None
    )
    where: Positions = positions()


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One person, group, place or event, by id: `register.yml`."""

    name: str = doc("The name as the desk writes it: page titles and indexes show it.")
    kind: Kind = doc("person, organisation, place or event: where its page is.")
    aliases: tuple[str, ...] = doc(
        "Other spellings and transliterations, in any script: a speaker or an anchor "
        "written so is this entry (case, accents and spacing do not count).",
        default=(),
    )
    sort_as: str = doc(
        "What the indexes sort it by (default: a person's family name, as for a speaker not "
        "in the register; the name itself for anything else).",
        default="",
    )
    description: Markdown = doc(
        "Context note (Markdown): shown on its page and for annotations `about` it; may "
        "cite its sources with [^id].",
        default="",
    )
    sources: Mapping[str, Source] = doc("Sources of the description, by id.", default_factory=dict)
    roles: tuple[Role, ...] = doc(
        "A person's positions over time: a quote without role takes the one held on its date.",
        default=(),
    )
    where: Positions = positions()


@dataclass(frozen=True)
class Register:
    """Every entry by id (in file order), and the names that lead to each."""

    entries: Mapping[str, Entry] = field(default_factory=dict)
    path: str = "register.yml"
    by_key: Mapping[str, str] = field(default_factory=dict, compare=False)
    """name_key of every name and alias -> entry id."""
    digest: str = ""
    """A hash of every entry: part of what makes cached seeds trusted without reading."""
    by_words: Mapping[tuple[str, ...], frozenset[str]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """The words of every name and alias (`words`) -> the entries so named."""
    longest: int = 0
    """The most words a name or alias has."""
    first_words: frozenset[str] = frozenset()
    """The first word of every name and alias: where a name may start."""

    def resolve(self, name: str) -> str | None:
        """The id of the entry `name` is a spelling of, or None."""
        return self.by_key.get(name_key(name)) if self.by_key else None

    def entry(self, ident: str) -> Entry:
        return self.entries[ident]

    def part(self, sidecar_text: str) -> str:
        """What of the register one sidecar can depend on, as a hash: every entry named
        in it (by `about:` or by a name or alias anywhere in its text; a superset of
        what `apply` uses, found without parsing). Part of the seed's content key, so
        editing an entry prepares again only the seeds that name it."""
        if not self.entries:
            return ""
        found = set(ABOUT_RE.findall(sidecar_text))
        text = words(sidecar_text)
        for i, word in enumerate(text):
            if word not in self.first_words:
                continue
            for n in range(1, self.longest + 1):
                found.update(self.by_words.get(tuple(text[i : i + n]), ()))
        parts = [
            repr((ident, bare(self.entries[ident]) if ident in self.entries else None))
            for ident in sorted(found)
        ]
        return digest(*parts)


ABOUT_RE = re.compile(r"about\s*:\s*['\"]?([a-z0-9-]+)")
WORD_RE = re.compile(r"\w+")
MARKS = regex.compile(r"\p{M}+")


def words(text: str) -> list[str]:
    """The words of a text folded at least as names are (`name_key`; every combining mark
    goes, where name_key keeps those off Latin letters), punctuation dropped: a name
    written in a sidecar has its words in sequence there, whatever YAML did to it. In C
    throughout (name_key looks at each character): every sidecar is read so."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).translate(KEY_TABLE))
    return WORD_RE.findall(OPTIONAL_MARKS.sub("", MARKS.sub("", text)).casefold())


def bare(entry: Entry) -> Entry:
    """The entry without the positions of its keys: what pages and keys depend on."""
    return replace(
        entry,
        where={},
        sources={k: replace(s, where={}) for k, s in entry.sources.items()},
        roles=tuple(replace(r, where={}) for r in entry.roles),
    )


def make_register(path: str, entries: Mapping[str, Entry]) -> Register:
    """The register of these entries, with its name table and search pattern."""
    by_key: dict[str, str] = {}
    for ident, entry in entries.items():
        for name in (entry.name, *entry.aliases):
            by_key.setdefault(name_key(name), ident)
    by_words: dict[tuple[str, ...], set[str]] = {}
    for ident, entry in entries.items():
        for name in (entry.name, *entry.aliases):
            if found := tuple(words(name)):
                by_words.setdefault(found, set()).add(ident)
    whole = digest(*(repr((i, bare(e))) for i, e in entries.items()))
    return Register(
        dict(entries),
        path,
        by_key,
        whole if entries else "",
        {k: frozenset(v) for k, v in by_words.items()},
        max((len(k) for k in by_words), default=0),
        frozenset(k[0] for k in by_words),
    )


EMPTY = Register()


def parse_register(path: str, text: str) -> tuple[Register | None, list[Diagnostic]]:
    """Read and validate register text: every problem, each located."""
    node, diagnostics = schema.compose(path, text)
    if diagnostics:
        return None, diagnostics
    if node is None:
        return Register(path=path), []
    reader = schema.Reader(path, text)
    if not isinstance(node, yaml.MappingNode):
        reader.fail(node, "the register must be a mapping of id: entry", "pmf: {name: …, kind: …}")
        return None, reader.diagnostics
    entries: dict[str, Entry] = {}
    for key_node, value_node in reader.pairs(node):
        ident = key_node.value
        if not schema.IDENT_RE.fullmatch(ident):
            reader.fail(
                key_node,
                f"'{ident}' is not a valid id",
                "ids use lowercase letters, digits and hyphens",
            )
            continue
        entry = reader.read(value_node, Entry, ident)
        if entry is not None:
            entries[ident] = entry
    diagnostics = reader.diagnostics
    for ident, entry in entries.items():
        diagnostics += check_entry(path, text, ident, entry)
    diagnostics += claimed_twice(path, entries)
    if diagnostics:
        return None, diagnostics
    return make_register(path, entries), []


def check_entry(path: str, text: str, ident: str, entry: Entry) -> list[Diagnostic]:
    """What one entry alone can get wrong beyond its types."""
    found: list[Diagnostic] = []
    if entry.roles and entry.kind != "person":
        found.append(
            error(
                path,
                *line_col(entry.where.get("roles")),
                f"{ident}.roles: only a person has roles (this is a {entry.kind})",
                "delete roles, or set kind: person",
            )
        )
    for i, role in enumerate(entry.roles):
        if role.start and role.end and date_key(role.start) > date_key(role.end, last=True):
            found.append(
                error(
                    path,
                    *line_col(role.where.get("to")),
                    f"{ident}.roles[{i + 1}] ends ({role.end}) before it begins ({role.start})",
                )
            )
    pos = entry.where.get("description")
    if pos is not None:
        found += unsafe_links(path, entry.description, pos, text)
        locator = schema.Locator(text, pos)
        for m in CITATION_RE.finditer(entry.description):
            if m[1] not in entry.sources:
                hint = schema.did_you_mean(m[1], entry.sources) or (
                    f"define it under {ident}.sources"
                )
                found.append(
                    error(path, *locator.next(m[0]), f"undefined source id '{m[1]}'", hint)
                )
    return found


def claimed_twice(path: str, entries: Mapping[str, Entry]) -> list[Diagnostic]:
    """A name or alias that leads to two entries could not say which one is meant."""
    owner: dict[str, tuple[str, str, Pos | None]] = {}
    found: list[Diagnostic] = []
    for ident, entry in entries.items():
        names = [(entry.name, entry.where.get("name"))]
        names += [(a, entry.where.get(f"aliases.{i}")) for i, a in enumerate(entry.aliases)]
        for name, pos in names:
            key = name_key(name)
            first = owner.get(key)
            if first is None:
                owner[key] = (ident, name, pos)
            elif first[0] != ident:
                there = f"{path}:{first[2].line}:{first[2].col}" if first[2] else path
                found.append(
                    error(
                        path,
                        *line_col(pos),
                        f"'{name}' names both '{first[0]}' ('{first[1]}', {there}) and '{ident}'",
                        "a name or alias may lead to one entry only: delete one of them",
                    )
                )
    return found


def read_register(root: Path, name: str, where: tuple[int, int] = (0, 0)) -> Register:
    """The site's register; none when the file does not exist (unless `register:` in
    briefgen.yml names it: `where` is that setting's position)."""
    path = root / name
    if not path.is_file():
        if where != (0, 0):
            message = f"register '{name}' does not exist"
            hint = "create it, or delete the register key to use register.yml if it exists"
            raise BriefgenError([error("briefgen.yml", *where, message, hint)])
        return Register(path=name)
    text, diagnostics = read_text(root, path)
    if text is None:
        raise BriefgenError(diagnostics)
    register, diagnostics = parse_register(name, text)
    if register is None:
        raise BriefgenError(diagnostics)
    return register


def date_key(value: str, *, last: bool = False) -> tuple[int, int, int]:
    """A partial date as the first day it covers (or the last, with `last`)."""
    year, month, day = partial_date_key(value)
    if last:
        return (year, month or 12, day or 31)
    return (year, month or 1, day or 1)


def role_on(entry: Entry, when: dt.date | None) -> str:
    """The role the entry held on `when`: the latest begun of those covering it."""
    if when is None:
        return ""
    day = (when.year, when.month, when.day)
    held = [
        role
        for role in entry.roles
        if (role.start is None or date_key(role.start) <= day)
        and (role.end is None or day <= date_key(role.end, last=True))
    ]
    held.sort(key=lambda r: date_key(r.start) if r.start else (0, 0, 0))
    return held[-1].title if held else ""


def sort_text(entry: Entry) -> str:
    """What an entry sorts by: `sort_as`, else what an unregistered speaker of its name
    and kind would (`names.sort_name`: one rule for both)."""
    return entry.sort_as or sort_name(entry.name, entry.kind)


def initial(text: str) -> str:
    """The index letter of a sort text, in its own script (Arabic names under Arabic
    letters): its first letter, folded as names are."""
    for ch in name_key(text):
        if ch.isalnum():
            return ch.upper()
    return "#"


def source_identity(source: Source) -> str:
    return source.url.rstrip("/").lower() if source.url else ""


def merged_sources(
    sources: dict[str, Source], ident: str, entry: Entry, taken: dict[str, str]
) -> dict[str, str]:
    """Add an entry's sources to a briefing's; returns each one's id in the briefing.

    A source the briefing already cites (same URL) keeps the briefing's id, so it has
    one footnote; another takes its register id, or `<entry>-<id>` where that is taken.
    """
    renamed: dict[str, str] = {}
    for sid, source in entry.sources.items():
        plain = replace(source, where={})
        same = taken.get(source_identity(plain)) if plain.url else None
        if same is None:
            same = next((i for i, s in sources.items() if s == plain), None)
        if same is None:
            new = sid if sid not in sources else f"{ident}-{sid}"
            while new in sources:
                new += "-x"
            sources[new] = plain
            if plain.url:
                taken[source_identity(plain)] = new
            same = new
        renamed[sid] = same
    return renamed


def apply(briefing: Briefing, register: Register) -> tuple[Briefing, list[Diagnostic]]:
    """The briefing as the register completes it, and what it had to say.

    An annotation `about` an entry (or with no note, on an alias of one) shows the
    entry's description, and cites its sources, which join the briefing's; a quote
    without a role takes the role its speaker's entry held on the quote's date.
    Annotations and quotes on registered names are recorded as mentions, which the
    entity pages list.
    """
    path = briefing.sidecar_path
    found: list[Diagnostic] = []
    sources = dict(briefing.sources)
    taken = {source_identity(s): i for i, s in sources.items() if s.url}
    renames: dict[str, dict[str, str]] = {}
    annotations = {}
    mentions: list[Mention] = []
    for number, annotation in enumerate(briefing.sidecar.annotations, start=1):
        ident: str | None = annotation.about
        asked = ident is not None
        if ident is not None and ident not in register.entries:
            hint = schema.did_you_mean(ident, register.entries) or (
                f"add it to {register.path}" if register.entries else f"create {register.path}"
            )
            message = f"about: no register entry is called '{ident}'"
            found.append(error(path, *line_col(annotation.where.get("about")), message, hint))
            continue
        if ident is None:
            ident = register.resolve(annotation.anchor)
        if ident is None:
            if not annotation.note.strip():
                found.append(no_note(path, number, annotation.where.get("anchor")))
            continue
        entry = register.entries[ident]
        mentions.append(Mention(ident, entry.kind, entry.name, annotation.anchor))
        if annotation.note.strip() and not asked:
            continue  # a note of its own, on a registered name: listed, not replaced
        if not entry.description.strip():
            if not annotation.note.strip():
                message = f"register entry '{ident}' has no description to show here"
                hint = f"write note: …, or a description for {ident} in {register.path}"
                where = annotation.where.get("about") or annotation.where.get("anchor")
                found.append(error(path, *line_col(where), message, hint))
            continue
        if not asked:
            found.append(
                warning(
                    path,
                    *line_col(annotation.where.get("anchor")),
                    f"annotation on '{annotation.anchor}' has no note: it shows the "
                    f"description of register entry '{ident}' ({entry.name})",
                    f"write about: {ident} to say so",
                )
            )
        if ident not in renames:
            renames[ident] = merged_sources(sources, ident, entry, taken)
        renamed = renames[ident]
        # A note is a footnote: its sources are listed under it, not cited inside it.
        description = CITATION_RE.sub("", entry.description).strip()
        own = annotation.note.strip()
        note = f"{description}\n\n{own}" if own else description  # the entry's, then this one's
        cited = [*annotation.sources, *(renamed[s] for s in entry.sources)]
        if not cited:
            found.append(
                warning(
                    path,
                    *line_col(annotation.where.get("about")),
                    f"annotation on '{annotation.anchor}' cites no source, nor does register "
                    f"entry '{ident}'",
                    f"add sources to {ident} in {register.path}",
                )
            )
        annotations[id(annotation)] = replace(
            annotation, note=Markdown(note), sources=tuple(Ident(i) for i in dict.fromkeys(cited))
        )
    quotes = {}
    for check in briefing.quotes:
        ident = register.resolve(check.quote.speaker)
        if ident is None:
            continue
        entry = register.entries[ident]
        if not check.quote.role and entry.roles:
            role = role_on(entry, check.date or briefing.date)
            if role:
                quotes[id(check.quote)] = replace(check.quote, role=role)
    if found and any(d.severity.value == "error" for d in found):
        return briefing, found
    if not (annotations or quotes or mentions):
        return briefing, found
    sidecar = replace(
        briefing.sidecar,
        annotations=tuple(annotations.get(id(a), a) for a in briefing.sidecar.annotations),
        quotes=tuple(quotes.get(id(q), q) for q in briefing.sidecar.quotes),
    )
    anchors = tuple(
        replace(a, annotation=annotations.get(id(a.annotation), a.annotation))
        for a in briefing.anchors
    )
    checks = tuple(replace(c, quote=quotes.get(id(c.quote), c.quote)) for c in briefing.quotes)
    with_context = tuple(in_context(briefing, anchors, m) for m in mentions)
    return (
        replace(
            briefing,
            sidecar=sidecar,
            sources=sources,
            quotes=checks,
            anchors=anchors,
            mentions=with_context,
        ),
        found,
    )


def no_note(path: str, number: int, pos: Pos | None) -> Diagnostic:
    """In the words of the JSON Schema's rule (sidecars.sidecar_schema)."""
    return error(
        path,
        *line_col(pos),
        f"annotations[{number}] has no note",
        "write note: …, or about: <register id> to show that entry's description",
    )


SPACES = re.compile(r"\s+")
CONTEXT_CHARS = 120
"""How much of the paragraph around an anchor an entity page shows, each side."""


def in_context(briefing: Briefing, anchors: Iterable[Anchor], mention: Mention) -> Mention:
    """The mention with the words around its anchor, when the page reproduces them."""
    if briefing.reproduce == "none":
        return mention
    anchor = next((a for a in anchors if a.annotation.anchor == mention.words), None)
    if anchor is None:
        return mention
    text = briefing.seed.paragraphs[anchor.paragraph].text
    start = max(0, anchor.start - CONTEXT_CHARS)
    end = min(len(text), anchor.end + CONTEXT_CHARS)
    while start > 0 and not text[start - 1].isspace():
        start += 1
    while end < len(text) and not text[end].isspace():
        end -= 1
    before = ("…" if start > 0 else "") + SPACES.sub(" ", text[start : anchor.start]).lstrip()
    after = SPACES.sub(" ", text[anchor.end : end]).rstrip() + ("…" if end < len(text) else "")
    return replace(mention, before=before, after=after)


def speaker_hint(register: Register, name: str) -> str | None:
    """Where to make two spellings of one speaker one: None when the register already
    does (its pages show the register's name)."""
    if register.resolve(name) is not None:
        return None
    return f"or add the person to {register.path} with both spellings as aliases"


def close_entry(register: Register, name: str) -> str | None:
    """The person entry a speaker's unregistered name is close to (a transliteration:
    Qasem / Qassem), for the advisory that names where to add the alias."""
    people = {
        key: ident
        for key, ident in register.by_key.items()
        if register.entries[ident].kind == "person"
    }
    close = difflib.get_close_matches(name_key(name), list(people), n=1, cutoff=0.85)
    return people[close[0]] if close else None


def unregistered_speakers(briefings: Iterable[Briefing], register: Register) -> list[Diagnostic]:
    """Speakers not in the register whose name is close to an entry's: one person
    transliterated two ways, most likely."""
    if not register.entries:
        return []
    found: list[Diagnostic] = []
    seen: set[str] = set()
    for b in sorted(briefings, key=lambda b: (b.date, b.slug)):
        for i, name in enumerate(b.speaker_names()):  # its quotes read only to warn
            if name_key(name) in seen or register.resolve(name):
                continue
            seen.add(name_key(name))
            ident = close_entry(register, name)
            if ident is None:
                continue
            entry = register.entries[ident]
            check = b.quotes[i]
            found.append(
                warning(
                    b.sidecar_path,
                    *line_col(check.quote.where.get("speaker")),
                    f"speaker '{name}' is not in the register, but close to '{entry.name}' "
                    f"({ident}): likely the same person",
                    f"add '{name}' to the aliases of '{ident}' in {register.path}",
                )
            )
    return found


def register_schema() -> dict[str, object]:
    """The JSON Schema of register.yml, from the same declarations."""
    entry = schema.json_schema(Entry, "<id>")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://briefgen.invalid/register.schema.json",
        "title": "briefgen register",
        "type": "object",
        "propertyNames": {
            "pattern": schema.ecma_pattern(schema.IDENT_RE),
            "errorMessage": "<id> is not a valid id: ids use lowercase letters, digits and hyphens",
        },
        "additionalProperties": entry,
    }


def docs_rows() -> list[str]:
    """The README's table of register keys."""
    return schema.docs_table(Entry, "<id>.")


def description_text(entry: Entry) -> str:
    """The description as its own page shows it: each citation as the number of the
    source in the entry's list of sources (`sources_text`)."""
    numbers = {sid: n for n, sid in enumerate(entry.sources, start=1)}
    return CITATION_RE.sub(
        lambda m: f"\\[{numbers[m[1]]}\\]" if m[1] in numbers else "", entry.description
    ).strip()


def sources_text(entry: Entry, labels: Labels = ENGLISH) -> str:
    """The entry's sources as a numbered Markdown list, in the order they are declared."""
    return "\n".join(f"{n}. {citation(s, labels)}" for n, s in enumerate(entry.sources.values(), 1))
