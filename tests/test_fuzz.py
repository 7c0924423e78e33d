"""Property-based tests: whatever text arrives, briefgen answers with a result or located
diagnostics, never an exception; and quote matching means exactly what the spec says.

Hypothesis generates the inputs. Examples are kept few enough that the whole file runs in
well under twenty seconds; raise `max_examples` locally to search harder.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from briefgen.stages import matching
from briefgen.stages.generate import escape
from briefgen.stages.inputs import decode
from briefgen.stages.markdown import render_markdown
from briefgen.stages.seeds import Seed, parse_seed
from briefgen.stages.sidecars import Sidecar, parse_sidecar
from briefgen.stages.verify import verify
from briefgen.vocabulary.errors import Diagnostic, Severity

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_SEED_PATH = "seeds/us-strikes-iraq-syria.txt"
SIDECAR_PATH = "seeds/x.yml"


def example_seed() -> Seed:
    text = (REPO / EXAMPLE_SEED_PATH).read_text(encoding="utf-8")
    seed, problems = parse_seed(EXAMPLE_SEED_PATH, "us-strikes-iraq-syria", text)
    assert seed is not None, problems
    return seed


SEED = example_seed()
PARAGRAPH_WORDS = [p.text.split() for p in SEED.paragraphs]
SEED_WORDS = sorted({w for words in PARAGRAPH_WORDS for w in words if w.isalpha()})

FAST = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
SLOW = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
"""For properties whose failing examples cost a closest-passage search (~20 ms each)."""


def file_lines(text: str) -> list[str]:
    """The lines of a file as an editor numbers them (CRLF and lone CR end lines too)."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


YAML_LINE_BREAKS = ("\x85", "\u2028", "\u2029")
"""YAML 1.1 ends lines at these too, editors do not: see test_safety's known bug."""


def check_diagnostics(problems: list[Diagnostic], path: str, text: str) -> None:
    """Every diagnostic names the file and a place that exists in it."""
    last_line = len(file_lines(text))
    if any(ch in text for ch in YAML_LINE_BREAKS):
        last_line += sum(text.count(ch) for ch in YAML_LINE_BREAKS)
    for problem in problems:
        assert problem.location.path == path
        assert 0 <= problem.location.line <= last_line + 1, problem
        assert problem.location.col >= 0, problem
        formatted = problem.format()
        assert formatted.startswith(f"{path}:" if problem.location.line else f"{path}: ")
        assert "Traceback" not in formatted


# ---------------------------------------------------------------------------------------
# Seeds and raw bytes: any input gives a result or located errors.
# ---------------------------------------------------------------------------------------

DATE_LINES = st.sampled_from(
    [
        "2021-06-28",
        "June 28, 2021",
        "28 June 2021",
        "Monday, Jun. 28, 2021",
        "2021-02-30",
        "June 31, 2021",
        "Smarch 3, 2021",
        "",
        "   ",
        "\ufeff2021-06-28",
    ]
)
SEED_LINE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "Article reserved for our subscribers Read also Something else",
            "You have 38.16% of this article to read. The rest is for subscribers only.",
            "Read also: x",
            "“Quoted,” he said – twice.",
            "\u00a0",
            "\t",
            "# heading",
            "<script>alert(1)</script>",
        ]
    ),
)
SEED_TEXTS = st.builds(
    lambda date, lines, newline: newline.join([date, *lines]),
    DATE_LINES,
    st.lists(SEED_LINE, max_size=12),
    st.sampled_from(["\n", "\r\n", "\r"]),
)


@FAST
@given(st.one_of(st.text(), SEED_TEXTS))
def test_parse_seed_never_raises(text: str) -> None:
    seed, problems = parse_seed("seeds/x.txt", "x", text)
    check_diagnostics(problems, "seeds/x.txt", text)
    if seed is None:
        assert problems and all(p.severity is Severity.ERROR for p in problems)
        assert all(p.location.line >= 1 for p in problems)
        return
    assert problems == []
    lines = file_lines(text)
    if any(not line.strip() and line.strip(" \t\u00a0") for line in lines):
        return  # a line of other spaces: see test_line_of_other_spaces_is_blank below
    assert seed.headline and seed.paragraphs
    # Every paragraph maps its characters back to the exact line and column of the file.
    for paragraph in seed.paragraphs:
        assert paragraph.text.strip()
        for offset, ch in enumerate(paragraph.text):
            if ch.isspace():
                continue
            line, col = paragraph.locate(offset)
            assert lines[line - 1][col - 1] == ch, (offset, line, col)


@pytest.mark.parametrize("space", ["\u3000", "\u2003", "\x0c", "\x1f"])
def test_line_of_other_spaces_is_blank(space: str) -> None:
    text = f"2021-06-28\n{space}\nMinisters meet in Rome\n\nBody text.\n"
    seed, problems = parse_seed("seeds/x.txt", "x", text)
    assert problems == []
    assert seed is not None
    assert seed.headline == "Ministers meet in Rome"
    assert [p.text for p in seed.paragraphs] == ["Body text."]


@FAST
@given(
    st.one_of(
        st.binary(max_size=200),
        st.text(max_size=100).map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.builds(
            lambda a, b, c: a.encode("utf-8", "surrogatepass") + b + c.encode(),
            st.text(max_size=40),
            st.binary(min_size=1, max_size=4),
            st.text(max_size=20),
        ),
    )
)
def test_decode_never_raises_and_locates_the_bad_byte(data: bytes) -> None:
    text, problems = decode("seeds/x.txt", data)
    try:
        expected = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        assert text is None
        assert len(problems) == 1
        problem = problems[0]
        assert problem.severity is Severity.ERROR
        assert problem.message == (
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start}"
        )
        assert problem.location.line == data[: exc.start].count(b"\n") + 1
        assert problem.location.col >= 1
        return
    assert problems == []
    assert text == expected.removeprefix("\ufeff")


# ---------------------------------------------------------------------------------------
# Sidecars: arbitrary text, and YAML-ish text from a grammar of plausible mistakes.
# ---------------------------------------------------------------------------------------

KEYS = st.sampled_from(
    [
        "title",
        "date",
        "draft",
        "summary",
        "key_points",
        "tags",
        "article",
        "sources",
        "quotes",
        "annotations",
        "timeline",
        "text",
        "speaker",
        "role",
        "source",
        "note",
        "anchor",
        "occurrence",
        "url",
        "publisher",
        "published",
        "reproduce",
        "pentagon",
        "article",
        "qoutes",
        "Summary",
        "<<",
        "? complex",
        "&anchor summary",
        "*alias",
        '"quoted key"',
        "",
    ]
)
SCALARS = st.sampled_from(
    [
        "",
        "~",
        "null",
        "no",
        "on",
        "yes",
        "1:30",
        "2021-06-28",
        "2021-13-45",
        "2020-01",
        "0",
        "-1",
        "99999999999999999999999",
        "https://example.org/",
        "javascript:alert(1)",
        "[x](javascript:alert(1))",
        "[x](data:text/html,x)",
        "&a value",
        "*a",
        "&a",
        "*b",
        "[",
        "]",
        "{",
        "}",
        "[a, b]",
        "{a: b}",
        "[[[[[[[[",
        "|",
        ">",
        "|-",
        '"escaped \\x01 \\u0000 \\ud800"',
        "'single'",
        "'unterminated",
        '"unterminated',
        "!!python/object:os.system",
        "!!binary aGVsbG8=",
        "!tag x",
        "%YAML 1.1",
        "---",
        "...",
        "# comment",
        "\t",
        "[^article]",
        "[^nowhere]",
        "x: y",
        "- item",
        "@at",
        "`tick`",
        "\x85",
        "\u2028",
        "\ufeff",
        "é",
        "\x00",
        "\x01",
        "excerpts",
        "full",
        "We will not be intimidated",
    ]
)
YAML_LINE = st.builds(
    lambda indent, dash, key, sep, value: f"{indent}{dash}{key}{sep}{value}",
    st.sampled_from(["", "  ", "    ", "      ", "\t", " "]),
    st.sampled_from(["", "- ", "-"]),
    KEYS,
    st.sampled_from([": ", ":", " : ", ""]),
    SCALARS,
)
YAML_TEXTS = st.builds(
    lambda lines, newline: newline.join(lines),
    st.lists(YAML_LINE, max_size=15),
    st.sampled_from(["\n", "\r\n"]),
)
YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20), SCALARS),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(KEYS, st.text(max_size=8)), children, max_size=5),
    ),
    max_leaves=20,
)
DUMPED = st.dictionaries(KEYS, YAML_VALUES, max_size=8).map(
    lambda data: json.dumps(data, ensure_ascii=False, indent=2)
)
"""JSON is YAML: structured documents with values of every type under real keys."""


def check_sidecar_result(text: str) -> None:
    sidecar, problems = parse_sidecar(SIDECAR_PATH, text)
    check_diagnostics(problems, SIDECAR_PATH, text)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if sidecar is None:
        assert errors, "no sidecar and no error"
    else:
        assert isinstance(sidecar, Sidecar)
        assert not errors


@settings(max_examples=300, deadline=None, database=None)
@given(st.text())
def test_parse_sidecar_never_raises_on_any_text(text: str) -> None:
    check_sidecar_result(text)


@settings(max_examples=400, deadline=None, database=None)
@given(st.one_of(YAML_TEXTS, DUMPED))
def test_parse_sidecar_never_raises_on_yaml_like_text(text: str) -> None:
    check_sidecar_result(text)


# ---------------------------------------------------------------------------------------
# Quote matching against the example seed.
# ---------------------------------------------------------------------------------------

QUOTE_LINE = 3
QUOTE_COL = len("  - text: ") + 1


def verifies(quote: str) -> bool:
    """Whether a sidecar quoting `quote` (source: article) verifies against the seed."""
    text = (
        "summary: A briefing.\n"
        "quotes:\n"
        f"  - text: {json.dumps(quote, ensure_ascii=False)}\n"
        "    speaker: A. Speaker\n"
    )
    sidecar, problems = parse_sidecar(SIDECAR_PATH, text)
    assert sidecar is not None, [p.format() for p in problems]
    briefing, problems = verify(SEED, sidecar, SIDECAR_PATH, "excerpts")
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if briefing is None:
        assert errors
        for error in errors:
            assert (error.location.line, error.location.col) == (QUOTE_LINE, QUOTE_COL)
            for note in error.notes:
                assert note.location.path == EXAMPLE_SEED_PATH
        return False
    assert not errors
    assert len(briefing.quotes) == 1 and briefing.quotes[0].verified
    return True


@st.composite
def cuts(draw: st.DrawFn) -> tuple[int, list[str]]:
    """A contiguous run of 1–15 whole words of one paragraph, as (paragraph, words)."""
    index = draw(st.integers(0, len(PARAGRAPH_WORDS) - 1))
    words = PARAGRAPH_WORDS[index]
    size = draw(st.integers(1, min(15, len(words))))
    start = draw(st.integers(0, len(words) - size))
    return index, words[start : start + size]


EDGE = re.compile(r"^[^\w]+|[^\w]+$")


def trim(words: list[str]) -> str:
    """The run as one string starting and ending on a letter or digit."""
    return EDGE.sub("", " ".join(words))


@FAST
@given(cuts())
def test_any_cut_of_the_seed_verifies(cut: tuple[int, list[str]]) -> None:
    _, words = cut
    quote = trim(words)
    assume(quote)
    assert verifies(quote), quote


@SLOW
@given(cuts(), st.data())
def test_a_cut_with_a_foreign_word_never_verifies(
    cut: tuple[int, list[str]], data: st.DataObject
) -> None:
    _, words = cut
    position = data.draw(st.integers(0, len(words) - 1))
    changed = [*words[:position], "zzyzx", *words[position + 1 :]]
    quote = trim(changed)
    assume(quote)
    assert not verifies(quote), quote


DOUBLE_QUOTES = ['"', "“", "”", "„", "«", "»"]
APOSTROPHES = ["'", "‘", "’"]
DASHES = ["-", "‐", "‒", "–", "—"]
SPACES = [" ", "  ", "\n", "\t", "\u00a0", " \n  "]


@FAST
@given(cuts(), st.data())
def test_typography_and_spacing_of_a_cut_do_not_matter(
    cut: tuple[int, list[str]], data: st.DataObject
) -> None:
    _, words = cut
    quote = trim(words)
    assume(quote)
    swapped = []
    for ch in quote:
        for kinds in (DOUBLE_QUOTES, APOSTROPHES, DASHES, [" "]):
            if ch in kinds:
                ch = data.draw(st.sampled_from(SPACES if kinds == [" "] else kinds))
                break
        swapped.append(ch)
    variant = "".join(swapped)
    assert verifies(variant), (quote, variant)


def oracle_fold(text: str) -> str:
    """The spec's matching rules, written independently: quote, apostrophe and dash kinds
    and whitespace runs do not count."""
    table = {ord(c): '"' for c in DOUBLE_QUOTES} | {ord(c): "'" for c in APOSTROPHES}
    table |= {ord(c): "-" for c in DASHES}
    return re.sub(r"\s+", " ", text.translate(table)).strip()


def oracle_occurs(quote: str) -> bool:
    wanted = oracle_fold(quote)
    left = r"(?<!\w)" if re.match(r"\w", wanted) else ""
    right = r"(?!\w)" if re.search(r"\w$", wanted) else ""
    pattern = re.compile(left + re.escape(wanted) + right)
    return any(pattern.search(oracle_fold(p.text)) for p in SEED.paragraphs)


@SLOW
@given(cuts(), st.data())
def test_a_cut_with_another_seed_word_verifies_exactly_when_it_occurs(
    cut: tuple[int, list[str]], data: st.DataObject
) -> None:
    _, words = cut
    assume(not any("…" in w or "..." in w for w in words))  # elisions: tested above
    position = data.draw(st.integers(0, len(words) - 1))
    word = data.draw(st.sampled_from(SEED_WORDS))
    assume(word != words[position])
    quote = trim([*words[:position], word, *words[position + 1 :]])
    assume(quote)
    assert verifies(quote) == oracle_occurs(quote), quote


def test_elided_quote_from_the_sidecar_verifies() -> None:
    assert verifies(
        "This action of self-defense (…) to prevent further attacks sends a very important"
    )
    assert not verifies("to prevent further attacks (…) This action of self-defense")


# ---------------------------------------------------------------------------------------
# The building blocks of matching.
# ---------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, database=None)
@given(st.text())
def test_normalize_maps_every_character_back(text: str) -> None:
    norm = matching.normalize(text)
    assert len(norm.origin) == len(norm.text) + 1
    assert list(norm.origin) == sorted(norm.origin)
    assert norm.origin[-1] == len(text)
    assert "  " not in norm.text
    for i, ch in enumerate(norm.text):
        original = text[norm.origin[i]]
        if ch == " " and original.isspace():
            continue
        assert ch == matching.FOLD.get(original, original)
    assert matching.fold(matching.fold(text)) == matching.fold(text)


WORDY = st.text(alphabet="ab _-.'’", max_size=20)


def word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@settings(max_examples=300, deadline=None, database=None)
@given(WORDY, WORDY.filter(bool))
def test_find_all_never_matches_half_a_word(haystack: str, needle: str) -> None:
    expected = []
    for i in range(len(haystack) - len(needle) + 1):
        if haystack[i : i + len(needle)] != needle:
            continue
        before = haystack[i - 1] if i else ""
        after = haystack[i + len(needle)] if i + len(needle) < len(haystack) else ""
        if word_char(needle[0]) and word_char(before):
            continue
        if word_char(needle[-1]) and word_char(after):
            continue
        expected.append(i)
    assert matching.find_all(haystack, needle) == expected


# ---------------------------------------------------------------------------------------
# Seed text escaped for Markdown never turns into structure or markup.
# ---------------------------------------------------------------------------------------

MARKDOWNISH = st.lists(
    st.sampled_from(
        [
            *"ab1 #*_-+=>.)(\\[]!<&;:|~`^\"'",
            "&amp;",
            "&#58;",
            "&lt;",
            "1.",
            "http://x.org",
            "www.x.org",
            "<a href=x>",
            "<script>",
            "[^1]",
            "[x](javascript:y)",
            "    ",
            "é",
            "—",
        ]
    ),
    min_size=1,
    max_size=30,
).map(lambda parts: " ".join("".join(parts).split()))


@settings(max_examples=300, deadline=None, database=None)
@given(st.one_of(MARKDOWNISH, st.text(max_size=40).map(lambda s: " ".join(s.split()))))
# NUL never reaches here (inputs.read_text refuses it); CommonMark would replace it.
def test_escaped_seed_text_renders_as_exactly_that_text(text: str) -> None:
    assume(text and "\0" not in text)
    rendered = render_markdown(escape(text))
    assert rendered.startswith("<p>") and rendered.endswith("</p>\n"), rendered
    inner = rendered[len("<p>") : -len("</p>\n")]
    assert "<" not in inner, rendered
    assert html.unescape(inner) == text


LINKISH = st.lists(
    st.sampled_from([*"[]()<>:!^*_`\\&#; \nabc/", "http://x", "javascript:", "&#93;"]),
    max_size=30,
).map("".join)


@given(st.one_of(LINKISH, st.text(max_size=60)))
@example("<http://x>")
@example("[a](javascript:x)")
@example("![a](http://x)")
@example("[a]\n\n[a]: http://x")
@example("[a][b]\n\n[b]:\n<javascript:x>")
@settings(max_examples=400)
def test_link_precheck_never_skips_a_link(text: str) -> None:
    """link_targets skips parsing a field that cannot hold a link: whatever the text,
    the full parse finds no link there either."""
    from briefgen.stages.markdown import could_link, link_reader

    if not could_link(text):
        found = [
            child
            for token in link_reader().parse(text)
            for child in token.children or ()
            if child.attrGet("href") is not None or child.attrGet("src") is not None
        ]
        assert found == []
