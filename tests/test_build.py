"""The whole pipeline on real files: the example site, failures, determinism."""

from __future__ import annotations

import gc
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.commands.cli import main

from conftest import MINIMAL_SEED, MINIMAL_SIDECAR, REPO, Project, tree
from htmlcheck import check_internal_links, parse

SLUG = "us-strikes-iraq-syria"


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-C", str(root), *args])
    return result.exit_code, result.output


@pytest.fixture
def built_example(example_site: Path) -> Path:
    code, output = run(example_site, "build")
    assert code == 0, output
    return example_site


def test_example_site_files(built_example: Path) -> None:
    site = built_example / "site"
    for rel in (
        "index.html",
        f"briefings/{SLUG}/index.html",
        "404.html",
        ".nojekyll",
        "assets/briefgen.css",
    ):
        assert (site / rel).is_file(), rel
    assert (built_example / "content" / f"{SLUG}.md").is_file()


def test_every_footnote_has_target_and_backlink(built_example: Path) -> None:
    html = (built_example / "site" / "briefings" / SLUG / "index.html").read_text()
    page = parse(html)
    refs = re.findall(r'<a href="#fn(\d+)" id="fnref([\d-]+)"', html)
    assert len(refs) >= 20
    numbers = sorted({int(n) for n, _ in refs})
    assert numbers == list(range(1, len(numbers) + 1))
    for number, refid in refs:
        assert f"fn{number}" in page.ids
        assert f'href="#fnref{refid}"' in html, f"no back-link to reference {refid}"
    # Numbered by first appearance: the markers, read in page order, never skip ahead.
    seen: list[int] = []
    for number, _ in refs:
        if int(number) not in seen:
            seen.append(int(number))
    assert seen == sorted(seen)


def test_every_internal_link_resolves(built_example: Path) -> None:
    site = built_example / "site"
    checked = 0
    for html_file in site.rglob("*.html"):
        rel = html_file.relative_to(site).as_posix()
        if rel == "404.html":
            continue  # served at arbitrary paths; checked separately
        checked += check_internal_links(site, rel, html_file.read_text())
    assert checked > 30


def test_no_page_loads_anything_from_another_host(built_example: Path) -> None:
    for html_file in (built_example / "site").rglob("*.html"):
        for tag, url, attrs in parse(html_file.read_text()).links:
            if tag == "a":
                continue  # links a reader follows are fine; loads are not
            assert not re.match(r"(https?:)?//", url), f"{html_file}: {tag} loads {url}"
            assert attrs.get("rel") != "preconnect"
    css = (built_example / "site" / "assets" / "briefgen.css").read_text()
    assert "url(" not in css and "@import" not in css


def test_briefing_page_content(built_example: Path) -> None:
    html = (built_example / "site" / "briefings" / SLUG / "index.html").read_text()
    text = " ".join(parse(html).text)
    assert "Bottom line" in text
    assert "This action of self-defense (…) to prevent further attacks" in text
    assert "Antony Blinken" in text and "U.S. Secretary of State" in text
    assert "38.16% of the article was not available" in text
    assert "Joe Biden draws his red line" in text  # related reading
    assert 'lang="en"' in html
    # Raw HTML is never passed through, and the seed's text is escaped: the only scripts
    # are the theme's footnote previews and the JSON-LD data block.
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == [
        '<script type="application/ld+json">',
        '<script src="../../assets/footnotes.js">',
    ]


def test_home_lists_briefings_newest_first(project: Project) -> None:
    older = MINIMAL_SEED.replace("2021-06-28", "2021-06-01").replace("Ministers meet", "Older")
    root = project(
        {
            "seeds/older.txt": older,
            "seeds/older.yml": MINIMAL_SIDECAR,
            "seeds/newer.txt": MINIMAL_SEED,
            "seeds/newer.yml": MINIMAL_SIDECAR.replace("summary:", "title: Newer\nsummary:"),
        }
    )
    code, output = run(root, "build")
    assert code == 0, output
    home = (root / "site" / "index.html").read_text()
    assert home.index("briefings/newer/") < home.index("briefings/older/")


def test_article_language_orders_an_ambiguous_numeric_date(project: Project) -> None:
    seed = MINIMAL_SEED.replace("2021-06-28", "03/04/2020")
    root = project(
        {
            "seeds/us.txt": seed,
            "seeds/us.yml": MINIMAL_SIDECAR + "article:\n  language: en-US\n",
            "seeds/eu.txt": seed,
            "seeds/eu.yml": MINIMAL_SIDECAR,
        }
    )
    code, output = run(root, "build")
    assert code == 0, output
    assert "\ndate: 2020-03-04\n" in (root / "content" / "us.md").read_text()
    assert "\ndate: 2020-04-03\n" in (root / "content" / "eu.md").read_text()
    assert "4 March 2020" in (root / "site" / "briefings" / "us" / "index.html").read_text()
    assert "3 April 2020" in (root / "site" / "briefings" / "eu" / "index.html").read_text()
    # The site's language is every article's default, and it changes what a build keys.
    (root / "briefgen.yml").write_text("language: en-US\n")
    code, output = run(root, "build")
    assert code == 0, output
    assert "\ndate: 2020-03-04\n" in (root / "content" / "eu.md").read_text()


def test_a_sidecar_in_error_leaves_the_date_to_the_site_language(project: Project) -> None:
    root = project(
        {
            "seeds/one.txt": "03/04/2020 | Opinion\n\nHeadline\n\nBody.\n",
            "seeds/one.yml": "summary: x\narticle:\n  language: en-US\nqoutes: []\n",
        }
    )
    code, output = run(root, "check")
    assert code == 1
    # The sidecar does not parse, so its en-US is unknown: the site's `en` reads the date.
    assert output.splitlines()[0] == (
        "seeds/one.txt:1:1: error: found 3 April 2020, then ' | Opinion': "
        "keep only the date on this line"
    )
    assert "seeds/one.yml:4:1: error: unknown key 'qoutes' in sidecar" in output


def test_directory_urls_false_names_index_html(project: Project) -> None:
    root = project(
        {
            "briefgen.yml": "directory_urls: false\n",
            "seeds/one.txt": MINIMAL_SEED,
            "seeds/one.yml": MINIMAL_SIDECAR,
        }
    )
    assert run(root, "build")[0] == 0
    home = (root / "site" / "index.html").read_text()
    assert 'href="briefings/one/index.html"' in home
    page = (root / "site" / "briefings" / "one" / "index.html").read_text()
    assert 'href="../../index.html"' in page
    assert 'href="../../assets/briefgen.css"' in page


def test_cname_written_when_configured(project: Project) -> None:
    root = project(
        {
            "briefgen.yml": "cname: briefings.example.org\n",
            "seeds/one.txt": MINIMAL_SEED,
            "seeds/one.yml": MINIMAL_SIDECAR,
        }
    )
    assert run(root, "build")[0] == 0
    assert (root / "site" / "CNAME").read_text() == "briefings.example.org\n"


def test_two_builds_are_byte_identical(example_site: Path, tmp_path: Path) -> None:
    assert run(example_site, "build")[0] == 0
    first = tree(example_site / "site") | {
        f"content/{k}": v for k, v in tree(example_site / "content").items()
    }
    assert run(example_site, "build")[0] == 0
    second = tree(example_site / "site") | {
        f"content/{k}": v for k, v in tree(example_site / "content").items()
    }
    assert first == second


def test_builds_identical_across_hash_seeds(example_site: Path) -> None:
    trees = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "briefgen", "-C", str(example_site), "build"],
            check=True,
            env=env,
            capture_output=True,
        )
        trees.append(tree(example_site / "site"))
    assert trees[0] == trees[1]


def test_failed_build_leaves_previous_site_untouched(built_example: Path) -> None:
    before = tree(built_example / "site")
    content_before = tree(built_example / "content")
    sidecar = built_example / "seeds" / f"{SLUG}.yml"
    sidecar.write_text(sidecar.read_text().replace("speaker: Antony Blinken", "speakr: Blinken"))
    code, output = run(built_example, "build")
    assert code == 1
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if line.strip()]
    assert re.match(rf"seeds/{SLUG}\.yml:\d+:\d+: error: ", lines[0]), output
    assert tree(built_example / "site") == before
    assert tree(built_example / "content") == content_before
    assert not list(built_example.glob(".briefgen-*"))


def test_errors_are_all_reported_located_and_exit_1(project: Project) -> None:
    root = project(
        {
            "seeds/one.txt": MINIMAL_SEED,
            "seeds/one.yml": "summary: x\nqoutes: []\ntags: iraq\n",
            "seeds/two.txt": "not a date\n\nHeadline\n\nBody.\n",
            "seeds/two.yml": "summary: y\n",
        }
    )
    code, output = run(root, "check")
    assert code == 1
    assert output.splitlines() == [
        "seeds/one.yml:2:1: error: unknown key 'qoutes' in sidecar",
        "  hint: did you mean 'quotes'?",
        "seeds/one.yml:3:7: error: tags must be a list",
        "  hint: write it as a YAML list: tags: [...]",
        "seeds/two.txt:1:1: error: first line must be the article's date; got 'not a date'",
        "  hint: write the date as publishers print it: August 3, 2021, 3 août 2021, "
        "3. August 2021, 03.08.2021, 03/08/2021 or 2021-08-03, with or without a label "
        "(Updated, Stand:) and a time",
        "3 errors",
    ]
    assert not (root / "site").exists()


def test_check_writes_nothing(project: Project) -> None:
    root = project({"seeds/one.txt": MINIMAL_SEED, "seeds/one.yml": MINIMAL_SIDECAR})
    code, output = run(root, "check")
    assert code == 0, output
    assert "1 quotes verified" in output or "checked 1 briefing" in output
    assert sorted(p.name for p in root.iterdir()) == ["seeds"]


def test_bad_config_key_is_located(project: Project) -> None:
    root = project(
        {
            "briefgen.yml": "title: Desk\nsite_ulr: https://x.github.io/y/\n",
            "seeds/one.txt": MINIMAL_SEED,
            "seeds/one.yml": MINIMAL_SIDECAR,
        }
    )
    code, output = run(root, "build")
    assert code == 1
    assert "briefgen.yml:2:1: error: unknown key 'site_ulr' in config" in output
    assert "did you mean 'site_url'?" in output


def test_invalid_slug_names_the_file(project: Project) -> None:
    root = project({"seeds/Bad Name.txt": MINIMAL_SEED, "seeds/Bad Name.yml": MINIMAL_SIDECAR})
    code, output = run(root, "build")
    assert code == 1
    assert "seeds/Bad Name.txt: error: 'Bad Name' is not a valid slug" in output
    assert "rename it to bad-name.txt" in output


def test_sidecar_without_seed_is_an_error_and_seed_without_sidecar_a_warning(
    project: Project,
) -> None:
    root = project(
        {
            "seeds/one.txt": MINIMAL_SEED,
            "seeds/one.yml": MINIMAL_SIDECAR,
            "seeds/orphan.yml": MINIMAL_SIDECAR,
            "seeds/lonely.txt": MINIMAL_SEED,
        }
    )
    code, output = run(root, "build")
    assert code == 1
    assert "seeds/orphan.yml:1:1: error: sidecar has no seed" in output
    assert "seeds/lonely.txt: warning: seed has no sidecar; skipped" in output


def test_drafts_build_only_with_flag(project: Project) -> None:
    root = project(
        {"seeds/one.txt": MINIMAL_SEED, "seeds/one.yml": "draft: true\n" + MINIMAL_SIDECAR}
    )
    assert run(root, "build")[0] == 0
    assert not (root / "site" / "briefings" / "one").exists()
    assert run(root, "build", "--drafts")[0] == 0
    assert (root / "site" / "briefings" / "one" / "index.html").is_file()


def test_unverified_quotes_are_counted_marked_and_strict_fails(project: Project) -> None:
    sidecar = MINIMAL_SIDECAR + (
        "sources:\n  wire:\n    title: Wire copy\n    publisher: Agency\n"
        "quotes:\n  - text: Something said elsewhere\n    speaker: B. Official\n    source: wire\n"
    )
    sidecar = sidecar.replace(
        "quotes:\n  - text: We will not be intimidated\n    speaker: A. Minister\n", "", 1
    )
    root = project({"seeds/one.txt": MINIMAL_SEED, "seeds/one.yml": sidecar})
    code, output = run(root, "build")
    assert code == 0, output
    assert "cites 'wire' and cannot be verified offline" in output
    assert "1 unverified" in output
    assert "Unverified" in (root / "content" / "one.md").read_text()
    code, output = run(root, "build", "--strict")
    assert code == 1


def test_template_override_and_template_error_location(project: Project) -> None:
    files = {"seeds/one.txt": MINIMAL_SEED, "seeds/one.yml": MINIMAL_SIDECAR}
    root = project(
        {
            **files,
            "templates/home.html": (
                '{% extends "base.html" %}{% block main %}OVERRIDDEN{% endblock %}'
            ),
        }
    )
    assert run(root, "build")[0] == 0
    assert "OVERRIDDEN" in (root / "site" / "index.html").read_text()
    (root / "templates" / "home.html").write_text("line one\n{{ no_such_variable.x }}\n")
    before = tree(root / "site")
    code, output = run(root, "build")
    assert code == 1
    assert output.startswith("templates/home.html:2:1: error: while rendering index.html")
    assert "Traceback" not in output
    assert tree(root / "site") == before
    (root / "templates" / "home.html").write_text("{% if %}\n")
    code, output = run(root, "build")
    assert code == 1
    assert output.startswith("templates/home.html:1:1: error: template syntax")


def test_output_dir_overlapping_seeds_is_refused(project: Project) -> None:
    root = project(
        {
            "briefgen.yml": "site_dir: seeds\n",
            "seeds/one.txt": MINIMAL_SEED,
            "seeds/one.yml": MINIMAL_SIDECAR,
        }
    )
    code, output = run(root, "build")
    assert code == 1
    assert "site_dir 'seeds' overlaps seeds_dir" in output
    assert (root / "seeds" / "one.yml").is_file()


def test_committed_example_output_is_up_to_date(built_example: Path) -> None:
    """content/ and site/ in the repository are what `briefgen build` makes today.

    Regenerate them with `briefgen build` at the repository root after a change.
    """
    assert tree(built_example / "content") == tree(REPO / "content")
    assert tree(built_example / "site") == tree(REPO / "site")


def test_the_command_as_a_process_reports_writes_and_exits(project: Project) -> None:
    """`briefgen` ends its process without freeing the build's memory (cli.entry): its
    report still reaches a pipe, its files and cache are whole, its lock is released,
    and a failure still exits 1 with its located error."""
    root = project({"seeds/one.txt": MINIMAL_SEED, "seeds/one.yml": MINIMAL_SIDECAR})
    command = [sys.executable, "-m", "briefgen", "-C", str(root), "build", "-j", "1"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert re.search(r"^built 1 briefing: \d+ quotes verified", done.stderr, re.M), done.stderr
    assert (root / "site" / "briefings" / "one" / "index.html").is_file()
    assert CliRunner().invoke(main, ["-C", str(root), "build", "--no-wait"]).exit_code == 0
    (root / "seeds" / "one.yml").write_text("title: [unclosed\n", encoding="utf-8")
    failed = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1
    assert re.search(r"one\.yml:\d+:\d+: error: ", failed.stderr), failed.stderr
    assert "Traceback" not in failed.stderr


def test_the_command_with_stdout_closed_exits_0(project: Project) -> None:
    """`briefgen build >&-` (a cron job, some CI wrappers): Python gives the command no
    sys.stdout. Found by review: the flush before os._exit raised AttributeError, a
    traceback and exit 1 after a build that had succeeded."""
    root = project({"seeds/one.txt": MINIMAL_SEED, "seeds/one.yml": MINIMAL_SIDECAR})
    command = f'"{sys.executable}" -m briefgen -C "{root}" build -j 1 >&-'
    done = subprocess.run(command, shell=True, stderr=subprocess.PIPE, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert re.search(r"^built 1 briefing: ", done.stderr, re.M), done.stderr


def test_only_a_one_shot_build_leaves_the_collector_paused(project: Project) -> None:
    """A build pauses the cyclic collector while it allocates (pipeline.collector_paused).
    Resumed, the collector scans everything allocated meanwhile at once: 0.57 s at the
    end of a one-sidecar rebuild of 10,000 briefings. So a build whose process ends
    right after it (build.build's `spent`, as the `briefgen` command passes) leaves it
    paused; any other caller (serve, watch, the MkDocs plugin) gets it back running."""
    from briefgen.build import build

    root = project({"seeds/one.txt": MINIMAL_SEED, "seeds/one.yml": MINIMAL_SIDECAR})
    assert gc.isenabled()
    try:
        build(root, clean=True)
        assert gc.isenabled()
        build(root, clean=True, spent=[])
        assert not gc.isenabled()
    finally:
        gc.enable()
