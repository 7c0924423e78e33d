"""What `briefgen serve` costs while nothing happens, and how soon a save shows.

    python benchmarks/serve_idle.py --n 10000 [--idle 20] [--edits 3] [--work DIR]
                                    [--poll] [--code CHECKOUT]

Writes a seeded synthetic site of N briefings (benchmarks/corpus.py; kept in --work to
be reused), builds it once with `briefgen build -j` so that the server's own first
build is a no-op, starts `briefgen serve` as a subprocess and waits for it. Then:

- idle CPU: the server's user + system CPU time (/proc/<pid>/stat) over --idle seconds,
  as a share of one core; once with no page open, once while this script asks
  /__briefgen/status every 0.4 s as an open page's live-reload script does;
- save to reload: --edits times, once the server is idle (under half a core over
  0.6 s), one sidecar is edited and the time until /__briefgen/status reports a new
  version is taken, with the rebuild's own duration until it showed the new site
  (from the server's summary line; the cache is written after) and the rest
  (noticing the save, the debounce).
  An open page reloads on its next status request, at most 0.4 s later.

`--poll` passes `--poll` to the server (the fallback watcher). `--code` runs briefgen from
another checkout, to measure an older watcher, e.g.
`git worktree add /tmp/old <commit>` then `--code /tmp/old`. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus

TICKS = os.sysconf("SC_CLK_TCK")
STATUS_EVERY = 0.4
"""How often an open page asks for the status (briefgen/commands/serve.py's live script)."""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def status(base: str) -> dict[str, Any]:
    with urllib.request.urlopen(base + "/__briefgen/status", timeout=30) as response:
        return dict(json.loads(response.read()))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def site(work: Path, n: int) -> Path:
    """The N-briefing site, written once and reused."""
    root = work / f"serve-{n}"
    if not (root / "seeds" / f"briefing-{n - 1:05d}.yml").is_file():
        write_corpus(root, n)
    return root


class Server:
    def __init__(self, root: Path, env: dict[str, str], poll: bool) -> None:
        self.base = f"http://127.0.0.1:{free_port()}"
        port = self.base.rsplit(":", 1)[1]
        command = [sys.executable, "-m", "briefgen", "-C", str(root), "serve", "--port", port]
        self.process = subprocess.Popen(
            command + (["--poll"] if poll else []),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=root,  # `python -m` puts the working folder first on sys.path
        )
        self.lines: list[str] = []
        threading.Thread(target=self.read, daemon=True).start()

    def read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)

    def wait_ready(self, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("serve exited:\n" + "".join(self.lines))
            try:
                status(self.base)
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("serve did not start:\n" + "".join(self.lines))

    def idle_cpu(self, seconds: float, page_open: bool) -> float:
        """Share of one core the server used over `seconds` with no edit."""
        start, began = cpu_seconds(self.process.pid), time.monotonic()
        while (left := seconds - (time.monotonic() - began)) > 0:
            if page_open:
                status(self.base)
            time.sleep(min(STATUS_EVERY, left))
        return (cpu_seconds(self.process.pid) - start) / (time.monotonic() - began)

    def wait_quiet(self, window: float = 0.6, share: float = 0.5, timeout: float = 30) -> None:
        """Until the server used less than `share` of a core over `window` seconds: its
        last rebuild goes on after the new site is shown (the cache is written), and a
        save made meanwhile would wait for it, which an editor saving a while later
        does not. A share, not no CPU at all: `--poll` scans the inputs every 0.3 s
        (a third of a core at 10,000 briefings, found by review). Says so if the
        server never got that quiet."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            start, began = cpu_seconds(self.process.pid), time.monotonic()
            time.sleep(window)
            used = cpu_seconds(self.process.pid) - start
            if used / (time.monotonic() - began) < share:
                return
        print(
            f"the server never used less than {share:.0%} of a core for {window} s", file=sys.stderr
        )

    def save_to_reload(self, sidecar: Path, i: int) -> tuple[float, float]:
        """Seconds from saving `sidecar` to the status showing the rebuilt site, and the
        rebuild's own seconds (until the site was shown), the server idle before."""
        self.wait_quiet()
        version = status(self.base)["version"]
        lines = len(self.lines)
        text = sidecar.read_text(encoding="utf-8")
        saved = time.monotonic()
        sidecar.write_text(text.replace("Key point 1 of", f"Key point 1.{i} of", 1))
        while status(self.base)["version"] == version:
            time.sleep(0.01)
        seen = time.monotonic() - saved
        deadline = time.monotonic() + 60  # the summary is printed just after the version moves
        while time.monotonic() < deadline:
            summaries = [
                float(m.group(1))
                for line in self.lines[lines:]
                if (m := re.search(r"\((\d+\.\d+) s\)$", line.strip()))
            ]
            if summaries:
                return seen, summaries[-1]
            time.sleep(0.05)
        return seen, float("nan")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10000, help="briefings in the site")
    parser.add_argument("--idle", type=float, default=20.0, help="seconds of idle to time")
    parser.add_argument("--edits", type=int, default=3, help="sidecar edits to time")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="first build")
    parser.add_argument("--work", type=Path, default=Path("/tmp/briefgen-serve-bench"))
    parser.add_argument("--poll", action="store_true", help="serve --poll")
    parser.add_argument("--code", type=Path, help="run briefgen from this checkout")
    args = parser.parse_args()

    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if args.code:
        env["PYTHONPATH"] = str(args.code.resolve())
    root = site(args.work, args.n)
    build = [sys.executable, "-m", "briefgen", "-C", str(root), "build", "-j", str(args.jobs)]
    subprocess.run(build, env=env, check=True, stderr=subprocess.DEVNULL, cwd=root)

    server = Server(root, env, args.poll)
    try:
        server.wait_ready()
        time.sleep(2)  # past the start-up (imports, the no-op build)
        idle = server.idle_cpu(args.idle, page_open=False)
        with_page = server.idle_cpu(args.idle, page_open=True)
        sidecar = root / "seeds" / "briefing-00000.yml"
        edits = [server.save_to_reload(sidecar, i) for i in range(args.edits)]
    finally:
        server.stop()
    watcher = next((line.strip() for line in server.lines if line.startswith("watching")), "")
    seen = statistics.median(e[0] for e in edits)
    rebuild = statistics.median(e[1] for e in edits)
    print(f"briefgen serve, {args.n:,} briefings, {watcher or 'polling (before watch.py)'}")
    print(f"idle CPU, no page open:       {100 * idle:.2f} % of a core ({args.idle:.0f} s)")
    print(f"idle CPU, one page open:      {100 * with_page:.2f} % of a core")
    print(f"save to new status (median of {args.edits}): {seen:.2f} s")
    print(f"  of which the rebuild:       {rebuild:.2f} s")
    print(f"  noticing + debounce:        {seen - rebuild:.2f} s")
    print("each edit (s, rebuild s):     " + ", ".join(f"{s:.2f} ({r:.2f})" for s, r in edits))


if __name__ == "__main__":
    main()
