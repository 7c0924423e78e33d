"""The MkDocs plugin: briefings inside an MkDocs site, built by `mkdocs build`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from htmlcheck import parse

SLUG = "us-strikes-iraq-syria"

MKDOCS_YML = """\
site_name: Knowledge base
plugins:
  - briefgen:
      seeds_dir: seeds
      section: Briefings
"""


def mkdocs(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=root,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    """An existing MkDocs project (default theme) with the example seed added."""
    root = tmp_path / "kb"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Knowledge base\n\nOur notes.\n")
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copy(REPO / "register.yml", root / "register.yml")
    return root


def test_briefing_page_in_mkdocs_has_quotes_footnotes_and_sources(kb: Path) -> None:
    result = mkdocs(kb)
    assert result.returncode == 0, result.stderr
    page = kb / "site" / "briefings" / SLUG / "index.html"
    html = page.read_text()
    text = " ".join("".join(parse(html).text).split())
    # Quotes as blockquotes, each followed by its attribution with a footnote.
    assert re.search(
        r"<blockquote>\s*<p>“Flagrant violation of sovereignty”</p>\s*</blockquote>", html
    )
    assert "— Antony Blinken, U.S. Secretary of State, 28 June 2021" in text
    # Every footnote reference has its target, and every target a back-link.
    refs = set(re.findall(r'class="footnote-ref" href="#(fn:\d+)"', html))
    ids = parse(html).ids
    assert len(refs) == 18
    for ref in refs:
        assert ref in ids
        assert f'href="#fnref:{ref[3:]}"' in html
    # The sources list, and the seed's text reproduced (escaped) with its anchors.
    assert '<h2 id="sources">Sources</h2>' in html
    assert "Statement by Pentagon Press Secretary John F. Kirby" in text
    assert "Popular Mobilization units" in text and "[…]" in text
    # Nothing was written into docs/.
    assert sorted(p.name for p in (kb / "docs").iterdir()) == ["index.md"]


def test_index_tags_and_people_pages(kb: Path) -> None:
    assert mkdocs(kb).returncode == 0
    site = kb / "site" / "briefings"
    index = (site / "index.html").read_text()
    assert f'href="{SLUG}/"' in index and "US strikes on pro-Iran militias" in index
    tags = " ".join("".join(parse((site / "tags" / "index.html").read_text()).text).split())
    assert "iraq" in tags and "militias" in tags
    people = (site / "people" / "index.html").read_text()
    assert "Mustafa Al-Kadhimi" in people and "“To avoid escalation”" in people
    assert "Briefings" in (kb / "site" / "index.html").read_text()  # in the nav


def test_people_page_reads_the_register(kb: Path) -> None:
    """The register's people are on it under the register's name, with its description."""
    assert mkdocs(kb).returncode == 0
    people = (kb / "site" / "briefings" / "people" / "index.html").read_text()
    text = " ".join("".join(parse(people).text).split())
    assert "Qassem Soleimani" in text  # in the register only
    assert "Also written: Qasem Soleimani; Ghassem Soleimani" in text
    assert "Iraq's prime minister since May 2020" in text


def test_briefing_reads_the_same_as_briefgen_build(kb: Path) -> None:
    """One stage-1 product: the plugin renders the Markdown `briefgen build` writes."""
    from briefgen.stages.config import Config
    from briefgen.stages.generate import briefing_markdown
    from briefgen.stages.prepare import load_briefings, site_register

    briefings, _ = load_briefings(kb, Config(), drafts=False)
    markdown = briefing_markdown(briefings[0], register=site_register(kb, Config()))
    assert markdown == (REPO / "content" / f"{SLUG}.md").read_text()


def test_speakers_and_register_entries_link_to_their_headings(kb: Path) -> None:
    """Every link from a briefing to a person, group or place lands on its heading:
    MkDocs checks anchors too when told to warn, and --strict fails on a warning."""
    (kb / "mkdocs.yml").write_text(MKDOCS_YML + "validation:\n  anchors: warn\n")
    result = mkdocs(kb, "--strict")
    assert result.returncode == 0, result.stderr
    html = (kb / "site" / "briefings" / SLUG / "index.html").read_text()
    links = [url for tag, url, _ in parse(html).links if tag == "a"]
    assert "../people/#mustafa-al-kadhimi" in links  # a speaker
    assert "../groups/#pmf" in links and "../places/#al-qaim" in links  # annotations
    groups = (kb / "site" / "briefings" / "groups" / "index.html").read_text()
    assert 'id="pmf"' in groups and "Popular Mobilization Forces" in groups


def test_index_tags_and_people_pages_in_the_sites_language(kb: Path) -> None:
    """`language: fr` (here MkDocs' theme.language): the generated pages use the theme's
    French catalog and French dates, as `briefgen build` would; the briefing too."""
    (kb / "mkdocs.yml").write_text(MKDOCS_YML + "theme:\n  name: mkdocs\n  language: fr\n")
    result = mkdocs(kb, "--strict")
    assert result.returncode == 0, result.stderr
    site = kb / "site" / "briefings"
    index = " ".join("".join(parse((site / "index.html").read_text()).text).split())
    assert "3 août 2021" in index and "2021-08-03" not in index
    assert "Mots-clés · Personnes" in index and "Tags" not in index
    tags = (site / "tags" / "index.html").read_text()
    assert ">Mots-clés</h1>" in tags
    people = " ".join("".join(parse((site / "people" / "index.html").read_text()).text).split())
    assert "Personnes" in people and "People" not in people
    assert "Aussi écrit : Qasem Soleimani ; Ghassem Soleimani" in people
    assert "28 juin 2021" in people
    briefing = (site / SLUG / "index.html").read_text()
    assert "Points clés" in briefing


def test_an_english_index_writes_dates_as_the_briefing_does(kb: Path) -> None:
    assert mkdocs(kb).returncode == 0
    index = (kb / "site" / "briefings" / "index.html").read_text()
    assert "<em>3 August 2021</em>" in index


def test_broken_sidecar_fails_mkdocs_build_with_located_error(kb: Path) -> None:
    sidecar = kb / "seeds" / f"{SLUG}.yml"
    sidecar.write_text(sidecar.read_text().replace("speaker: John Kirby", "speakr: John Kirby"))
    result = mkdocs(kb)
    assert result.returncode == 1
    assert re.search(rf"seeds/{SLUG}\.yml:\d+:\d+: error: unknown key 'speakr'", result.stderr)
    assert "did you mean 'speaker'?" in result.stderr
    assert "Traceback" not in result.stderr


def test_strict_fails_on_an_unverified_quote(kb: Path) -> None:
    sidecar = kb / "seeds" / f"{SLUG}.yml"
    text = sidecar.read_text().replace(
        "  - text: To avoid escalation\n",
        "  - text: We will respond\n    source: pentagon\n",
    )
    sidecar.write_text(text)
    assert mkdocs(kb).returncode == 0  # a warning only
    result = mkdocs(kb, "--strict")
    assert result.returncode == 1
    assert "cites 'pentagon' and cannot be verified offline" in result.stderr


def test_explicit_nav_gets_the_section(kb: Path) -> None:
    (kb / "mkdocs.yml").write_text(MKDOCS_YML + "nav:\n  - Home: index.md\n")
    result = mkdocs(kb, "--strict")
    assert result.returncode == 0, result.stderr
    home = (kb / "site" / "index.html").read_text()
    assert "Briefings" in home and f"briefings/{SLUG}/" in home


def test_repository_mkdocs_example_builds(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-d", str(tmp_path / "out")],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "briefings" / SLUG / "index.html").is_file()
