"""The no-op check (noop.py): a build with nothing to do answers from one small file,
loads none of the stages, and never mistakes a change for nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.build import build
from briefgen.incremental.keys import CACHE_DIR
from briefgen.incremental.noop import NOOP
from briefgen.result import BuildResult
from briefgen.vocabulary.errors import BriefgenError

from conftest import REPO, tree

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import write_corpus


def aged(root: Path) -> None:
    """Every input an hour old: settled, so the build records a no-op file."""
    old = os.stat(root).st_mtime - 3600
    for path in root.rglob("*"):
        os.utime(path, (old, old))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site-root"
    write_corpus(root, 5)
    (root / "seeds" / "orphan.txt").write_text("A seed without a sidecar.\n")  # a warning
    aged(root)
    build(root)
    return root


def was_no_op(result: BuildResult) -> bool:
    """A no-op reports the last build's counts without holding any briefing."""
    return result.counts is not None and not result.briefings


def test_no_op_loads_none_of_the_stages_and_repeats_the_warnings(site: Path) -> None:
    script = (
        "import sys, json; from pathlib import Path; from briefgen.build import build; "
        "r = build(Path(sys.argv[1])); "
        "heavy = [m for m in ('briefgen.pipeline', 'jinja2', 'yaml', 'markdown_it') "
        "if m in sys.modules]; "
        "print(json.dumps([heavy, r.summary(), [str(w) for w in r.warnings], r.site_dir]))"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(site)], capture_output=True, text=True, check=True
    )
    heavy, summary, warnings, site_dir = json.loads(run.stdout)
    assert heavy == []
    assert summary.startswith("built 5 briefings: 30 quotes verified, 0 unverified, 1 warning")
    assert len(warnings) == 1 and "orphan.txt" in warnings[0] and "no sidecar" in warnings[0]
    assert site_dir == "site"


def test_the_outputs_are_stamped_by_a_forked_child_while_the_inputs_are_here(
    site: Path,
) -> None:
    """noop.Apart: in a process with one thread (the `briefgen` command's, at its no-op
    check) the outputs' digest comes from a forked child, the same digest as made here;
    None when a file is missing; a child not wanted is ended and reaped."""
    script = """
import json, os, sys
from briefgen.incremental.noop import Apart, outputs_digest
forks, real = [], os.fork
def fork():
    pid = real()
    if pid:
        forks.append(pid)
    return pid
os.fork = fork
root, files = sys.argv[1], json.loads(sys.argv[2])
here = outputs_digest(root, files)
same = Apart(root, files).result() == here and here is not None
missing = Apart(root, files + ["site/gone.html"]).result()
unwanted = Apart(root, files)
pid = unwanted.pid
unwanted.cancel()
try:
    os.waitpid(pid, os.WNOHANG)
    reaped = False
except ChildProcessError:
    reaped = True
print(json.dumps([same, missing, len(forks), reaped]))
"""
    files = sorted(
        p.relative_to(site).as_posix() for p in (site / "site").rglob("*") if p.is_file()
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(site), json.dumps(files)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(run.stdout) == [True, None, 3, True], run.stderr


def touch_seed(root: Path) -> None:
    path = root / "seeds" / "briefing-00002.txt"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))


def edit_sidecar(root: Path) -> None:
    path = root / "seeds" / "briefing-00003.yml"
    path.write_text(path.read_text().replace("Key point 1 of", "Key point one of", 1))


def remove_page(root: Path) -> None:
    (root / "site" / "briefings" / "briefing-00001" / "index.html").unlink()


def edit_page(root: Path) -> None:
    page = root / "site" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"<body", b"<body data-x", 1))


def remove_markdown(root: Path) -> None:
    (root / "content" / "briefing-00004.md").unlink()


def add_template(root: Path) -> None:
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "extra.html").write_text("{# unused #}\n")


def edit_config(root: Path) -> None:
    with (root / "briefgen.yml").open("a") as f:
        f.write("description: Another line.\n")


def add_seed(root: Path) -> None:
    (root / "seeds" / "orphan-2.txt").write_text("Another seed without a sidecar.\n")


CHANGES: dict[str, Callable[[Path], None]] = {
    "a seed's mtime": touch_seed,
    "a sidecar edited": edit_sidecar,
    "a page removed": remove_page,
    "a page edited": edit_page,
    "a Markdown file removed": remove_markdown,
    "a template added": add_template,
    "the config edited": edit_config,
    "a seed added": add_seed,
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_every_change_is_built_and_the_next_build_is_a_no_op_again(
    site: Path, tmp_path: Path, change: Callable[[Path], None]
) -> None:
    assert was_no_op(build(site))
    change(site)
    assert not was_no_op(build(site))
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    for name in ("seeds", "templates", "briefgen.yml"):
        if (site / name).is_dir():
            subprocess.run(["cp", "-r", site / name, fresh / name], check=True)
        elif (site / name).exists():
            (fresh / name).write_bytes((site / name).read_bytes())
    build(fresh, clean=True)
    assert tree(site / "site") == tree(fresh / "site")
    assert tree(site / "content") == tree(fresh / "content")
    aged(site)  # settled again (the changed files are new)
    build(site)
    assert was_no_op(build(site))


@pytest.mark.parametrize(
    "options", [{"strict": True}, {"drafts": True}, {"site_url": "https://example.org/"}]
)
def test_other_options_are_not_a_no_op(site: Path, options: dict[str, object]) -> None:
    try:
        result = build(site, **options)  # type: ignore[arg-type]
    except BriefgenError:  # --strict: the orphan's warning is an error
        assert options == {"strict": True}
        return
    assert not was_no_op(result)


def test_clean_is_never_a_no_op(site: Path) -> None:
    assert not was_no_op(build(site, clean=True))


def test_a_damaged_no_op_file_is_a_full_check_not_a_failure(site: Path) -> None:
    noop = site / CACHE_DIR / NOOP
    noop.write_bytes(noop.read_bytes().replace(b'"key"', b'"kex"', 1))
    before = tree(site / "site")
    assert not was_no_op(build(site))
    assert tree(site / "site") == before


def test_a_failed_build_leaves_no_no_op_file(site: Path) -> None:
    """A build that found work removes the file before it touches anything, so a build
    stopped or failed halfway never leaves one describing the output before it."""
    sidecar = site / "seeds" / "briefing-00000.yml"
    good = sidecar.read_bytes()
    sidecar.write_text("quotes: [unclosed\n")
    with pytest.raises(BriefgenError):
        build(site)
    assert not (site / CACHE_DIR / NOOP).exists()
    sidecar.write_bytes(good)
    assert not was_no_op(build(site))


def test_a_racily_clean_input_records_no_no_op(tmp_path: Path) -> None:
    """An input saved in the tick the build stamped could change again unseen: that
    build records no no-op file, and the next one reads the inputs in full."""
    root = tmp_path / "racy"
    write_corpus(root, 3)
    aged(root)
    future = os.stat(root).st_mtime + 3600
    os.utime(root / "seeds" / "briefing-00001.yml", (future, future))
    build(root)
    assert not (root / CACHE_DIR / NOOP).exists()
    assert not was_no_op(build(root))


def test_renaming_the_site_folder_is_not_a_no_op(tmp_path: Path) -> None:
    """A site whose config sets no title is titled by its folder: moved to another name
    (mtimes kept), its pages must say the new one."""
    root = tmp_path / "alpha"
    write_corpus(root, 3)
    (root / "briefgen.yml").write_text("site_url: https://desk.example/\n")
    aged(root)
    build(root)
    moved = root.rename(tmp_path / "beta")
    assert not was_no_op(build(moved))
    home = (moved / "site" / "index.html").read_text()
    assert "beta" in home and "alpha" not in home


def test_a_setting_saved_while_the_build_reads_it_is_read_again(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The config saved just after the build read it (or while it waited for another
    build's lock): that build was made from the old text, so the next one must not be
    a no-op. The inputs' clock is read before anything else is."""
    import briefgen.pipeline

    real = briefgen.pipeline.read_config
    config = site / "briefgen.yml"

    def read_then_saved(root: Path) -> object:
        found = real(root)
        config.write_text(config.read_text().replace("Synthetic desk", "Renamed desk"))
        time.sleep(0.05)  # the rest of the build runs in later ticks of the file clock
        return found

    edit_sidecar(site)  # work to do, so the build reads the config
    monkeypatch.setattr(briefgen.pipeline, "read_config", read_then_saved)
    build(site)
    monkeypatch.undo()
    assert not was_no_op(build(site))
    assert "Renamed desk" in (site / "site" / "index.html").read_text()


def test_a_template_through_a_symlinked_folder_is_an_input(site: Path) -> None:
    """Jinja loads templates/inc/foot.html through a symlinked inc/ (a folder the site
    shares): editing it is a change like any other, seen by the no-op check and the
    theme's hash. A link loop there ends the walk rather than the build."""
    shared = site / "shared" / "inc"
    shared.mkdir(parents=True)
    (shared / "foot.html").write_text("<p>FOOT-ONE</p>\n")
    (shared / "loop").symlink_to("..")  # shared/inc/loop -> shared: a cycle through inc
    (site / "templates").mkdir()
    base = (REPO / "templates" / "base.html").read_text()
    included = base.replace("</body>", '{% include "inc/foot.html" %}</body>', 1)
    (site / "templates" / "base.html").write_text(included)
    (site / "templates" / "inc").symlink_to(Path("..") / "shared" / "inc")
    aged(site)
    build(site)
    assert "FOOT-ONE" in (site / "site" / "index.html").read_text()
    assert was_no_op(build(site))
    (shared / "foot.html").write_text("<p>FOOT-TWO</p>\n")
    assert not was_no_op(build(site))
    assert "FOOT-TWO" in (site / "site" / "index.html").read_text()


def test_a_build_after_a_changed_input_stats_the_inputs_once(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The no-op check stamps every input; the build that follows takes those stamps
    (noop.Stamped) rather than stat every input again: 0.1 s of a one-sidecar rebuild
    at 10,000 briefings. Failed before: two walks."""
    import briefgen.incremental.noop
    import briefgen.pipeline
    from briefgen.stages.inputs import input_stamps

    walks: list[str] = []

    def counted(root: Path, seeds_dir: str, register: str = "register.yml") -> object:
        walks.append(seeds_dir)
        return input_stamps(root, seeds_dir, register)

    monkeypatch.setattr(briefgen.incremental.noop, "input_stamps", counted)
    monkeypatch.setattr(briefgen.pipeline, "input_stamps", counted)
    edit_sidecar(site)
    result = build(site)
    assert not was_no_op(result)
    assert walks == ["seeds"]
    assert "Key point one of" in (site / "content" / "briefing-00003.md").read_text()


def test_seeds_moved_in_the_config_are_stamped_where_they_now_are(site: Path) -> None:
    """The no-op check stamps the folders the last build read; a config that moves the
    seeds makes the build stamp the new folder itself. Were the old folder's stamps
    kept, the next build would find every seed changed and not be a no-op."""
    (site / "seeds").rename(site / "articles")
    with (site / "briefgen.yml").open("a") as f:
        f.write("seeds_dir: articles\n")
    edit = site / "articles" / "briefing-00003.yml"
    edit.write_text(edit.read_text().replace("Key point 1 of", "Key point one of", 1))
    aged(site)
    assert not was_no_op(build(site))
    assert "Key point one of" in (site / "content" / "briefing-00003.md").read_text()
    assert was_no_op(build(site))


def saved_again(config: Path, tick: int) -> str:
    config.write_text(config.read_text().replace("deskA", "deskB"))  # the same size
    os.utime(config, ns=(tick, tick))  # in the same tick
    return "Synthetic deskB"


def deleted(config: Path, tick: int) -> str:
    config.unlink()
    return "site-root"  # the title a site without a config takes: its folder's name


@pytest.mark.parametrize("change", [saved_again, deleted])
def test_a_config_changed_just_after_it_was_read_is_read_again(
    site: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[Path, int], str]
) -> None:
    """Two saves of the config in one tick of the file system's clock keep its size and
    mtime (git's "racily clean" case). The build reads the config before it takes the
    lock and reads the inputs' clock; a second save just after that reading looked
    settled, the build recorded a no-op for what it had read, and the next build
    answered from it with the second save never built (found by review). The config is
    now read again after the clock. The file system's clock is simulated here: it
    stands at the config's mtime until the config has been read and changed. A config
    deleted at that moment must not pass for the settled stamp of a missing file
    (found by a second review of the fix)."""
    import briefgen.pipeline

    config = site / "briefgen.yml"
    text = config.read_text()
    assert "title: Synthetic desk\n" in text
    config.write_text(text.replace("title: Synthetic desk\n", "title: Synthetic deskA\n"))
    tick = time.time_ns()
    os.utime(config, ns=(tick, tick))
    now = [tick]
    real_read = briefgen.pipeline.read_config
    title: list[str] = []

    def read_then_changed(root: Path) -> object:
        found = real_read(root)
        if not title:
            title.append(change(config, tick))
            now[0] = tick + 10_000_000_000  # and then the clock moves on
        return found

    monkeypatch.setattr(briefgen.pipeline, "read_config", read_then_changed)
    monkeypatch.setattr(briefgen.pipeline, "clock", lambda cache_dir: now[0])
    (site / CACHE_DIR / NOOP).unlink()  # as after a build that recorded none: the
    build(site)  # build stamps its inputs itself, after the change
    assert "Synthetic deskA" in (site / "site" / "index.html").read_text()
    monkeypatch.setattr(briefgen.pipeline, "read_config", real_read)
    second = build(site)
    assert not was_no_op(second)
    assert title[0] in (site / "site" / "index.html").read_text()
