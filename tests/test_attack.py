"""Trustworthy under attack, round two: no input makes a build hang, leak or lie.

Each case was found by attacking the round-one build as a hostile contributor would:
sidecars and seeds come from many hands, and CI publishes whatever the build writes. The
hang cases run `briefgen check` in a subprocess with a timeout far above the target
(10 s on a 2-core machine): a bound a user would notice, not a timed unit test.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import MINIMAL_SEED, MINIMAL_SIDECAR, Project

HANG_LIMIT = 90
"""Seconds before a subprocess counts as hung: nine times the target."""


def briefgen(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return subprocess.run(
        [sys.executable, "-m", "briefgen", "-C", str(root), *args],
        capture_output=True,
        text=True,
        timeout=HANG_LIMIT,
        env=env,
        check=False,
    )


def errors_of(result: subprocess.CompletedProcess[str]) -> str:
    """What the user reads on the terminal (diagnostics go to stderr)."""
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result.stderr


# -- 1. a sidecar cannot hang the build -------------------------------------------------


def test_a_quote_of_5000_elided_pieces_is_checked_quickly(project: Project) -> None:
    seed = "2021-06-28\n\nHeadline\n\n" + " ".join(["a"] * 20_000) + "\n"
    quote = " … ".join(["a"] * 5_000) + " … … b"
    sidecar = f"summary: s\narticle:\n  url: https://e.example/\nquotes:\n  - text: {quote}\n"
    sidecar += "    speaker: X\n"
    root = project({"seeds/x.txt": seed, "seeds/x.yml": sidecar})
    result = briefgen(root, "check")
    assert result.returncode == 1
    assert "seeds/x.yml:5:11: error: quote not found in the seed" in errors_of(result)


def test_fifty_misquotes_against_a_4_mib_seed_are_reported(project: Project) -> None:
    words = [f"w{i % 997}x{i % 13}" for i in range(60)]
    paragraphs = [" ".join(words[(k % 7) :] + words[: (k % 7)]) for k in range(10_500)]
    seed = "2021-06-28\n\nHeadline\n\n" + "\n\n".join(paragraphs) + "\n"
    assert 3.5 * 2**20 < len(seed.encode()) < 4 * 2**20
    quotes = "".join(
        f"  - text: {' '.join(words[k : k + 9])} missing{k}\n    speaker: X\n" for k in range(50)
    )
    sidecar = f"summary: s\narticle:\n  url: https://e.example/\nquotes:\n{quotes}"
    root = project({"seeds/x.txt": seed, "seeds/x.yml": sidecar})
    result = briefgen(root, "check")
    assert result.returncode == 1
    assert errors_of(result).count("error: quote not found in the seed") == 50


# -- 3. a boilerplate pattern cannot hang the build -------------------------------------


def test_a_catastrophic_boilerplate_pattern_is_a_located_error(project: Project) -> None:
    seed = MINIMAL_SEED + "\n" + "a" * 60 + "!\n"
    config = "title: t\nboilerplate:\n  - '^Sign up'\n  - '(a|aa)+$'\n"
    root = project({"briefgen.yml": config, "seeds/x.txt": seed, "seeds/x.yml": MINIMAL_SIDECAR})
    result = briefgen(root, "build")
    assert result.returncode == 1, result.stdout
    assert errors_of(result).startswith(
        "briefgen.yml:4:5: error: boilerplate pattern '(a|aa)+$' took over 1 s on "
        "seeds/x.txt:11: it backtracks catastrophically\n"
    ), result.stderr
    assert not (root / "site").exists()


def test_the_issues_nested_pattern_no_longer_stalls(project: Project) -> None:
    """`(a+)+$` against 40 a's and '!' ran over 90 s with Python's re."""
    seed = MINIMAL_SEED + "\n" + "a" * 40 + "!\n"
    root = project(
        {
            "briefgen.yml": "boilerplate: ['(a+)+$']\n",
            "seeds/x.txt": seed,
            "seeds/x.yml": MINIMAL_SIDECAR.replace(
                "quotes:", "article:\n  url: https://e.x/\nquotes:"
            ),
        }
    )
    result = briefgen(root, "build")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("pattern", "removed", "kept"),
    [
        (r"^\p{Lu}{3,} ONLY$", "ABONNÉS ONLY", "Publicité"),
        (r"(?i)^PUBLICITÉ$", "Publicité", "ONLY"),
    ],
)
def test_boilerplate_patterns_may_use_unicode_classes(
    project: Project, pattern: str, removed: str, kept: str
) -> None:
    seed = MINIMAL_SEED + "\nABONNÉS ONLY\n\nPublicité\n"
    config = f"reproduce: full\nboilerplate_off: [advertising]\nboilerplate:\n  - '{pattern}'\n"
    root = project({"briefgen.yml": config, "seeds/x.txt": seed, "seeds/x.yml": MINIMAL_SIDECAR})
    result = briefgen(root, "build")
    assert result.returncode == 0, result.stdout
    content = (root / "content" / "x.md").read_text(encoding="utf-8")
    assert removed not in content and kept in content


# -- 5. output folders that destroy or leak ---------------------------------------------


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        ("site_dir: .git", "is or is inside the repository's .git"),
        ("site_dir: .git/site", "is or is inside the repository's .git"),
        ("content_dir: .github", "is or is inside the repository's .github"),
        ("site_dir: .briefgen_cache", "is or is inside the build cache (.briefgen_cache)"),
        ("content_dir: .briefgen_cache/x", "is or is inside the build cache (.briefgen_cache)"),
        ("site_dir: vendor", "holds a repository (lib/.git)"),
    ],
)
def test_folders_that_must_never_be_replaced_are_refused_even_with_clean(
    project: Project, setting: str, problem: str
) -> None:
    root = project(
        {
            "briefgen.yml": setting + "\n",
            "seeds/x.txt": MINIMAL_SEED,
            "seeds/x.yml": MINIMAL_SIDECAR,
            ".git/HEAD": "ref: refs/heads/main\n",
            ".github/workflows/pages.yml": "name: x\n",
            "vendor/lib/.git/HEAD": "ref: refs/heads/main\n",
        }
    )
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    result = briefgen(root, "build", "--clean")
    assert result.returncode == 1
    key, _, name = setting.partition(": ")
    assert f"briefgen.yml:1:{len(key) + 3}: error: {key} '{name}' {problem}" in errors_of(result)
    after = sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*") if ".briefgen" not in p.as_posix()
    )
    assert after == [p for p in before if ".briefgen" not in p]


def test_the_home_folder_is_never_replaced(project: Project, tmp_path: Path) -> None:
    root = project({"seeds/x.txt": MINIMAL_SEED, "seeds/x.yml": MINIMAL_SIDECAR, "home/a": "x"})
    (root / "briefgen.yml").write_text("site_dir: home\n", encoding="utf-8")
    env_home = {"HOME": str(root / "home")}
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "-C", str(root), "build", "--clean"],
        capture_output=True,
        text=True,
        timeout=HANG_LIMIT,
        env={**os.environ, **env_home, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        check=False,
    )
    assert result.returncode == 1
    assert "site_dir 'home' is the home folder" in errors_of(result)
    assert (root / "home" / "a").read_text() == "x"


# -- 6. a traceback where a message belongs ---------------------------------------------


@pytest.mark.parametrize("name", ["/etc", "../elsewhere", "a/../../b", "~/seeds"])
def test_a_folder_setting_outside_the_site_is_a_located_error(project: Project, name: str) -> None:
    root = project({"briefgen.yml": f"title: t\nseeds_dir: {name}\n"})
    for command in ("build", "check"):
        result = briefgen(root, command)
        assert result.returncode == 1
        assert errors_of(result).startswith(
            f"briefgen.yml:2:12: error: seeds_dir '{name}' is outside the site root\n"
        ), result.stderr


# -- 7. links and images that leave the site --------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("[x](//evil.example/p)", "link to '//evil.example/p' is not allowed"),
        ("[x](/\\\\evil.example/p)", "link to '/\\\\evil.example/p' is not allowed"),
        ("[x](\\\\\\\\evil.example\\\\p)", "is not allowed"),
        (
            "![x](https://evil.example/t.png)",
            "image 'https://evil.example/t.png' is not a file of the site",
        ),
        ("![x](//evil.example/t.png)", "'//evil.example/t.png' is not allowed"),
        ("![x](/t.png)", "image '/t.png' is not a file of the site"),
    ],
)
def test_links_and_images_that_leave_the_site_are_located_errors(
    project: Project, markdown: str, message: str
) -> None:
    sidecar = MINIMAL_SIDECAR.replace(
        "note: Iraq's state-sanctioned militias.", f"note: 'See {markdown}.'"
    )
    root = project({"seeds/x.txt": MINIMAL_SEED, "seeds/x.yml": sidecar})
    result = briefgen(root, "check")
    assert result.returncode == 1, result.stderr
    first = errors_of(result).splitlines()[0]
    column = 21 if markdown.startswith("!") else 20  # where the target starts
    assert first.startswith(f"seeds/x.yml:7:{column}: error: ") and message in first, first


def test_images_of_the_site_and_ordinary_links_still_work(project: Project) -> None:
    note = (
        "'See ![map](../../assets/map.svg), [the report](https://e.example/r) and [notes](#fn1).'"
    )
    sidecar = MINIMAL_SIDECAR.replace("note: Iraq's state-sanctioned militias.", f"note: {note}")
    root = project({"seeds/x.txt": MINIMAL_SEED, "seeds/x.yml": sidecar})
    result = briefgen(root, "check")
    assert "not allowed" not in result.stderr and "not a file" not in result.stderr, result.stderr


# -- 9. a URL that breaks its citation --------------------------------------------------


def test_a_source_url_with_angle_brackets_stays_one_link(project: Project) -> None:
    """A URL with `<` passed validation and showed on the page as raw Markdown."""
    sidecar = (
        MINIMAL_SIDECAR.replace("summary: Ministers met in Rome.", "summary: Met.[^odd]")
        + "sources:\n  odd:\n    title: Odd report\n    url: https://e.example/a<b>c\\d\n"
    )
    root = project({"seeds/x.txt": MINIMAL_SEED, "seeds/x.yml": sidecar})
    result = briefgen(root, "build")
    assert result.returncode == 0, result.stderr
    markdown = (root / "content" / "x.md").read_text(encoding="utf-8")
    assert "(<https://e.example/a%3Cb%3Ec%5Cd>)" in markdown
    html = (root / "site" / "briefings" / "x" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://e.example/a%3Cb%3Ec%5Cd"' in html
    assert "](<" not in html  # no Markdown left unrendered


@pytest.mark.parametrize(
    "path",
    ["/" + "a" * 300, "/x%00y", "/%00", "/" + "b/" * 2100, "/briefings/%2e%2e%00/"],
    ids=["long-segment", "nul", "only-nul", "long-path", "dotdot-nul"],
)
def test_serve_answers_impossible_paths_with_404_and_no_traceback(
    example_site: Path, path: str
) -> None:
    """A path segment over 255 bytes or a %00 raised in the handler: a traceback on the
    terminal and a dropped connection."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "-C", str(example_site), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/")
                assert connection.getresponse().status == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", path)
        assert connection.getresponse().status == 404
    finally:
        process.send_signal(signal.SIGINT)
        try:
            _, stderr = process.communicate(timeout=20)
        finally:
            if process.poll() is None:  # not left serving after the run (found when it was)
                process.kill()
                process.wait()
    assert "Traceback" not in stderr, stderr
