"""Diagnostics: every problem briefgen reports carries the file and position it concerns.

Validation functions return lists of `Diagnostic` values rather than raising, so one run
can report every problem of every file; `BriefgenError` wraps such a list when a stage
must stop, and the CLI prints it as `path:line:col: error: message`.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import click


class Severity(enum.Enum):
    """How bad a diagnostic is; only errors fail a build (warnings do under --strict)."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, order=True)
class Location:
    """A position in a file, 1-based like every editor shows it."""

    path: str
    """Path as the user would type it, relative to the site root where possible."""
    line: int = 0
    """1-based line; 0 when the problem concerns the whole file."""
    col: int = 0
    """1-based column, counted in characters; 0 when unknown."""

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{max(self.col, 1)}"


@dataclass(frozen=True)
class Diagnostic:
    """One problem, with where it is and, when it helps, how to fix it."""

    location: Location
    """Where the problem is."""
    message: str
    """What is wrong, in one line."""
    severity: Severity = Severity.ERROR
    """Errors fail the build; warnings are reported; notes add detail to the one before."""
    hint: str = ""
    """How to fix it (a did-you-mean, an example), printed on its own line."""
    notes: tuple[Diagnostic, ...] = field(default=())
    """Related places, such as the closest passage of a seed for a misquote."""

    def format(self) -> str:
        """The gcc-style text editors and CI annotate: `path:line:col: error: message`."""
        lines = [f"{self.location}: {self.severity.value}: {self.message}"]
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        lines.extend(note.format() for note in self.notes)
        return "\n".join(lines)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.path, self.location.line, self.location.col, self.message)


def diagnostic_to_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    """A Diagnostic as JSON-ready data (the build cache keeps a no-op's warnings)."""
    return {
        "location": {
            "path": diagnostic.location.path,
            "line": diagnostic.location.line,
            "col": diagnostic.location.col,
        },
        "message": diagnostic.message,
        "severity": diagnostic.severity.value,
        "hint": diagnostic.hint,
        "notes": [diagnostic_to_dict(n) for n in diagnostic.notes],
    }


def diagnostic_from_dict(data: dict[str, Any]) -> Diagnostic:
    """A Diagnostic from `dataclasses.asdict` output (as stored in the build cache)."""
    return Diagnostic(
        Location(**data["location"]),
        data["message"],
        Severity(data["severity"]),
        data.get("hint", ""),
        tuple(diagnostic_from_dict(n) for n in data.get("notes", ())),
    )


def workflow_command(diagnostic: Diagnostic) -> str:
    """The GitHub Actions annotation for a diagnostic, so a pull request marks the line."""

    def escape(value: str, prop: bool = False) -> str:
        value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return value.replace(":", "%3A").replace(",", "%2C") if prop else value

    kind = "error" if diagnostic.severity is Severity.ERROR else "warning"
    loc = diagnostic.location
    props = [f"file={escape(loc.path, True)}"]
    if loc.line > 0:
        props += [f"line={loc.line}", f"col={max(loc.col, 1)}"]
    message = diagnostic.message + (f" ({diagnostic.hint})" if diagnostic.hint else "")
    return f"::{kind} {','.join(props)}::{escape(message)}"


def render(diagnostics: Iterable[Diagnostic]) -> str:
    """Diagnostics as printed, sorted by file and line; with GitHub annotations in Actions."""
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    lines = [d.format() for d in ordered]
    if os.environ.get("GITHUB_ACTIONS") == "true":
        lines += [workflow_command(d) for d in ordered if d.severity is not Severity.NOTE]
    return "\n".join(lines)


def error(path: str, line: int, col: int, message: str, hint: str = "") -> Diagnostic:
    """Shorthand for the most common diagnostic."""
    return Diagnostic(Location(path, line, col), message, Severity.ERROR, hint)


def os_error(exc: OSError) -> BriefgenError:
    """A file-system failure as the one error type, located at the file it names: what
    the CLI prints instead of a traceback, and what serve tells of a cache it could not
    write."""
    where = str(exc.filename) if exc.filename else "."
    return BriefgenError([error(where, 0, 0, exc.strerror or str(exc))])


def warning(path: str, line: int, col: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(Location(path, line, col), message, Severity.WARNING, hint)


def errors_in(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.ERROR]


class BriefgenError(click.ClickException):
    """The one exception that reaches the CLI: a batch of located diagnostics.

    Rooted in ClickException so that click prints it and exits 1 with no traceback.
    """

    exit_code = 1

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        super().__init__(render(self.diagnostics))

    def __reduce__(self) -> tuple[type[BriefgenError], tuple[list[Diagnostic]]]:
        # Raised in a worker process, it crosses back to the CLI whole.
        return (BriefgenError, (self.diagnostics,))

    def format_message(self) -> str:
        return self.message

    def show(self, file: object = None) -> None:
        # ClickException.show prefixes "Error: "; our lines already say "error:".
        click.echo(self.format_message(), err=True)
        n = len(errors_in(self.diagnostics)) or len(self.diagnostics)
        click.echo(f"{n} error{'s' if n != 1 else ''}", err=True)
