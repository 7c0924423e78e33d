"""The build cache is exact: an incremental build equals a clean build, byte for byte."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from briefgen.build import build
from briefgen.result import BuildResult
from briefgen.stages.inputs import SeedFiles
from briefgen.vocabulary.urls import slugify

from conftest import REPO, tree

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import write_corpus

N = 20  # above build.PARALLEL_MIN, so -j 2 really uses workers


def outputs(root: Path) -> dict[str, bytes]:
    return {f"site/{k}": v for k, v in tree(root / "site").items()} | {
        f"content/{k}": v for k, v in tree(root / "content").items()
    }


def clean_build_of(root: Path, tmp_path: Path, **options: object) -> dict[str, bytes]:
    """A build of the same inputs in a fresh folder, with no cache."""
    fresh = tmp_path / "fresh"
    shutil.copytree(
        root, fresh, ignore=shutil.ignore_patterns("site", "content", ".briefgen_cache")
    )
    build(fresh, clean=True, **options)  # type: ignore[arg-type]
    return outputs(fresh)


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """A site built twice, with an edit between: its previous generation is kept in the
    cache (the spare), which the next build updates into the new site."""
    root = tmp_path / "desk"
    write_corpus(root, N)
    build(root)
    replace_in(sidecar(root, 15), "Key point 1 of briefing 15.", "Key point one of briefing 15.")
    build(root)
    assert spare_folders(root), "the previous generation is kept"
    return root


def spare_folders(root: Path) -> list[Path]:
    return sorted((root / ".briefgen_cache" / "spare").iterdir())


def sidecar(root: Path, i: int) -> Path:
    return root / "seeds" / f"briefing-{i:05d}.yml"


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def edit_seed(root: Path) -> None:
    replace_in(root / "seeds" / "briefing-00007.txt", "met again.", "met once more.")


def edit_sidecar(root: Path) -> None:
    replace_in(sidecar(root, 7), "Key point 1 of briefing 7.", "Key point one of briefing 7.")


def edit_template(root: Path) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "tag.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Topic {{ tag.name }}</h1>{% endblock %}'
    )


def edit_config(root: Path) -> None:
    replace_in(root / "briefgen.yml", "title: Synthetic desk", "title: Renamed desk")


def edit_shared_source(root: Path) -> None:
    # Briefing 3 cites briefing 4's source (same URL): the sources page lists it once.
    replace_in(sidecar(root, 3), "url: https://agency2.example/3", "url: https://agency2.example/4")


def rename_speaker(root: Path) -> None:
    text = sidecar(root, 11).read_text()
    first = text.split("speaker: ", 1)[1].split("\n", 1)[0]
    sidecar(root, 11).write_text(text.replace(f"speaker: {first}", "speaker: Renamed Person"))


def delete_briefing(root: Path) -> None:
    sidecar(root, 5).unlink()
    (root / "seeds" / "briefing-00005.txt").unlink()


def toggle_draft(root: Path) -> None:
    path = sidecar(root, 9)
    path.write_text("draft: true\n" + path.read_text())


def first_value(root: Path, i: int, key: str) -> str:
    text = sidecar(root, i).read_text()
    return text.split(f"{key}: ", 1)[1].split("\n", 1)[0]


def register_text(root: Path) -> str:
    """A register naming briefing 11's first speaker (by another spelling too) and
    briefing 7's first anchor, as a group."""
    speaker = first_value(root, 11, "speaker")
    anchor = first_value(root, 7, "anchor")
    return (
        f"person:\n  name: {speaker}\n  kind: person\n  aliases: [{speaker.upper()}]\n"
        "  roles:\n    - title: Envoy\n      from: 2019\n"
        "  description: A person of the register.[^src]\n"
        "  sources:\n    src: {title: Who is who, url: 'https://who.example/person'}\n"
        f"council:\n  name: {anchor}\n  kind: organisation\n"
        "  description: A council of the register.\n"
        "  sources:\n    src: {title: Councils, url: 'https://agency0.example/7'}\n"
        "elsewhere:\n  name: Nowhere Town\n  kind: place\n  description: Unmentioned.\n"
    )


def add_register(root: Path) -> None:
    (root / "register.yml").write_text(register_text(root), encoding="utf-8")


def about_the_council(root: Path) -> None:
    """Briefing 7's first annotation takes the register's description."""
    anchor = first_value(root, 7, "anchor")
    replace_in(
        sidecar(root, 7),
        f"anchor: {anchor}\n    note: Context note 0.",
        f"anchor: {anchor}\n    about: council",
    )


EDITS: dict[str, Callable[[Path], None]] = {
    "seed": edit_seed,
    "sidecar": edit_sidecar,
    "template override": edit_template,
    "config": edit_config,
    "source used by two briefings": edit_shared_source,
    "speaker renamed": rename_speaker,
    "briefing deleted": delete_briefing,
    "draft toggled": toggle_draft,
    "register created": add_register,
    "annotation about a register entry": lambda root: (add_register(root), about_the_council(root)),
}


def edit_description(root: Path) -> None:
    replace_in(root / "register.yml", "A council of the register.", "A council, registered.")


def add_alias(root: Path) -> None:
    speaker = first_value(root, 3, "speaker")
    replace_in(root / "register.yml", "  aliases: [", f"  aliases: [{speaker}, ")


def edit_role(root: Path) -> None:
    replace_in(root / "register.yml", "from: 2019", "from: 2020-06")


def delete_entry(root: Path) -> None:
    text = (root / "register.yml").read_text()
    (root / "register.yml").write_text(text.split("elsewhere:")[0])


REGISTER_EDITS: dict[str, Callable[[Path], None]] = {
    "description edited": edit_description,
    "alias added": add_alias,
    "role edited": edit_role,
    "entry deleted": delete_entry,
    "entry renamed": lambda root: replace_in(root / "register.yml", "Nowhere Town", "Somewhere"),
}


@pytest.fixture
def registered(desk: Path) -> Path:
    """The desk with a register, one of whose entries briefing 7 is about."""
    add_register(desk)
    about_the_council(desk)
    build(desk)
    return desk


@pytest.mark.parametrize("edit", REGISTER_EDITS.values(), ids=list(REGISTER_EDITS))
def test_incremental_build_equals_clean_build_after_a_register_edit(
    registered: Path, tmp_path: Path, edit: Callable[[Path], None]
) -> None:
    edit(registered)
    build(registered)  # (deleting an entry may only bring back pages the spare holds)
    assert outputs(registered) == clean_build_of(registered, tmp_path)


def test_register_entry_edit_re_renders_the_pages_that_show_it(registered: Path) -> None:
    """The council's description changed: briefing 7, which is about it (and its
    neighbours, which link to it) and the council's page; not the groups index, which
    shows its name, nor any other briefing, person or place page."""
    edit_description(registered)
    rendered = set(build(registered).rendered)
    pages = sorted(r for r in rendered if r.startswith("briefings/"))
    assert pages == [briefing_page(6), briefing_page(7), briefing_page(8)]
    assert "groups/council/index.html" in rendered and "groups/index.html" not in rendered
    # People pages list briefing 7 if it quotes them; no one else's is rendered.
    quoted = {
        f"people/{slugify(line.split(': ', 1)[1])}/index.html"
        for line in sidecar(registered, 7).read_text().splitlines()
        if line.startswith("    speaker: ")
    }
    people = {r for r in rendered if r.startswith("people/")} - {"people/index.html"}
    assert people and people <= quoted
    assert "places/elsewhere/index.html" not in rendered
    content = (registered / "content" / "briefing-00007.md").read_text()
    assert "A council, registered." in content


@pytest.mark.parametrize("edit", EDITS.values(), ids=list(EDITS))
def test_incremental_build_equals_clean_build(
    desk: Path, tmp_path: Path, edit: Callable[[Path], None]
) -> None:
    edit(desk)
    incremental = build(desk)
    assert incremental.rendered, "an edit must re-render something"
    assert outputs(desk) == clean_build_of(desk, tmp_path)


def test_no_op_rebuild_changes_nothing_and_renders_nothing(desk: Path) -> None:
    before = outputs(desk)
    result = build(desk)
    assert result.rendered == []
    assert result.summary().startswith(f"built {N} briefings")
    assert outputs(desk) == before


def briefing_page(i: int) -> str:
    return f"briefings/briefing-{i:05d}/index.html"


def test_sidecar_edit_re_renders_what_it_implies(desk: Path) -> None:
    """A key point changed: its page, its neighbours (they link to it) and the index pages
    that list it are rendered again; the other briefing pages are carried over, and so
    are the indexes of tags and people, which show names and counts, not briefings."""
    edit_sidecar(desk)
    result = build(desk)
    rendered = set(result.rendered)
    pages = [r for r in rendered if r.startswith("briefings/")]
    # Briefings are one day apart: 6 and 8 are 7's older and newer neighbours.
    assert sorted(pages) == [briefing_page(6), briefing_page(7), briefing_page(8)]
    assert {"index.html", "sources/index.html"} <= rendered
    assert not {"people/index.html", "tags/index.html"} & rendered
    assert result.work["small edit"] == 1
    assert "timeline/index.html" in rendered and "search/index.html" not in rendered
    # Its text file; the term shards and the document table hold every briefing.
    assert [r for r in rendered if r.startswith("search/x/")] == ["search/x/briefing-00007.js"]


def test_template_edit_re_renders_only_pages_using_it(desk: Path) -> None:
    edit_template(desk)
    rendered = set(build(desk).rendered)
    assert rendered and all(r.startswith("tags/") and r != "tags/index.html" for r in rendered)


def test_hand_edited_output_is_replaced(desk: Path, tmp_path: Path) -> None:
    page = desk / "site" / briefing_page(3)
    page.write_text("edited by hand")
    build(desk)
    assert outputs(desk) == clean_build_of(desk, tmp_path)


def test_jobs_give_identical_trees_and_keys(tmp_path: Path) -> None:
    """Any -j makes the same files, and keys each seed alike: a seed prepared in a worker
    and the same seed prepared in the build's own process (`-j 1`, or a cache repair)
    are one result. The keys failed before ENGLISH pickled as itself (labels.py)."""
    from briefgen.incremental.cache import Cache

    trees, keys = [], []
    for jobs in (1, 2):
        root = tmp_path / f"j{jobs}"
        write_corpus(root, N)
        result: BuildResult = build(root, jobs=jobs, clean=True)
        assert result.briefing_count == N
        trees.append(outputs(root))
        keys.append(Cache(root).manifest().keys)
    assert trees[0] == trees[1]
    assert keys[0] == keys[1]


def test_the_manifest_holds_a_file_both_generations_share_once(desk: Path) -> None:
    """The retired generation's entry of a page both generations hold as it is, read
    back, is the new generation's very object (marshal wrote it once, then a reference):
    at 10,000 briefings that took the manifest from 11.7 MB to 8.5 MB and its reading
    from 0.078 s to 0.034 s. The edited briefing's page differs, and is held twice."""
    from briefgen.incremental.cache import Cache

    edit_sidecar(desk)
    build(desk)
    manifest = Cache(desk).manifest()
    outputs, spare = manifest.outputs["site"], manifest.spare["site"]
    hashes, spare_hashes = manifest.hashes["site"], manifest.spare_hashes["site"]
    same = briefing_page(3)
    assert spare[same] is outputs[same] and spare_hashes[same] is hashes[same]
    edited = briefing_page(7)
    assert spare[edited] != outputs[edited] and spare_hashes[edited] != hashes[edited]
    held = [rel for rel in outputs if spare.get(rel) == outputs[rel]]
    assert len(held) > len(outputs) / 2
    assert all(spare[rel] is outputs[rel] for rel in held)


def test_a_rebuild_in_a_new_process_parses_no_template(
    desk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What each template extends, includes or imports (its fingerprint's part) is kept
    in the cache with its compiled code: a rebuild after an edit parses none of the
    templates it renders with (0.02 s of a one-sidecar rebuild at 10,000 briefings).
    Failed before: each new process parsed them all again."""
    import jinja2

    import briefgen.site.theme

    parsed: list[str] = []
    parse = jinja2.Environment.parse

    def counted(self: jinja2.Environment, source: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(source)
        return parse(self, source, *args, **kwargs)

    monkeypatch.setattr(briefgen.site.theme, "REFERENCED", {})  # as a new process has it
    monkeypatch.setattr(jinja2.Environment, "parse", counted)
    edit_sidecar(desk)
    result = build(desk)
    assert any(r.startswith("briefings/") for r in result.rendered)
    assert parsed == []


def test_failed_incremental_build_keeps_site_and_cache_consistent(
    desk: Path, tmp_path: Path
) -> None:
    from briefgen.vocabulary.errors import BriefgenError

    before = outputs(desk)
    replace_in(sidecar(desk, 2), "summary:", "summry:")
    with pytest.raises(BriefgenError):
        build(desk)
    assert outputs(desk) == before
    replace_in(sidecar(desk, 2), "summry:", "summary:")
    replace_in(sidecar(desk, 4), "Key point 0", "Key point zero")
    build(desk)
    assert outputs(desk) == clean_build_of(desk, tmp_path)


@pytest.mark.parametrize("first", ["a first build", "--clean over a built site"])
def test_a_build_without_a_known_generation_keeps_one_for_the_next_edit(
    tmp_path: Path, first: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first build, or one with --clean (the retired folder is not known file by
    file), keeps a copy of hard links of what it made, so the next edit updates that
    copy instead of linking every unchanged file into a new folder. Before, the first
    edit after --clean over a built site unlinked and linked again every file of the
    untrusted retired folder (12 s of a 6 s edit at 10,000 briefings)."""
    import briefgen.output.writer

    root = tmp_path / "first"
    write_corpus(root, N)
    build(root)
    if first == "--clean over a built site":
        edit_sidecar(root)
        build(root, clean=True)
    kept = {p.name: tree(p) for p in spare_folders(root)}
    assert sorted(kept.values(), key=len) == sorted(
        [tree(root / "content"), tree(root / "site")], key=len
    )
    links: list[str] = []
    real = briefgen.output.writer.os.link

    def link(source: object, target: object) -> None:
        links.append(str(target))
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(briefgen.output.writer.os, "link", link)
    replace_in(sidecar(root, 12), "Key point 1 of briefing 12.", "Key point one of briefing 12.")
    build(root)
    assert links == []  # every unchanged file was already there
    monkeypatch.undo()
    assert outputs(root) == clean_build_of(root, tmp_path)


def test_clean_builds_while_old_generations_are_still_being_deleted(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Old generations are deleted in the background: one still there when the next is
    moved aside must not be in its way (both were named `.old-<pid>`, and a --clean
    build over a built site failed with a traceback after its swap)."""
    import briefgen.output.writer

    monkeypatch.setattr(briefgen.output.writer, "remove_all", lambda folders: None)
    build(desk, clean=True)
    build(desk, clean=True)
    monkeypatch.undo()
    assert outputs(desk) == clean_build_of(desk, tmp_path)


def everything(root: Path) -> dict[str, str]:
    """Every file, folder and symlink under root, with what it is or holds."""
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = f"link to {os.readlink(path)}"
            elif path.is_dir():
                found[rel] = "folder"
            else:
                found[rel] = path.read_text(encoding="utf-8", errors="replace")
    return found


def test_a_prune_from_a_listing_made_before_the_build_wrote_removes_what_a_walk_does(
    tmp_path: Path,
) -> None:
    """output/listing.py lists a kept generation while the build writes into it; the
    prune then works from the listing. Files and folders written after it, and a
    symlink the build has replaced by the page wanted there, stay; every unwanted
    file, symlink and folder goes, as a walk of the folder at prune time finds them.
    (A first version removed every listed symlink to a folder: the page written over
    one went too.)"""
    from briefgen.output.listing import Listing
    from briefgen.output.writer import MARKER, prune_folder, prune_listed
    from briefgen.vocabulary.hashing import found_stamp

    staged, outside = tmp_path / "staged", tmp_path / "outside"
    outside.mkdir()
    for rel, text in {
        MARKER: "marker",
        "a/index.html": "wanted",
        "b/index.html": "unwanted",
        "c/d/index.html": "unwanted, nested",
        "stray.html": "unwanted",
        "tags/x.html": "wanted",
    }.items():
        (staged / rel).parent.mkdir(parents=True, exist_ok=True)
        (staged / rel).write_text(text, encoding="utf-8")
    (staged / "empty" / "emptier").mkdir(parents=True)
    (staged / "linked").symlink_to(outside)
    (staged / "404.html").symlink_to(outside)  # wanted there: a page, never a folder
    (staged / "page.html").symlink_to(outside)  # the build writes the page over it
    (staged / "tags" / "alias.html").symlink_to(staged / "a" / "index.html")
    if sys.platform != "darwin":
        (staged / os.fsdecode(b"b/stray-\xff.html")).write_text("unwanted")
    (staged / "dangling.html").symlink_to(tmp_path / "nowhere")
    listing = Listing(staged)
    listed = listing.entries()
    assert listed is not None and ("d", "c/d") in listed
    # each file's stamp as this process would take it, a dangling symlink's none
    files = [rel for kind, rel in listed if kind == "f"]
    stamps = {rel: found_stamp(staged / rel) for rel in files}
    assert {rel: list(stamp) for rel, stamp in listing.stamps().items()} == {
        rel: stamp for rel, stamp in stamps.items() if stamp is not None
    }
    assert "tags/alias.html" in listing.stamps() and "dangling.html" not in listing.stamps()
    # what the build writes after the listing: all of it wanted
    (staged / "page.html").unlink()
    (staged / "page.html").write_text("page", encoding="utf-8")
    (staged / "new" / "deeper").mkdir(parents=True)
    (staged / "new" / "deeper" / "index.html").write_text("new page", encoding="utf-8")
    (staged / "b" / "new.html").write_text("new page", encoding="utf-8")
    wanted = {
        "a/index.html",
        "tags/x.html",
        "404.html",
        "page.html",
        "new/deeper/index.html",
        "b/new.html",
    }
    walked = tmp_path / "walked"
    shutil.copytree(staged, walked, symlinks=True)
    prune_listed(str(staged), listed, wanted)
    prune_folder(str(walked), "", wanted)
    assert everything(staged) == everything(walked)
    assert everything(staged) == {
        MARKER: "marker",
        "a": "folder",
        "a/index.html": "wanted",
        "b": "folder",
        "b/new.html": "new page",
        "new": "folder",
        "new/deeper": "folder",
        "new/deeper/index.html": "new page",
        "page.html": "page",
        "tags": "folder",
        "tags/x.html": "wanted",
    }


@pytest.mark.parametrize("listed", ["walked here", "listed apart"])
def test_tampered_spare_generation_is_not_trusted(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listed: str
) -> None:
    """The kept generation is only a head start: a page edited in it, a stray file, a
    stray folder, an empty one, a symlinked folder or a deleted page there never reach
    the site, whether the prune walks the folder or takes another process's listing of
    it (output/listing.py: a large site's, with -j 2)."""
    import briefgen.output.writer
    import briefgen.pipeline

    monkeypatch.setattr(briefgen.pipeline, "LIST_APART", 1 if listed == "listed apart" else 10**9)
    walked: list[str] = []
    walk = briefgen.output.writer.prune_folder

    def prune_folder(folder: str, rel: str, wanted: Any) -> bool:
        walked.append(rel)
        return walk(folder, rel, wanted)

    monkeypatch.setattr(briefgen.output.writer, "prune_folder", prune_folder)
    site_spare = next(f for f in spare_folders(desk) if (f / "briefings").is_dir())
    (site_spare / briefing_page(3)).write_text("tampered")
    (site_spare / briefing_page(4)).unlink()
    (site_spare / "stray.html").write_text("stray")
    (site_spare / "linked").symlink_to(tmp_path)
    (site_spare / "briefings" / "gone" / "deeper").mkdir(parents=True)
    (site_spare / "briefings" / "gone" / "deeper" / "index.html").write_text("stray")
    (site_spare / "empty").mkdir()
    if sys.platform != "darwin":  # APFS takes no name that is not UTF-8
        (site_spare / os.fsdecode(b"stray-\xff name.html")).write_text("no UTF-8 name")
    (site_spare / "tags" / "linked.html").symlink_to(site_spare / "index.html")
    (site_spare / "404.html").unlink()
    (site_spare / "404.html").symlink_to(tmp_path)  # where a page is wanted
    edit_sidecar(desk)
    build(desk, jobs=2)
    assert bool(walked) == (listed == "walked here")
    monkeypatch.undo()
    assert outputs(desk) == clean_build_of(desk, tmp_path)
    assert not (desk / "site" / "linked").exists()
    assert not (desk / "site" / "empty").exists()


def kept_generations(root: Path) -> dict[str, Path]:
    """The kept generation of site/ and of content/, by their output folder's name."""
    found = {}
    for folder in spare_folders(root):
        if folder.is_dir() and ".old-" not in folder.name:
            found["site" if (folder / "briefings").is_dir() else "content"] = folder
    return found


def test_a_first_build_with_workers_copies_its_kept_generations_in_a_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a first build, each output's kept generation is a copy of hard links of the
    new one, made by a child process (output/linking.py) while the build records what
    it wrote: every file of site/ and content/ is there, the same inode, marked whole,
    and the next build updates it into the new site as it would one it made itself."""
    import briefgen.output.linking

    started: list[list[str]] = []
    popen = subprocess.Popen

    def spy(args: list[str], **kwargs: Any) -> Any:
        if briefgen.output.linking.CHILD in args:
            started.append(args)
        return popen(args, **kwargs)

    monkeypatch.setattr(briefgen.output.linking.subprocess, "Popen", spy)
    root = tmp_path / "desk"
    write_corpus(root, N)
    build(root, jobs=2)
    assert len(started) == 2, "site/ and content/, each by a child"
    kept = kept_generations(root)
    assert set(kept) == {"site", "content"}
    for name, folder in kept.items():
        live = tree(root / name)
        assert tree(folder) == live
        for rel in live.keys() - {".briefgen"}:  # the marker: the copy's own, written last
            assert (folder / rel).stat().st_ino == (root / name / rel).stat().st_ino, rel
    monkeypatch.undo()
    folder = (kept["site"] / "tags").stat().st_ino  # the copy's own folder, not a link
    edit_sidecar(root)
    build(root, jobs=2)
    assert (root / "site" / "tags").stat().st_ino == folder, "the copy went live"
    assert outputs(root) == clean_build_of(root, tmp_path)


@pytest.mark.parametrize("child", ["fails", "is killed"])
def test_a_kept_generation_a_child_did_not_finish_is_made_here_or_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, child: str
) -> None:
    """A child that fails on its own (it could not import briefgen, say) leaves the copy
    to this process, which makes it whole; a copy cut short by a signal (a Ctrl-C
    reaches the child too) is removed and not recorded. Either way the next build makes
    the site exact."""
    import briefgen.output.linking

    ending = "sys.exit(3)" if child == "fails" else "os.kill(os.getpid(), signal.SIGKILL)"
    script = f"import os, signal, sys; os.mkdir(sys.argv[3]); {ending}"
    monkeypatch.setattr(briefgen.output.linking, "CHILD", script)
    root = tmp_path / "desk"
    write_corpus(root, N)
    build(root, jobs=2)
    kept = kept_generations(root)
    if child == "fails":
        assert set(kept) == {"site", "content"}
        for name, folder in kept.items():
            assert tree(folder) == tree(root / name)
    else:
        assert kept == {}
    monkeypatch.undo()
    edit_sidecar(root)
    build(root, jobs=2)
    assert outputs(root) == clean_build_of(root, tmp_path)
    assert set(kept_generations(root)) == {"site", "content"}


def test_spare_generation_never_writes_through_to_the_live_site(desk: Path) -> None:
    """Unchanged files are hard links shared by the live and the kept generation: updating
    the kept one must replace its files, not write into them. The build below fails on
    the tag pages, after the edited briefing's Markdown and page were written."""
    from briefgen.vocabulary.errors import BriefgenError

    before = outputs(desk)
    edit_sidecar(desk)
    (desk / "templates").mkdir()
    (desk / "templates" / "tag.html").write_text("{{ tag.name.no_such_thing() }}")
    with pytest.raises(BriefgenError, match=r"tag\.html"):
        build(desk)
    assert outputs(desk) == before


def test_truncated_cache_entry_is_prepared_again(desk: Path, tmp_path: Path) -> None:
    """Cache entries are written in place (no rename per seed): one cut short by a crash
    is recognised by its size and its seed prepared again."""
    entries = sorted((desk / ".briefgen_cache" / "prepared").iterdir())
    assert len(entries) == N
    for entry in entries[:3]:
        entry.write_bytes(entry.read_bytes()[:100])
    edit_sidecar(desk)
    build(desk)
    assert outputs(desk) == clean_build_of(desk, tmp_path)


def test_the_cache_keeps_one_prepared_seed_per_seed(desk: Path) -> None:
    """An edited seed's old result, and any other file in prepared/ the last build did
    not name (left by a build that crashed, say), is deleted: the cache does not grow
    with every edit."""
    folder = desk / ".briefgen_cache" / "prepared"
    (folder / "0123abc.pickle").write_bytes(b"left by a crash")
    (folder / "stray").write_bytes(b"no suffix")
    edit_sidecar(desk)
    build(desk)
    assert len(list(folder.iterdir())) == N
    assert not (folder / "0123abc.pickle").exists()


def test_records_keyed_by_their_part_hold_nothing_else() -> None:
    """fingerprints.py hashes these records by the key they carry alone: a field added
    to them would go unhashed, and pages showing it could go stale."""
    import dataclasses

    from briefgen.site.indexes import CitedSource, Said, SourceRow, TimelineItem

    assert [f.name for f in dataclasses.fields(Said)] == ["briefing", "at", "key"]
    assert [f.name for f in dataclasses.fields(TimelineItem)] == ["briefing", "at", "key"]
    assert [f.name for f in dataclasses.fields(CitedSource)] == [
        "owner",
        "ident",
        "briefings",
        "key",
    ]
    assert [f.name for f in dataclasses.fields(SourceRow)] == [
        "publisher",
        "anchor",
        "cited",
        "key",
    ]


def age(root: Path, seconds: float) -> None:
    """Date every seed and sidecar back, as files an editor saved a while ago."""
    for path in (root / "seeds").iterdir():
        then = path.stat().st_mtime - seconds
        os.utime(path, (then, then))


def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Seeds read from disk during the next builds (in this process: build with -j 1)."""
    from briefgen.stages.inputs import SeedFiles

    read: list[str] = []
    real = SeedFiles.raw

    def raw(self: SeedFiles) -> tuple[bytes | int | str, bytes | int | str]:
        read.append(self.slug)
        return real(self)

    monkeypatch.setattr(SeedFiles, "raw", raw)
    return read


@pytest.mark.parametrize("how", ["--clean", "check"])
def test_a_build_that_can_reuse_nothing_reads_each_seed_once(
    desk: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """With nothing to reuse, a seed is keyed where it is prepared: before, the build's
    main process read and hashed every seed and sidecar only to find no result held, and
    the worker preparing it read both again (a tenth of a cold build's serial time)."""
    read = reads(monkeypatch)
    if how == "check":
        build(desk, write=False)
    else:
        build(desk, clean=how == "--clean")
    assert sorted(read) == sorted(f"briefing-{i:05d}" for i in range(N))


def test_unchanged_seeds_are_not_read_again(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    age(desk, 3600)
    build(desk)  # records the aged stamps
    read = reads(monkeypatch)
    edit_sidecar(desk)
    build(desk)
    assert set(read) == {"briefing-00007"}  # hashed, then parsed
    assert outputs(desk) == clean_build_of(desk, tmp_path)


def test_racily_clean_seed_is_read_again(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sidecar saved in the same tick of the file system's clock as the build stamped
    it, then saved again in that tick, keeps its size and mtime: it is read again all
    the same (its mtime is not before the stamping), never taken for unchanged."""
    age(desk, 3600)
    path = sidecar(desk, 7)
    tick = time.time() + 5  # "now" at the file system's resolution, however coarse
    os.utime(path, (tick, tick))
    build(desk)
    before = path.stat()
    text = path.read_text()
    path.write_text(text.replace("Key point 1 of briefing 7.", "Key point X of briefing 7."))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime
    assert path.stat().st_size == before.st_size
    read = reads(monkeypatch)
    build(desk)
    assert set(read) == {"briefing-00007"}
    assert outputs(desk) == clean_build_of(desk, tmp_path)


CI_CACHED = (".briefgen_cache", "site", "content")
"""What the Pages workflow keeps between runs with actions/cache."""


def checked_out_elsewhere(root: Path, dest: Path, restored: tuple[str, ...]) -> Path:
    """The site as a CI run sees it: its files checked out afresh in another folder (new
    mtimes), then the cached folders restored as actions/cache restores them (GNU tar
    --posix, which keeps mtimes to the nanosecond)."""
    shutil.copytree(
        root, dest, copy_function=shutil.copy, ignore=shutil.ignore_patterns(*CI_CACHED)
    )
    archive = dest.parent / "cache.tar"
    subprocess.run(["tar", "--posix", "-cf", archive, "-C", root, *restored], check=True)
    subprocess.run(["tar", "-xf", archive, "-C", dest], check=True)
    return dest


def prepares(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Seeds parsed and verified anew during the next builds (in this process)."""
    import briefgen.preparing

    prepared: list[str] = []
    real = briefgen.preparing.prepare

    def prepare(files: SeedFiles, *args: Any) -> Any:
        prepared.append(files.slug)
        return real(files, *args)

    monkeypatch.setattr(briefgen.preparing, "prepare", prepare)
    return prepared


def test_cache_restored_on_a_fresh_checkout_keeps_the_verified_seeds(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only .briefgen_cache/ restored: every seed is read and hashed again (its stamps
    are new), none is parsed or verified again."""
    ci = checked_out_elsewhere(desk, tmp_path / "ci", (".briefgen_cache",))
    prepared = prepares(monkeypatch)
    build(ci)
    assert prepared == []
    assert outputs(ci) == clean_build_of(ci, tmp_path)


def test_pages_workflow_cache_on_a_fresh_checkout_rebuilds_only_the_edit(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the Pages workflow caches (.briefgen_cache/, site/, content/) restored in a
    new checkout of a push that edits one sidecar: that seed alone is verified again,
    and the pages rendered are those the same edit renders where the site was built.
    The site's own template (tag.html) is in another folder now: pages are keyed on
    their templates' names and sources, not on where those are."""
    edit_template(desk)
    build(desk)
    ci = checked_out_elsewhere(desk, tmp_path / "ci", CI_CACHED)
    edit_sidecar(ci)
    prepared = prepares(monkeypatch)
    rendered = build(ci).rendered
    assert prepared == ["briefing-00007"]
    assert outputs(ci) == clean_build_of(ci, tmp_path)
    edit_sidecar(desk)
    assert sorted(rendered) == sorted(build(desk).rendered)
    pages = sorted(r for r in rendered if r.startswith("briefings/"))
    assert pages == [briefing_page(6), briefing_page(7), briefing_page(8)]


def test_code_version_holds_across_a_reinstall(tmp_path: Path) -> None:
    """pip gives every file it installs a new mtime: the same code installed again (each
    CI run does) must keep its caches, so briefgen's own files count by their bytes."""
    copy = tmp_path / "install"
    shutil.copytree(
        REPO / "briefgen", copy / "briefgen", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(REPO / "templates", copy / "templates")
    ask = [
        sys.executable,
        "-c",
        "from briefgen.incremental.cache import code_version; print(code_version())",
    ]

    def version() -> str:
        env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
        done = subprocess.run(ask, env=env, cwd=copy, check=True, capture_output=True, text=True)
        return done.stdout

    before = version()
    for path in copy.rglob("*"):
        os.utime(path, (time.time() + 60, time.time() + 60))
    assert version() == before
    (copy / "templates" / "base.html").write_text("changed")
    assert version() != before


# The exactness suite at scale: a site whose tag, home, sources and timeline lists run
# to several pages, edited in each way that moves a briefing in the lists.

SHELF = 48


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    """A paginated site (two briefings a page) with a register, built once."""
    root = tmp_path / "shelf"
    write_corpus(root, SHELF)
    with (root / "briefgen.yml").open("a", encoding="utf-8") as config:
        config.write("page_size: 2\nfeed_limit: 5\n")
    (root / "register.yml").write_text(register_text(root), encoding="utf-8")
    build(root)
    return root


def tags_of(root: Path, i: int) -> list[str]:
    return first_value(root, i, "tags").strip("[]").split(", ")


def tag_page_files(root: Path, tag: str) -> set[str]:
    return {
        p.relative_to(root / "site").as_posix()
        for p in (root / "site" / "tags" / slugify(tag)).rglob("index.html")
    }


def members(root: Path, tag: str) -> list[int]:
    return [i for i in range(SHELF) if tag in tags_of(root, i)]


def move_between_tags(root: Path) -> None:
    """Briefing 10 loses its first tag and takes one it did not have."""
    old = tags_of(root, 10)
    new = next(f"topic-{k}" for k in range(50) if f"topic-{k}" not in old)
    replace_in(sidecar(root, 10), f"tags: [{', '.join(old)}]", f"tags: [{new}, {old[1]}]")


def paginated_member(root: Path) -> int:
    """A briefing of a tag that runs to two pages or more, and not its newest."""
    tag = next(t for i in range(SHELF) for t in tags_of(root, i) if len(members(root, t)) > 2)
    return members(root, tag)[0]


def delete_from_paginated_tag(root: Path) -> None:
    i = paginated_member(root)
    sidecar(root, i).unlink()
    (root / "seeds" / f"briefing-{i:05d}.txt").unlink()


def move_date(root: Path) -> None:
    """Briefing 20 (dated 21 January) is dated 3 January: between briefings 2 and 3."""
    seed = root / "seeds" / "briefing-00020.txt"
    replace_in(seed, "January 21, 2020", "January 3, 2020")


def add_briefing(root: Path) -> None:
    import random

    from corpus import make_briefing

    text, side = make_briefing(SHELF, random.Random(SHELF))
    (root / "seeds" / f"briefing-{SHELF:05d}.txt").write_text(text, encoding="utf-8")
    sidecar(root, SHELF).write_text(side, encoding="utf-8")


def edit_source_date(root: Path) -> None:
    """Briefing 30's second source gets another date: what it shows, not where it stands."""
    text = sidecar(root, 30).read_text()
    at = text.index("published: ", text.index("  src1:")) + len("published: ")
    sidecar(root, 30).write_text(text[:at] + "2019-07-07" + text[at + len("2019-07-07") :])


def edit_quote_text(root: Path) -> None:
    """Briefing 7's first quote is cut by its last word (still verbatim)."""
    text = sidecar(root, 7).read_text()
    first = text.split('  - text: "', 1)[1].split('"', 1)[0]
    replace_in(sidecar(root, 7), f'"{first}"', f'"{first.rsplit(" ", 1)[0]}"')


def two_sources(first: tuple[str, str], second: tuple[str, str]) -> Callable[[Path], None]:
    """Briefing 25's last two sources made alike (`first`, `second`: what replaces their
    URL and publisher), then swapped by the edit. The first source of a URL is the one
    the sources page lists, and the first spelling of a publisher its heading: found by
    review, where the footprint had its sources sorted and the refill kept the old ones."""

    def edit(root: Path) -> None:
        text = sidecar(root, 25).read_text()
        three = text[text.index("  src3:") : text.index("  src4:")]
        four = text[text.index("  src4:") : text.index("quotes:")]
        alike = [
            block.replace(f"agency{n}.example/25", url).replace(f"Agency {n}", publisher)
            for block, n, (url, publisher) in ((three, 3, first), (four, 4, second))
        ]
        sidecar(root, 25).write_text(text.replace(three + four, alike[0] + alike[1]))
        build(root)
        text = sidecar(root, 25).read_text()
        sidecar(root, 25).write_text(text.replace(alike[0] + alike[1], alike[1] + alike[0]))

    return edit


FOOTPRINT_KEPT: dict[str, Callable[[Path], None]] = {
    "key point edited": lambda root: replace_in(
        sidecar(root, 30), "Key point 1 of briefing 30.", "Key point one of briefing 30."
    ),
    "timeline event edited": lambda root: replace_in(
        sidecar(root, 12), "Event 1 of briefing 12.", "Event one of briefing 12."
    ),
    "source date edited": edit_source_date,
    "quote text edited": edit_quote_text,
}
"""Edits that move no briefing in any list: the index records are refilled."""

SCALE_EDITS: dict[str, Callable[[Path], None]] = {
    **FOOTPRINT_KEPT,
    "moved between tags": move_between_tags,
    "speaker renamed": rename_speaker,
    "deleted from a paginated tag": delete_from_paginated_tag,
    "date reorders pages": move_date,
    "briefing added": add_briefing,
    "register alias added": add_alias,
    "sources of one URL swapped": two_sources(
        ("same.example/x", "Agency 3"), ("same.example/x", "Agency 4")
    ),
    "publisher spellings swapped": two_sources(
        ("agency3.example/25", "ZED PRESS"), ("agency4.example/25", "Zed Press")
    ),
}


@pytest.mark.parametrize("edit", SCALE_EDITS.values(), ids=list(SCALE_EDITS))
def test_incremental_build_equals_clean_build_at_scale(
    shelf: Path, tmp_path: Path, edit: Callable[[Path], None]
) -> None:
    edit(shelf)
    assert build(shelf).rendered
    assert outputs(shelf) == clean_build_of(shelf, tmp_path)


@pytest.mark.parametrize("name", list(SCALE_EDITS))
def test_index_records_are_refilled_only_when_no_briefing_moves(shelf: Path, name: str) -> None:
    """An edit that keeps every footprint refills the last build's index layout
    (indexlayout.py) instead of grouping and sorting every record again; any other is
    indexed in full. Either way the output is a clean build's (the test above)."""
    SCALE_EDITS[name](shelf)
    assert build(shelf).work["index refilled"] == (name in FOOTPRINT_KEPT)


def briefings_rendered(rendered: list[str]) -> list[int]:
    return sorted(int(r.split("-")[1][:5]) for r in rendered if r.startswith("briefings/"))


def test_edit_keeping_every_list_fingerprints_only_the_pages_holding_it(shelf: Path) -> None:
    """A key point changed, which moves briefing 30 in no list: only the pages that
    show it are fingerprinted at all (the rest keep the plan's), and only the search
    shards holding a word of the point before or after are made again."""
    replace_in(sidecar(shelf, 30), "Key point 1 of briefing 30.", "Key point one of briefing 30.")
    result = build(shelf)
    work = result.work
    assert work["small edit"] == 1
    assert 0 < work["pages fingerprinted"] < work["pages"] / 5
    assert briefings_rendered(result.rendered) == [29, 30, 31]
    # Of its tags' pages (two briefings a page), only those listing it; no tags index.
    tag_pages = set().union(*(tag_page_files(shelf, tag) for tag in tags_of(shelf, 30)))
    assert len(tag_pages) > len(tags_of(shelf, 30))  # a tag of it runs to several pages
    listing = {f for f in tag_pages if "briefing-00030/" in (shelf / "site" / f).read_text()}
    assert {r for r in result.rendered if r.startswith("tags/")} == listing
    shards = [r for r in result.rendered if r.startswith("search/t/")]
    assert 0 < len(shards) == work["term shards made"] < 8  # of 8 shards
    assert [r for r in result.rendered if r.startswith("search/d/")] == []
    # Of the views read back from the cache, only those the pages it made show are
    # unpickled whole (the people's pages show a quote of most briefings).
    assert 1 <= work["views read"] < SHELF // 2  # 23 of 48 (26 before people were paged)


def test_the_feed_and_sitemap_are_made_only_when_what_they_show_changed(
    shelf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The feed is fingerprinted by its briefings (the newest five here) and the newest
    date, the sitemap after a small edit by the last build's (the same pages, the same
    dates): a key point of an older briefing edited makes neither, the summary of one
    in the feed makes the feed again, and both are a clean build's. Failed before: both
    were made by every build (0.02 s of a one-sidecar rebuild at 10,000 briefings)."""
    import briefgen.site.render

    made: list[str] = []
    feed, sitemap = briefgen.site.render.atom_feed, briefgen.site.render.sitemap

    def counted_feed(*args: Any) -> bytes:
        made.append("feed.xml")
        return feed(*args)

    def counted_sitemap(*args: Any) -> bytes:
        made.append("sitemap.xml")
        return sitemap(*args)

    monkeypatch.setattr(briefgen.site.render, "atom_feed", counted_feed)
    monkeypatch.setattr(briefgen.site.render, "sitemap", counted_sitemap)
    replace_in(sidecar(shelf, 30), "Key point 1 of briefing 30.", "Key point one of briefing 30.")
    assert build(shelf).work["small edit"] == 1
    assert made == []
    newest = SHELF - 1
    summary = f"Summary of briefing {newest},"
    replace_in(sidecar(shelf, newest), summary, f"Summary of briefing {newest} edited,")
    assert build(shelf).work["small edit"] == 1
    assert made == ["feed.xml"]
    assert f"briefing {newest} edited," in (shelf / "site" / "feed.xml").read_text()
    monkeypatch.undo()
    assert outputs(shelf) == clean_build_of(shelf, tmp_path)


def test_retitled_briefing_re_renders_only_the_pages_of_people_showing_it(
    shelf: Path,
) -> None:
    """A person's quotes run to pages of page_size: a retitled briefing makes again only
    the page of each of its speakers that shows its quote, not every page of theirs."""
    replace_in(sidecar(shelf, 30), "title: Briefing 30 on", "title: Retitled briefing 30 on")
    result = build(shelf)
    site = shelf / "site"
    people = {
        p.relative_to(site).as_posix()
        for p in (site / "people").rglob("index.html")
        if p.parent != site / "people"
    }
    showing = {f for f in people if "briefing-00030/" in (site / f).read_text()}
    assert showing and {r for r in result.rendered if r in people} == showing
    assert all("Retitled briefing 30" in (site / f).read_text() for f in showing)
    # Its speakers have pages not showing it (page_size 2), and those were not made.
    folders = {"/".join(f.split("/")[:2]) for f in showing}  # people/<slug>
    others = {f for f in people if "/".join(f.split("/")[:2]) in folders} - showing
    assert others and not others & set(result.rendered)


def test_moving_between_tags_re_renders_both_tags_and_no_other(shelf: Path) -> None:
    old = tags_of(shelf, 10)
    move_between_tags(shelf)
    new = tags_of(shelf, 10)
    result = build(shelf)
    rendered = set(result.rendered)
    assert result.work["small edit"] == 0  # its lists changed: planned in full
    assert briefings_rendered(result.rendered) == [9, 10, 11]
    for tag in {*old, *new}:  # (a tag it alone had is gone)
        assert tag_page_files(shelf, tag) & rendered or not members(shelf, tag), tag
    others = {t for i in range(SHELF) for t in tags_of(shelf, i)} - {*old, *new}
    assert others and not any(tag_page_files(shelf, t) & rendered for t in others)


def test_deleting_from_a_paginated_tag_re_renders_its_pages_and_neighbours(
    shelf: Path,
) -> None:
    i = paginated_member(shelf)
    tags = tags_of(shelf, i)
    delete_from_paginated_tag(shelf)
    rendered = build(shelf).rendered
    assert briefings_rendered(rendered) == [n for n in (i - 1, i + 1) if 0 <= n < SHELF]
    for tag in tags:
        assert tag_page_files(shelf, tag) <= set(rendered)


def test_date_change_re_renders_old_and_new_neighbours_and_home_pages(shelf: Path) -> None:
    move_date(shelf)
    rendered = set(build(shelf).rendered)
    assert briefings_rendered(list(rendered)) == [2, 3, 19, 20, 21]
    # Home pages between its old place and its new one shift by one briefing.
    assert {"page/14/index.html", "page/20/index.html", "page/23/index.html"} <= rendered
    assert "index.html" not in rendered


def test_added_briefing_re_renders_its_neighbour_only(shelf: Path) -> None:
    add_briefing(shelf)
    rendered = build(shelf).rendered
    assert briefings_rendered(rendered) == [SHELF - 1, SHELF]
    assert "index.html" in rendered
    assert b"briefing-00048" in (shelf / "site" / "feed.xml").read_bytes()
