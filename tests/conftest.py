"""Shared fixtures: small projects written on the fly, and the repository's example site."""

from __future__ import annotations

import shutil
import signal
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.commands.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_SEED = REPO / "seeds" / "us-strikes-iraq-syria.txt"

MINIMAL_SEED = """\
2021-06-28

Ministers meet in Rome

“We will not be intimidated,” the minister said on Monday in Rome.

A second paragraph mentions the Popular Mobilization units and the Al-Omar oil field.

A third paragraph says nothing of note.
"""

MINIMAL_SIDECAR = """\
summary: Ministers met in Rome.
quotes:
  - text: We will not be intimidated
    speaker: A. Minister
annotations:
  - anchor: Popular Mobilization units
    note: Iraq's state-sanctioned militias.
"""

Project = Callable[[Mapping[str, str | bytes]], Path]


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C reaches the processes the tests start, however the suite was started.

    Started with SIGINT ignored (a background job of a script or of a non-interactive
    shell, `pytest &`, as some CI runners and agents do), the suite passed that on: an
    ignored signal stays ignored across exec, and Python then installs no
    KeyboardInterrupt handler, so the `briefgen serve` and `briefgen build` the tests
    stop with SIGINT never stopped (found when the first of them, in test_attack.py,
    timed out on a fresh machine). A handled signal is reset to the default across exec,
    so handling it here gives every child Python's own handler."""
    del config
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def run_cli(root: Path, *args: str) -> tuple[int, str]:
    """`briefgen -C root ARGS` in-process: exit code and output; an exception that is not
    a clean exit fails the test with the output (a traceback is never an answer)."""
    result = CliRunner().invoke(main, ["-C", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def write_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """Write a site from {relative path: text}; returns its root."""
    root = tmp_path / "site-root"
    root.mkdir()
    return lambda files: write_files(root, files)


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """A copy of the repository's example site (config, seeds, no generated output)."""
    root = tmp_path / "example"
    root.mkdir()
    shutil.copy(REPO / "briefgen.yml", root / "briefgen.yml")
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copy(REPO / "register.yml", root / "register.yml")
    return root


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path: for byte-for-byte comparisons."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
