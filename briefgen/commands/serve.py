"""`briefgen serve`: build, serve site/ on 127.0.0.1, rebuild on change, reload the page.

The inputs are watched through file-system notifications (briefgen/commands/watch.py), so a
server left open on a 10,000-briefing site costs no CPU until something is saved;
`--poll` (or no notifications to be had) compares file stamps instead. A rebuild
re-verifies only the seeds whose inputs changed (the build cache) and swaps site/ in
atomically, so the server never shows a half-written site. When a rebuild fails, the
last good site keeps being served and every open page shows the errors in an overlay, as
the terminal does.
"""

from __future__ import annotations

import contextlib
import gc
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from briefgen.build import build
from briefgen.commands.watch import DEBOUNCE, Inputs, Poller, Watcher, reason, watcher
from briefgen.incremental.warm import Warm
from briefgen.result import BuildResult
from briefgen.stages.inputs import CONFIG_FILE
from briefgen.vocabulary.errors import BriefgenError, os_error

STATUS = "/__briefgen/status"
LIVE_JS = "/__briefgen/live.js"
LIVE_SCRIPT = f'<script src="{LIVE_JS}"></script>'.encode()

LIVE = """\
(function () {
  "use strict";
  var version = null, overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("pre");
      overlay.setAttribute("role", "alert");
      var s = overlay.style;
      s.position = "fixed"; s.inset = "0"; s.margin = "0"; s.padding = "1.5rem";
      s.background = "rgba(20, 20, 20, 0.94)"; s.color = "#ffd7d7"; s.zIndex = "2147483647";
      s.overflow = "auto"; s.whiteSpace = "pre-wrap"; s.font = "14px/1.5 monospace";
      document.body.appendChild(overlay);
    }
    var intro = "briefgen: the last build failed; showing the last good site.\\n\\n";
    overlay.textContent = intro + text;
  }
  function poll() {
    fetch("/__briefgen/status", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (version === null) { version = s.version; if (s.error) { show(s.error); } return; }
        if (s.version === version) { return; }
        version = s.version;
        if (s.error) { show(s.error); } else { window.location.reload(); }
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, 400); });
  }
  poll();
})();
"""

ERROR_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>briefgen: build failed</title></head><body><h1>The build failed</h1>
<p>Fix the errors below; this page reloads when the site builds.</p><pre id="errors">{errors}</pre>
{script}</body></html>"""


@dataclass
class State:
    """What the server shows: bumped on every rebuild so open pages notice."""

    site: Path
    """The folder served: the last good build's site_dir (briefgen.yml is not read
    per request)."""
    version: int = 0
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def update(self, error: str | None) -> None:
        with self.lock:
            self.version += 1
            self.error = error

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"version": self.version, "error": self.error}


NAME_MAX = 255
PATH_MAX = 4096


def servable(path: str) -> bool:
    """Whether a request path could name a file at all: no NUL, no segment longer than a
    file name may be, no path longer than the system allows (they raised from the file
    system calls, dropping the connection with a traceback on the terminal)."""
    return (
        "\x00" not in path
        and len(path.encode("utf-8", "surrogateescape")) < PATH_MAX
        and all(
            len(part.encode("utf-8", "surrogateescape")) <= NAME_MAX for part in path.split("/")
        )
    )


def make_handler(state: State) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(state.site), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the terminal is for build results."""

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def send_bytes(self, data: bytes, content_type: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            if not servable(path):
                self.send_error(404)  # no file can have this name: no traceback either
                return
            if path == STATUS:
                self.send_bytes(json.dumps(state.snapshot()).encode(), "application/json")
                return
            if path == LIVE_JS:
                self.send_bytes(LIVE.encode(), "text/javascript; charset=utf-8")
                return
            target = Path(self.translate_path(self.path))
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                html = target.read_bytes()
                if b"</body>" in html:
                    html = html.replace(b"</body>", LIVE_SCRIPT + b"</body>", 1)
                self.send_bytes(html, "text/html; charset=utf-8")
                return
            error = state.snapshot()["error"]
            if error and not state.site.is_dir():
                escaped = error.replace("&", "&amp;").replace("<", "&lt;")
                page = ERROR_PAGE.format(errors=escaped, script=LIVE_SCRIPT.decode())
                self.send_bytes(page.encode(), "text/html; charset=utf-8", 500)
                return
            super().do_GET()

    return Handler


def rebuild(
    root: Path,
    state: State,
    drafts: bool,
    say: Callable[[str], None],
    warm: Warm | None = None,
    jobs: int = 1,
) -> None:
    """Build and show the result, the collector paused until it is shown (`settle`);
    `warm`: what the server keeps of its builds for the next (warm.py); `jobs`: as
    `briefgen build -j` (a template edit renders every page again: at 1,000 briefings,
    in one process, serve took 1.6-1.9 times as long as with two)."""
    shown: list[BuildResult] = []

    def live(result: BuildResult) -> None:
        """The new site is in place: open pages reload now, while the cache is written
        (0.3 s of a one-sidecar rebuild at 10,000 briefings)."""
        shown.append(result)
        report(root, state, result, say)

    with settled():
        try:
            built = build(root, drafts=drafts, say=say, warm=warm, jobs=jobs, live=live)
            if not shown:  # a no-op: nothing was told
                report(root, state, built, say)
        except (BriefgenError, OSError) as exc:
            if shown:
                # The new site is in place and shown: only the build cache is behind
                # (a full disk, a read-only cache folder). Not a failed build: the
                # next one checks what the cache holds by its hashes, and makes the
                # rest again (found by review: the OSError stopped the server).
                failure = os_error(exc) if isinstance(exc, OSError) else exc
                say(
                    "warning: the site is built and served, but the build cache could not "
                    f"be written ({failure.message}); the next build makes it again"
                )
            elif isinstance(exc, OSError):
                raise  # as before the swap was told apart: the command reports it
            else:
                state.update(exc.message)
                say(exc.message + "\nserving the last good site")


def report(root: Path, state: State, result: BuildResult, say: Callable[[str], None]) -> None:
    state.site = root / result.site_dir
    state.update(None)
    say(result.summary())


def keep_warm(root: Path, warm: Warm) -> None:
    """What the next rebuild would read of the cache, read now while nothing waits,
    when the first build kept nothing (it was a no-op, as when a site was built before
    `serve`): the first save is then rebuilt as quickly as the next ones."""
    if warm.manifest is None:
        with settled():
            warm.load(root)


@contextlib.contextmanager
def settled() -> Iterator[None]:
    """The collector paused for what this runs, then `settle`d; resumed but not settled
    if it is stopped (Ctrl-C should not wait for a collection)."""
    gc.disable()
    try:
        yield
    except BaseException:
        gc.enable()
        raise
    settle()


def settle() -> None:
    """After a rebuild is shown: collect what it left, and freeze what survives.

    What survives is mostly what the server keeps for its next build (`Warm`: the
    entries of every briefing, 2 million objects at 10,000 briefings). Left to the
    collector, every full collection would scan them again, holding the interpreter for
    a second while a page reloads; frozen (gc.freeze), they are never scanned, and still
    freed when the next build replaces them. The collection first frees the cycles the
    build left (its templates): frozen, they would never be freed."""
    gc.collect()
    gc.freeze()
    gc.enable()


def serve(
    root: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    drafts: bool = False,
    poll: bool = False,
    debounce: float = DEBOUNCE,
    say: Callable[[str], None] = print,
    jobs: int = 1,
) -> None:
    """Serve until interrupted (Ctrl-C): the CLI turns KeyboardInterrupt into a clean exit.

    `poll` compares file stamps instead of waiting for notifications; `jobs`: worker
    processes for each rebuild, as `briefgen build -j`.
    """
    inputs = Inputs.read(root)
    state = State(root / inputs.site_dir)
    warm = Warm()
    # Watched from before the first build: a save while it runs is rebuilt next (found
    # by review: the watcher was made after it, and such a save waited for another).
    watching, why = watcher(inputs, poll=poll, debounce=debounce)
    server: http.server.ThreadingHTTPServer | None = None
    try:
        rebuild(root, state, drafts, say, warm, jobs)
        server = http.server.ThreadingHTTPServer((host, port), make_handler(state))
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        address = f"http://{host}:{server.server_address[1]}/"
        say(f"serving {state.site.name}/ at {address} (Ctrl-C to stop)")
        say(f"watching {inputs.seeds_dir}/, templates/ and {CONFIG_FILE}: {why}{watching.how}")
        keep_warm(root, warm)
        while True:
            changed = watching.wait()
            if CONFIG_FILE in changed:
                inputs = Inputs.read(root)
            watching = followed(watching, inputs, say)
            rebuild(root, state, drafts, say, warm, jobs)
    finally:
        watching.close()
        if server is not None:
            server.shutdown()
            server.server_close()


def followed(watching: Watcher, inputs: Inputs, say: Callable[[str], None]) -> Watcher:
    """The watcher, now watching `inputs` (a seeds folder created or moved); a poller if
    the system refuses more watches (inotify's limit)."""
    try:
        watching.follow(inputs)
        return watching
    except OSError as exc:
        watching.close()
        say(f"file-system notifications unavailable ({reason(exc)}): {Poller.how}")
        return Poller(inputs)
