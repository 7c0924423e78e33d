"""Stage 4: the generated Markdown, from in-memory seeds and sidecars (no disk)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefgen.stages.generate import (
    DUMPER,
    FrontMatter,
    briefing_markdown,
    escape,
    front_matter_yaml,
)
from briefgen.stages.markdown import render_markdown
from briefgen.stages.seeds import parse_seed
from briefgen.stages.sidecars import parse_sidecar
from briefgen.stages.verify import Briefing, verify

from conftest import MINIMAL_SEED, MINIMAL_SIDECAR


def briefing(seed_text: str, sidecar_text: str, reproduce: str = "excerpts") -> Briefing:
    seed, problems = parse_seed("seeds/t.txt", "t", seed_text)
    assert seed, problems
    sidecar, problems = parse_sidecar("seeds/t.yml", sidecar_text)
    assert sidecar, problems
    result, problems = verify(seed, sidecar, "seeds/t.yml", reproduce)  # type: ignore[arg-type]
    assert result, problems
    return result


SIDECAR = """\
summary: Ministers met.[^wire] The article agrees.[^article]
key_points:
  - First point.[^wire]
sources:
  wire:
    title: Wire copy
    publisher: Agency
    url: https://agency.example/story
quotes:
  - text: We will not be intimidated
    speaker: A. Minister
    role: Foreign minister
annotations:
  - anchor: Al-Omar oil field
    note: Syria's largest oil field.
    sources: [wire]
  - anchor: Popular Mobilization units
    note: Iraq's militias.
timeline:
  - date: 2021-06
    event: Later event.
    source: wire
  - date: 2020
    event: Earlier event.
"""


def footnote_order(markdown: str) -> list[int]:
    body = markdown.split("\n[^1]:")[0]
    return [int(n) for n in re.findall(r"\[\^(\d+)\](?!:)", body)]


def test_footnotes_numbered_by_first_appearance_and_reused() -> None:
    md = briefing_markdown(briefing(MINIMAL_SEED, SIDECAR))
    order = footnote_order(md)
    first_seen = list(dict.fromkeys(order))
    assert first_seen == list(range(1, len(first_seen) + 1))
    # wire is cited in the summary, key point and timeline: one number, reused.
    assert md.count("[^1]:") == 1
    assert order.count(1) == 3
    definitions = re.findall(r"^\[\^(\d+)\]: ", md, re.M)
    assert [int(n) for n in definitions] == first_seen


def test_anchor_footnote_follows_its_words_in_excerpt() -> None:
    md = briefing_markdown(briefing(MINIMAL_SEED, SIDECAR))
    assert re.search(
        r"\*Popular Mobilization units\*\[\^\d+\] and the \*Al-Omar oil field\*\[\^\d+\]\.", md
    )
    assert "A third paragraph" not in md  # excerpts: only paragraphs that carry something
    assert "Source: Agency, *[Wire copy](<https://agency.example/story>)*." in md


def test_reproduce_full_and_none() -> None:
    full = briefing_markdown(briefing(MINIMAL_SEED, SIDECAR, "full"))
    assert "A third paragraph says nothing of note." in full
    none = briefing_markdown(briefing(MINIMAL_SEED, SIDECAR, "none"))
    assert "A second paragraph" not in none
    assert re.search(r"- \*\*Popular Mobilization units\*\*\[\^\d+\]", none)


def test_sidecar_reproduce_overrides_site_default() -> None:
    sidecar = SIDECAR + "article:\n  reproduce: full\n"
    md = briefing_markdown(briefing(MINIMAL_SEED, sidecar, "none"))
    assert "A third paragraph says nothing of note." in md


def test_timeline_sorted_and_dates_spelled_out() -> None:
    md = briefing_markdown(briefing(MINIMAL_SEED, SIDECAR))
    assert md.index("- **2020** — Earlier event.") < md.index("- **June 2021** — Later event.")


def test_quote_block_with_speaker_role_and_footnote() -> None:
    md = briefing_markdown(briefing(MINIMAL_SEED, SIDECAR))
    assert (
        "> “We will not be intimidated”\n\n— **[A. Minister](<people.md#a-minister>)**, "
        "Foreign minister, 28 June 2021[^" in md
    )


def test_front_matter_is_yaml_with_required_fields() -> None:
    import yaml

    md = briefing_markdown(briefing(MINIMAL_SEED, SIDECAR))
    front = yaml.safe_load(md.split("---\n")[1])
    assert front["title"] == "Ministers meet in Rome"
    assert str(front["date"]) == "2021-06-28"
    assert front["speakers"] == ["A. Minister"]
    assert front["summary"] == "Ministers met. The article agrees."
    assert [s["id"] for s in front["sources"]] == ["article", "wire"]


@pytest.mark.parametrize(
    "text",
    [
        "# not a heading",
        "1. not a list",
        "- not a list",
        "> not a quote",
        "*not emphasis* and _not_ either",
        "[not a link](https://x.example)",
        "<b>not html</b> &amp; not an entity",
        "a | b | table?",
        "[^1] not a footnote",
    ],
)
def test_seed_text_is_escaped_so_it_renders_literally(text: str) -> None:
    html = render_markdown(escape(text))
    expected = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert html == f"<p>{expected}</p>\n"


def test_markdown_in_seed_paragraph_renders_literally() -> None:
    seed = MINIMAL_SEED.replace(
        "A second paragraph", "# A *second* [paragraph](javascript:alert(1)) <script>"
    )
    md = briefing_markdown(briefing(seed, SIDECAR))
    html = render_markdown(md)
    assert "<script>" not in html and "<h1>A" not in html and "<em>second" not in html
    assert "[paragraph](javascript:alert(1)) &lt;script&gt;" in html


def test_truncated_seed_is_flagged() -> None:
    seed = MINIMAL_SEED + (
        "\nYou have 38.16% of this article to read. The rest is for subscribers only.\n"
    )
    md = briefing_markdown(briefing(seed, MINIMAL_SIDECAR))
    assert "38.16% of the article was not available" in md
    assert "partial text" in md


def test_verified_quote_links_to_its_passage_in_the_original() -> None:
    sidecar = SIDECAR + "article:\n  url: https://news.example/story\n"
    md = briefing_markdown(briefing(MINIMAL_SEED, sidecar))
    assert (
        "[check it in the original](<https://news.example/story#:~:text="
        "We%20will%20not%20be%20intimidated>)"
    ) in md
    # A translation's words are not on the original page: no text fragment then.
    translated = SIDECAR + "article:\n  translated_from: fr\n  url: https://news.example/story\n"
    assert "check it in the original" not in briefing_markdown(briefing(MINIMAL_SEED, translated))


def test_long_quote_fragment_names_its_first_and_last_words() -> None:
    seed = MINIMAL_SEED.replace(
        "“We will not be intimidated,”",
        "“We will not be intimidated by threats, nor by strikes, nor by anything else,”",
    )
    sidecar = (
        "summary: x\narticle:\n  url: https://news.example/story\nquotes:\n"
        "  - text: We will not be intimidated (…) nor by anything else\n    speaker: A\n"
    )
    md = briefing_markdown(briefing(seed, sidecar))
    assert "#:~:text=We%20will%20not%20be,nor%20by%20anything%20else>" in md


class BlockDumper(DUMPER):  # type: ignore[misc,valid-type]
    """The dump front matter was written with before front_matter_yaml: PyYAML's own,
    multi-line strings as `|` blocks."""


BlockDumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None
    ),
)

texts = st.text(max_size=40) | st.sampled_from(
    ["yes", "No", "null", "~", "1.5", "0x1F", "1_000", "2024-02-03", ".inf", "<<", "=",
     "a: b", "a #b", "- x", "? x", "'q'", '"q"', " lead", "trail ", "two\nlines", "end\n",
     "\n\nblank", "tab\there", "nel\x85", "ls\u2028", "bom\ufeff", "é’“”—", "مرحبا",
     "x" * 5000]
)  # fmt: skip
values: Any = st.recursive(
    texts | st.booleans() | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(texts, values, max_size=8))
@example({"title": "US strikes: Iraq", "date": dt.date(2024, 2, 3), "tags": [], "draft": True})
def test_front_matter_is_the_bytes_pyyaml_dumps(data: dict[str, FrontMatter]) -> None:
    """Front matter events go to libyaml's emitter directly (front_matter_yaml); what
    they write must be what yaml.dump wrote, for any value front matter can hold, or
    fail as it failed."""
    try:
        expected = yaml.dump(
            data, Dumper=BlockDumper, sort_keys=False, allow_unicode=True, width=4096
        )
    except yaml.YAMLError as exc:
        with pytest.raises(type(exc)):
            front_matter_yaml(data)
        return
    assert front_matter_yaml(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        {"date": (day := dt.date(2024, 2, 3)), "updated": day},  # yaml.dump anchors it
        {"tags": (tags := ["a"]), "more": tags},
        {"when": dt.datetime(2024, 2, 3, 10, 0)},  # written with a space by yaml.dump
        {"count": 1},
        {"none": None},
        {"pair": ("a", "b")},
    ],
)
def test_front_matter_refuses_what_it_cannot_write_as_pyyaml_would(
    data: dict[str, Any],
) -> None:
    """Found by review: shared values, datetimes and other types than front matter's
    came out unlike yaml.dump (or as a mapping); they are refused."""
    with pytest.raises(yaml.representer.RepresenterError):
        front_matter_yaml(data)
