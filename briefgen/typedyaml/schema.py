"""Typed YAML: turn a composed YAML node tree into frozen dataclasses, keeping positions.

Config and sidecars are declared once, as dataclasses whose field types and docstrings
(in `field(metadata=...)`) say everything: this module derives validation from them, and
`schema_for` derives the JSON Schema from the same declarations.

We compose rather than load so that every value keeps its line and column, and so that
YAML 1.1's implicit typing never applies: a plain scalar stays the text the editor typed
(`no`, `on`, `1:30`) until the declared type of its key says how to read it.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import difflib
import functools
import re
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal, NamedTuple, NewType

import regex
import yaml

from briefgen.vocabulary.dates import PARTIAL_DATE_RE
from briefgen.vocabulary.dates import PartialDate as PartialDate
from briefgen.vocabulary.errors import Diagnostic, error

Markdown = NewType("Markdown", str)
"""Text rendered as Markdown (raw HTML off); may cite sources with `[^source-id]`."""
Url = NewType("Url", str)
"""An absolute http or https URL."""
Ident = NewType("Ident", str)
"""An identifier: lowercase letters, digits and hyphens."""
Regex = NewType("Regex", str)
"""A Python regular expression."""
Language = NewType("Language", str)
"""A BCP 47 language tag (`ar`, `fr`, `de-CH`, `zh-Hant`, `en-US`), case-normalised."""
Text = NewType("Text", str)
"""As a mapping's key type: any text is a key (a theme label's English words), not an id."""

IDENT_RE = re.compile(r"[a-z0-9-]+")
URL_RE = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)
LANGUAGE_RE = re.compile(
    r"(?P<language>[a-z]{2,3})(?:-[a-z]{3}){0,3}"  # ISO 639 language, extlangs
    r"(?:-(?P<script>[a-z]{4}))?"
    r"(?:-(?P<region>[a-z]{2}|\d{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|\d[a-z0-9]{3}))*"  # variants
    r"(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*"  # extensions
    r"(?:-x(?:-[a-z0-9]{1,8})+)?",  # private use
    re.IGNORECASE,
)
"""BCP 47's `langtag` production (RFC 5646, section 2.1), without grandfathered tags and
the reserved 4-8 letter primary subtags, which no registered language uses."""
NULLS = {"", "~", "null", "Null", "NULL"}
TRUE = {"true", "yes", "on"}
FALSE = {"false", "no", "off"}


class Pos(NamedTuple):
    """Where a value is in its file: line and column for messages, offsets for searches.

    Only offsets are kept, not the text, and as a tuple, so that thousands of briefings
    stay small in memory and quick to (un)pickle; `find` takes the file's text again
    when a message needs it.
    """

    line: int
    col: int
    start: int = 0
    """Offset of the value's first character in the file."""
    end: int = 0
    """Offset just past the value's last character in the file."""

    def find(self, text: str, fragment: str) -> tuple[int, int]:
        """Line and column of `fragment`'s first occurrence in this value's source."""
        return Locator(text, self).next(fragment)

    def line_of(self, text: str, line_in_value: int) -> tuple[int, int]:
        """Where a line of a multi-line value starts in the file (block scalars start
        on the line after their `|` or `>`)."""
        block = text[self.start : self.start + 1] in ("|", ">")
        line = self.line + line_in_value + (1 if block else 0)
        lines = text.splitlines()
        source_line = lines[line - 1] if 0 < line <= len(lines) else ""
        return line, len(source_line) - len(source_line.lstrip()) + 1


class Locator:
    """Finds successive fragments in a value's source, in one pass.

    Folding, block indentation and escapes change offsets between a value and its file,
    but not text such as `[^pentagon]`: finding it in the source is exact. Each fragment
    is searched from after its previous occurrence, and line numbers come from a table
    of line starts, so locating thousands of citations stays linear.
    """

    def __init__(self, text: str, pos: Pos) -> None:
        self.pos = pos
        self.source = text[pos.start : pos.end]
        self.newlines = [m.start() for m in re.finditer("\n", self.source)]
        self.after: dict[str, int] = {}

    def next(self, fragment: str) -> tuple[int, int]:
        """Line and column of the next occurrence of `fragment` (the value's start if none)."""
        index = self.source.find(fragment, self.after.get(fragment, -1) + 1)
        if index < 0:
            return self.pos.line, self.pos.col
        self.after[fragment] = index
        k = bisect.bisect_left(self.newlines, index)
        if k == 0:
            return self.pos.line, self.pos.col + index
        return self.pos.line + k, index - self.newlines[k - 1]


Positions = dict[str, Pos]


def doc(text: str, *, minimum: int | None = None, key: str = "", **kw: Any) -> Any:
    """A dataclass field with a docstring, which the schema and the docs table show.

    `minimum` bounds a whole number: Reader refuses less, and the JSON Schema says so.
    `key` is the YAML key when it cannot be the field's name (`from` is a Python keyword).
    """
    metadata: dict[str, Any] = {"doc": text}
    if key:
        metadata["key"] = key
    if "choices_doc" in kw:
        metadata["choices_doc"] = kw.pop("choices_doc")
    if minimum is not None:
        metadata["minimum"] = minimum
    return dataclasses.field(metadata=metadata, **kw)


def positions() -> Any:
    """The `where` field every record has: key (or `key.index`) -> position of its value."""
    return dataclasses.field(default_factory=dict, compare=False, repr=False)


def yaml_key(f: dataclasses.Field[Any]) -> str:
    """The key a field is written under in YAML: its name, unless declared otherwise."""
    return str(f.metadata.get("key", f.name))


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """A hint naming the closest choice, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def language_tag(text: str) -> Language | None:
    """`text` as a BCP 47 tag in its conventional case (`de-CH`, `zh-Hant`), or None.

    An underscore, as POSIX locales write it (`en_US`), is read as a hyphen.
    """
    text = text.strip().replace("_", "-")
    m = LANGUAGE_RE.fullmatch(text)
    if not m:
        return None
    parts = text.lower().split("-")
    out = [parts[0]]
    for part in parts[1:]:
        if len(out[-1]) == 1:  # after a singleton (extension, private use): as written
            out.extend(parts[len(out) :])
            break
        if part == (m["script"] or "").lower():
            out.append(part.title())
        elif part == (m["region"] or "").lower() and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part)
    return Language("-".join(out))


YAML_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")


class Lines:
    """Line and column of a character offset, counting lines as editors do.

    YAML also breaks lines at U+0085, U+2028 and U+2029, so its own marks drift from
    what an editor shows after one of them; offsets do not.
    """

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def at(self, index: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.starts, index) - 1
        return k + 1, index - self.starts[k] + 1


OPTIONAL, UNION, RECORD, SEQUENCE, MAPPING, LITERAL, SCALAR = (
    "optional",
    "union",
    "record",
    "sequence",
    "mapping",
    "literal",
    "scalar",
)


class Shape(NamedTuple):
    """How Reader reads one declared type: its kind, and the type inside it, if any."""

    kind: str
    inner: Any = None
    """The type of a list's items or a mapping's values, a record's class, the type an
    optional value has when present, or a union's types."""
    any_key: bool = False
    """A mapping whose keys are any text, not ids."""


@functools.cache
def shape(tp: Any) -> Shape:
    """`tp` taken apart once per type: `typing` introspection is slow, and Reader asks for
    every value of every file."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        present = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(present) > 1:  # `str | PluralLabel`: the node's kind picks (arm_for)
            return Shape(UNION, present)
        return Shape(OPTIONAL, present[0])
    if dataclasses.is_dataclass(tp):
        return Shape(RECORD, tp)
    if origin is tuple:
        return Shape(SEQUENCE, typing.get_args(tp)[0])
    if origin in (dict, Mapping):
        key_tp, value_tp = typing.get_args(tp)
        return Shape(MAPPING, value_tp, key_tp is Text)
    if origin is Literal:
        return Shape(LITERAL)
    return Shape(SCALAR)


class Reader:
    """Converts nodes of one file, collecting every problem instead of stopping at one."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.diagnostics: list[Diagnostic] = []
        self._seen: set[int] = set()
        self.marks_agree = "\r" not in text and "\ufeff" not in text
        """Whether the parser's own line and column are an editor's: compose() refuses
        YAML's other line breaks, and a carriage return or a byte order mark is the rest
        of what could set them apart. Then a position costs no search."""

    @functools.cached_property
    def lines(self) -> Lines:
        return Lines(self.text)

    # -- reporting ---------------------------------------------------------------------

    def fail(self, node: yaml.Node, message: str, hint: str = "") -> None:
        line, col = self.lines.at(node.start_mark.index)
        self.diagnostics.append(error(self.path, line, col, message, hint))

    def pos(self, node: yaml.Node) -> Pos:
        mark = node.start_mark
        if self.marks_agree:  # NamedTuple's __new__ is a Python call: made as a tuple is
            made: Pos = NEW_TUPLE(
                Pos, (mark.line + 1, mark.column + 1, mark.index, node.end_mark.index)
            )
            return made
        return Pos(*self.lines.at(mark.index), mark.index, node.end_mark.index)

    # -- conversion ----------------------------------------------------------------------

    def read(self, node: yaml.Node, tp: Any, what: str, shaped: Shape | None = None) -> Any:
        """The value of `node` as type `tp`, or None after recording a diagnostic."""
        if id(node) in self._seen:
            # The composer resolves an alias to the very node it names.
            self.fail(node, "YAML anchors and aliases are not supported", "write the value out")
            return None
        self._seen.add(id(node))
        return self.convert(node, tp, what, shaped)

    def convert(self, node: yaml.Node, tp: Any, what: str, shaped: Shape | None = None) -> Any:
        """`shaped`: shape(tp), when the caller has it (a record's fields: RecordPlan)."""
        kind, inner, any_key = shaped or shape(tp)
        if kind is OPTIONAL:
            if self.is_null(node):
                return None
            return self.convert(node, inner, what)
        if kind is UNION:
            if self.is_null(node):
                return None
            return self.convert(node, arm_for(node, inner), what)
        if kind is RECORD:
            return self.record(node, inner, what)
        if kind is SEQUENCE:
            return self.sequence(node, inner, what)
        if kind is MAPPING:
            return self.mapping(node, inner, what, any_key=any_key)
        if not isinstance(node, yaml.ScalarNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
            self.fail(node, f"{what} must be {describe(tp)}, not {kind}")
            return None
        return self.scalar(node, tp, what)

    def is_null(self, node: yaml.Node) -> bool:
        return isinstance(node, yaml.ScalarNode) and not node.style and node.value in NULLS

    def scalar(self, node: yaml.ScalarNode, tp: Any, what: str) -> Any:
        text: str = node.value
        quoted = bool(node.style)
        if shape(tp).kind is LITERAL:
            choices = typing.get_args(tp)
            if text in choices:
                return text
            self.fail(
                node,
                f"{what} must be one of {', '.join(choices)}; got '{text}'",
                did_you_mean(text, choices),
            )
            return None
        if tp is bool:
            if not quoted and text.lower() in TRUE | FALSE:
                return text.lower() in TRUE
            self.fail(node, f"{what} must be true or false; got '{text}'")
            return None
        if tp is int:
            if not quoted and re.fullmatch(r"[0-9]+", text):
                return int(text)
            self.fail(node, f"{what} must be a whole number; got '{text}'")
            return None
        if tp is dt.date:
            try:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                    raise ValueError
                return dt.date.fromisoformat(text)
            except ValueError:
                self.fail(node, f"{what} must be a date as YYYY-MM-DD; got '{text}'")
                return None
        if not text.strip():
            self.fail(node, f"{what} must not be empty")
            return None
        if tp is PartialDate:
            m = PARTIAL_DATE_RE.fullmatch(text)
            try:
                if not m:
                    raise ValueError
                dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
            except ValueError:
                self.fail(node, f"{what} must be YYYY, YYYY-MM or YYYY-MM-DD; got '{text}'")
                return None
            return text
        if tp is Ident:
            if not IDENT_RE.fullmatch(text):
                self.fail(
                    node,
                    f"{what} '{text}' is not a valid id",
                    "ids use lowercase letters, digits and hyphens",
                )
                return None
            return text
        if tp is Url:
            if not URL_RE.fullmatch(text):
                self.fail(node, f"{what} must be an http:// or https:// URL; got '{text}'")
                return None
            return text
        if tp is Language:
            tag = language_tag(text)
            if tag is None:
                self.fail(
                    node,
                    f"{what} '{text}' is not a language tag",
                    "write a BCP 47 tag: ar, fr, de-CH, zh-Hant, en-US",
                )
            return tag
        if tp is Regex:
            try:
                regex.compile(text)
            except regex.error as exc:
                self.fail(node, f"{what} is not a valid regular expression: {exc}")
                return None
            return text
        return text

    def sequence(self, node: yaml.Node, item_tp: Any, what: str) -> tuple[Any, ...] | None:
        if not isinstance(node, yaml.SequenceNode):
            if self.is_null(node):
                return ()
            key = what.rsplit(".", 1)[-1]
            self.fail(node, f"{what} must be a list", f"write it as a YAML list: {key}: [...]")
            return None
        items = [
            self.read(child, item_tp, f"{what}[{i + 1}]") for i, child in enumerate(node.value)
        ]
        if any(item is None for item in items):
            return None  # each failed item has reported its own problem
        return tuple(items)

    def mapping(
        self, node: yaml.Node, value_tp: Any, what: str, any_key: bool = False
    ) -> dict[str, Any] | None:
        if not isinstance(node, yaml.MappingNode):
            if self.is_null(node):
                return {}
            self.fail(node, f"{what} must be a mapping of {'text' if any_key else 'id'}: value")
            return None
        result: dict[str, Any] = {}
        for key_node, value_node in self.pairs(node):
            key = key_node.value
            if not any_key and not IDENT_RE.fullmatch(key):
                self.fail(
                    key_node,
                    f"'{key}' is not a valid id",
                    "ids use lowercase letters, digits and hyphens",
                )
                continue
            result[key] = self.read(value_node, value_tp, f"{what}.{key}")
        if any(value is None for value in result.values()):
            return None
        return result

    def pairs(self, node: yaml.MappingNode) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
        """The key/value pairs, with duplicate and non-string keys reported."""
        seen: dict[str, yaml.Node] = {}
        pairs = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or is_merge_key(key_node):
                self.fail(key_node, "keys must be plain names (no merge keys or complex keys)")
                continue
            if id(key_node) in self._seen:
                self.fail(key_node, "YAML anchors and aliases are not supported")
                continue
            self._seen.add(id(key_node))
            key = key_node.value
            if key in seen:
                first = self.lines.at(seen[key].start_mark.index)[0]
                self.fail(key_node, f"duplicate key '{key}' (first defined on line {first})")
                continue
            seen[key] = key_node
            pairs.append((key_node, value_node))
        return pairs

    def record(self, node: yaml.Node, cls: type, what: str) -> Any:
        if not isinstance(node, yaml.MappingNode):
            if self.is_null(node) and not required_fields(cls):
                return cls()
            self.fail(node, f"{what} must be a mapping of keys", f"expected keys: {key_list(cls)}")
            return None
        problems_before = len(self.diagnostics)
        plan = record_plan(cls)
        values: dict[str, Any] = {}
        where: Positions = {}
        required = plan.required
        pos = self.pos
        top = what in ("sidecar", "config")
        for key_node, value_node in self.pairs(node):
            key = key_node.value
            known = plan.keys.get(key)
            if known is None:
                hint = did_you_mean(key, plan.keys) or f"known keys: {key_list(cls)}"
                self.fail(key_node, f"unknown key '{key}' in {what}", hint)
                continue
            label = key if top else f"{what}.{key}"
            where[key] = pos(value_node)
            kind = type(value_node)
            if kind is yaml.SequenceNode:
                for i, child in enumerate(value_node.value):
                    where[f"{key}.{i}"] = pos(child)
            elif kind is yaml.MappingNode:
                for child_key, _ in value_node.value:
                    where[f"{key}.{child_key.value}"] = pos(child_key)
            elif self.is_null(value_node):
                # `key:` with nothing after it: the default, as for a missing key.
                if key in required:
                    self.fail(value_node, f"{label} must not be empty")
                continue
            name, hint_tp, shaped, minimum = known
            value = self.read(value_node, hint_tp, label, shaped)
            if minimum is not None and value is not None and value < minimum:
                self.fail(value_node, f"{label} must be at least {minimum}")
            elif value is not None:
                values[name] = value
        for name in required:
            if name not in where:
                self.fail(node, f"{what} is missing required key '{name}'")
        if len(self.diagnostics) > problems_before:
            return None  # every problem inside this record has been reported
        return cls(**values, where=where)


NEW_TUPLE: Any = tuple.__new__


class RecordPlan(NamedTuple):
    """How Reader reads one record class, worked out once per class: each key it may
    hold, with its field's name, type, shape and minimum, and the fields it requires
    (each looked up per key of every record of every file, they were a fifth of reading
    a sidecar)."""

    keys: dict[str, tuple[str, Any, Shape, Any]]
    required: list[str]


@functools.cache
def record_plan(cls: type) -> RecordPlan:
    hints = type_hints(cls)
    keys = {
        key: (f.name, hints[f.name], shape(hints[f.name]), f.metadata.get("minimum"))
        for key, f in keyed_fields(cls).items()
    }
    return RecordPlan(keys, required_fields(cls))


@functools.cache
def record_fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    """A record's fields, looked up once per class."""
    return dataclasses.fields(cls)


@functools.cache
def keyed_fields(cls: type) -> dict[str, dataclasses.Field[Any]]:
    """A record's fields by the key they are written under, `where` left out."""
    return {yaml_key(f): f for f in record_fields(cls) if f.name != "where"}


@functools.cache
def type_hints(cls: type) -> dict[str, Any]:
    """A record's field types, resolved once per class (resolution is slow)."""
    return typing.get_type_hints(cls)


@functools.cache
def required_fields(cls: type) -> list[str]:
    return [
        f.name
        for f in record_fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]


def key_list(cls: type) -> str:
    return ", ".join(yaml_key(f) for f in record_fields(cls) if f.name != "where")


def describe(tp: Any) -> str:
    """Words for a type in messages: 'a string', 'a date as YYYY-MM-DD', …"""
    if tp is bool:
        return "true or false"
    if tp is int:
        return "a whole number"
    if tp is dt.date:
        return "a date as YYYY-MM-DD"
    if tp is PartialDate:
        return "a date as YYYY, YYYY-MM or YYYY-MM-DD"
    if tp is Url:
        return "a URL"
    if tp is Language:
        return "a language tag such as ar, fr or de-CH"
    if typing.get_origin(tp) is Literal:
        return "one of " + ", ".join(typing.get_args(tp))
    return "a string"


def arm_for(node: yaml.Node, arms: list[Any]) -> Any:
    """The type of a union (`str | PluralLabel`) that a YAML node is written as: a
    mapping reads as the record or mapping arm, a list as the list arm, else the first."""
    if isinstance(node, yaml.MappingNode):
        kinds: tuple[Any, ...] = (dict, Mapping)
    elif isinstance(node, yaml.SequenceNode):
        kinds = (tuple,)
    else:
        return arms[0]
    for arm in arms:
        if typing.get_origin(arm) in kinds or (kinds[0] is dict and dataclasses.is_dataclass(arm)):
            return arm
    return arms[0]


def arms(tp: Any) -> list[Any]:
    """The types a value may be written as: a union's non-None ones, or the type itself."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [a for a in typing.get_args(tp) if a is not type(None)]
    return [tp]


def type_name(tp: Any) -> str:
    """A type as the docs table shows it."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(type_name(a) for a in arms(tp))
    if origin is tuple:
        return f"list of {type_name(typing.get_args(tp)[0])}"
    if origin in (dict, Mapping):
        key_tp, value_tp = typing.get_args(tp)
        return f"{'text' if key_tp is Text else 'id'} → {type_name(value_tp)}"
    if dataclasses.is_dataclass(tp):
        return "mapping"
    if origin is Literal:
        return " \\| ".join(f"`{c}`" for c in typing.get_args(tp))
    names = {
        bool: "true/false",
        int: "number",
        dt.date: "date",
        str: "text",
        PartialDate: "partial date",
        Language: "language tag",
    }
    return names.get(tp) or getattr(tp, "__name__", str(tp)).lower()


FULL_DATE_PATTERN = (
    "(?!0000)(?:[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    "|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
    "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)"
)
"""A real YYYY-MM-DD date (no 2021-02-30, no 2021-02-29, year 0001 to 9999), as a regex:
editors that ignore `format: date`, or check it loosely, still reject what `check` does."""
PARTIAL_DATE_PATTERN = f"(?!0000)[0-9]{{4}}(?:-(?:0[1-9]|1[0-2]))?|{FULL_DATE_PATTERN}"
NOT_NULL = ["array", "boolean", "number", "object", "string"]
"""Every JSON type but null: an editor's `key:` left empty is null."""


def ecma_pattern(regex: re.Pattern[str], hyphen: str = "-") -> str:
    """`regex` as an anchored JSON Schema (ECMA-262) pattern.

    Named groups lose their names, and since JSON Schema patterns take no flags, IGNORECASE
    is spelt out: `x` becomes `[xX]`, `[a-z]` becomes `[a-zA-Z]`. `hyphen` replaces each
    literal `-` outside a class (`[-_]` where a POSIX `en_US` is read as `en-US`).
    """
    source = re.sub(r"\(\?P<\w+>", "(?:", regex.pattern)
    fold = bool(regex.flags & re.IGNORECASE)
    out: list[str] = []
    extra = ""  # the other case of the letters of the class being read
    in_class = False
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            out.append(source[i : i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]":
                out.append(extra + ch)
                in_class, extra = False, ""
            elif (
                fold
                and ch.isalpha()
                and source[i + 1 : i + 2] == "-"
                and source[i + 2 :][:1].isalpha()
            ):
                out.append(source[i : i + 3])
                extra += f"{ch.swapcase()}-{source[i + 2].swapcase()}"
                i += 3
                continue
            else:
                out.append(ch)
                extra += ch.swapcase() if fold and ch.isalpha() else ""
        elif ch == "[":
            out.append(ch)
            in_class = True
        elif ch == "-":
            out.append(hyphen)
        else:
            out.append(f"[{ch}{ch.swapcase()}]" if fold and ch.isalpha() else ch)
        i += 1
    return f"^(?:{''.join(out)})$"


def json_type(tp: Any, what: str) -> dict[str, Any]:
    """The JSON Schema of a non-empty value of one declared type, mirroring Reader.

    `what` names the value as `check` does (`quotes[].speaker`), and each `errorMessage`
    is `check`'s message without the value it quotes: yaml-language-server (the VS Code
    YAML extension) shows a schema's `errorMessage` instead of its own words for a wrong
    type, pattern, format or enum. Rules with a message of their own sit under `allOf`.
    """
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        if len(arms(tp)) > 1:
            return {"anyOf": [json_type(a, what) for a in arms(tp)]}
        return json_type(arms(tp)[0], what)
    if dataclasses.is_dataclass(tp):
        return json_schema(typing.cast(type, tp), what)
    if origin is tuple:
        item_tp = typing.get_args(tp)[0]
        return {
            "type": "array",
            "items": item_schema(item_tp, f"{what}[]"),
            "errorMessage": f"{what} must be a list",
        }
    if origin in (dict, Mapping) and typing.get_args(tp)[0] is Text:
        return {
            "type": "object",
            "additionalProperties": item_schema(typing.get_args(tp)[1], f"{what}.<text>"),
            "errorMessage": f"{what} must be a mapping of text: value",
        }
    if origin in (dict, Mapping):
        value_tp = typing.get_args(tp)[1]
        return {
            "type": "object",
            "propertyNames": {
                "pattern": ecma_pattern(IDENT_RE),
                "errorMessage": f"{what}.<id> is not a valid id: ids use lowercase letters, "
                "digits and hyphens",
            },
            "additionalProperties": item_schema(value_tp, f"{what}.<id>"),
            "errorMessage": f"{what} must be a mapping of id: value",
        }
    if origin is Literal:
        return {"type": "string", "enum": list(typing.get_args(tp)), **message(what, tp)}
    if tp is bool:
        # YAML 1.2 editors read yes/no/on/off (and tRuE) as strings; briefgen reads them
        # as booleans.
        words = re.compile("|".join(sorted(TRUE | FALSE)), re.IGNORECASE)
        return {"type": ["boolean", "string"], "pattern": ecma_pattern(words), **message(what, tp)}
    if tp is int:
        return {"type": "integer", "minimum": 0, **message(what, tp)}
    if tp is dt.date:
        pattern = f"^(?:{FULL_DATE_PATTERN})$"
        return {"type": "string", "format": "date", "pattern": pattern, **message(what, tp)}
    if tp is PartialDate:
        # A bare year reads as a number in YAML 1.2 editors.
        return {
            "type": ["string", "integer"],
            "pattern": f"^(?:{PARTIAL_DATE_PATTERN})$",
            "minimum": 1000,
            "maximum": 9999,
            "errorMessage": f"{what} must be YYYY, YYYY-MM or YYYY-MM-DD",
        }
    if tp is Ident:
        # `2021` is a number to an editor and a valid id to briefgen.
        return {
            "type": ["string", "integer"],
            "pattern": ecma_pattern(IDENT_RE),
            "errorMessage": f"{what} is not a valid id: ids use lowercase letters, digits and "
            "hyphens",
        }
    if tp is Url:
        return {
            "type": "string",
            "pattern": ecma_pattern(URL_RE),
            "errorMessage": f"{what} must be an http:// or https:// URL",
        }
    if tp is Language:
        return {
            "type": "string",
            "pattern": ecma_pattern(LANGUAGE_RE, hyphen="[-_]"),
            "errorMessage": f"{what} is not a language tag: write a BCP 47 tag such as ar, fr, "
            "de-CH, zh-Hant or en-US",
        }
    # Scalars mean what they look like: `title: 2021` or `title: no` is text to briefgen.
    return {
        "type": ["string", "number", "boolean"],
        **message(what, tp),
        "allOf": [{"pattern": r"\S", "errorMessage": f"{what} must not be empty"}],
    }


def message(what: str, tp: Any) -> dict[str, str]:
    """The `errorMessage` for a value of the wrong type, in `check`'s words."""
    if tp is bool:
        return {"errorMessage": f"{what} must be true or false"}
    return {"errorMessage": f"{what} must be {describe(tp)}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` that also accepts null: an empty `key:`, which briefgen reads as the default.

    Null joins the `type` list rather than an `anyOf` with `{type: null}`, whose failures
    editors report as "Incorrect type. Expected null" for every wrong value.
    """
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    schema = {**schema, "type": [*kinds, "null"]}
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema


def not_empty(schema: dict[str, Any], what: str) -> dict[str, Any]:
    """`schema` for a value that must be written: empty, it reads as `check` words it.

    Null stays in `type`, so that the only message for `key:` is this rule's.
    """
    rule = {"type": NOT_NULL, "errorMessage": f"{what} must not be empty"}
    return {**nullable(schema), "allOf": [*schema.get("allOf", []), rule]}


def item_schema(tp: Any, what: str) -> dict[str, Any]:
    """A list item or mapping value: an empty one is an empty scalar, or a record's defaults."""
    if len(arms(tp)) > 1:
        return {"anyOf": [item_schema(a, what) for a in arms(tp)]}
    schema = json_type(tp, what)
    if dataclasses.is_dataclass(tp):
        return schema if required_fields(typing.cast(type, tp)) else nullable(schema)
    if typing.get_origin(tp) in (tuple, dict, Mapping):
        return nullable(schema)
    return not_empty(schema, what)


def json_schema(cls: type, what: str = "") -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a declared record, from the same declarations.

    It accepts what Reader accepts, field by field, as far as one file can tell; `what`
    names the record in messages (`quotes[]`), as Reader's does (`quotes[1]`).
    """
    what = what or cls.__name__.lower()
    hints = type_hints(cls)
    required = required_fields(cls)
    properties: dict[str, Any] = {}
    for f in record_fields(cls):
        if f.name == "where":
            continue
        key = yaml_key(f)
        label = key if what in ("sidecar", "config") else f"{what}.{key}"
        prop = json_type(hints[f.name], label)
        if "minimum" in f.metadata:
            prop["minimum"] = f.metadata["minimum"]
        # `key:` left empty means the default, or is an error if the key is required.
        prop = not_empty(prop, label) if f.name in required else nullable(prop)
        properties[key] = {"description": f.metadata.get("doc", ""), **prop}
    # Each rule with its own message is a subschema: on the record itself, yaml-language-
    # server's `errorMessage` would replace every message about its keys too.
    rules: list[dict[str, Any]] = [
        {"properties": dict.fromkeys(properties, True), "additionalProperties": False},
        *(
            {"required": [name], "errorMessage": f"{what} is missing required key '{name}'"}
            for name in required
        ),
    ]
    schema: dict[str, Any] = {
        "type": "object",
        "errorMessage": f"{what} must be a mapping of keys",
        "properties": properties,
        "allOf": rules,
    }
    if cls.__doc__:
        schema["description"] = cls.__doc__.strip()
    return schema


def default_text(f: dataclasses.Field[Any]) -> str:
    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
        return "**required**"
    if f.default in (None, "", ()) or f.default is dataclasses.MISSING:
        return ""
    value = str(f.default).lower() if isinstance(f.default, bool) else f.default
    return f"`{value}`"


def docs_table(cls: type, prefix: str = "") -> list[str]:
    """Markdown table rows documenting `cls` and its nested records, from their declarations."""
    rows: list[str] = []
    hints = type_hints(cls)
    for f in record_fields(cls):
        if f.name == "where":
            continue
        name, tp = f"{prefix}{yaml_key(f)}", hints[f.name]
        meaning = f.metadata.get("doc", "")
        rows.append(f"| `{name}` | {type_name(tp)} | {default_text(f)} | {meaning} |")
        if typing.get_origin(tp) in (typing.Union, types.UnionType):
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        records = [a for a in arms(args[1]) if dataclasses.is_dataclass(a)] if len(args) > 1 else []
        if origin is tuple and dataclasses.is_dataclass(args[0]):
            rows += docs_table(typing.cast(type, args[0]), f"{name}[].")
        elif origin in (dict, Mapping) and records:
            key = "<text>" if args[0] is Text else "<id>"
            rows += docs_table(typing.cast(type, records[0]), f"{name}.{key}.")
        elif dataclasses.is_dataclass(tp):
            rows += docs_table(typing.cast(type, tp), f"{name}.")
    return rows


MAX_DEPTH = 32
"""Deeper nesting than any sidecar needs (it needs 4) is refused before composing: the
composer recurses, and a hostile file could exhaust the stack."""


TWO_INDICATORS = (
    re.compile(r"- [^\n]*?(?:- |\? )"),
    re.compile(r"\? [^\n]*?(?:- |\? )"),
)
"""A line with two sequence or key indicators (or what look like them) on it: two
patterns, each led by a literal that the regex engine finds without trying every
position (one alternation took twice as long)."""


def may_nest_too_deep(text: str) -> bool:
    """Whether a cheap upper bound on the nesting depth exceeds MAX_DEPTH, so ordinary
    files skip the event scan.

    A block level needs more indentation than its parent (or is an indentless sequence
    under a key, hence the factor 2); compact `- - x` items and flow brackets add one
    level each. The bound, 2 * (indent + 1) + indicators + brackets, is over MAX_DEPTH
    exactly when some line is indented more than the rest allows: one search for such a
    line, rather than measuring every line's indentation.
    """
    indicators = int("- " in text or "? " in text)
    if any(p.search(text) for p in TWO_INDICATORS):  # rare: only then is each line counted
        indicators = max(line.count("- ") + line.count("? ") for line in text.splitlines())
    allowed = (MAX_DEPTH - indicators - text.count("[") - text.count("{")) // 2 - 1
    if allowed < 0:
        return True
    if "\t" not in text:  # spaces alone: a substring search
        return ("\n" + " " * (allowed + 1)) in text or text.startswith(" " * (allowed + 1))
    return indented_past(allowed).search(text) is not None


@functools.lru_cache(maxsize=MAX_DEPTH)
def indented_past(columns: int) -> re.Pattern[str]:
    """A line indented by more than `columns` spaces or tabs (a `^` search tries every
    position of the text, so only a file with a tab in it is searched so)."""
    return re.compile(rf"^[ \t]{{{columns + 1}}}", re.MULTILINE)


def too_deep(text: str, loader_cls: Any) -> Any:
    """Where the event stream first nests deeper than MAX_DEPTH (the parser does not recurse)."""
    if not may_nest_too_deep(text):
        return None
    depth = 0
    for event in yaml.parse(text, Loader=loader_cls):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


MERGE_TAG = "tag:yaml.org,2002:merge"


def is_merge_key(node: yaml.Node) -> bool:
    """Whether a key is YAML 1.1's merge key `<<`: tagged so, or a plain `<<` that was
    left to the resolver (which here records what it was asked: see LOADER)."""
    tag = node.tag
    if isinstance(tag, slice):  # (kind, value, implicit), as the composer asked
        return tag.start is yaml.ScalarNode and tag.stop == "<<" and bool(tag.step[0])
    return tag == MERGE_TAG


BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LOADER: Any = type(
    "Loader",
    (BASE_LOADER,),
    {"resolve": slice, "descend_resolver": slice, "ascend_resolver": tuple},
)
"""libyaml's loader where installed, without YAML 1.1's implicit typing.

Reader reads each scalar by its declared type and never looks at a node's tag, but the
composer asks the resolver for the tag of every untagged node, and tells it every step
down and up the tree: three Python calls a node, SafeLoader's trying a list of regexes
on each plain scalar to learn that `no` is a boolean. Here they are C callables that
keep their arguments (`slice`) or ignore them (`tuple`), so an untagged node's tag is the
slice (kind, value, implicit) it was asked with, which is all `is_merge_key` needs (a
tenth of reading a sidecar, against a Python resolver that only told the merge key).
Neither is a descriptor, so neither is bound to the loader.
"""


def compose(path: str, text: str) -> tuple[yaml.Node | None, list[Diagnostic]]:
    """Parse YAML text into a node tree, turning syntax errors into located diagnostics."""
    loader_cls = LOADER
    separator = YAML_ONLY_BREAKS.search(text)
    if separator:
        message = (
            f"invalid YAML: U+{ord(separator[0]):04X} is a line break to YAML but not to editors"
        )
        hint = "delete it (or write it as an escape in a double-quoted string)"
        return None, [error(path, *Lines(text).at(separator.start()), message, hint)]
    try:
        deep = too_deep(text, loader_cls)
        if deep:
            message = f"YAML nested more than {MAX_DEPTH} levels deep"
            return None, [error(path, *Lines(text).at(deep.index), message)]
        loader = loader_cls(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = Lines(text).at(mark.index) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        hint = ""
        text_lines = text.split("\n")
        source_line = text_lines[line - 1] if 0 < line <= len(text_lines) else ""
        if "\t" in source_line[:col] or "tab" in problem:
            hint = "indent with spaces; YAML does not allow tabs for indentation"
        elif problem.startswith("mapping values") and ": " in source_line[: col - 1]:
            # key: words: more words, as a French quote (« loi : d’un côté ») has.
            key = source_line.split(":", 1)[0].strip().removeprefix("- ")
            hint = (
                f"a value with ': ' in it must be in quotes: {key}: '…' (write '' for a ' inside)"
            )
        context = f" ({exc.context})" if exc.context else ""
        return None, [error(path, line, col, f"invalid YAML: {problem}{context}", hint)]
    except yaml.reader.ReaderError as exc:
        # A character YAML refuses (a control character): named, with its position.
        line, col = Lines(text).at(exc.position)
        what = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "a byte"
        message = f"invalid YAML: character {what} is not allowed ({exc.reason})"
        return None, [error(path, line, col, message, "delete it, or write it as an escape")]
    except yaml.YAMLError as exc:
        return None, [error(path, 1, 1, f"invalid YAML: {' '.join(str(exc).split())}")]
    return node, []


def load(path: str, text: str, cls: type, what: str) -> tuple[Any, list[Diagnostic]]:
    """Compose `text` and read it as dataclass `cls`; an empty document gives defaults."""
    node, diagnostics = compose(path, text)
    if diagnostics:
        return None, diagnostics
    reader = Reader(path, text)
    if node is None:
        if required_fields(cls):
            missing = ", ".join(required_fields(cls))
            return None, [error(path, 1, 1, f"file is empty; required: {missing}")]
        return cls(), []
    value = reader.record(node, cls, what)
    return value, reader.diagnostics
