"""The benchmark scripts run and report what the README says they report (figures are
not asserted: speed targets live in the benchmark's output, never in tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_bench_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    figures = tmp_path / "bench.json"
    out = run("benchmarks/bench.py", "--n", "20", "--no-peers", "--json", str(figures))
    assert "| N | cold | briefings/s | peak RSS | no-op | 1 sidecar | 1 template |" in out
    row = json.loads(figures.read_text())["rows"][0]
    assert row["n"] == 20
    for key in ("cold_s", "noop_s", "sidecar_edit_s", "template_edit_s", "cold_rss_mb"):
        assert row[key] > 0, key
    assert "| N | cold CPU | MkDocs CPU | ×MkDocs | Hugo CPU | ×Hugo |" in out
    assert 0 < row["cold_cpu_s"] < 60
    assert "| N | making a file | its CPU | CPU pressure |" in out
    assert row["file_ms"] > 0 and row["file_cpu_ms"] >= 0


def test_stages_times_every_stage() -> None:
    out = run("benchmarks/stages.py", "--n", "5")
    for stage in ("parse + validate sidecar", "page HTML from the document", "search index"):
        assert stage in out


def test_serve_idle_prints_idle_cpu_and_save_to_reload(tmp_path: Path) -> None:
    out = run(
        "benchmarks/serve_idle.py",
        "--n",
        "5",
        "--idle",
        "1",
        "--edits",
        "1",
        "--work",
        str(tmp_path),
    )
    assert "watching seeds/, templates/ and briefgen.yml: file-system notifications" in out
    for line in ("idle CPU, no page open:", "idle CPU, one page open:", "save to new status"):
        assert line in out
    assert "nan" not in out


def test_incremental_counts_the_work_of_an_edit(tmp_path: Path) -> None:
    out = run("benchmarks/incremental.py", "--n", "20", "--root", str(tmp_path / "site"))
    for line in ("cold", "no-op", "edit 1", "pages fingerprinted", "term shards made"):
        assert line in out, line
    assert "small edit                  1" in out


def test_warm_times_a_server_with_and_without_what_it_keeps(tmp_path: Path) -> None:
    out = run("benchmarks/warm.py", "--n", "20", "--edits", "1", "--root", str(tmp_path / "s"))
    for mode in ("nothing kept", "records kept", "records anew"):
        assert f"median {mode}" in out
    assert "RSS" in out and "frozen" in out
    assert "shown after" in out and "median records kept, shown" in out


def test_rerendered_tells_the_files_made_again_unchanged(tmp_path: Path) -> None:
    out = run("benchmarks/rerendered.py", "--n", "20", "--root", str(tmp_path / "s"))
    made = int(out.split(": ")[1].split()[0])
    same = int(out.split("the same bytes as before")[1].split()[0])
    changed = int(out.split("changed")[1].split()[0])
    assert made == same + changed and changed >= 1
    listed = [line.strip() for line in out.splitlines() if line.startswith("    ")]
    assert len(listed) == changed
    assert "briefings/briefing-00000/index.html" in listed  # the edited page did change
