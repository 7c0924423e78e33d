"""The `briefgen` command: parse arguments, call the library, report. Nothing more."""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

from briefgen import __version__
from briefgen.vocabulary.errors import Diagnostic, os_error, render

if TYPE_CHECKING:
    from briefgen.result import BuildResult

F = TypeVar("F", bound=Callable[..., Any])


def report(diagnostics: list[Diagnostic]) -> None:
    if diagnostics:
        click.echo(render(diagnostics), err=True)


def guarded(func: F) -> F:
    """Turn file-system failures into located errors: users never see a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OSError as exc:
            raise os_error(exc) from None

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
@click.option(
    "-C",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    help="Run as if started in DIR (the site root).",
)
@click.pass_context
def main(ctx: click.Context, directory: Path) -> None:
    """Turn seed articles and editors' YAML sidecars into a footnoted briefing site."""
    if not directory.is_dir():
        raise click.BadParameter(f"{directory} is not a directory", param_hint="-C")
    ctx.obj = directory


drafts_option = click.option("--drafts", is_flag=True, help="Include briefings marked draft: true.")
jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=lambda: os.cpu_count() or 1,
    show_default="number of CPUs",
    help="Worker processes; the output is the same for any number.",
)
strict_option = click.option(
    "--strict", is_flag=True, help="Treat warnings (such as unverified quotes) as errors."
)


site_url_option = click.option(
    "--site-url",
    metavar="URL",
    help="Override site_url from briefgen.yml (CI passes the Pages base URL).",
)


class ProgressLine:
    """A one-line progress display on a terminal, shown only once a build takes over 1 s."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.shown = False
        self.enabled = sys.stderr.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.started < 1.0:
            return
        if done == total or done % 50 == 0:
            sys.stderr.write(f"\r{stage} {done}/{total}\x1b[K")
            sys.stderr.flush()
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def say(text: str) -> None:
    click.echo(text, err=True)


SPENT: list[object] | None = None
"""Where a one-shot build leaves its working memory when the process ends right after
it (`entry`, then build.build's `spent`); None when main runs inside another program
(the tests' CliRunner, an editor's script), whose memory is freed as usual."""


def entry() -> None:
    """The `briefgen` command: main, then the process ends without freeing what the
    build held (os._exit after flushing, as mypy ends): at 10,000 briefings, freeing it
    was half a second of a one-sidecar rebuild. Every file is closed and the lock
    released by then; only memory is left to the operating system."""
    global SPENT
    SPENT = []
    code: int | str | None = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):  # sys.exit("message"), as SystemExit reports it
        flushed(sys.stderr, code + "\n")
        code = 1
    if not flushed(sys.stdout) and not code:
        code = 120  # as Python's own exit does when stdout cannot be flushed
    flushed(sys.stderr)
    os._exit(code or 0)


def flushed(stream: TextIO | None, text: str = "") -> bool:
    """Write and flush a standard stream if there is one (`>&-` leaves None); False if
    it could not be (a closed pipe)."""
    if stream is None:
        return True
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):
        return False
    return True


def run_build(root: Path, **options: Any) -> BuildResult:
    """Build and report: warnings, then one summary line."""
    from briefgen.build import build as build_site

    progress = ProgressLine()
    try:
        result = build_site(root, progress=progress, say=say, spent=SPENT, **options)
    finally:
        progress.clear()
    if SPENT is not None:
        SPENT.append(result)
    report(result.diagnostics)
    click.echo(result.summary(), err=True)
    if not result.site_url:
        click.echo(
            "note: set site_url in briefgen.yml for sitemap.xml and absolute feed links", err=True
        )
    return result


@main.command()
@drafts_option
@strict_option
@site_url_option
@click.option(
    "--clean",
    is_flag=True,
    help="Replace content/ and site/ even if they hold files briefgen did not create.",
)
@jobs_option
@click.option(
    "--no-wait",
    is_flag=True,
    help="Fail at once if another build of this folder is running (default: wait for it).",
)
@click.pass_obj
@guarded
def build(
    root: Path,
    drafts: bool,
    strict: bool,
    site_url: str | None,
    clean: bool,
    jobs: int,
    no_wait: bool,
) -> None:
    """Generate content/ (Markdown) and site/ (HTML) from seeds/."""
    options: dict[str, Any] = {"wait": 0} if no_wait else {}
    run_build(
        root, drafts=drafts, strict=strict, site_url=site_url, clean=clean, jobs=jobs, **options
    )


@main.command("gh-deploy")
@click.option("--remote", default="origin", show_default=True, help="Git remote to push to.")
@click.option("--branch", default="gh-pages", show_default=True, help="Branch to publish.")
@click.option("-m", "--message", help="Commit message (default names the source commit).")
@click.option("--force", is_flag=True, help="Force the push (overwrites the remote branch).")
@click.option("--no-push", is_flag=True, help="Commit the branch locally; do not push.")
@strict_option
@site_url_option
@click.pass_obj
@guarded
def gh_deploy(
    root: Path,
    remote: str,
    branch: str,
    message: str | None,
    force: bool,
    no_push: bool,
    strict: bool,
    site_url: str | None,
) -> None:
    """Build, then publish site/ to the gh-pages branch (like mkdocs gh-deploy)."""
    from briefgen.commands.deploy import check_repository
    from briefgen.commands.deploy import gh_deploy as deploy

    check_repository(root, remote)  # before building: fail fast, change nothing
    result = run_build(root, strict=strict, site_url=site_url)
    commit = deploy(
        root,
        root / result.site_dir,
        remote=remote,
        branch=branch,
        message=message,
        push=not no_push,
        force=force,
    )
    where = f"{remote}/{branch}" if not no_push else branch
    click.echo(f"published {result.site_dir}/ to {where} ({commit[:12]})", err=True)


def requirement(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and (not value.strip() or "\n" in value or "\r" in value):
        raise click.BadParameter("give one pip requirement, on one line")
    return value


@main.command("new-site")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--install",
    metavar="SPEC",
    callback=requirement,
    help=f"What the workflow pip-installs (default: briefgen=={__version__}, this version).",
)
@guarded
def new_site(directory: Path, install: str | None) -> None:
    """Start a briefing site in DIRECTORY, with its GitHub Pages workflow."""
    from briefgen.commands.scaffold import DEFAULT_INSTALL
    from briefgen.commands.scaffold import new_site as scaffold
    from briefgen.output.newfiles import made_folder

    made_folder(directory)
    for rel in scaffold(directory, install or DEFAULT_INSTALL):
        click.echo(f"wrote {directory / rel}", err=True)


@main.command()
@drafts_option
@strict_option
@jobs_option
@click.pass_obj
@guarded
def check(root: Path, drafts: bool, strict: bool, jobs: int) -> None:
    """Run every validation of build; write nothing."""
    from briefgen.build import build as build_site

    result = build_site(root, drafts=drafts, strict=strict, write=False, jobs=jobs)
    report(result.diagnostics)
    click.echo(result.summary("checked"), err=True)


@main.command()
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option(
    "--poll",
    is_flag=True,
    envvar="BRIEFGEN_POLL",
    help="Compare file stamps every 0.3 s instead of using file-system notifications "
    "(for file systems that send none). Also BRIEFGEN_POLL=1.",
)
@drafts_option
@jobs_option
@click.pass_obj
@guarded
def serve(root: Path, port: int, poll: bool, drafts: bool, jobs: int) -> None:
    """Build, serve site/ on 127.0.0.1, rebuild and reload open pages on change."""
    from briefgen.commands.serve import serve as run_server

    def say(text: str) -> None:
        click.echo(text, err=True)

    try:
        run_server(root, port=port, drafts=drafts, poll=poll, say=say, jobs=jobs)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


@main.command()
@click.argument("seed", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing sidecar.")
@click.pass_obj
@guarded
def new(root: Path, seed: Path, force: bool) -> None:
    """Write a sidecar skeleton for SEED (seeds/<slug>.txt): quotes and names found in it."""
    from briefgen.commands.newsidecar import new_sidecar

    for written in new_sidecar(root, seed, force=force):
        click.echo(f"wrote {written}", err=True)


@main.command("import")
@click.argument("page", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--slug", help="The seed's slug (default: from the headline).")
@click.option(
    "--date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Publication date, when the page gives none (YYYY-MM-DD).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing seed and sidecar.")
@click.pass_obj
@guarded
def import_(root: Path, page: Path, slug: str | None, date: datetime | None, force: bool) -> None:
    """Make a seed and its sidecar from PAGE, a news article saved from the browser."""
    from briefgen.commands.importer import import_page

    found = date.date() if date else None
    for written in import_page(root, page, slug=slug, date=found, force=force):
        click.echo(f"wrote {written}", err=True)


@main.command()
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file."
)
@click.pass_obj
@guarded
def schema(root: Path, output: Path | None) -> None:
    """Print the sidecars' JSON Schema (for YAML-aware editors such as VS Code); with -o,
    write it, and register.schema.json beside it."""
    from briefgen.commands.newsidecar import schema_files, schema_text

    if output is None:
        click.echo(schema_text(), nl=False)
        return
    from briefgen.output.newfiles import write_new

    files = schema_files(output.as_posix())
    write_new(root, files, overwrite=True)
    for written in files:
        click.echo(f"wrote {written}", err=True)
