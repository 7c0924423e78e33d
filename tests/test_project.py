"""The project's own promises: lint- and type-clean, documented keys match the code, CLI."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from briefgen import __version__
from briefgen.commands.cli import main
from briefgen.commands.docs import tables

from conftest import REPO


def test_readme_key_tables_match_declarations() -> None:
    readme = (REPO / "README.md").read_text()
    for name, table in tables().items():
        block = re.search(rf"<!-- {name} -->\n(.*?)\n<!-- /{name} -->", readme, re.S)
        assert block, f"README lacks the {name} block"
        assert block[1] == table, f"README {name} is stale: run python -m briefgen.commands.docs"


def test_ci_runs_the_readme_test_command() -> None:
    """`.ci/run` is the README's test command, word for word, so CI needs no step the
    README does not give a new user."""
    readme = (REPO / "README.md").read_text()
    setup = readme[readme.index("## Set-up") : readme.index("\n## ", readme.index("## Set-up") + 1)]
    commands = re.findall(r"```sh\n(.*?)\n```", setup, re.S)
    assert len(commands) == 2, "the set-up is two commands"
    install, test = commands
    assert install.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
    assert "python -m pytest -m e2e" in test
    assert (REPO / ".ci" / "run").read_text().rstrip().endswith("\n" + test)


@pytest.mark.parametrize("tool", ["ruff check", "ruff format --check", "mypy"])
def test_code_is_clean(tool: str) -> None:
    exe = shutil.which(tool.split()[0])
    if exe is None:
        pytest.skip(f"{tool} is not installed (install the [test] extra)")
    result = subprocess.run(
        [sys.executable, "-m", *tool.split(), *([] if tool == "mypy" else ["briefgen", "tests"])],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_help_and_version() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "build" in result.output and "check" in result.output
    assert runner.invoke(main, ["--version"]).output.strip() == f"briefgen, version {__version__}"
    for command in ("build", "check"):
        result = runner.invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "--strict" in result.output


def test_missing_seeds_folder_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, ["-C", str(tmp_path), "build"])
    assert result.exit_code == 1
    assert result.output.startswith("seeds: error: seeds folder not found")
    assert "Traceback" not in result.output
