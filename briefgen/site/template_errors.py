"""Template errors as located diagnostics: `templates/x.html:line:col: error: ...`."""

from __future__ import annotations

import traceback
from pathlib import Path

import jinja2
import jinja2.meta

from briefgen.vocabulary.errors import BriefgenError, error


def template_error(
    exc: jinja2.TemplateSyntaxError | jinja2.TemplateNotFound, override_dir: Path | None
) -> BriefgenError:
    """A located error for a template that does not parse or does not exist."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = template_label(exc.filename, override_dir)
        return BriefgenError([error(where, exc.lineno or 1, 1, f"template syntax: {exc.message}")])
    return BriefgenError([error("templates", 0, 0, f"template not found: {exc.name}")])


def template_frame(exc: BaseException) -> tuple[str | None, int]:
    """The innermost template file and line in a rendering traceback."""
    found: tuple[str | None, int] = (None, 1)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".xml")):
            found = (frame.filename, frame.lineno or 1)
    return found


def template_label(filename: str | None, override_dir: Path | None) -> str:
    """A template path for messages: `templates/x.html` for the site's, theme path else."""
    if not filename:
        return "templates"
    path = Path(filename)
    if override_dir and path.is_relative_to(override_dir):
        return (Path("templates") / path.relative_to(override_dir)).as_posix()
    return path.as_posix()
