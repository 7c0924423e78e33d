"""Sidecar validation: every problem an editor can make, with its exact location and text.

The cases live in fixtures/sidecar_errors.txt (title / input / expected triplets, as in
markdown-it-py's fixture files): each sidecar is parsed as seeds/x.yml and, when the
file alone is valid, verified against the example seed, so quote and anchor problems
show up exactly as `briefgen check` prints them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefgen.stages.seeds import Seed, parse_seed
from briefgen.stages.sidecars import Sidecar, parse_sidecar
from briefgen.stages.verify import verify
from briefgen.typedyaml import schema
from briefgen.vocabulary.errors import Diagnostic, Severity

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "sidecar_errors.txt"
SEED_PATH = "seeds/us-strikes-iraq-syria.txt"
SIDECAR_PATH = "seeds/x.yml"

KNOWN_BUGS: dict[str, str] = {}
"""Case title -> reason, for a case that documents a bug not fixed yet (strict xfail)."""


@dataclass(frozen=True)
class Case:
    title: str
    line: int
    """Line of the title in the fixture file, for failure messages."""
    input: str
    expected: str


def read_cases(path: Path) -> list[Case]:
    """Title / `.` / input / `.` / expected / `.` triplets; `#` lines between cases."""
    cases: list[Case] = []
    section = 0
    title, title_line = "", 0
    chunk: list[str] = []
    sections: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(True), 1):
        if line.rstrip("\r\n") == ".":
            if section == 0:
                if not title:
                    raise ValueError(f"{path}:{number}: a case needs a title line before '.'")
            else:
                sections.append("".join(chunk))
            chunk = []
            section += 1
            if section == 3:
                cases.append(Case(title, title_line, *sections))
                section, title, sections = 0, "", []
            continue
        if section == 0:
            if line.strip() and not line.startswith("#"):
                title, title_line = line.strip(), number
        else:
            chunk.append(line)
    if section:
        raise ValueError(f"{path}: the case '{title}' is not closed by a '.' line")
    return cases


CASES = read_cases(FIXTURES)


def case_params() -> list[object]:
    params = []
    for case in CASES:
        marks = []
        if case.title in KNOWN_BUGS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[case.title]))
        if "(libyaml)" in case.title:
            marks.append(
                pytest.mark.skipif(
                    not hasattr(yaml, "CSafeLoader"), reason="messages of PyYAML's C parser"
                )
            )
        params.append(pytest.param(case, id=case.title, marks=marks))
    return params


@pytest.fixture(scope="module")
def seed() -> Seed:
    text = (REPO / SEED_PATH).read_text(encoding="utf-8")
    parsed, problems = parse_seed(SEED_PATH, "us-strikes-iraq-syria", text)
    assert problems == []
    assert parsed is not None
    return parsed


def diagnostics_for(text: str, seed: Seed) -> list[Diagnostic]:
    """What `briefgen check` reports for this sidecar next to the example seed."""
    sidecar, diagnostics = parse_sidecar(SIDECAR_PATH, text)
    if sidecar is not None:
        _, more = verify(seed, sidecar, SIDECAR_PATH, "excerpts")
        diagnostics = diagnostics + more
    return sorted(diagnostics, key=Diagnostic.sort_key)


def report(diagnostics: list[Diagnostic]) -> str:
    return "".join(d.format() + "\n" for d in diagnostics)


def test_fixture_file_is_well_formed() -> None:
    titles = [case.title for case in CASES]
    assert len(CASES) >= 70
    assert len(set(titles)) == len(titles), "case titles must be unique"
    assert set(KNOWN_BUGS) <= set(titles), "every known bug names a case"


@pytest.mark.parametrize("case", case_params())
def test_sidecar_diagnostics(case: Case, seed: Seed) -> None:
    actual = report(diagnostics_for(case.input, seed))
    assert actual == case.expected, f"{FIXTURES.name}:{case.line}: {case.title}"


# -- what accepted values mean ------------------------------------------------------------


def parse_ok(text: str) -> Sidecar:
    sidecar, diagnostics = parse_sidecar(SIDECAR_PATH, text)
    assert [d.format() for d in diagnostics] == []
    assert sidecar is not None
    return sidecar


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("no", False),
        ("No", False),
        ("false", False),
        ("off", False),
        ("yes", True),
        ("YES", True),
        ("true", True),
        ("True", True),
        ("on", True),
    ],
)
def test_draft_booleans(written: str, value: bool) -> None:
    assert parse_ok(f"summary: ok\ndraft: {written}\n").draft is value


def test_draft_defaults_to_false() -> None:
    assert parse_ok("summary: ok\n").draft is False


@pytest.mark.parametrize(
    "written", ["no", "on", "off", "yes", "true", "1:30", "2021-06-28", "12", "0x1F", "1e3", "~x"]
)
def test_strings_stay_what_the_editor_typed(written: str) -> None:
    sidecar = parse_ok(f"title: {written}\nsummary: {written}\ntags: [{written}]\n")
    assert sidecar.title == written
    assert sidecar.summary == written
    assert sidecar.tags == (written,)


def test_quote_speaker_no_stays_a_string() -> None:
    sidecar = parse_ok("summary: ok\nquotes:\n  - text: To avoid escalation\n    speaker: No\n")
    assert sidecar.quotes[0].speaker == "No"


def test_dates_are_iso_dates() -> None:
    sidecar = parse_ok(
        "summary: ok\ndate: 2021-06-28\narticle:\n  published: '2021-06-28'\n"
        "sources:\n  dod:\n    title: Statement\n    published: 2021-06-27\n"
    )
    assert sidecar.date == dt.date(2021, 6, 28)
    assert sidecar.article.published == dt.date(2021, 6, 28)
    assert sidecar.sources["dod"].published == dt.date(2021, 6, 27)


def test_timeline_dates_stay_as_written() -> None:
    sidecar = parse_ok(
        "summary: ok\ntimeline:\n"
        "  - date: 2014\n    event: a\n"
        "  - date: 2014-06\n    event: b\n"
        "  - date: 2020-01-03\n    event: c\n"
    )
    assert [entry.date for entry in sidecar.timeline] == ["2014", "2014-06", "2020-01-03"]


def test_summary_block_keeps_its_markdown() -> None:
    sidecar = parse_ok("summary: |\n  Line one.[^article]\n\n  - a list item\n")
    assert sidecar.summary == "Line one.[^article]\n\n- a list item\n"


def test_quote_source_defaults_to_the_article() -> None:
    sidecar = parse_ok("summary: ok\nquotes:\n  - text: To avoid escalation\n    speaker: x\n")
    assert sidecar.quotes[0].source == "article"


def test_occurrence_defaults_to_one() -> None:
    sidecar = parse_ok("summary: ok\nannotations:\n  - anchor: Al-Qaim\n    note: n\n")
    assert sidecar.annotations[0].occurrence == 1


def test_merge_keys_are_rejected() -> None:
    text = (
        "summary: ok\nsources:\n  dod: &dod\n    title: Statement\n"
        "  dod2:\n    <<: *dod\n    publisher: DoD\n"
    )
    sidecar, diagnostics = parse_sidecar(SIDECAR_PATH, text)
    assert sidecar is None
    assert diagnostics[0].format() == (
        "seeds/x.yml:6:5: error: keys must be plain names (no merge keys or complex keys)"
    )


@pytest.mark.parametrize(
    ("key", "merge"),
    [("<<", True), ("!!merge x", True), ('"<<"', False), ("'<<'", False), ("!!str <<", False)],
)
def test_the_merge_key_is_told_from_a_key_spelled_so(key: str, merge: bool) -> None:
    """The composer's tags are what it asked a resolver that records the question
    (schema.LOADER): a plain `<<` is the merge key, as is an explicit !!merge; quoted or
    tagged as a string, it is a key like any other (then an unknown one)."""
    node, problems = schema.compose(SIDECAR_PATH, f"summary: ok\n{key}: 1\n")
    assert node is not None and not problems
    assert [schema.is_merge_key(k) for k, _ in node.value] == [False, merge]
    _, diagnostics = parse_sidecar(SIDECAR_PATH, f"summary: ok\n{key}: 1\n")
    refused = "keys must be plain names (no merge keys or complex keys)"
    assert (refused in diagnostics[0].message) is merge


INDENT = re.compile(r"^[ \t]*", re.MULTILINE)


def depth_bound(text: str) -> int:
    """The depth bound as first written: every line's indentation and indicators
    measured (each a Python step; the pre-check was an eighth of composing a sidecar)."""
    indent = max((len(m) for m in INDENT.findall(text)), default=0)
    dashes = max((line.count("- ") + line.count("? ") for line in text.splitlines()), default=0)
    return 2 * (indent + 1) + dashes + text.count("[") + text.count("{")


PIECES = [" ", "  ", " " * 8, "\t", "\n", "\r", "- ", "-", "? ", "?", "[", "{", "a", ": ", "x"]
"""What a file's nesting is made of, and what looks like it."""


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=80).map("".join))
@example("a:\n" + " " * 30 + "- b\n")
@example("- - - - x\n" + "[" * 20)
def test_the_depth_pre_check_is_the_bound_it_replaced(text: str) -> None:
    """The pre-check decides with searches what the bound decided line by line: a
    file it lets through has no nesting deeper than MAX_DEPTH, and it stops no more
    ordinary files than the bound did."""
    assert schema.may_nest_too_deep(text) == (depth_bound(text) > schema.MAX_DEPTH)


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    text = (
        "summary: ok\n"
        "draft: maybe\n"
        "qoutes: []\n"
        "article:\n  url: ftp://x.org/\n"
        "timeline:\n  - date: 2021-13\n    event: e\n"
    )
    sidecar, diagnostics = parse_sidecar(SIDECAR_PATH, text)
    assert sidecar is None
    assert sorted(str(d.location) for d in diagnostics) == [
        "seeds/x.yml:2:8",
        "seeds/x.yml:3:1",
        "seeds/x.yml:5:8",
        "seeds/x.yml:7:11",
    ]


# -- the example sidecar ----------------------------------------------------------------


def test_example_sidecar_is_valid_and_verified(seed: Seed) -> None:
    path = "seeds/us-strikes-iraq-syria.yml"
    sidecar, diagnostics = parse_sidecar(path, (REPO / path).read_text(encoding="utf-8"))
    assert [d.format() for d in diagnostics] == []
    assert sidecar is not None
    briefing, diagnostics = verify(seed, sidecar, path, "excerpts")
    assert [d.format() for d in diagnostics] == []
    assert briefing is not None
    assert briefing.unverified == 0
    assert all(check.verified for check in briefing.quotes)
    assert len(briefing.quotes) == 4
    assert len(briefing.anchors) == len(sidecar.annotations) == 13
    # Each anchor sits on exactly its words in the seed paragraph.
    for anchor in briefing.anchors:
        text = seed.paragraphs[anchor.paragraph].text
        assert text[anchor.start : anchor.end] == anchor.annotation.anchor


def test_unverifiable_quotes_are_warnings_not_errors(seed: Seed) -> None:
    text = (
        "summary: ok\nsources:\n  dod:\n    title: Statement\n"
        "quotes:\n  - text: Not in the seed\n    speaker: John Kirby\n    source: dod\n"
    )
    sidecar = parse_ok(text)
    briefing, diagnostics = verify(seed, sidecar, SIDECAR_PATH, "excerpts")
    assert [d.severity for d in diagnostics] == [Severity.WARNING]
    assert briefing is not None
    assert briefing.unverified == 1


@pytest.mark.parametrize(
    ("written", "tag"),
    [("ar", "ar"), ("de-ch", "de-CH"), ("zh-hant-TW", "zh-Hant-TW"), ("en_US", "en-US")],
)
def test_article_language_is_a_bcp47_tag_in_its_usual_case(written: str, tag: str) -> None:
    sidecar, problems = parse_sidecar(
        SIDECAR_PATH, f"summary: ok\narticle:\n  language: {written}\n"
    )
    assert problems == []
    assert sidecar is not None and sidecar.article.language == tag


def test_article_language_defaults_to_none_so_the_site_language_applies() -> None:
    sidecar, _ = parse_sidecar(SIDECAR_PATH, "summary: ok\n")
    assert sidecar is not None and sidecar.article.language is None
