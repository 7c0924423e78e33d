"""Benchmark briefgen against MkDocs (and Hugo, when a `hugo` binary is on PATH).

    python benchmarks/bench.py --n 100 1000 [--jobs 2] [--json bench.json]

For each N it writes a seeded synthetic site (benchmarks/corpus.py) and measures, each as
a separate process: a cold build, a no-op rebuild, a rebuild after one sidecar edit, a
rebuild after one template edit, and peak RSS; then MkDocs building the same generated
content/*.md (footnotes + meta, a one-page nav since its default nav is quadratic) and Hugo
with a minimal layout, so every figure is also a ratio to a peer measured on the same
machine at the same moment. Before each N it also probes the machine (the cost of making
a file where the sites are written, and the CPU pressure): on a shared virtual machine
these move the figures more than most changes do. Prints the tables and writes the
figures as JSON.

briefgen's modules are compiled to bytecode first, as `pip install` does for an installed
tool and MkDocs' already are: a checkout run with PYTHONDONTWRITEBYTECODE set (as some CI
images and this machine do) would otherwise recompile ~200 modules in every process, a
third of a no-op rebuild.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus

MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "quiet = {'stdout': subprocess.DEVNULL, 'stderr': subprocess.DEVNULL}\n"
    "code = subprocess.run(sys.argv[1:], **quiet).returncode\n"
    "seconds = time.perf_counter() - t\n"
    "used = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(code, seconds, used.ru_maxrss, used.ru_utime + used.ru_stime)\n"
)


def measure(*command: str, cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of a command and the
    processes it waits for. The CPU time is reported too: wall time on a shared 2-core
    machine moves with its neighbours, CPU time much less."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    code, seconds, rss_kb, cpu = int(out[0]), float(out[1]), int(out[2]), float(out[3])
    if code != 0:
        raise SystemExit(f"failed ({code}): {' '.join(command)} in {cwd}")
    return seconds, rss_kb / 1024, cpu


def briefgen(root: Path, jobs: int, *extra: str) -> tuple[float, float, float]:
    return measure(
        sys.executable,
        "-m",
        "briefgen",
        "-C",
        str(root),
        "build",
        "-j",
        str(jobs),
        *extra,
        cwd=root,
    )


def mkdocs_site(root: Path, target: Path) -> Path:
    """An MkDocs project of the generated Markdown, with a one-page nav."""
    docs = target / "docs"
    shutil.copytree(root / "content", docs, ignore=shutil.ignore_patterns(".briefgen"))
    (docs / "index.md").write_text("# Briefings\n")
    (target / "mkdocs.yml").write_text(
        "site_name: Bench\nnav:\n  - index.md\nmarkdown_extensions:\n  - footnotes\n  - meta\n"
    )
    return target


def hugo_site(root: Path, target: Path) -> Path:
    """A Hugo project of the generated Markdown with a minimal layout."""
    shutil.copytree(
        root / "content", target / "content", ignore=shutil.ignore_patterns(".briefgen")
    )
    (target / "hugo.toml").write_text('baseURL = "https://bench.example/"\ntitle = "Bench"\n')
    layouts = target / "layouts" / "_default"
    layouts.mkdir(parents=True)
    page = "<!doctype html><title>{{ .Title }}</title><main>{{ .Content }}</main>"
    (layouts / "single.html").write_text(page)
    (layouts / "list.html").write_text(
        "{{ range .Pages }}<a href='{{ .RelPermalink }}'>{{ .Title }}</a>{{ end }}"
    )
    return target


def machine_now(work: Path, files: int = 200) -> dict[str, float | None]:
    """How the machine stands just before a size is measured: the CPU time the kernel
    spends making a small file where the sites are written, and the share of time a
    runnable process waited for a core (Linux's CPU pressure, `some`, over 60 s; None
    elsewhere). On a shared virtual machine both move by an order of magnitude from one
    hour, or one folder, to the next (0.03 to 1.1 ms a file seen on one disk), and a
    build makes thousands of files: these say which of those hours a row was measured in."""
    import resource

    probe = Path(tempfile.mkdtemp(prefix="probe-", dir=work))
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    for i in range(files):
        (probe / f"{i:05d}.js").write_bytes(b"x" * 4096)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    shutil.rmtree(probe)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    pressure: float | None = None
    try:
        some = Path("/proc/pressure/cpu").read_text().splitlines()[0]
        pressure = float(some.split("avg60=")[1].split()[0])
    except (OSError, IndexError, ValueError):
        pass
    return {
        "file_ms": wall / files * 1000,
        "file_cpu_ms": cpu / files * 1000,
        "cpu_pressure_pct": pressure,
    }


def compile_briefgen() -> None:
    """Bytecode for every briefgen module, written whatever PYTHONDONTWRITEBYTECODE says."""
    import briefgen

    compileall.compile_dir(Path(briefgen.__file__).parent, quiet=1)


def bench(n: int, jobs: int, work: Path, peers: bool) -> dict[str, float | None]:
    root = work / f"site-{n}"
    write_corpus(root, n)
    row: dict[str, float | None] = {"n": n, **machine_now(work)}
    row["cold_s"], row["cold_rss_mb"], row["cold_cpu_s"] = briefgen(root, jobs, "--clean")
    row["noop_s"], *_ = briefgen(root, jobs)
    sidecar = root / "seeds" / "briefing-00000.yml"
    sidecar.write_text(sidecar.read_text().replace("Key point 1 of", "Key point one of", 1))
    row["sidecar_edit_s"], *_ = briefgen(root, jobs)
    (root / "templates").mkdir(exist_ok=True)
    override = root / "templates" / "briefing.html"
    override.write_text('{% extends "base.html" %}{% block main %}{{ content }}{% endblock %}\n')
    briefgen(root, jobs)
    override.write_text(
        '{% extends "base.html" %}{% block main %}<article>{{ content }}</article>{% endblock %}\n'
    )
    row["template_edit_s"], *_ = briefgen(root, jobs)
    row["briefings_per_s"] = n / row["cold_s"] if row["cold_s"] else None
    row["mkdocs_s"] = row["hugo_s"] = None
    if peers:
        site = mkdocs_site(root, work / f"mkdocs-{n}")
        row["mkdocs_s"], row["mkdocs_rss_mb"], row["mkdocs_cpu_s"] = measure(
            sys.executable, "-m", "mkdocs", "build", "-q", cwd=site
        )
        if shutil.which("hugo"):
            site = hugo_site(root, work / f"hugo-{n}")
            row["hugo_s"], row["hugo_rss_mb"], row["hugo_cpu_s"] = measure(
                "hugo", "--quiet", cwd=site
            )
    return row


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else "—"


def table(rows: list[dict[str, float | None]]) -> str:
    head = (
        "| N | cold | briefings/s | peak RSS | no-op | 1 sidecar | 1 template "
        "| MkDocs cold | ×MkDocs | Hugo cold | ×Hugo |"
    )
    lines = [head, "|" + "---|" * 11]
    for r in rows:

        def s(key: str, r: dict[str, float | None] = r) -> str:
            value = r.get(key)
            return f"{value:.2f} s" if isinstance(value, float) else "—"

        lines.append(
            f"| {r['n']:,} | {s('cold_s')} | {r['briefings_per_s'] or 0:.0f} | "
            f"{r['cold_rss_mb'] or 0:.0f} MB | {s('noop_s')} | {s('sidecar_edit_s')} | "
            f"{s('template_edit_s')} | {s('mkdocs_s')} | {ratio(r['cold_s'], r.get('mkdocs_s'))} | "
            f"{s('hugo_s')} | {ratio(r['cold_s'], r.get('hugo_s'))} |"
        )
    lines += ["", "| N | cold CPU | MkDocs CPU | ×MkDocs | Hugo CPU | ×Hugo |", "|" + "---|" * 6]
    for r in rows:
        cpu = {k: r.get(f"{k}_cpu_s") for k in ("cold", "mkdocs", "hugo")}
        shown = {k: f"{v:.2f} s" if isinstance(v, float) else "—" for k, v in cpu.items()}
        lines.append(
            f"| {r['n']:,} | {shown['cold']} | {shown['mkdocs']} | "
            f"{ratio(cpu['cold'], cpu['mkdocs'])} | {shown['hugo']} | "
            f"{ratio(cpu['cold'], cpu['hugo'])} |"
        )
    lines += ["", "| N | making a file | its CPU | CPU pressure |", "|" + "---|" * 4]
    for r in rows:
        pressure = r.get("cpu_pressure_pct")
        lines.append(
            f"| {r['n']:,} | {r['file_ms'] or 0:.3f} ms | {r['file_cpu_ms'] or 0:.3f} ms | "
            f"{'—' if pressure is None else f'{pressure:.1f} %'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100, 1000], help="site sizes")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, default=Path("bench.json"), help="figures file")
    parser.add_argument("--no-peers", action="store_true", help="skip MkDocs and Hugo")
    parser.add_argument(
        "--work",
        type=Path,
        help="where the sites are written (default: a temporary folder; a tmpfs such as "
        "/dev/shm takes the file system's cost of making files out of the figures)",
    )
    args = parser.parse_args()
    compile_briefgen()
    rows = []
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-", dir=args.work) as tmp:
        for n in args.n:
            started = time.perf_counter()
            rows.append(bench(n, args.jobs, Path(tmp), not args.no_peers))
            print(f"N={n:,} measured in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    print(f"briefgen benchmark, -j {args.jobs}, {machine}\n")
    print(table(rows))
    args.json.write_text(
        json.dumps({"machine": machine, "jobs": args.jobs, "rows": rows}, indent=2)
    )


if __name__ == "__main__":
    main()
