"""`briefgen serve` as a real process: what it rebuilds on, what it never rebuilds on.

Every edit waits (generously) for the status version to move, then checks the site and
that no second rebuild follows; "nothing rebuilt" is checked by waiting well past the
debounce. Nothing here asserts how fast anything is.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefgen.commands.cli import main
from briefgen.commands.serve import followed
from briefgen.commands.watch import DEBOUNCE, Inputs, Notifier, Poller, Watcher, watcher

from conftest import MINIMAL_SEED, MINIMAL_SIDECAR, REPO, Project, tree

SLUG = "us-strikes-iraq-syria"
WAIT = 30.0
"""Seconds to wait for a rebuild: far beyond what one takes, for a loaded machine."""
QUIET = DEBOUNCE + 1.5
"""Seconds after which a rebuild that has not started is not coming."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def wait_for(condition: Callable[[], Any], timeout: float = WAIT) -> Any:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except OSError as exc:
            last = exc
        time.sleep(0.05)
    raise AssertionError(f"timed out ({last})")


class Server:
    """`briefgen serve` on a free port; its stderr is collected as it comes."""

    def __init__(self, root: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.root = root
        self.base = f"http://127.0.0.1:{free_port()}"
        port = self.base.rsplit(":", 1)[1]
        command = [sys.executable, "-m", "briefgen", "-C", str(root), "serve", "--port", port]
        self.process = subprocess.Popen(
            [*command, *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()
        wait_for(lambda: "watching " in self.stderr)
        self.version = self.status()["version"]

    def read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)

    @property
    def stderr(self) -> str:
        return "".join(self.lines)

    def status(self) -> dict[str, Any]:
        return dict(json.loads(fetch(self.base + "/__briefgen/status")))

    def get(self, path: str) -> tuple[int, str]:
        try:
            return 200, fetch(self.base + path)
        except urllib.error.HTTPError as exc:
            return exc.code, ""

    def rebuilt(self) -> dict[str, Any]:
        """Wait for the one rebuild an edit makes; the status after it."""
        wait_for(lambda: self.status()["version"] > self.version)
        self.assert_quiet(settle=True)
        status = self.status()
        assert status["version"] == self.version + 1, "one edit, one rebuild"
        self.version = status["version"]
        return status

    def assert_quiet(self, settle: bool = False) -> None:
        """No rebuild starts for well past the debounce (`settle`: after the current one)."""
        before = self.status()["version"] if settle else self.version
        time.sleep(QUIET)
        assert self.status()["version"] == before, self.stderr

    def stop(self) -> str:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        self.reader.join(timeout=10)
        assert self.process.returncode == 0, self.stderr
        assert "Traceback" not in self.stderr
        assert self.stderr.rstrip().endswith("stopped")
        return self.stderr


@pytest.fixture
def serve() -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def start(root: Path, *args: str, env: dict[str, str] | None = None) -> Server:
        servers.append(Server(root, *args, env=env))
        return servers[-1]

    yield start
    for server in servers:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


def minimal(name: str = "one", marker: str = "Ministers met in Rome.") -> dict[str, str]:
    return {
        f"seeds/{name}.txt": MINIMAL_SEED,
        f"seeds/{name}.yml": MINIMAL_SIDECAR.replace("Ministers met in Rome.", marker),
    }


def page(server: Server, slug: str) -> tuple[int, str]:
    return server.get(f"/briefings/{slug}/")


# -- rebuilds --------------------------------------------------------------------------


def test_serve_rebuilds_on_change_and_keeps_last_good_site(
    example_site: Path, serve: Callable[..., Server]
) -> None:
    server = serve(example_site)
    home = server.get("/")[1]
    assert "US strikes on pro-Iran militias" in home
    assert '<script src="/__briefgen/live.js"></script></body>' in home
    assert 'fetch("/__briefgen/status"' in server.get("/__briefgen/live.js")[1]
    assert server.status()["error"] is None

    sidecar = example_site / "seeds" / f"{SLUG}.yml"
    good = sidecar.read_text()
    sidecar.write_text(good.replace("title: US strikes", "title: Edited US strikes", 1))
    assert server.rebuilt()["error"] is None
    assert "Edited US strikes" in server.get("/")[1]

    sidecar.write_text(good.replace("speaker: Antony Blinken", "speakr: Antony Blinken"))
    error = server.rebuilt()["error"]
    assert f"seeds/{SLUG}.yml:" in error and "unknown key 'speakr'" in error
    # The last good build is still what is served.
    assert "Edited US strikes" in page(server, SLUG)[1]
    stderr = server.stop()
    assert "error: unknown key 'speakr'" in stderr


def test_a_sidecar_edit_rebuilds_once(project: Project, serve: Callable[..., Server]) -> None:
    root = project(minimal())
    server = serve(root)
    assert "Ministers met in Rome." in page(server, "one")[1]
    sidecar = root / "seeds" / "one.yml"
    sidecar.write_text(sidecar.read_text().replace("met in Rome", "met in Paris"))
    assert server.rebuilt()["error"] is None
    assert "Ministers met in Paris." in page(server, "one")[1]
    assert "1 briefing" in server.stop()


def test_a_new_seed_rebuilds_once(project: Project, serve: Callable[..., Server]) -> None:
    root = project(minimal())
    server = serve(root)
    assert page(server, "two")[0] == 404
    for rel, text in minimal("two", "A second briefing.").items():
        (root / rel).write_text(text)
    assert server.rebuilt()["error"] is None
    assert "A second briefing." in page(server, "two")[1]


def test_a_deleted_seed_rebuilds_once(project: Project, serve: Callable[..., Server]) -> None:
    root = project({**minimal(), **minimal("two", "A second briefing.")})
    server = serve(root)
    assert page(server, "two")[0] == 200
    (root / "seeds" / "two.txt").unlink()
    (root / "seeds" / "two.yml").unlink()
    assert server.rebuilt()["error"] is None
    assert page(server, "two")[0] == 404
    assert page(server, "one")[0] == 200


def test_an_atomic_save_rebuilds_once(project: Project, serve: Callable[..., Server]) -> None:
    """As editors save: a temporary file renamed over the original (vim also probes with
    4913 and keeps a ~ backup meanwhile)."""
    root = project(minimal())
    server = serve(root)
    seeds = root / "seeds"
    sidecar = seeds / "one.yml"
    text = sidecar.read_text().replace("met in Rome", "met in Oslo")
    (seeds / "4913").write_text("")
    (seeds / "4913").unlink()
    shutil.copy(sidecar, seeds / "one.yml~")
    temp = seeds / ".one.yml.tmp-1234"
    temp.write_text(text)
    os.replace(temp, sidecar)
    (seeds / "one.yml~").unlink()
    assert server.rebuilt()["error"] is None
    assert "Ministers met in Oslo." in page(server, "one")[1]


def test_a_template_edit_rebuilds_once(project: Project, serve: Callable[..., Server]) -> None:
    base = (REPO / "templates" / "base.html").read_text()
    root = project({**minimal(), "templates/base.html": base})
    server = serve(root)
    template = root / "templates" / "base.html"
    template.write_text(base.replace("</body>", "<p>template marker</p></body>", 1))
    server.rebuilt()
    assert "<p>template marker</p>" in page(server, "one")[1]
    # A folder made under templates/ after the start is watched too.
    (root / "templates" / "assets" / "extra").mkdir(parents=True)
    (root / "templates" / "assets" / "extra" / "note.txt").write_text("hello")
    wait_for(lambda: server.get("/assets/extra/note.txt") == (200, "hello"))


def test_serve_rebuilds_with_worker_processes(
    tmp_path: Path, serve: Callable[..., Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve -j 2`, as `build -j 2`: a template edit renders every page again, in
    worker processes forked from the server (its threads running), and the site it
    serves is the one a clean build makes."""
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    from corpus import write_corpus

    from briefgen.build import build

    root = tmp_path / "desk"
    write_corpus(root, 24)  # above preparing.PARALLEL_MIN, pages above render.FORK_MIN
    base = (REPO / "templates" / "base.html").read_text(encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "base.html").write_text(base, encoding="utf-8")
    server = serve(root, "-j", "2")
    (root / "templates" / "base.html").write_text(
        base.replace("</body>", "<p>template marker</p></body>", 1), encoding="utf-8"
    )
    server.rebuilt()
    assert "<p>template marker</p>" in page(server, "briefing-00003")[1]
    server.stop()
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("site", "content", ".*"))
    build(fresh, clean=True)
    assert tree(root / "site") == tree(fresh / "site")


def test_a_seeds_folder_made_after_the_start_is_watched(
    project: Project, serve: Callable[..., Server]
) -> None:
    root = project({"briefgen.yml": "seeds_dir: desk/articles\n"})
    server = serve(root)
    assert "seeds folder not found" in server.status()["error"]
    (root / "desk" / "articles").mkdir(parents=True)
    for rel, text in minimal().items():
        (root / rel.replace("seeds/", "desk/articles/")).write_text(text)
    wait_for(lambda: server.status()["error"] is None)
    assert page(server, "one")[0] == 200
    server.version = server.status()["version"]
    server.assert_quiet(settle=True)
    server.version = server.status()["version"]
    # Its files are watched from then on.
    sidecar = root / "desk" / "articles" / "one.yml"
    sidecar.write_text(sidecar.read_text().replace("met in Rome", "met in Lima"))
    server.rebuilt()
    assert "Ministers met in Lima." in page(server, "one")[1]


def test_the_watch_follows_seeds_dir(project: Project, serve: Callable[..., Server]) -> None:
    articles = {
        rel.replace("seeds/", "articles/"): text
        for rel, text in minimal("elsewhere", "From the articles folder.").items()
    }
    root = project({**minimal(), **articles})
    server = serve(root)
    assert page(server, "elsewhere")[0] == 404
    (root / "briefgen.yml").write_text("seeds_dir: articles\n")
    assert server.rebuilt()["error"] is None
    assert page(server, "elsewhere")[0] == 200 and page(server, "one")[0] == 404
    # The new folder is watched, the old one no longer is.
    (root / "seeds" / "one.yml").write_text("summary: Not an input any more.\n")
    server.assert_quiet()
    sidecar = root / "articles" / "elsewhere.yml"
    sidecar.write_text(sidecar.read_text().replace("From the articles", "Edited in articles"))
    server.rebuilt()
    assert "Edited in articles folder." in page(server, "elsewhere")[1]


# -- no rebuilds -----------------------------------------------------------------------


def writes_that_are_not_inputs(root: Path) -> None:
    """A build's own outputs, its cache and staging, editors' temp files, other files."""
    for rel in (
        "site/extra.html",
        "site/briefings/one/index.html",
        "content/one.md",
        "content/new.md",
        ".briefgen_cache/manifest",
        ".briefgen_cache/prepared/x.pickle",
        ".briefgen-new-site-1/index.html",
        "seeds/.one.yml.swp",
        "seeds/one.yml~",
        "seeds/.#one.yml",
        "seeds/4913",
        "seeds/notes.md",
        "templates/.base.html.swp",
        "sidecar.schema.json",
        "README.md",
    ):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("not an input")
    shutil.rmtree(root / ".briefgen-new-site-1")


def test_writes_to_outputs_cache_and_temp_files_rebuild_nothing(
    project: Project, serve: Callable[..., Server]
) -> None:
    root = project({**minimal(), "templates/.keep": ""})
    server = serve(root)
    writes_that_are_not_inputs(root)
    server.assert_quiet()


# -- polling ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env"), [(["--poll"], {}), ([], {"BRIEFGEN_POLL": "1"})], ids=["option", "env"]
)
def test_polling_when_asked(
    project: Project, serve: Callable[..., Server], args: list[str], env: dict[str, str]
) -> None:
    root = project(minimal())
    server = serve(root, *args, env=env)
    assert "briefgen.yml: polling every 0.3 s" in server.stderr
    writes_that_are_not_inputs(root)
    server.assert_quiet()
    sidecar = root / "seeds" / "one.yml"
    sidecar.write_text(sidecar.read_text().replace("met in Rome", "met in Bern"))
    assert server.rebuilt()["error"] is None
    assert "Ministers met in Bern." in page(server, "one")[1]
    server.stop()


# -- which paths are inputs ------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("briefgen.yml", True),
        ("seeds/one.txt", True),
        ("seeds/one.yml", True),
        ("seeds/one.yaml", True),
        ("seeds", True),
        ("templates", True),
        ("templates/base.html", True),
        ("templates/assets/site.css", True),
        ("locales", True),
        ("locales/fr.po", True),
        ("locales/.fr.po.swp", False),
        ("seeds/.one.yml.swp", False),
        ("seeds/one.yml~", False),
        ("seeds/.#one.yml", False),
        ("seeds/4913", False),
        ("seeds/.hidden.yml", False),
        ("seeds/notes.md", False),
        ("seeds/sub/one.yml", False),
        ("templates/.base.html.swp", False),
        ("site", False),
        ("site/index.html", False),
        ("content/one.md", False),
        (".briefgen_cache", False),
        (".briefgen-new-site-abc", False),
        ("sidecar.schema.json", False),
    ],
)
def test_inputs_relevant(rel: str, expected: bool) -> None:
    assert Inputs(Path("/site")).relevant(rel) is expected


def test_inputs_relevant_follows_a_nested_seeds_dir() -> None:
    inputs = Inputs(Path("/site"), "desk/articles")
    assert inputs.relevant("desk") and inputs.relevant("desk/articles")
    assert inputs.relevant("desk/articles/one.yml")
    assert not inputs.relevant("seeds/one.yml") and not inputs.relevant("desk/one.yml")


def test_serve_help() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0 and "--port" in result.output and "--poll" in result.output


# -- the fallback ------------------------------------------------------------------------


def refuse(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "inotify watch limit reached")


def test_polls_when_notifications_are_refused(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(minimal())
    monkeypatch.setattr(Notifier, "follow", refuse)
    watching, why = watcher(Inputs.read(root), poll=False)
    assert isinstance(watching, Poller)
    assert why == "file-system notifications unavailable (inotify watch limit reached), "


def test_polls_when_a_new_watch_is_refused(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(minimal())
    notifier = Notifier(Inputs.read(root))
    said: list[str] = []
    monkeypatch.setattr(notifier, "follow", refuse)
    watching = followed(notifier, Inputs.read(root), said.append)
    assert isinstance(watching, Poller)
    assert said == [
        "file-system notifications unavailable (inotify watch limit reached): polling every 0.3 s"
    ]
    assert not notifier.observer.is_alive()
    # The poller reports what the build reads, as the notifier did.
    (root / "seeds" / "one.yml").write_text("summary: Changed.\n")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("not an input")
    assert watching.wait() == {"seeds/one.yml"}


def next_batch(watching: Watcher) -> set[str]:
    """The watcher's next batch, or a failure (not a hang) when none comes."""
    found: list[set[str]] = []
    thread = threading.Thread(target=lambda: found.append(watching.wait()), daemon=True)
    thread.start()
    thread.join(WAIT)
    assert found, "no change reported"
    return found[0]


def test_a_seeds_folder_removed_and_made_again_is_watched_again(project: Project) -> None:
    """`rm -r seeds; git checkout seeds`: a new folder, maybe with the old one's inode."""
    root = project(minimal())
    notifier = Notifier(Inputs.read(root))
    try:
        shutil.rmtree(root / "seeds")
        (root / "seeds").mkdir()
        assert "seeds" in next_batch(notifier)
        notifier.follow(Inputs.read(root))
        (root / "seeds" / "two.yml").write_text("summary: x\n")
        assert next_batch(notifier) == {"seeds/two.yml"}
        os.rename(root / "seeds", root / "old")
        (root / "seeds").mkdir()
        assert "seeds" in next_batch(notifier)
        notifier.follow(Inputs.read(root))
        (root / "old" / "two.yml").write_text("summary: moved away\n")
        (root / "seeds" / "three.yml").write_text("summary: x\n")
        assert next_batch(notifier) == {"seeds/three.yml"}
    finally:
        notifier.close()


class Stop(Exception):
    """Ends the serve loop of test_a_save_during_the_first_build_is_rebuilt."""


@pytest.mark.parametrize("poll", [False, True], ids=["notifications", "polling"])
def test_a_save_during_the_first_build_is_rebuilt(
    project: Project, monkeypatch: pytest.MonkeyPatch, poll: bool
) -> None:
    """The editor saves while serve's first build runs (seconds, on a large site): the
    next rebuild shows it. Found by review: the watcher was made after the first build,
    and the save waited for another one."""
    import briefgen.commands.serve as serving

    root = project(minimal())
    sidecar = root / "seeds" / "one.yml"
    real_build, real_rebuild = serving.build, serving.rebuild
    builds: list[int] = []

    def build(*args: Any, **kwargs: Any) -> Any:
        result = real_build(*args, **kwargs)
        if not builds:  # the save lands as the first build ends
            sidecar.write_text(sidecar.read_text().replace("met in Rome", "met in Paris"))
        builds.append(1)
        return result

    def rebuild(*args: Any, **kwargs: Any) -> None:
        real_rebuild(*args, **kwargs)
        if len(builds) == 2:
            raise Stop

    monkeypatch.setattr(serving, "build", build)
    monkeypatch.setattr(serving, "rebuild", rebuild)
    ended: list[BaseException] = []

    def run() -> None:
        try:
            serving.serve(root, port=0, poll=poll, say=lambda text: None)
        except BaseException as exc:
            ended.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(WAIT)
    assert ended and isinstance(ended[0], Stop), "the save was never rebuilt"
    assert "Ministers met in Paris." in (root / "site/briefings/one/index.html").read_text()


def test_serve_stops_on_sigint_when_the_suite_was_started_ignoring_it(tmp_path: Path) -> None:
    """A suite started with SIGINT ignored (`pytest &` from a script) passed that on to
    the servers it started, which then never stopped: conftest's pytest_configure."""
    test = "tests/test_attack.py::test_serve_answers_impossible_paths_with_404_and_no_traceback"
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:  # the inner pytest inherits SIGINT ignored, as from a background job
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-x",
                "-p",
                "no:cacheprovider",
                "--basetemp",
                str(tmp_path / "inner"),
                f"{test}[long-segment]",
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        output, _ = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output


# -- what a reader waits for ------------------------------------------------------------


def test_a_rebuild_is_shown_before_the_cache_is_written(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Open pages are told of a rebuild (the status version moves) once the new site is
    in place, not after the build cache is written too (0.3 s of a one-sidecar rebuild
    at 10,000 briefings), and told once."""
    import briefgen.commands.serve as serving
    from briefgen.incremental.reuse import CachedReuse

    root = project(minimal())
    state = serving.State(root / "site")
    said: list[str] = []
    serving.rebuild(root, state, False, said.append)
    real = CachedReuse.remember
    told_before_remember: list[int] = []

    def remember(self: CachedReuse, *args: Any, **kwargs: Any) -> None:
        told_before_remember.append(state.version)
        page = (root / "site/briefings/one/index.html").read_text()
        assert "Ministers met in Paris." in page  # what the reader reloads to
        real(self, *args, **kwargs)

    monkeypatch.setattr(CachedReuse, "remember", remember)
    before = state.version
    sidecar = root / "seeds" / "one.yml"
    sidecar.write_text(sidecar.read_text().replace("met in Rome", "met in Paris"))
    serving.rebuild(root, state, False, said.append)
    assert told_before_remember == [before + 1]
    assert state.version == before + 1 and state.error is None
    assert said[-1].startswith("built 1 briefing")


@pytest.mark.parametrize("failure", ["disk full", "error"])
def test_a_cache_that_cannot_be_written_after_the_site_is_shown_is_a_warning(
    project: Project, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    """The new site is in place and shown, then writing the build cache fails (a full
    disk: an OSError from the write; or a located error): the server goes on serving
    the new site with no error overlay, says on the terminal that the cache is behind,
    and the next rebuild makes it again. Found by review: the OSError stopped the
    server just after it had shown the new site."""
    import errno

    import briefgen.commands.serve as serving
    import briefgen.incremental.reuse as reuse
    from briefgen.vocabulary.errors import BriefgenError, error

    root = project(minimal())
    state = serving.State(root / "site")
    said: list[str] = []
    serving.rebuild(root, state, False, said.append)
    real = reuse.write_cache

    def write_cache(folder: Path, files: dict[str, bytes], *args: Any, **kwargs: Any) -> None:
        if "manifest" in files:
            if failure == "disk full":
                raise OSError(errno.ENOSPC, "No space left on device", str(folder / "manifest"))
            raise BriefgenError([error(".briefgen_cache/manifest", 1, 1, "cannot write")])
        real(folder, files, *args, **kwargs)

    monkeypatch.setattr(reuse, "write_cache", write_cache)
    before = state.version
    sidecar = root / "seeds" / "one.yml"
    sidecar.write_text(sidecar.read_text().replace("met in Rome", "met in Paris"))
    serving.rebuild(root, state, False, said.append)  # does not raise: still serving
    assert state.version == before + 1 and state.error is None
    assert "Ministers met in Paris." in (root / "site/briefings/one/index.html").read_text()
    assert said[-2].startswith("built 1 briefing")
    assert said[-1].startswith("warning: the site is built and served, but the build cache")
    assert ("No space left on device" if failure == "disk full" else "cannot write") in said[-1]
    monkeypatch.setattr(reuse, "write_cache", real)
    sidecar.write_text(sidecar.read_text().replace("met in Paris", "met in Oslo"))
    serving.rebuild(root, state, False, said.append)
    assert "Ministers met in Oslo." in (root / "site/briefings/one/index.html").read_text()
    assert state.error is None and said[-1].startswith("built 1 briefing")


def test_the_cache_is_written_even_if_telling_of_the_site_fails(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`live` (serve's report) raising, a closed terminal say, does not skip the cache
    write that used to come before it (found by review); the failure still surfaces."""
    from briefgen.build import build
    from briefgen.incremental.reuse import CachedReuse

    root = project(minimal())
    build(root)
    real = CachedReuse.remember
    remembered: list[bool] = []

    def remember(self: CachedReuse, *args: Any, **kwargs: Any) -> None:
        real(self, *args, **kwargs)
        remembered.append(True)

    def live(result: Any) -> None:
        raise BrokenPipeError("the terminal is gone")

    monkeypatch.setattr(CachedReuse, "remember", remember)
    sidecar = root / "seeds" / "one.yml"
    sidecar.write_text(sidecar.read_text().replace("met in Rome", "met in Paris"))
    with pytest.raises(BrokenPipeError):
        build(root, live=live)
    assert remembered == [True]
