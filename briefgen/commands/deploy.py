"""Publishing `site/` to a `gh-pages` branch, like `mkdocs gh-deploy`.

ghp-import (a dependency of MkDocs, well kept) writes the branch with `git fast-import`;
this module adds what it lacks: a clear refusal outside a git repository or without the
remote (ghp-import exits 0 outside a repository), a committer identity when git has none,
and a check that the commit really happened (ghp-import only prints when it fails).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefgen import __version__
from briefgen.vocabulary.errors import BriefgenError, error


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)


def refuse(message: str, hint: str = "") -> BriefgenError:
    return BriefgenError([error(".", 0, 0, message, hint)])


def check_repository(root: Path, remote: str) -> None:
    """Fail early, with a hint, where ghp-import would fail late or silently."""
    try:
        inside = git(root, "rev-parse", "--is-inside-work-tree")
    except FileNotFoundError:
        raise refuse("git is not installed", "install git to publish with gh-deploy") from None
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise refuse(
            "not a git repository: gh-deploy publishes site/ to a branch of this repository",
            "run git init and add a remote, or publish with the GitHub Pages workflow",
        )
    if git(root, "remote", "get-url", remote).returncode != 0:
        remotes = git(root, "remote").stdout.split()
        known = f"known remotes: {', '.join(remotes)}" if remotes else "this repository has none"
        raise refuse(
            f"git remote '{remote}' not found ({known})",
            f"git remote add {remote} <url>, or pass --remote NAME",
        )


@contextmanager
def working_directory(path: Path) -> Iterator[None]:
    """ghp-import runs git in the current directory."""
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def commit_message(root: Path) -> str:
    head = git(root, "rev-parse", "--short", "HEAD")
    source = f" from {head.stdout.strip()}" if head.returncode == 0 else ""
    return f"Deployed{source} with briefgen {__version__}"


def gh_deploy(
    root: Path,
    site_dir: Path,
    *,
    remote: str,
    branch: str,
    message: str | None,
    push: bool,
    force: bool,
) -> str:
    """Commit `site_dir` as the whole tree of `branch` and push it; returns the commit."""
    import ghp_import

    check_repository(root, remote)
    before = git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}").stdout.strip()
    env = {}
    if not git(root, "config", "user.name").stdout.strip():
        env["GIT_COMMITTER_NAME"] = "briefgen"
    if not git(root, "config", "user.email").stdout.strip():
        env["GIT_COMMITTER_EMAIL"] = "briefgen@localhost"
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with working_directory(root):
            ghp_import.ghp_import(
                str(site_dir),
                mesg=message or commit_message(root),
                remote=remote,
                branch=branch,
                push=push,
                force=force,
                nojekyll=True,
            )
    except ghp_import.GhpError as exc:
        raise refuse(f"gh-deploy failed: {exc.message}") from None
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    after = git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}").stdout.strip()
    if not after or after == before:
        raise refuse(f"gh-deploy failed: git did not record a new commit on {branch}")
    return after
