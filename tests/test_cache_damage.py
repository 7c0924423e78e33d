"""A damaged build cache is never trusted: the next build equals a clean build.

Every kind of cache file — prepared seeds, entry shards, the manifest, compiled
templates, the kept (spare) generation of site/ and content/ — is damaged in every way
a disk, a crash or a careless hand can damage it: a bit flipped or letters changed with
size and mtime kept, cut short, swapped with another file of its kind, deleted. The next
build exits 0 without a traceback, says what it found damaged, and gives the bytes a
clean build gives.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefgen.build import build
from briefgen.commands.cli import main

from conftest import REPO, tree

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import write_corpus

N = 8
CACHE = ".briefgen_cache"


def outputs(root: Path) -> dict[str, bytes]:
    return {f"site/{k}": v for k, v in tree(root / "site").items()} | {
        f"content/{k}": v for k, v in tree(root / "content").items()
    }


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def edit_sidecar(root: Path) -> None:
    """Most pages are carried over: the spare generation and the entries are used."""
    path = root / "seeds" / "briefing-00005.yml"
    replace_in(path, "Key point 1 of briefing 5.", "Key point one of briefing 5.")


def edit_config(root: Path) -> None:
    """Every page is rendered again: every prepared seed and template is read."""
    replace_in(root / "briefgen.yml", "title: Synthetic desk", "title: Renamed desk")


def copy_tree(source: Path, target: Path) -> None:
    """A copy keeping mtimes and hard links (the live and the spare generation share
    their unchanged files), so the copy's cache is as trustworthy as the original's."""
    seen: dict[tuple[int, int], Path] = {}
    for folder, _, files in os.walk(source):
        rel = Path(folder).relative_to(source)
        (target / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            path = Path(folder) / name
            st = path.stat()
            twin = seen.get((st.st_dev, st.st_ino))
            if twin is not None:
                os.link(twin, target / rel / name)
            else:
                shutil.copy2(path, target / rel / name)
                seen[(st.st_dev, st.st_ino)] = target / rel / name


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built twice with an edit between, so its cache holds a spare generation."""
    root = tmp_path_factory.mktemp("pristine") / "desk"
    write_corpus(root, N)
    (root / "templates").mkdir()
    (root / "templates" / "tag.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Topic {{ tag.name }}</h1>{% endblock %}\n'
    )
    build(root, jobs=1)
    path = root / "seeds" / "briefing-00002.yml"
    replace_in(path, "Key point 1 of briefing 2.", "Key point one of briefing 2.")
    build(root, jobs=1)
    return root


@pytest.fixture(scope="module")
def expected(
    pristine: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, bytes]]:
    """What a clean build gives after each edit."""
    found: dict[str, dict[str, bytes]] = {}
    for name, edit in TRIGGERS.items():
        fresh = tmp_path_factory.mktemp("clean") / "desk"
        shutil.copytree(pristine, fresh, ignore=shutil.ignore_patterns("site", "content", CACHE))
        edit(fresh)
        build(fresh, clean=True, jobs=1)
        found[name] = outputs(fresh)
    return found


TRIGGERS: dict[str, Callable[[Path], None]] = {"sidecar": edit_sidecar, "config": edit_config}


def spare_site(root: Path) -> Path:
    return next(p for p in (root / CACHE / "spare").iterdir() if (p / "briefings").is_dir())


def spare_content(root: Path) -> Path:
    return next(p for p in (root / CACHE / "spare").iterdir() if not (p / "briefings").is_dir())


def prepared_files(root: Path) -> list[Path]:
    return sorted((root / CACHE / "prepared").iterdir())[:3]


def entry_files(root: Path) -> list[Path]:
    return sorted((root / CACHE / "entries").iterdir())[:3]


def manifest_file(root: Path) -> list[Path]:
    return [root / CACHE / "manifest"]


def template_files(root: Path) -> list[Path]:
    return sorted((root / CACHE / "templates").glob("*.bytecode"))


def reference_files(root: Path) -> list[Path]:
    """What each template extends, includes or imports, kept so a rebuild parses none."""
    return sorted((root / CACHE / "templates").glob("*.refs"))


def spare_site_files(root: Path) -> list[Path]:
    """Pages and an asset the sidecar edit carries over from the spare generation."""
    spare = spare_site(root)
    rels = ["briefings/briefing-00003/index.html", "404.html", "assets/briefgen.css"]
    return [spare / rel for rel in rels]


def spare_content_files(root: Path) -> list[Path]:
    spare = spare_content(root)
    return [spare / "briefing-00003.md", spare / "briefing-00000.md"]


KINDS: dict[str, tuple[Callable[[Path], list[Path]], str, str]] = {
    # kind: (the files damaged, the edit that makes the next build use them, noted as)
    "prepared": (prepared_files, "config", "prepared"),
    "entries": (entry_files, "sidecar", "entries"),
    "manifest": (manifest_file, "sidecar", "manifest"),
    "templates": (template_files, "config", "templates"),
    "template references": (reference_files, "config", "parsed again"),
    "spare site": (spare_site_files, "sidecar", "spare"),
    "spare content": (spare_content_files, "sidecar", "spare"),
}


def kept_stamp(path: Path, change: Callable[[bytes], bytes]) -> None:
    """Rewrite a file's bytes, then give it back its mtime (as bit rot would)."""
    st = path.stat()
    path.write_bytes(change(path.read_bytes()))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def letter_after_middle(data: bytes) -> int:
    return next(i for i in range(len(data) // 2, len(data)) if data[i : i + 1].isalpha())


def one_bit_flipped(data: bytes) -> bytes:
    """One bit of a letter in the middle flipped: `official` becomes `offkcial`."""
    at = letter_after_middle(data)
    return data[:at] + bytes([data[at] ^ 2]) + data[at + 1 :]


def flip_bit(files: list[Path]) -> None:
    for path in files:
        kept_stamp(path, one_bit_flipped)


def other_letters(data: bytes) -> bytes:
    """The same size, letters changed: a module name in a pickle (`briefgen.stages.sidecars`
    becomes `briefgen.stages.qidecars`), else a word in the middle of the file."""
    if b"sidecars" in data:
        return data.replace(b"sidecars", b"qidecars")
    start = letter_after_middle(data)
    word = bytes(c ^ 1 if chr(c).isalpha() else c for c in data[start : start + 4])
    return data[:start] + word + data[start + 4 :]


def change_letters(files: list[Path]) -> None:
    for path in files:
        kept_stamp(path, other_letters)


def truncate(files: list[Path]) -> None:
    for path in files:
        kept_stamp(path, lambda b: b[: len(b) // 2])


def swap(files: list[Path]) -> None:
    a, b = files[0], files[1]
    data_a, data_b = a.read_bytes(), b.read_bytes()
    kept_stamp(a, lambda _: data_b)
    kept_stamp(b, lambda _: data_a)


def delete(files: list[Path]) -> None:
    for path in files:
        path.unlink()


DAMAGES: dict[str, Callable[[list[Path]], None]] = {
    "bit flipped": flip_bit,
    "letters changed": change_letters,
    "truncated": truncate,
    "swapped": swap,
    "deleted": delete,
}
NOTED = {"bit flipped", "letters changed"}
"""Damage that keeps a file's size and mtime: only its content hash can tell, and the
build says what it found."""

CASES = [
    pytest.param(kind, damage, id=f"{kind}-{damage}")
    for kind in KINDS
    for damage in DAMAGES
    if not (kind == "manifest" and damage == "swapped")
]


@pytest.mark.parametrize(("kind", "damage"), CASES)
def test_damaged_cache_is_built_again(
    pristine: Path,
    expected: dict[str, dict[str, bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    damage: str,
) -> None:
    import briefgen.site.theme

    monkeypatch.setattr(briefgen.site.theme, "REFERENCED", {})  # as a new process has it
    root = tmp_path / "desk"
    copy_tree(pristine, root)
    files_of, trigger, noted = KINDS[kind]
    files = files_of(root)
    assert files and all(p.is_file() and p.stat().st_size for p in files)
    DAMAGES[damage](files)
    TRIGGERS[trigger](root)
    result = CliRunner().invoke(main, ["-C", str(root), "build", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert outputs(root) == expected[trigger]
    if damage in NOTED:
        notes = [line for line in result.output.splitlines() if ": note: " in line]
        assert any(noted in line and "damaged" in line for line in notes), result.output
    # And the cache it left is sound: a rebuild from it is still exact.
    TRIGGERS["sidecar" if trigger == "config" else "config"](root)
    again = CliRunner().invoke(main, ["-C", str(root), "build", "-j", "1"])
    assert again.exit_code == 0, again.output
    assert "damaged" not in again.output


def test_templates_compiled_by_other_code_are_not_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Jinja bakes a filter's calling convention into the compiled template: a cache
    compiled by an older briefgen (whose `isolated` filter took no page context) broke
    the next build with a TypeError. Failed before compiled templates were keyed by
    briefgen's code as well as their source."""
    import briefgen.incremental.compiled

    root = tmp_path / "desk"
    write_corpus(root, 2)
    assert CliRunner().invoke(main, ["-C", str(root), "build"]).exit_code == 0
    folder = root / CACHE / "templates"
    first = {p.name for p in folder.glob("*.bytecode")}
    assert first
    monkeypatch.setattr(briefgen.incremental.compiled, "code_version", lambda: "another briefgen")
    edit_config(root)
    assert CliRunner().invoke(main, ["-C", str(root), "build"]).exit_code == 0
    assert {p.name for p in folder.glob("*.bytecode")} - first


def test_templates_compiled_for_another_environment_are_not_reused(tmp_path: Path) -> None:
    """The same template, source and briefgen compile to other code under another
    environment (`{% trans %}` with or without the i18n extension and newstyle gettext,
    a filter that takes the context or not): each is its own cache file."""
    import jinja2

    from briefgen.incremental.compiled import CheckedBytecodeCache, compile_key

    plain = jinja2.Environment()
    i18n = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    i18n.newstyle_gettext = True  # type: ignore[attr-defined]
    passing = jinja2.Environment()
    passing.filters["upper"] = jinja2.pass_context(lambda context, text: text)
    keys = {compile_key(env) for env in (plain, i18n, passing)}
    assert len(keys) == 3
    cache = CheckedBytecodeCache(tmp_path)
    buckets = {cache.get_bucket(env, "a.html", None, "{{ x }}").key for env in (plain, i18n)}
    assert len(buckets) == 2


def steady_site(root: Path) -> None:
    """A site built, then rebuilt after two edits, where it stays: its cache records
    every output file's identity (hashing.output_stamp), as an editor's desk does."""
    write_corpus(root, N)
    build(root, jobs=1)
    for n in (1, 2):
        path = root / "seeds" / f"briefing-0000{n}.yml"
        replace_in(path, f"Key point 1 of briefing {n}.", f"Key point one of briefing {n}.")
        build(root, jobs=1)


def assert_an_edit_reads_few_carried_files(
    root: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """Edit a sidecar of a built site and rebuild: of the files carried over, only those
    the last builds wrote or linked, whose ctime is not yet settled, are read."""
    import briefgen.incremental.reuse

    hashed: list[str] = []
    real = briefgen.incremental.reuse.file_hash

    def counted(path: Path | str) -> str | None:
        hashed.append(str(path))
        return real(path)

    monkeypatch.setattr(briefgen.incremental.reuse, "file_hash", counted)
    edit_sidecar(root)
    result = build(root, jobs=jobs)
    carried = len(tree(root / "site")) + len(tree(root / "content")) - len(result.rendered)
    assert carried > 80
    assert len(hashed) < carried / 5, (len(hashed), carried)


def stamped_apart(monkeypatch: pytest.MonkeyPatch, apart: bool) -> int:
    """With `apart`, a kept generation of any size is listed, and its files stat'ed, by
    another process (output/listing.py: a large site's, with -j 2); returns the -j."""
    import briefgen.pipeline

    monkeypatch.setattr(briefgen.pipeline, "LIST_APART", 1 if apart else 10**9)
    return 2 if apart else 1


@pytest.mark.parametrize("apart", [False, True], ids=["stat'ed here", "stat'ed apart"])
def test_carried_files_vouched_by_their_identity_are_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, apart: bool
) -> None:
    """An edit carries most files over from the kept generation. Those whose inode and
    ctime are as recorded are not read again: at 10,000 briefings, reading and hashing
    33,700 of them was a tenth of the rebuild. Failed before: every carried file was
    read."""
    root = tmp_path / "desk"
    steady_site(root)
    assert_an_edit_reads_few_carried_files(root, monkeypatch, stamped_apart(monkeypatch, apart))


def test_after_a_first_build_with_workers_carried_files_are_vouched_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kept generation a first build makes with -j 2 is copied by a child (output/
    linking.py), and a link changes its file's ctime: the outputs are stamped only once
    the copy is done, so the first edit reads few of the files it carries over. Failed
    on the first version, which stamped them while the child linked them: the edit read
    every file."""
    root = tmp_path / "desk"
    write_corpus(root, N)
    build(root, jobs=2)
    assert_an_edit_reads_few_carried_files(root, monkeypatch, jobs=2)


def test_entry_shards_vouched_by_their_identity_are_not_hashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entry shards a rebuild reads are hashed only when their identity (inode and
    a settled ctime, recorded in the manifest) does not vouch for them: at 10,000
    briefings their 44 MB were 0.023 s of every rebuild. One damaged where it lies,
    its mtime put back, is hashed, found damaged and its seeds prepared again (the
    damage suite above). Failed before: every shard was hashed."""
    import briefgen.incremental.cache

    root = tmp_path / "desk"
    steady_site(root)
    shards = {p.read_bytes() for p in entry_files(root)}
    hashed: list[bytes] = []
    real = briefgen.incremental.cache.content_hash

    def counted(*parts: bytes) -> str:
        hashed.extend(parts)
        return real(*parts)

    monkeypatch.setattr(briefgen.incremental.cache, "content_hash", counted)
    edit_sidecar(root)
    build(root, jobs=1)
    assert len(shards) > 1 and not shards & set(hashed)
    monkeypatch.undo()
    flipped = entry_files(root)[0]
    kept_stamp(flipped, one_bit_flipped)
    other = root / "seeds" / "briefing-00006.yml"
    replace_in(other, "Key point 1 of briefing 6.", "Key point one of briefing 6.")
    result = CliRunner().invoke(main, ["-C", str(root), "build", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert f"{flipped.name}: note: cache file damaged" in result.output


@pytest.mark.parametrize("apart", [False, True], ids=["stat'ed here", "stat'ed apart"])
def test_damage_in_place_is_seen_through_the_identity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, apart: bool
) -> None:
    """A carried page damaged where it lies, its size and mtime kept, is made again:
    the write changed its ctime, so its identity no longer vouches for it and it is
    read. (The page is a hard link shared by site/ and the kept generation.) So too
    when the stamps come from the process that lists the kept generation."""
    jobs = stamped_apart(monkeypatch, apart)
    root = tmp_path / "desk"
    steady_site(root)
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("site", "content", CACHE))
    edit_sidecar(fresh)
    build(fresh, clean=True, jobs=1)
    page = root / "site" / "briefings" / "briefing-00003" / "index.html"
    kept_stamp(page, one_bit_flipped)
    kept_stamp(root / "content" / "briefing-00004.md", one_bit_flipped)
    edit_sidecar(root)
    result = CliRunner().invoke(main, ["-C", str(root), "build", "-j", str(jobs)])
    assert result.exit_code == 0, result.output
    assert outputs(root) == outputs(fresh)
    assert "damaged" in result.output or "changed since it was written" in result.output


@pytest.mark.skipif(os.name != "posix", reason="a ctime vouches only on POSIX")
def test_a_ctime_of_the_clocks_own_tick_vouches_for_nothing(tmp_path: Path) -> None:
    """Racily clean, as git says: a write still to come may share the tick of a ctime
    not older than the clock read before the stat, so such a file is hashed next time."""
    from briefgen.vocabulary.hashing import found_stamp, recorded_stamp, untouched

    path = tmp_path / "page.html"
    path.write_bytes(b"<p>page</p>")
    found = found_stamp(path)
    assert found is not None
    assert not untouched(recorded_stamp(found, found[3]), found)
    assert untouched(recorded_stamp(found, found[3] + 1), found)


@pytest.mark.skipif(os.name != "posix", reason="a ctime vouches only on POSIX")
def test_ctimes_vouch_only_where_the_probe_shows_them_real(tmp_path: Path) -> None:
    """Found by review: vfat, exFAT and sshfs report a ctime that follows the mtime or is
    the creation time. The probe kept in the cache tells (and cannot on its first
    build); output folders on another file system than the cache's vouch for nothing."""
    from briefgen.output.writer import ctime_clock

    cache = tmp_path / CACHE
    site = tmp_path / "site"
    site.mkdir()
    assert ctime_clock(cache, [site]) == 0  # the probe is new: nothing can be told
    assert ctime_clock(cache, [site]) > 0
    elsewhere = Path("/dev/shm")
    if elsewhere.is_dir() and elsewhere.stat().st_dev != tmp_path.stat().st_dev:
        assert ctime_clock(cache, [site, elsewhere]) == 0


@pytest.mark.parametrize("kept", ["the mtime", "the creation time"])
def test_no_ctime_vouches_where_the_file_system_keeps_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept: str
) -> None:
    """A file system whose ctime is the mtime (vfat's, as Linux reports it) or the
    creation time (exFAT's, sshfs'), simulated: no ctime vouches."""
    import types

    import briefgen.output.writer

    real_stat = os.stat

    def ctime_is_mtime(path: object, *args: object, **kwargs: object) -> object:
        st = real_stat(path, *args, **kwargs)  # type: ignore[call-overload]
        fields = {name: getattr(st, name) for name in dir(st) if name.startswith("st_")}
        made = st.st_mtime_ns if kept == "the mtime" else 1_000_000_000  # made long ago
        return types.SimpleNamespace(**(fields | {"st_ctime_ns": made}))

    cache, site = tmp_path / CACHE, tmp_path / "site"
    site.mkdir()
    ctime_clock = briefgen.output.writer.ctime_clock
    ctime_clock(cache, [site])  # the probe made: the next call can tell
    assert ctime_clock(cache, [site]) > 0
    monkeypatch.setattr(briefgen.output.writer.os, "stat", ctime_is_mtime)
    assert ctime_clock(cache, [site]) == 0


@pytest.mark.parametrize("damage", ["truncated", "deleted"])
def test_prepared_seeds_lost_after_a_parallel_build_are_prepared_again(
    tmp_path: Path, damage: str
) -> None:
    """A site of 16 seeds or more prepares them in worker processes (with -j 2 or
    more), a seed prepared again after damage is prepared in the build's own process,
    and both must give it one key. Found by review: workers received the English
    labels pickled, no longer `ENGLISH` itself, so their seeds' keys held the labels'
    digest; the repair's key differed, and every build after stopped with "the build
    cache lost what it held" until --clean."""
    root = tmp_path / "desk"
    write_corpus(root, 20)
    build(root, jobs=2)
    prepared = sorted((root / CACHE / "prepared").iterdir())
    DAMAGES[damage](prepared)
    edit_config(root)
    result = CliRunner().invoke(main, ["-C", str(root), "build", "-j", "2"])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if ": note: " in line]
    said = "missing" if damage == "deleted" else "damaged"
    assert len(notes) == len(prepared), result.output
    assert all(f"cache file {said}" in line and "prepared again" in line for line in notes)
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("site", "content", CACHE))
    build(fresh, clean=True, jobs=1)
    assert outputs(root) == outputs(fresh)


def clean_outputs(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a clean build of the same inputs gives."""
    fresh = tmp_path / "clean"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("site", "content", CACHE))
    build(fresh, clean=True, jobs=1)
    return outputs(fresh)


def test_a_shard_damaged_during_a_build_is_not_recorded_as_sound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shard is recorded with the identity the read that found it sound took, not
    with the one it has when the manifest is written: one damaged while the build ran
    (after it was read), its mtime put back, is hashed by the next build, found damaged
    and its seeds prepared again. Found by review: the first version stat'ed the kept
    shards at the end, recorded the damaged file's identity with the old hash, and the
    next build published a title the damage made up."""
    import briefgen.pipeline

    root = tmp_path / "desk"
    steady_site(root)
    render = briefgen.pipeline.render_site
    damaged: list[Path] = []

    def damage_then_render(*args: Any, **kwargs: Any) -> Any:
        """A shard the edit keeps (none of briefing 5's) gets a made-up title."""
        for shard in sorted((root / CACHE / "entries").iterdir()):
            data = shard.read_bytes()
            found = re.search(rb"Briefing [0-46-9] on", data)
            if found and b"briefing-00005" not in data and not damaged:
                title = found.group()
                made_up = title.replace(b"Briefing", b"Brieflng")
                kept_stamp(shard, lambda data, old=title, new=made_up: data.replace(old, new))
                damaged.append(shard)
        return render(*args, **kwargs)

    monkeypatch.setattr(briefgen.pipeline, "render_site", damage_then_render)
    edit_sidecar(root)  # briefing 5's shard is written again, the others kept
    build(root, jobs=1)
    monkeypatch.undo()
    assert damaged
    (root / "seeds" / "briefing-00006.yml").unlink()  # every page planned again
    (root / "seeds" / "briefing-00006.txt").unlink()
    result = CliRunner().invoke(main, ["-C", str(root), "build", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert f"{damaged[0].name}: note: cache file damaged" in result.output
    assert outputs(root) == clean_outputs(root, tmp_path)


def test_a_template_references_file_under_another_name_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each `.refs` file is hashed with its name (which is its key), as a compiled
    template is: one template's references copied over another's are found damaged
    and parsed again, and a page is still fingerprinted by every template it extends.
    Found by review: the first version hashed the body alone, and with base.html's
    references (none) taken for every other template's, an edit of base.html left the
    pages extending it stale."""
    import briefgen.site.theme

    root = tmp_path / "desk"
    steady_site(root)
    refs = reference_files(root)
    extending = [p for p in refs if b"base.html" in p.read_bytes()[32:]]
    plain = next(p for p in refs if b"base.html" not in p.read_bytes()[32:])
    assert extending
    for path in extending:
        path.write_bytes(plain.read_bytes())
    monkeypatch.setattr(briefgen.site.theme, "REFERENCED", {})  # as a new process has it
    (root / "templates").mkdir(exist_ok=True)
    base = (REPO / "templates" / "base.html").read_text(encoding="utf-8")
    (root / "templates" / "base.html").write_text(base.replace("<body", "<body data-v", 1))
    result = CliRunner().invoke(main, ["-C", str(root), "build", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "parsed again" in result.output
    assert outputs(root) == clean_outputs(root, tmp_path)
