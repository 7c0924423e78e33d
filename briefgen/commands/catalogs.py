"""The theme's messages, extracted with Babel from the templates and the generator.

`python -m briefgen.commands.catalogs` rewrites `briefgen/locales/en.po` from what the code asks
for and brings every other catalog up to date with it (new messages empty, so they show
in English until translated; gone ones dropped). A test runs the same extraction and
fails when a catalog is out of date or leaves a message untranslated.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path
from typing import Any

import jinja2.ext
from babel.messages.catalog import Catalog
from babel.messages.extract import extract, extract_python
from babel.messages.pofile import read_po, write_po

from briefgen.output.newfiles import write_new
from briefgen.site.theme import theme_dir
from briefgen.vocabulary.labels import BUILTIN_DIR, SOURCE_LANGUAGE, builtin_languages

KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "plural_forms": (1, 2),
    "pgettext": ((1, "c"), 2),
}
"""The calls that name a message, in templates (`_()`, `{% trans %}`) and in Python
(`labels.gettext(...)`); `plural_forms()` gives a script every form of a plural one."""
JINJA_OPTIONS = {"trim_blocks": "true", "lstrip_blocks": "true", "newstyle_gettext": "true"}
PACKAGE = Path(__file__).resolve().parents[1]
FIXED_DATE = dt.datetime(2021, 8, 3, tzinfo=dt.UTC)
"""The catalogs' header dates: fixed, so regenerating them changes only what changed."""


def extracted() -> Catalog:
    """Every message the theme's templates and briefgen's code ask for, in English."""
    catalog = Catalog(locale=SOURCE_LANGUAGE, project="briefgen", fuzzy=False)
    sources: list[tuple[Path, str]] = [
        *((path, "jinja2") for path in sorted(theme_dir().glob("*.html"))),
        *((path, "python") for path in sorted(PACKAGE.rglob("*.py"))),
    ]
    for path, method in sources:
        base = PACKAGE.parent if method == "python" else path.parent.parent
        where = path.relative_to(base).as_posix()
        function: Any = jinja2.ext.babel_extract if method == "jinja2" else extract_python
        with path.open("rb") as file:
            for line, message, comments, context in extract(
                function,
                file,
                KEYWORDS,
                options=JINJA_OPTIONS if method == "jinja2" else {},
            ):
                catalog.add(
                    message, locations=[(where, line)], auto_comments=comments, context=context
                )
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    """A catalog as `.po` text, the same bytes for the same messages: no dates, and files
    without line numbers, so editing code around a message leaves the catalogs alone."""
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    catalog.fuzzy = False
    out = io.BytesIO()
    write_po(out, catalog, width=100, include_previous=False, include_lineno=False)
    return out.getvalue()


def english(template: Catalog) -> Catalog:
    """The English catalog: every message translated to itself."""
    catalog = Catalog(locale=SOURCE_LANGUAGE, project="briefgen", fuzzy=False)
    for message in template:
        if message.id:
            catalog.add(
                message.id,
                message.id,
                locations=message.locations,
                auto_comments=message.auto_comments,
                context=message.context,
            )
    return catalog


def updated(path: Path, template: Catalog) -> Catalog:
    """A catalog brought up to date with the template (translations kept, none guessed)."""
    with path.open("rb") as file:
        catalog = read_po(file, locale=path.stem.replace("-", "_"))
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def main() -> int:
    template = extracted()
    files = {f"{SOURCE_LANGUAGE}.po": po_bytes(english(template))}
    for language in builtin_languages():
        if language != SOURCE_LANGUAGE:
            path = BUILTIN_DIR / f"{language}.po"
            files[path.name] = po_bytes(updated(path, template))
    write_new(BUILTIN_DIR, files, overwrite=True)
    print(f"{len(template)} messages; catalogs: {', '.join(builtin_languages())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
