"""The `briefgen` command: parse arguments, call the library, report. Nothing more."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import BriefgenError, Diagnostic, error

F = TypeVar("F", bound=Callable[..., Any])


def report(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in sorted(diagnostics, key=Diagnostic.sort_key):
        click.echo(diagnostic.format(), err=True)


def guarded(func: F) -> F:
    """Turn file-system failures into located errors: users never see a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OSError as exc:
            where = str(exc.filename) if exc.filename else "."
            raise BriefgenError([error(where, 0, 0, exc.strerror or str(exc))]) from None

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
strict_option = click.option(
    "--strict", is_flag=True, help="Treat warnings (such as unverified quotes) as errors."
)


@main.command()
@drafts_option
@strict_option
@click.pass_obj
@guarded
def build(root: Path, drafts: bool, strict: bool) -> None:
    """Generate content/ (Markdown) and site/ (HTML) from seeds/."""
    from .build import build as run_build

    result = run_build(root, drafts=drafts, strict=strict)
    report(result.diagnostics)
    n = len(result.briefings)
    click.echo(
        f"built {n} briefing{'s' if n != 1 else ''} into {result.config.site_dir}/ "
        f"({result.quotes_verified} quotes verified, {result.quotes_unverified} unverified, "
        f"{len(result.warnings)} warnings) in {result.seconds:.2f} s",
        err=True,
    )


@main.command()
@drafts_option
@strict_option
@click.pass_obj
@guarded
def check(root: Path, drafts: bool, strict: bool) -> None:
    """Run every validation of build; write nothing."""
    from .build import build as run_build

    result = run_build(root, drafts=drafts, strict=strict, write=False)
    report(result.diagnostics)
    n = len(result.briefings)
    click.echo(
        f"checked {n} briefing{'s' if n != 1 else ''}: {result.quotes_verified} quotes verified, "
        f"{result.quotes_unverified} unverified, {len(result.warnings)} warnings",
        err=True,
    )
