"""The JSON Schema editors validate sidecars with agrees with `briefgen check`.

The example sidecar is mutated in many ways; each mutant is validated twice: by `check`
(parse_sidecar, then verify against the example seed) and by the generated schema, the way
yaml-language-server (the VS Code YAML extension) sees the file: YAML 1.2's core schema, so
`2021-06-28` and `yes` are strings and `2020` is a number, with `format` checked. Both must
reject the same mutants, in the same words where the schema gives an `errorMessage`, and
accept the same valid variants. What only `check` can tell is listed, with why.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from briefgen.stages.register import apply, read_register
from briefgen.stages.seeds import Seed, parse_seed
from briefgen.stages.sidecars import parse_sidecar, sidecar_schema
from briefgen.stages.verify import verify
from briefgen.typedyaml import schema
from briefgen.vocabulary.errors import Severity

REPO = Path(__file__).resolve().parents[1]
REGISTER = read_register(REPO, "register.yml")
"""The example's register, whose entries its sidecar's annotations are `about`."""
SLUG = "us-strikes-iraq-syria"
SIDECAR_PATH = f"seeds/{SLUG}.yml"
EXAMPLE = (REPO / SIDECAR_PATH).read_text(encoding="utf-8")


class CoreLoader(yaml.SafeLoader):
    """YAML 1.2's core schema, which yaml-language-server reads files with (PyYAML's safe
    loader is YAML 1.1: it makes dates of `2021-06-28` and booleans of `yes`)."""


CoreLoader.yaml_implicit_resolvers = {}
for _tag, _regex, _first in [
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
]:
    CoreLoader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_regex), _first)


def core_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text)  # YAML 1.2: 010 is ten, not eight


def core_float(loader: yaml.SafeLoader, node: yaml.Node) -> float:
    text = str(loader.construct_scalar(node)).lower()  # type: ignore[arg-type]
    return float(text.replace(".inf", "inf").replace(".nan", "nan"))


CoreLoader.add_constructor("tag:yaml.org,2002:int", core_int)
CoreLoader.add_constructor("tag:yaml.org,2002:float", core_float)


def editor_view(text: str) -> Any:
    return yaml.load(text, Loader=CoreLoader)


VALIDATOR = jsonschema.Draft202012Validator(
    sidecar_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


@pytest.fixture(scope="module")
def seed() -> Seed:
    path = f"seeds/{SLUG}.txt"
    parsed, problems = parse_seed(path, SLUG, (REPO / path).read_text(encoding="utf-8"))
    assert parsed is not None and problems == []
    return parsed


def check_errors(text: str, seed: Seed) -> list[str]:
    """The error messages `briefgen check` prints for this sidecar beside the example seed."""
    sidecar, diagnostics = parse_sidecar(SIDECAR_PATH, text)
    if sidecar is not None:
        briefing, problems = verify(seed, sidecar, SIDECAR_PATH, "excerpts")
        diagnostics += problems
        if briefing is not None:  # as check does: the register completes the briefing
            diagnostics += apply(briefing, REGISTER)[1]
    return [d.message for d in diagnostics if d.severity is Severity.ERROR]


def schema_errors(text: str) -> list[jsonschema.ValidationError]:
    return list(VALIDATOR.iter_errors(editor_view(text)))


CUSTOMISED = {"type", "enum", "const", "pattern", "format", "required", "additionalProperties"}
"""The keywords whose failure yaml-language-server words with the schema's `errorMessage`
(not minimum or minLength: it always words those itself)."""


def custom_message(error: jsonschema.ValidationError) -> str | None:
    if error.validator in CUSTOMISED and isinstance(error.schema, dict):
        return error.schema.get("errorMessage")
    return None


def shown(error: jsonschema.ValidationError) -> str:
    """What yaml-language-server shows: the failing subschema's errorMessage, if any."""
    return custom_message(error) or error.message


def agree(check_message: str, schema_message: str) -> bool:
    """Same words, once check's are generalised: `quotes[1].speaker` is `quotes[].speaker`,
    `sources.pentagon` is `sources.<id>`, and a value (`; got 'x'`, `'x' is not`, `, not a
    list`) is one the schema cannot quote. The schema may name the place of a key check
    quotes (`sources.<id> is not a valid id`), and add a hint after a colon."""
    check_message = re.sub(r"\[\d+\]", "[]", check_message)
    check_message = re.sub(r"^sources\.[a-z0-9-]+", "sources.<id>", check_message)
    check_message = re.sub(
        r"; got '.*'$|, not an? (?:list|mapping)$|^'[^']*' (?=is not)| '[^']*'(?= is not)",
        "",
        check_message,
    )
    place = r"\S+ " if check_message.startswith("is not") else ""
    return bool(re.fullmatch(rf"{place}{re.escape(check_message)}(?:: .*)?", schema_message))


Mutation = tuple[str, ...]
"""Regex, replacement, regex, replacement, …: each applied once to the example sidecar."""


def sub(*pairs: str) -> Mutation:
    assert len(pairs) % 2 == 0
    return pairs


def mutate(mutation: Mutation) -> str:
    text = EXAMPLE
    for pattern, replacement in zip(mutation[::2], mutation[1::2], strict=True):
        text, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
        assert count == 1, f"{pattern!r} is not in the example sidecar"
    return text


TITLE = r"^title: .*\n"
ARTICLE = r"^article:\n"
ARTICLE_BLOCK = r"^article:\n(?:  .*\n)+"
PENTAGON = r"^  pentagon:\n"
FIRST_QUOTE = r"^  - text: Involved.*\n"
FIRST_ANNOTATION = r"^  - anchor: President Joe Biden\n"
FIRST_TIMELINE = r"^  - date: 2014-06\n"
SUMMARY_BLOCK = r"^summary: \|\n(?:  .*\n)+"
KEY_POINTS_BLOCK = r"^key_points:\n(?:  .*\n)+"
SOURCES_BLOCK = r"^sources:\n(?:  .*\n)+"

REJECTED: dict[str, Mutation] = {
    "date not as YYYY-MM-DD": sub("published: 2021-06-27", "published: 27/06/2021"),
    "impossible date 2021-02-30": sub("date: 2021-06-27", "date: 2021-02-30"),
    "February 29 of a common year": sub(TITLE, r"\g<0>date: 2021-02-29\n"),
    "month 13": sub("published: 2021-06-28", "published: 2021-13-28"),
    "day 32": sub(TITLE, r"\g<0>date: 2021-06-32\n"),
    "date as a bare year": sub(TITLE, r"\g<0>date: 2021\n"),
    "occurrence 0": sub(FIRST_ANNOTATION, r"\g<0>    occurrence: 0\n"),
    "occurrence negative": sub(FIRST_ANNOTATION, r"\g<0>    occurrence: -1\n"),
    "occurrence not a number": sub(FIRST_ANNOTATION, r"\g<0>    occurrence: first\n"),
    "occurrence quoted": sub(FIRST_ANNOTATION, r'\g<0>    occurrence: "1"\n'),
    "empty summary": sub(SUMMARY_BLOCK, "summary:\n"),
    "blank summary": sub(SUMMARY_BLOCK, 'summary: "  "\n'),
    "missing summary": sub(SUMMARY_BLOCK, ""),
    "summary as a list": sub(SUMMARY_BLOCK, "summary: [a, b]\n"),
    "unknown top-level key": sub(TITLE, r"\g<0>tilte: Strikes\n"),
    "unknown key in article": sub(ARTICLE, r"\g<0>  translated: fr\n"),
    "unknown key in a source": sub(PENTAGON, r"\g<0>    publised: 2021-06-27\n"),
    "unknown key in a quote": sub(FIRST_QUOTE, r"\g<0>    spoken: 2021-06-27\n"),
    "unknown key in an annotation": sub(FIRST_ANNOTATION, r"\g<0>    notes: x\n"),
    "unknown key in a timeline entry": sub(FIRST_TIMELINE, r"\g<0>    sources: [wp-pmf]\n"),
    "source id not an id": sub(r"^  wp-jcpoa:\n", "  WP_jcpoa:\n", "wp-jcpoa]", "WP_jcpoa]"),
    "source id 'article' is reserved": sub(
        r"^sources:\n", r"\g<0>  article:\n    title: The article\n"
    ),
    "timeline source not an id": sub("source: wp-pmf", "source: WP PMF"),
    "annotation source not an id": sub(r"sources: \[wp-jcpoa\]", "sources: [wp_jcpoa]"),
    "url with an ftp scheme": sub("url: https://www.lemonde.fr/", "url: ftp://www.lemonde.fr/"),
    "url without a scheme": sub("url: https://www.defense.gov/", "url: //www.defense.gov/"),
    "reproduce misspelt": sub("reproduce: excerpts", "reproduce: ful"),
    "article language not a tag": sub(ARTICLE, r"\g<0>  language: English\n"),
    "source language not a tag": sub(PENTAGON, r"\g<0>    language: en-\n"),
    "tags as a scalar": sub(r"^tags: .*\n", "tags: iraq\n"),
    "title as a list": sub(TITLE, "title: [US, strikes]\n"),
    "key points as a mapping": sub(KEY_POINTS_BLOCK, "key_points:\n  first: x\n"),
    "empty key point": sub(r"^key_points:\n", r"\g<0>  -\n"),
    "empty quote item": sub(r"^quotes:\n", r"\g<0>  -\n"),
    "empty source": sub(r"^sources:\n", r"\g<0>  empty:\n"),
    "sources as a list": sub(SOURCES_BLOCK, "sources: [pentagon]\n"),
    "article as a scalar": sub(ARTICLE_BLOCK, "article: Le Monde\n"),
    "empty speaker": sub("speaker: John Kirby", "speaker:"),
    "missing speaker": sub(r"^    speaker: John Kirby\n", ""),
    "empty anchor": sub("anchor: President Joe Biden", 'anchor: ""'),
    "missing note": sub(
        r"^    note: >-\n      In office since January 2021\.(?:.*\n)+?(?=    sources)", ""
    ),
    "quoted empty optional text": sub(r"^  publisher: Le Monde\n", '  publisher: ""\n'),
    "partial date month 13": sub("date: 2020-10", "date: 2020-13"),
    "partial date impossible day": sub("date: 2021-04", "date: 2021-04-31"),
    "partial date year 0": sub("date: 2014-06", "date: 0000"),
    "partial date as words": sub("date: 2014-06", "date: June 2014"),
    "draft neither true nor false": sub(TITLE, r"\g<0>draft: maybe\n"),
}

VALID: dict[str, Mutation] = {
    "unmodified": sub(),
    "a quote from another source": sub(
        r"^quotes:\n",
        r"\g<0>  - text: We will take necessary and appropriate action\n"
        r"    speaker: John Kirby\n    source: pentagon\n",
    ),
    "empty optional lists": sub(r"^tags: .*\n", "tags: []\nkey_points:\n", KEY_POINTS_BLOCK, ""),
    "draft: yes": sub(TITLE, r"\g<0>draft: yes\n"),
    "draft: True": sub(TITLE, r"\g<0>draft: True\n"),
    "draft: off": sub(TITLE, r"\g<0>draft: off\n"),
    "empty optional values": sub(ARTICLE, r"\g<0>  author:\n  language:\n  published: ~\n"),
    "empty article": sub(ARTICLE_BLOCK, "article:\n"),
    "February 29 of a leap year": sub(TITLE, r"\g<0>date: 2020-02-29\n"),
    "timeline bare year": sub("date: 2014-06", "date: 2014"),
    "timeline quoted year": sub("date: 2014-06", 'date: "2014"'),
    "POSIX language tag": sub(ARTICLE, r"\g<0>  language: en_us\n"),
    "language tag with script and region": sub(PENTAGON, r"\g<0>    language: zh-Hant-TW\n"),
    "a number as a title": sub(TITLE, "title: 1984\n"),
    "digits-only source id": sub(r"^  coalition:\n", "  '2014':\n", r"\[coalition\]", "[2014]"),
    "occurrence counted from 1": sub(FIRST_ANNOTATION, r"\g<0>    occurrence: 1\n"),
    "uppercase URL scheme": sub("url: https://www.lemonde.fr/", "url: HTTPS://www.lemonde.fr/"),
}

CHECK_ONLY: dict[str, tuple[Mutation, str]] = {
    # Each: the mutation, and why the schema cannot tell.
    "quote not in the seed": (
        sub("text: Flagrant violation of sovereignty", "text: Flagrant violation of law"),
        "it takes the seed's words",
    ),
    "anchor not in the seed": (sub("anchor: Al-Qaim", "anchor: Al-Qaem"), "it takes the seed"),
    "anchor occurrence past the last": (
        sub(r"^  - anchor: Al-Qaim\n", r"\g<0>    occurrence: 2\n"),
        "counting occurrences takes the seed",
    ),
    "undefined source id": (
        sub("source: wp-pmf", "source: reuters"),
        "JSON Schema cannot compare a value with the keys of another mapping",
    ),
    "undefined citation in Markdown": (
        sub(r"\[\^pentagon\]", "[^pentgon]"),
        "a citation is text inside Markdown, naming a key of another mapping",
    ),
    "unsafe link in Markdown": (
        sub("Announced in October", "[Announced](javascript:alert(1)) in October"),
        "links are found by a Markdown parser, as the renderer finds them",
    ),
    "draft: a quoted 'yes'": (
        sub(TITLE, r'\g<0>draft: "yes"\n'),
        "quoted or plain, `yes` is the same string to a YAML 1.2 editor",
    ),
    "YAML alias": (
        sub(
            "speaker: John Kirby",
            "speaker: &kirby John Kirby",
            "speaker: Antony Blinken",
            "speaker: *kirby",
        ),
        "the editor's YAML parser resolves aliases before the schema sees the value",
    ),
    "duplicate key": (
        sub(TITLE, r"\g<0>title: Again\n"),
        "the editor's YAML parser reports duplicate keys itself; the schema sees one value",
    ),
}


def test_there_are_enough_cases() -> None:
    assert len(REJECTED) >= 15
    assert not set(REJECTED) & set(VALID) | set(REJECTED) & set(CHECK_ONLY)


def test_the_schema_is_valid_and_never_offers_null_as_an_alternative() -> None:
    jsonschema.Draft202012Validator.check_schema(sidecar_schema())
    # `anyOf: [T, {type: null}]` made editors say "Incorrect type. Expected null".
    assert '"anyOf"' not in json.dumps(sidecar_schema())


@pytest.mark.parametrize("name", REJECTED)
def test_both_reject(name: str, seed: Seed) -> None:
    text = mutate(REJECTED[name])
    by_check = check_errors(text, seed)
    by_schema = [shown(e) for e in schema_errors(text)]
    assert by_check, f"check accepts {name}"
    assert by_schema, f"the schema accepts {name}; check says {by_check}"
    # Where the schema has words of its own for the problem, they are check's words.
    custom = [m for e in schema_errors(text) if (m := custom_message(e))]
    if custom:
        assert all(any(agree(c, s) for c in by_check) for s in custom), (by_check, custom)


@pytest.mark.parametrize("name", VALID)
def test_both_accept(name: str, seed: Seed) -> None:
    text = mutate(VALID[name])
    assert check_errors(text, seed) == []
    assert [shown(e) for e in schema_errors(text)] == []


@pytest.mark.parametrize("name", CHECK_ONLY)
def test_only_check_rejects(name: str, seed: Seed) -> None:
    text = mutate(CHECK_ONLY[name][0])
    assert check_errors(text, seed)
    assert [shown(e) for e in schema_errors(text)] == []


@pytest.mark.parametrize(
    ("sidecar", "message"),
    [
        ("summary:\n", "summary must not be empty"),
        ("title: T\n", "sidecar is missing required key 'summary'"),
        ("summary: x\nquotes:\n  - text: t\n    speaker:\n", "quotes[].speaker must not be empty"),
        ("summary: x\nquotes:\n  - text: t\n", "quotes[] is missing required key 'speaker'"),
        ("summary: x\nkey_points:\n  -\n", "key_points[] must not be empty"),
        ("summary: x\nsources:\n  afp:\n", "sources.<id> must be a mapping of keys"),
    ],
)
def test_an_empty_value_reads_as_check_words_it(sidecar: str, message: str) -> None:
    assert [shown(e) for e in schema_errors(sidecar)] == [message]


# -- the patterns, against the code they mirror ---------------------------------------------


def schema_pattern(*path: str) -> re.Pattern[str]:
    node: Any = sidecar_schema()
    for key in path:
        node = node[key]
    return re.compile(node["pattern"])


def reader_accepts(text: str, tp: Any) -> bool:
    """Whether check reads `text`, written as a plain scalar, as a value of type `tp`."""
    reader = schema.Reader("x.yml", text)
    node = yaml.compose(text)
    assert isinstance(node, yaml.ScalarNode)
    return reader.scalar(node, tp, "x") is not None and not reader.diagnostics


YEARS = ["0000", "0001", "0999", "1900", "1999", "2000", "2020", "2021", "2100", "2400", "9999"]
DATES = [f"{y}-{m:02}-{d:02}" for y in YEARS for m in range(14) for d in range(33)]
PARTIAL_DATES = [f"{y}-{m:02}" for y in YEARS for m in range(14)] + YEARS + DATES


@pytest.mark.parametrize(
    ("tp", "path", "samples"),
    [
        (dt.date, ("properties", "date"), DATES),
        (
            schema.PartialDate,
            ("properties", "timeline", "items", "properties", "date"),
            PARTIAL_DATES,
        ),
    ],
)
def test_date_patterns_accept_exactly_the_real_dates(
    tp: Any, path: tuple[str, ...], samples: list[str]
) -> None:
    pattern = schema_pattern(*path)
    assert [d for d in samples if bool(pattern.search(d)) != reader_accepts(d, tp)] == []


TAGS = "en EN en-US en_us de-CH zh-Hant zh-hant-tw sr-Latn-RS es-419 de-CH-1996 en-x-private"
NOT_TAGS = "e english en- en--us en-u 1en en-USA1 zh-Hant- x-private en/us"


@pytest.mark.parametrize("tag", [*TAGS.split(), *NOT_TAGS.split()])
def test_language_pattern_matches_language_tag(tag: str) -> None:
    pattern = schema_pattern("properties", "article", "properties", "language")
    assert bool(pattern.search(tag)) == (tag in TAGS.split())
    assert bool(pattern.search(tag)) == (schema.language_tag(tag) is not None)


@pytest.mark.parametrize(
    "url",
    [
        "https://x.org/",
        "HTTP://x.org",
        "ftp://x.org/",
        "//x.org/",
        "https://",
        "https:///path",
        "https://x.org/?q=1#f",
        "mailto:a@x.org",
    ],
)
def test_url_pattern_matches_the_validator(url: str) -> None:
    pattern = schema_pattern("properties", "article", "properties", "url")
    assert bool(pattern.search(url)) == bool(schema.URL_RE.fullmatch(url))


@pytest.mark.parametrize(
    "word", ["yes", "Yes", "YES", "no", "On", "OFF", "tRuE", "false", "maybe", "y", "1"]
)
def test_boolean_words_match_the_validator(word: str) -> None:
    pattern = schema_pattern("properties", "draft")
    assert bool(pattern.search(word)) == reader_accepts(word, bool)
