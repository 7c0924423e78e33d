"""What `briefgen serve` keeps of its last build (incremental/warm.py): the next build
takes the manifest and entries from memory, gives the bytes a clean build gives, and
leaves a cache any later process can trust; anything else writing the cache since
makes it read the cache again."""

from __future__ import annotations

import gc
import sys
import typing
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_incremental import (
    EDITS,
    SCALE_EDITS,
    N,
    clean_build_of,
    edit_sidecar,
    outputs,
    prepares,
    replace_in,
    sidecar,
)
from test_incremental import shelf as shelf

from briefgen.build import build
from briefgen.incremental.cache import Cache, entry_shard
from briefgen.incremental.warm import Warm
from briefgen.site.indexes import Records
from briefgen.vocabulary.errors import BriefgenError

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import write_corpus


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """A site built twice, with an edit between, as test_incremental's desk: its spare
    generation is kept, as a server's site has one after its first rebuild."""
    root = tmp_path / "desk"
    write_corpus(root, N)
    build(root)
    replace_in(sidecar(root, 15), "Key point 1 of briefing 15.", "Key point one of briefing 15.")
    build(root)
    return root


def shard_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times a build read the entry shards from the cache (one per build)."""
    read: list[int] = []
    real = Cache.entries

    def entries(self: Cache, *args: Any) -> Any:
        read.append(1)
        return real(self, *args)

    monkeypatch.setattr(Cache, "entries", entries)
    return read


def edit_key_point(root: Path, i: int, word: str) -> None:
    replace_in(sidecar(root, i), f"Key point 0 of briefing {i}.", f"Key point {word} of {i}.")


@pytest.mark.parametrize("edit", EDITS.values(), ids=list(EDITS))
def test_a_warm_rebuild_equals_a_clean_build(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: Callable[[Path], None]
) -> None:
    warm = Warm()
    edit_key_point(desk, 3, "three")
    build(desk, warm=warm)  # reads the cache, and keeps what it writes
    read = shard_reads(monkeypatch)
    edit(desk)
    result = build(desk, warm=warm)
    assert read == [], "the entries came from memory"
    assert result.rendered
    assert outputs(desk) == clean_build_of(desk, tmp_path)


def test_a_warm_server_leaves_a_cache_a_new_process_trusts(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five edits built warm, one after the other, then a build as a new process
    would run it: it prepares nothing again, so the cache the warm builds left (entry
    shards and manifest) holds every seed's result under the right key."""
    warm = Warm()
    build(desk, warm=warm)
    for i, word in enumerate(["one", "two", "three", "four", "five"]):
        edit_key_point(desk, i, word)
        build(desk, warm=warm)
    edit_key_point(desk, 9, "nine")
    prepared = prepares(monkeypatch)
    build(desk)
    assert prepared == ["briefing-00009"]
    assert outputs(desk) == clean_build_of(desk, tmp_path)


def test_a_build_run_elsewhere_makes_the_next_read_the_cache(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another terminal's build between two of the server's: the server's memory is of
    the cache before it, and must not be taken for it."""
    warm = Warm()
    edit_key_point(desk, 3, "three")
    build(desk, warm=warm)
    edit_key_point(desk, 4, "four")
    build(desk)  # not the server's
    read = shard_reads(monkeypatch)
    edit_key_point(desk, 5, "five")
    build(desk, warm=warm)
    assert read == [1], "the cache was read again"
    edit_key_point(desk, 6, "six")
    build(desk, warm=warm)
    assert read == [1], "and kept warm again from then on"
    assert outputs(desk) == clean_build_of(desk, tmp_path)


def test_a_damaged_manifest_is_not_answered_from_memory(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server's memory is only of the manifest it wrote: one damaged since is
    reported and distrusted, as a new process would."""
    warm = Warm()
    edit_key_point(desk, 3, "three")
    build(desk, warm=warm)
    manifest = desk / ".briefgen_cache" / "manifest"
    data = bytearray(manifest.read_bytes())
    data[-1] ^= 1
    manifest.write_bytes(bytes(data))
    prepared = prepares(monkeypatch)
    edit_key_point(desk, 4, "four")
    result = build(desk, warm=warm)
    notes = [(d.location.path, d.message) for d in result.diagnostics]
    assert any(p.endswith("manifest") and "damaged" in m for p, m in notes), notes
    assert len(prepared) == 20, "nothing of the cache is trusted, as in a new process"
    assert outputs(desk) == clean_build_of(desk, tmp_path)


def test_a_failed_build_keeps_the_memory_of_the_last_good_one(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm = Warm()
    edit_key_point(desk, 3, "three")
    build(desk, warm=warm)
    read = shard_reads(monkeypatch)
    replace_in(sidecar(desk, 2), "summary:", "summry:")
    with pytest.raises(BriefgenError):
        build(desk, warm=warm)
    replace_in(sidecar(desk, 2), "summry:", "summary:")
    edit_sidecar(desk)
    build(desk, warm=warm)
    assert read == []
    assert outputs(desk) == clean_build_of(desk, tmp_path)


def test_serve_leaves_the_collector_running_after_every_rebuild(
    desk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """serve pauses the collector for a rebuild and its report, then collects and
    freezes what survives: left paused, the cycles every build leaves (its templates)
    would never be freed, and a server left open would grow."""
    from briefgen.commands.serve import State, rebuild

    monkeypatch.setattr(gc, "freeze", lambda: None)  # this test process's objects stay
    assert gc.isenabled()
    state, warm, said = State(desk / "site"), Warm(), []
    edit_key_point(desk, 3, "three")
    rebuild(desk, state, False, said.append, warm)
    assert gc.isenabled() and state.error is None
    replace_in(sidecar(desk, 2), "summary:", "summry:")
    rebuild(desk, state, False, said.append, warm)
    assert gc.isenabled() and state.error is not None
    assert state.version == 2


def test_a_warm_rebuild_rewrites_only_the_edited_seeds_entry_shards(desk: Path) -> None:
    """As a build reading the cache does: the shards of the seed's old and new keys are
    written, the others stay as they are."""
    warm = Warm()
    edit_key_point(desk, 3, "three")
    build(desk, warm=warm)
    shards = desk / ".briefgen_cache" / "entries"
    seed = "seeds/briefing-00004.txt"
    old = entry_shard(Cache(desk).manifest().keys[seed][1])
    before = {f"entries/{p.name}": p.stat().st_ino for p in shards.iterdir()}
    edit_key_point(desk, 4, "four")
    build(desk, warm=warm)
    new = entry_shard(Cache(desk).manifest().keys[seed][1])
    after = {f"entries/{p.name}": p.stat().st_ino for p in shards.iterdir()}
    changed = {f for f in before.keys() | after.keys() if before.get(f) != after.get(f)}
    assert changed == {old, new} - {""}


def test_a_server_kept_warm_from_the_start_rebuilds_its_first_save_warm(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """serve's first build is a no-op when the site was built before: it keeps
    nothing, so the server reads the cache at once (keep_warm), not at the first save."""
    from briefgen.commands.serve import State, keep_warm, rebuild

    monkeypatch.setattr(gc, "freeze", lambda: None)
    warm = Warm()
    keep_warm(desk, warm)
    assert warm.manifest is not None
    read = shard_reads(monkeypatch)
    edit_key_point(desk, 3, "three")
    state, said = State(desk / "site"), []
    rebuild(desk, state, False, said.append, warm)
    assert read == [] and state.error is None
    assert outputs(desk) == clean_build_of(desk, tmp_path)


@pytest.mark.parametrize("damage", ["truncated", "deleted"])
def test_a_damaged_entry_shard_is_not_kept_warm(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    """Read at the start, a damaged shard keeps nothing warm: the first rebuild reads
    the cache itself, says what it found, and prepares that shard's seeds again."""
    from briefgen.commands.serve import keep_warm

    monkeypatch.setattr(gc, "freeze", lambda: None)
    shard = sorted((desk / ".briefgen_cache" / "entries").iterdir())[0]
    if damage == "truncated":
        shard.write_bytes(shard.read_bytes()[:100])
    else:
        shard.unlink()
    warm = Warm()
    keep_warm(desk, warm)
    assert warm.manifest is None
    edit_key_point(desk, 3, "three")
    result = build(desk, warm=warm)
    noted = [d.location.path for d in result.diagnostics]
    assert (f".briefgen_cache/entries/{shard.name}" in noted) == (damage == "truncated")
    assert outputs(desk) == clean_build_of(desk, tmp_path)


def test_shards_rewritten_by_a_build_stopped_elsewhere_are_read_again(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build in another terminal writes its entry shards, then is stopped (Ctrl-C)
    before its manifest: the manifest is still the server's, the shards are not. Found
    by review: the server took its memory for them, and its next manifest recorded the
    new shards under their old hashes (the next process found them damaged)."""
    import briefgen.incremental.reuse as reuse

    warm = Warm()
    edit_key_point(desk, 3, "three")
    build(desk, warm=warm)
    seed = desk / "seeds" / "briefing-00004.txt"
    before = seed.read_bytes()
    replace_in(seed, "met again.", "met once more.")
    real = reuse.write_cache

    def stopped(cache_dir: Path, files: Any, remove: Any = ()) -> None:
        if "manifest" in files:
            raise KeyboardInterrupt
        real(cache_dir, files, remove)

    monkeypatch.setattr(reuse, "write_cache", stopped)
    with pytest.raises(KeyboardInterrupt):
        build(desk)  # not the server's
    monkeypatch.setattr(reuse, "write_cache", real)
    seed.write_bytes(before)
    edit_key_point(desk, 5, "five")
    read = shard_reads(monkeypatch)
    build(desk, warm=warm)
    assert read == [1], "the cache was read again"
    prepared = prepares(monkeypatch)
    edit_key_point(desk, 6, "six")
    result = build(desk)  # a new process's
    assert [d.message for d in result.diagnostics] == []
    assert prepared == ["briefing-00006"]
    assert outputs(desk) == clean_build_of(desk, tmp_path)


def unnamed_shard(entries: Path) -> Path:
    """A shard beside the built ones, as a build stopped before its manifest leaves one
    (a copy of the first: its bytes are an entry shard's)."""
    named = sorted(p.name for p in entries.iterdir())
    unnamed = entries / next(f"{i:02d}.pickle" for i in range(64) if f"{i:02d}.pickle" not in named)
    unnamed.write_bytes((entries / named[0]).read_bytes())
    return unnamed


def test_a_shard_the_kept_manifest_does_not_name_makes_the_cache_read_again(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stopped build can leave an entry shard the server's manifest does not name
    (its edited seed's entry went to a shard no entry had): another process wrote the
    cache, so the next rebuild reads it, as a new process would. Found when a change
    of code moved the stopped build's entry of the test above to such a shard."""
    warm = Warm()
    edit_key_point(desk, 3, "three")
    build(desk, warm=warm)
    assert warm.manifest is not None
    entries = desk / ".briefgen_cache" / "entries"
    unnamed_shard(entries)
    edit_key_point(desk, 5, "five")
    read = shard_reads(monkeypatch)
    build(desk, warm=warm)
    assert read == [1], "the cache was read again"
    assert sorted(p.name for p in entries.iterdir()) == sorted(
        Path(file).name for file in warm.manifest.shards
    ), "the build left no shard its manifest does not name"
    edit_key_point(desk, 6, "six")
    result = build(desk)  # a new process's
    assert [d.message for d in result.diagnostics] == []
    assert outputs(desk) == clean_build_of(desk, tmp_path)


def test_a_server_started_beside_another_process_s_shard_keeps_nothing(desk: Path) -> None:
    """keep_warm, as the rebuilds' check (found by review): an entry shard the cache's
    manifest does not name is another process's, so nothing is kept."""
    from briefgen.commands.serve import keep_warm

    unnamed = unnamed_shard(desk / ".briefgen_cache" / "entries")
    warm = Warm()
    keep_warm(desk, warm)
    assert warm.manifest is None
    unnamed.unlink()
    keep_warm(desk, warm)
    assert warm.manifest is not None


LEAK = """
import gc, sys
sys.path.insert(0, sys.argv[2])
from pathlib import Path
from briefgen.commands.serve import State, rebuild
from briefgen.incremental.warm import Warm
root = Path(sys.argv[1])
sidecar, template = root / "seeds" / "briefing-00003.yml", root / "templates" / "tag.html"
template.parent.mkdir(exist_ok=True)
state, warm = State(root / "site"), Warm()
for n in range(6):
    text = sidecar.read_text()
    sidecar.write_text(text.replace("Key point 0 of", f"Key point 0 ({n}) of", 1))
    template.write_text("{% extends 'base.html' %}{% block main %}" + str(n) + "{% endblock %}")
    rebuild(root, state, False, lambda text: None, warm)
    assert state.error is None, state.error
gc.unfreeze()
print(gc.collect())
"""


def test_a_long_running_server_frees_what_every_rebuild_leaves(desk: Path) -> None:
    """Six rebuilds, each with a template edit (a theme's templates hold cycles), in a
    process of their own: everything the server froze between them is still alive,
    since what was garbage was collected before freezing; frozen, it would never be
    freed, and a server left open would grow with every save."""
    import subprocess

    from conftest import REPO

    run = subprocess.run(
        [sys.executable, "-c", LEAK, str(desk), str(REPO)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    assert run.stdout.split() == ["0"], run.stderr


@pytest.mark.parametrize("edit", SCALE_EDITS.values(), ids=list(SCALE_EDITS))
def test_warm_rebuilds_at_scale_equal_clean_builds(
    shelf: Path, tmp_path: Path, edit: Callable[[Path], None]
) -> None:
    """The paginated site with a register (test_incremental's shelf), two warm rebuilds:
    the second refills its index from the first's kept records where it can (every
    edit that keeps the footprints: FOOTPRINT_KEPT)."""
    warm = Warm()
    edit_key_point(shelf, 3, "three")
    build(shelf, warm=warm)
    assert warm.refilled is not None
    edit(shelf)
    result = build(shelf, warm=warm)
    assert result.rendered
    assert outputs(shelf) == clean_build_of(shelf, tmp_path)


def test_a_warm_refill_makes_only_the_records_its_pages_read(shelf: Path) -> None:
    """Briefing 30's key point edited (its footprint kept): the refill makes the
    records of the pages the edit reaches, not the site's, and the server lets the last
    build's index go (a refill's records that held their predecessors would keep every
    build of a session)."""
    warm = Warm()
    edit_key_point(shelf, 3, "three")
    build(shelf, warm=warm)
    assert warm.refilled is not None
    last = weakref.ref(warm.refilled.index)
    edit_key_point(shelf, 30, "thirty")
    assert build(shelf, warm=warm).work["index refilled"] == 1
    assert warm.refilled is not None
    index = warm.refilled.index
    lists = [
        *(p.quotes for p in index.people),
        *(s.sources for s in index.publishers),
        index.rows,
        index.timeline,
    ]
    assert all(isinstance(made, Records) for made in lists)
    made = sum(typing.cast(Records[Any], records).made for records in lists)
    assert 0 < made < sum(map(len, lists)) / 4
    gc.collect()
    assert last() is None
    assert outputs(shelf) == clean_build_of(shelf, shelf.parent / "clean")


def test_a_change_of_settings_lets_the_kept_entries_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A setting every seed's key holds, changed: no kept entry is wanted, and they are
    let go as the build starts rather than held through it beside the new ones (they
    doubled its memory). More briefings than a small edit has, so that the last build's
    entries are not wanted either (reuse.recall)."""
    from briefgen.incremental.reuse import CachedReuse

    root = tmp_path / "archive"
    write_corpus(root, 80)
    build(root)
    warm = Warm()
    edit_key_point(root, 3, "three")
    build(root, warm=warm)
    assert len(warm.entries) == 80
    held: list[int] = []
    real = CachedReuse.recall

    def recall(self: CachedReuse, keys: Any) -> None:
        real(self, keys)
        held.append(len(self.warm.entries) if self.warm else -1)

    monkeypatch.setattr(CachedReuse, "recall", recall)
    with (root / "briefgen.yml").open("a", encoding="utf-8") as config:
        config.write("boilerplate_off: [le-monde-read-also]\n")
    build(root, warm=warm)
    assert held == [0]
    assert len(warm.entries) == 80, "and the new ones are kept"
    assert outputs(root) == clean_build_of(root, tmp_path)
