"""A publishable site: index pages, feed, sitemap, search index, gh-deploy, new-site."""

from __future__ import annotations

import re
import shlex
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from briefgen import __version__
from briefgen.commands.cli import main
from briefgen.commands.scaffold import workflow

from conftest import REPO, Project
from htmlcheck import check_internal_links, parse
from searchindex import load_index, slugs_with

ATOM = "{http://www.w3.org/2005/Atom}"

SEED_A = """\
March 1, 2021

Talks resume in Vienna

“We are ready to return to compliance,” said Ali Khamenei’s envoy in Vienna.

The Popular Mobilization units stayed quiet as negotiators met.
"""

SEED_B = """\
2021-06-28

Strikes on the border

“This action sends a strong message,” said Antony Blinken in Rome.

The envoy added: “We are not impressed.”
"""

SEED_C = """\
15 July 2021

A quiet summer

Nothing much was said, but “calm returned,” according to officials.
"""

SIDECAR_A = """\
summary: Talks on the nuclear deal resumed.
tags: [Iran, Nuclear]
quotes:
  - text: We are ready to return to compliance
    speaker: Abbas Araghchi
    role: Iranian negotiator
timeline:
  - date: 2021-04
    event: Talks open in Vienna.
  - date: 2018-05
    event: The U.S. leaves the deal.
"""

SIDECAR_B = """\
summary: The U.S. struck militia sites.
tags: [iran, Iraq]
sources:
  pentagon:
    title: Statement on strikes
    publisher: U.S. Department of Defense
    url: https://www.defense.gov/
quotes:
  - text: This action sends a strong message
    speaker: Antony Blinken
    role: Secretary of State
  - text: We are not impressed
    speaker: abbas  ARAGHCHI
  - text: A reply will come
    speaker: Kataib Hezbollah
    source: pentagon
timeline:
  - date: 2021-06-27
    event: U.S. strikes.
    source: pentagon
  - date: 2020
    event: Truce declared.
"""

SIDECAR_C = """\
summary: Calm returned.
tags: [Iraq]
quotes:
  - text: calm returned
    speaker: Officials
timeline:
  - date: 2021-05
    event: Attacks resume.
"""


@pytest.fixture
def desk(project: Project) -> Path:
    root = project(
        {
            "briefgen.yml": (
                "title: Gulf Desk\ndescription: Weekly briefings\n"
                "site_url: https://desk.github.io/briefings\ncname: briefings.example.org\n"
            ),
            "seeds/talks.txt": SEED_A,
            "seeds/talks.yml": SIDECAR_A,
            "seeds/strikes.txt": SEED_B,
            "seeds/strikes.yml": SIDECAR_B,
            "seeds/summer.txt": SEED_C,
            "seeds/summer.yml": SIDECAR_C,
        }
    )
    result = CliRunner().invoke(main, ["-C", str(root), "build"])
    assert result.exit_code == 0, result.output
    return root


def page_text(path: Path) -> str:
    return " ".join("".join(parse(path.read_text()).text).split())


def test_tag_pages_group_case_and_accent_insensitively(desk: Path) -> None:
    site = desk / "site"
    index = page_text(site / "tags" / "index.html")
    # "Iran" (first written) and "iran" are one tag; listed alphabetically with counts.
    assert "Iran (2)" in index and "Iraq (2)" in index and "Nuclear (1)" in index
    assert index.index("Iran (2)") < index.index("Iraq (2)") < index.index("Nuclear (1)")
    iran = (site / "tags" / "iran" / "index.html").read_text()
    assert "Tag: Iran" in iran
    assert iran.index("Strikes on the border") < iran.index("Talks resume in Vienna")
    assert "A quiet summer" not in iran


def test_person_page_lists_every_quote_across_briefings(desk: Path) -> None:
    site = desk / "site"
    people = page_text(site / "people" / "index.html")
    assert "Abbas Araghchi, Iranian negotiator (2 quotes)" in people
    # Listed by surname: Araghchi, Blinken, Hezbollah, Officials.
    order = [people.index(n) for n in ("Araghchi", "Blinken", "Hezbollah", "Officials")]
    assert order == sorted(order)
    person = site / "people" / "abbas-araghchi" / "index.html"
    text = page_text(person)
    assert "“We are not impressed”" in text and "“We are ready to return to compliance”" in text
    assert text.index("We are not impressed") < text.index("We are ready")  # newest first
    assert "28 June 2021" in text and "1 March 2021" in text
    links = [url for tag, url, _ in parse(person.read_text()).links if tag == "a"]
    assert "../../briefings/strikes/#quotes" in links and "../../briefings/talks/#quotes" in links
    hezbollah = page_text(site / "people" / "kataib-hezbollah" / "index.html")
    assert "unverified: quoted from U.S. Department of Defense" in hezbollah


def test_sources_page_groups_by_publisher(desk: Path) -> None:
    text = page_text(desk / "site" / "sources" / "index.html")
    assert "U.S. Department of Defense Statement on strikes" in text
    assert "cited in Strikes on the border" in text
    # The articles themselves (no publisher given) are listed under "Other sources".
    assert "Other sources" in text and "Talks resume in Vienna" in text


def test_merged_timeline_in_date_order_linking_back(desk: Path) -> None:
    page = desk / "site" / "timeline" / "index.html"
    text = page_text(page)
    events = ["The U.S. leaves the deal.", "Truce declared.", "Talks open in Vienna.",
              "Attacks resume.", "U.S. strikes."]  # fmt: skip
    positions = [text.index(e) for e in events]
    assert positions == sorted(positions)
    assert "May 2018" in text and "27 June 2021" in text
    links = [url for tag, url, _ in parse(page.read_text()).links if tag == "a"]
    assert "../briefings/strikes/#timeline" in links


def test_briefing_page_links_tags_speakers_and_neighbours(desk: Path) -> None:
    page = desk / "site" / "briefings" / "strikes" / "index.html"
    html = page.read_text()
    assert 'href="../../tags/iran/"' in html and 'href="../../people/abbas-araghchi/"' in html
    assert re.search(r'rel="prev" href="../talks/">← Talks resume in Vienna', html)
    assert re.search(r'rel="next" href="../summer/">A quiet summer →', html)
    for name in ("Tags", "People", "Sources", "Timeline", "Search"):
        assert f">{name}</a>" in html


def test_atom_feed_has_required_elements(desk: Path) -> None:
    feed = ET.parse(desk / "site" / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    assert feed.findtext(f"{ATOM}id") == "https://desk.github.io/briefings/"
    assert feed.findtext(f"{ATOM}updated") == "2021-07-15T00:00:00Z"
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert (
        self_link is not None
        and self_link.get("href") == "https://desk.github.io/briefings/feed.xml"
    )
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "A quiet summer", "Strikes on the border", "Talks resume in Vienna"
    ]  # fmt: skip
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 3
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            assert entry.findtext(f"{ATOM}{name}"), name
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None and link.get("href", "").startswith(
            "https://desk.github.io/briefings/briefings/"
        )
    assert entries[1].findtext(f"{ATOM}summary") == "<p>The U.S. struck militia sites.</p>\n"
    assert [c.get("term") for c in entries[1].findall(f"{ATOM}category")] == ["iran", "iraq"]


def test_every_page_links_the_feed_and_all_internal_links_resolve(desk: Path) -> None:
    site = desk / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 15
    for html_file in pages:
        rel = html_file.relative_to(site).as_posix()
        html = html_file.read_text()
        assert 'type="application/atom+xml"' in html, rel
        if rel == "404.html":
            continue
        check_internal_links(site, rel, html)


def test_sitemap_lists_every_page_absolutely(desk: Path) -> None:
    root = ET.parse(desk / "site" / "sitemap.xml").getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [u.findtext(f"{ns}loc") for u in root.findall(f"{ns}url")]
    base = "https://desk.github.io/briefings/"
    assert base in locs and f"{base}briefings/strikes/" in locs and f"{base}people/" in locs
    assert all(loc and loc.startswith(base) for loc in locs)
    assert not any("404" in (loc or "") for loc in locs)
    pages = [p for p in (desk / "site").rglob("*.html") if p.name != "404.html"]
    assert len(locs) == len(pages)
    strikes = next(
        u for u in root.findall(f"{ns}url") if u.findtext(f"{ns}loc", "").endswith("strikes/")
    )
    assert strikes.findtext(f"{ns}lastmod") == "2021-06-28"


def test_404_page_works_at_any_path(desk: Path) -> None:
    html = (desk / "site" / "404.html").read_text()
    assert "<style>" in html and 'rel="stylesheet"' not in html
    links = [u for tag, u, _ in parse(html).links if tag in ("a", "link") and u[0] != "#"]
    assert all(u.startswith("https://desk.github.io/briefings/") for u in links), links
    assert (desk / "site" / "CNAME").read_text() == "briefings.example.org\n"
    assert (desk / "site" / ".nojekyll").exists()


def test_without_site_url_feed_is_relative_and_no_sitemap(project: Project) -> None:
    root = project({"seeds/talks.txt": SEED_A, "seeds/talks.yml": SIDECAR_A})
    result = CliRunner().invoke(main, ["-C", str(root), "build"])
    assert result.exit_code == 0
    assert "set site_url in briefgen.yml for sitemap.xml" in result.output
    assert not (root / "site" / "sitemap.xml").exists()
    feed = ET.parse(root / "site" / "feed.xml").getroot()
    entry = feed.find(f"{ATOM}entry")
    assert entry is not None
    assert entry.find(f"{ATOM}link").get("href") == "briefings/talks/"  # type: ignore[union-attr]
    assert (entry.findtext(f"{ATOM}id") or "").startswith("urn:uuid:")


def test_site_url_option_overrides_config(project: Project) -> None:
    root = project({"seeds/talks.txt": SEED_A, "seeds/talks.yml": SIDECAR_A})
    result = CliRunner().invoke(
        main, ["-C", str(root), "build", "--site-url", "https://u.github.io/r"]
    )
    assert result.exit_code == 0, result.output
    assert "https://u.github.io/r/briefings/talks/" in (root / "site" / "sitemap.xml").read_text()
    bad = CliRunner().invoke(main, ["-C", str(root), "build", "--site-url", "ftp://x"])
    assert bad.exit_code == 1
    assert bad.output.startswith("--site-url: error: must be an http:// or https:// URL")


def test_search_index_covers_titles_quotes_speakers_and_notes(desk: Path) -> None:
    index = load_index(desk / "site")
    rows = {row[0]: row for key, chunk in index.items() if key.startswith("d") for row in chunk}
    assert sorted(rows) == ["strikes", "summer", "talks"]
    assert slugs_with(index, "vienna") >= {"talks"}  # title
    assert "strikes" in slugs_with(index, "impressed")  # quote text
    assert "strikes" in slugs_with(index, "blinken")  # speaker
    assert "summer" in slugs_with(index, "calm")  # summary
    assert rows["strikes"][3] == "../briefings/strikes/"
    page = (desk / "site" / "search" / "index.html").read_text()
    # Without JavaScript the form stays hidden; the scripts are the site's own.
    assert re.search(r"<form[^>]*hidden", page)
    scripts = [a["src"] for a in parse(page).scripts]
    assert scripts == ["../assets/stem-en.js", "../assets/search.js"]


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def test_gh_deploy_pushes_site_to_gh_pages(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A machine where git knows no user (as on a fresh CI runner): briefgen supplies one.
    (tmp_path / "empty.gitconfig").write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "empty.gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = project({"seeds/talks.txt": SEED_A, "seeds/talks.yml": SIDECAR_A})
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q",
        "--allow-empty", "-m", "start")  # fmt: skip
    git(root, "remote", "add", "origin", str(remote))
    result = CliRunner().invoke(main, ["-C", str(root), "gh-deploy"])
    assert result.exit_code == 0, result.output
    assert "published site/ to origin/gh-pages" in result.output
    files = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert ".nojekyll" in files and "index.html" in files and "briefings/talks/index.html" in files
    assert "Deployed from" in git(remote, "log", "-1", "--format=%s", "gh-pages")
    assert git(remote, "log", "-1", "--format=%cn", "gh-pages") == "briefgen"
    # A second deploy adds a commit on top (history kept).
    assert CliRunner().invoke(main, ["-C", str(root), "gh-deploy"]).exit_code == 0
    assert git(remote, "rev-list", "--count", "gh-pages") == "2"


def test_gh_deploy_refuses_outside_git_and_without_remote(project: Project) -> None:
    root = project({"seeds/talks.txt": SEED_A, "seeds/talks.yml": SIDECAR_A})
    result = CliRunner().invoke(main, ["-C", str(root), "gh-deploy"])
    assert result.exit_code == 1
    assert "error: not a git repository" in result.output
    assert not (root / "site").exists()  # refused before building
    git(root, "init", "-q")
    result = CliRunner().invoke(main, ["-C", str(root), "gh-deploy", "--remote", "upstream"])
    assert result.exit_code == 1
    assert "error: git remote 'upstream' not found (this repository has none)" in result.output


def test_new_site_scaffold_builds_and_ships_the_pages_workflow(tmp_path: Path) -> None:
    target = tmp_path / "my-desk"
    result = CliRunner().invoke(main, ["new-site", str(target)])
    assert result.exit_code == 0, result.output
    flow = (target / ".github" / "workflows" / "pages.yml").read_text()
    for action in (
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
    ):
        assert action in flow
    assert "briefgen build --strict --site-url" in flow
    again = CliRunner().invoke(main, ["new-site", str(target)])
    assert again.exit_code == 1 and "already exists" in again.output
    (target / "seeds" / "talks.txt").write_text(SEED_A)
    (target / "seeds" / "talks.yml").write_text(SIDECAR_A)
    built = CliRunner().invoke(main, ["-C", str(target), "build"])
    assert built.exit_code == 0, built.output
    assert 'title: "my-desk"' in (target / "briefgen.yml").read_text()


def test_repository_workflow_is_the_scaffold_template() -> None:
    """This repository's workflow installs the checkout; a desk's pins a version."""
    repository = workflow(".", "pyproject.toml")
    assert (REPO / ".github" / "workflows" / "pages.yml").read_text() == repository


def install_step(flow: str) -> dict[str, Any]:
    steps = yaml.safe_load(flow)["jobs"]["build"]["steps"]
    step: dict[str, Any] = next(s for s in steps if s.get("name") == "Install briefgen")
    return step


def test_new_site_workflow_installs_the_version_that_wrote_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["new-site", str(tmp_path / "desk")])
    assert result.exit_code == 0, result.output
    flow = (tmp_path / "desk" / ".github" / "workflows" / "pages.yml").read_text()
    run = install_step(flow)["run"]
    assert run.splitlines()[0] == f"python -m pip install briefgen=={__version__}"
    steps = yaml.safe_load(flow)["jobs"]["build"]["steps"]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["cache-dependency-path"] == ".github/workflows/pages.yml"


def test_new_site_install_option_takes_any_requirement(tmp_path: Path) -> None:
    """Before a release is on the index, a desk installs from the repository's tag."""
    spec = f"briefgen @ git+https://github.com/briefgen/briefgen@v{__version__}"
    result = CliRunner().invoke(main, ["new-site", str(tmp_path / "desk"), "--install", spec])
    assert result.exit_code == 0, result.output
    flow = (tmp_path / "desk" / ".github" / "workflows" / "pages.yml").read_text()
    command = install_step(flow)["run"].splitlines()[0]
    assert shlex.split(command) == ["python", "-m", "pip", "install", spec]
    for bad in ("", "briefgen\nrm -rf /"):
        refused = CliRunner().invoke(main, ["new-site", str(tmp_path / "x"), "--install", bad])
        assert refused.exit_code == 2 and "one pip requirement" in refused.output
        assert not (tmp_path / "x").exists()


def test_home_and_tag_pages_are_paginated(project: Project) -> None:
    root = project(
        {
            "briefgen.yml": "page_size: 2\nsite_url: https://desk.example/\n",
            "seeds/talks.txt": SEED_A,
            "seeds/talks.yml": SIDECAR_A,
            "seeds/strikes.txt": SEED_B,
            "seeds/strikes.yml": SIDECAR_B.replace("tags: [iran, Iraq]", "tags: [iraq]"),
            "seeds/summer.txt": SEED_C,
            "seeds/summer.yml": SIDECAR_C,
        }
    )
    assert CliRunner().invoke(main, ["-C", str(root), "build"]).exit_code == 0
    site = root / "site"
    first, second = page_text(site / "index.html"), page_text(site / "page" / "2" / "index.html")
    assert "A quiet summer" in first and "Strikes on the border" in first
    assert "Talks resume in Vienna" in second and "A quiet summer" not in second
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert 'rel="next" href="page/2/"' in (site / "index.html").read_text()
    assert 'rel="prev" href="../../"' in (site / "page" / "2" / "index.html").read_text()
    # A tag with three briefings spills onto a second page too; one with two does not.
    assert not (site / "tags" / "iraq" / "page").exists()
    sitemap = (site / "sitemap.xml").read_text()
    assert "https://desk.example/page/2/" in sitemap


def test_page_size_must_be_positive(project: Project) -> None:
    root = project({"briefgen.yml": "page_size: 0\n", "seeds/talks.txt": SEED_A})
    result = CliRunner().invoke(main, ["-C", str(root), "build"])
    assert result.exit_code == 1
    assert result.output.startswith("briefgen.yml:1:12: error: page_size must be at least 1")


def test_timeline_and_sources_are_paginated_too(desk: Path) -> None:
    config = desk / "briefgen.yml"
    config.write_text(config.read_text() + "page_size: 1\n")  # 4 entries per long-list page
    assert CliRunner().invoke(main, ["-C", str(desk), "build"]).exit_code == 0
    site = desk / "site"
    first = page_text(site / "timeline" / "index.html")
    second = page_text(site / "timeline" / "page" / "2" / "index.html")
    assert "The U.S. leaves the deal." in first and "U.S. strikes." in second
    assert "Page 1 of 2" in first
    sources = sorted(p.relative_to(site).as_posix() for p in (site / "sources").rglob("*.html"))
    assert sources[0] == "sources/index.html" and len(sources) >= 1
    for html_file in site.rglob("*.html"):
        if html_file.name != "404.html":
            check_internal_links(
                site, html_file.relative_to(site).as_posix(), html_file.read_text()
            )
