"""The theme a site renders with: templates, assets, and the policy every page carries.

A site's own `templates/` folder overrides the built-in theme file by file; its files
must live in the site. Templates render with autoescape on.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import jinja2
import jinja2.meta
from markupsafe import Markup

from briefgen.site.template_errors import template_error
from briefgen.stages.inputs import files_under
from briefgen.stages.markdown import render_markdown, render_summary
from briefgen.stages.register import description_text, sources_text
from briefgen.vocabulary.errors import BriefgenError, error
from briefgen.vocabulary.hashing import digest
from briefgen.vocabulary.labels import ENGLISH, Labels
from briefgen.vocabulary.languages import isolated, unquoted

ASSETS = "assets"
STYLESHEET = "briefgen.css"


def theme_dir() -> Path:
    """The built-in theme: the repository's top-level templates/.

    A wheel installs it inside the package (briefgen/templates/); a source checkout or an
    editable install finds it beside the package.
    """
    package = Path(__file__).resolve().parents[1]
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


@dataclass(frozen=True)
class Theme:
    """The templates and static assets a site renders with."""

    env: jinja2.Environment
    assets: Mapping[str, bytes]
    """Static files by path under assets/: the theme's, overridden by the site's."""
    override_dir: Path | None
    """The site's templates/ folder, when it has one; its files win over the theme's."""
    csp: str
    """The Content-Security-Policy every page carries."""
    digest: str
    """A hash of every template and asset (the no-op check uses it)."""
    template_digests: dict[str, str] = field(default_factory=dict, compare=False)
    """Memo of `template_digest`."""
    template_refs: dict[str, list[str]] = field(default_factory=dict, compare=False)
    """The templates each one extends, includes or imports by name (see `preload`)."""
    labels: Labels = ENGLISH
    """The site's words and dates, which `_()`, `{% trans %}` and the date filters use."""

    def preload(self, names: Iterable[str]) -> None:
        """Load these templates, and every one they name, in this process: render
        workers forked afterwards inherit them compiled (and a damaged compiled template
        is found here, where it is reported)."""
        todo, seen = sorted(set(names)), set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            try:
                self.env.get_template(name)
            except (jinja2.TemplateSyntaxError, jinja2.TemplateNotFound) as exc:
                raise template_error(exc, self.override_dir) from None
            todo += self.template_refs.get(name, [])

    def template_digest(self, name: str) -> str:
        """A hash of a template and of every template it extends, includes or imports.

        Part of a page's fingerprint, so that editing one template re-renders only the
        pages rendered with it. Asset changes reach every page through the CSP's hash.
        It names templates by name, not by where they are on disk, so a site checked
        out in another folder (or briefgen installed in another place) with its cache
        restored still reuses its pages.
        """
        if name not in self.template_digests:
            try:
                source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
                found = referenced(self.env, source, name, filename)
            except (jinja2.TemplateSyntaxError, jinja2.TemplateNotFound) as exc:
                raise template_error(exc, self.override_dir) from None
            refs = sorted(r for r in found if r)
            self.template_refs[name] = refs
            if None in found:
                # A template named at render time could be any of them: depend on all.
                self.template_digests[name] = digest(name, source, self.digest)
            else:
                parts = (self.template_digest(r) for r in refs)
                self.template_digests[name] = digest(name, source, *parts)
        return self.template_digests[name]


REFERENCED: dict[tuple[str, ...], tuple[str | None, ...]] = {}
"""The templates each template source names, by source, name, file and extensions:
parsing every template again for this took a tenth of a second of each rebuild."""


@runtime_checkable
class References(Protocol):
    """What a bytecode cache may also keep: each template's references, by a key of
    everything parsing them depends on (compiled.CheckedBytecodeCache)."""

    def references(self, key: str) -> tuple[str | None, ...] | None: ...

    def keep_references(self, key: str, found: tuple[str | None, ...]) -> None: ...


def referenced(
    env: jinja2.Environment, source: str, name: str, filename: str | None
) -> tuple[str | None, ...]:
    """The templates `source` extends, includes or imports (None: one named at render
    time). Parsing depends on the source and the environment's extensions alone (every
    theme's environment is made the same way otherwise: load_theme). Kept in this
    process, and by the bytecode cache when it keeps references: parsing the templates
    a one-sidecar rebuild renders was 0.02 s of it at 10,000 briefings."""
    key = (source, name, filename or "", *sorted(env.extensions))
    stored = env.bytecode_cache
    known = stored if isinstance(stored, References) else None
    lasting = digest(jinja2.__version__, *key) if known else ""
    found = known.references(lasting) if known else None
    if found is None:
        found = REFERENCED.get(key)
        if found is None:
            parsed = env.parse(source, name, filename)
            found = tuple(jinja2.meta.find_referenced_templates(parsed))
            if len(REFERENCED) >= 256:  # a server whose templates are edited again and again
                REFERENCED.clear()
            REFERENCED[key] = found
        if known:  # a cache this process did not fill: the next one reads it there
            known.keep_references(lasting, found)
    return found


def load_theme(
    site_templates: Path | None,
    root: Path | None = None,
    compiled: jinja2.BytecodeCache | None = None,
    labels: Labels = ENGLISH,
) -> Theme:
    """Jinja environment over the site's templates, then the theme's, plus their assets.

    The site's templates must live in the site: a templates folder or file that is a
    symlink out of the site root is refused, so a build never publishes other files.
    `compiled` is Jinja's bytecode cache (keyed by each template's source and the
    Python version): a rebuild then loads templates instead of compiling them (see
    compiled.CheckedBytecodeCache).
    """
    if site_templates is not None and root is not None and site_templates.exists():
        check_contained(site_templates, root)
    dirs = [d for d in (site_templates, theme_dir()) if d and d.is_dir()]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=compiled,
        extensions=["jinja2.ext.i18n"],
    )
    install_labels(env, labels)
    env.filters["markdown"] = summary_filter
    env.filters["description"] = lambda entry: Markup(render_markdown(description_text(entry)))
    env.filters["entry_sources"] = lambda entry: Markup(
        render_markdown(sources_text(entry, labels))
    )
    env.filters["unquoted"] = unquoted
    env.filters["isolated"] = isolated_in_page
    assets: dict[str, bytes] = {}
    # The site's templates may link to other folders of the site (checked contained
    # above): their files are the theme's too. The built-in theme stays in itself.
    within = {d: root if d == site_templates and root is not None else d for d in dirs}
    for d in reversed(dirs):
        for path in files_under(d / ASSETS, within[d]):
            inside = path.resolve().is_relative_to(within[d].resolve())
            if inside and not path.name.startswith("."):
                assets[path.relative_to(d).as_posix()] = path.read_bytes()
    override = site_templates if site_templates and site_templates.is_dir() else None
    sources = sorted(
        (f"{i}/{path.relative_to(d).as_posix()}", path.read_bytes())
        for i, d in enumerate(dirs)
        for path in files_under(d, within[d])
        if path.resolve().is_relative_to(within[d].resolve()) and "__pycache__" not in path.parts
    )
    theme_digest = digest(*(part for rel, data in sources for part in (rel, data)), labels.digest)
    csp = content_security_policy(assets)
    return Theme(env, assets, override, csp, theme_digest, labels=labels)


def install_labels(env: jinja2.Environment, labels: Labels) -> None:
    """`_()`, `gettext`, `ngettext`, `pgettext` and `{% trans %}` in the site's language,
    and the date and number filters.

    A translation is text, not HTML: it is escaped before its placeholders are filled,
    and a placeholder's value is escaped unless it is markup already (a link made with
    `{% set %}`), as every other value of a template is. Counts are written in the
    site's digits.
    """

    def fill(text: str, variables: Mapping[str, Any]) -> Markup:
        values = {k: labels.number(v) if isinstance(v, int) else v for k, v in variables.items()}
        return Markup.escape(text) % values

    # A page's words without placeholders (the navigation's, the footer's) by message,
    # made once; with values, never: a Markup value and a str of the same text are
    # equal keys, and escape differently.
    words: dict[tuple[str | None, str], Markup] = {}

    def message(context: str | None, msgid: str) -> Markup:
        found = words.get((context, msgid))
        if found is None:
            found = words[context, msgid] = fill(labels.template(context, msgid), {})
        return found

    def gettext(msgid: str, /, **variables: Any) -> Markup:
        if not variables:
            return message(None, msgid)
        return fill(labels.template(None, msgid), variables)

    def pgettext(context: str, msgid: str, /, **variables: Any) -> Markup:
        if not variables:
            return message(context, msgid)
        return fill(labels.template(context, msgid), variables)

    def ngettext(singular: str, plural: str, count: int, /, **variables: Any) -> Markup:
        variables.setdefault("num", count)
        return fill(labels.template(None, singular, count, plural), variables)

    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(gettext=gettext, ngettext=ngettext, pgettext=pgettext)
    env.globals["separator"] = Markup.escape(labels.separator)
    env.globals["plural_forms"] = labels.plural_forms
    env.globals["plural_rule"] = labels.plural
    env.globals["digit_set"] = labels.digits("0123456789")
    env.globals["numbering"] = labels.numbers
    env.filters["human_date"] = labels.date
    env.filters["human_partial_date"] = labels.partial_date
    env.filters["number"] = labels.number


SUMMARIES = "briefgen_summaries"
"""The context variable holding the summaries a build rendered with their briefings."""


@jinja2.pass_context
def isolated_in_page(context: jinja2.runtime.Context, text: str) -> Markup:
    """`isolated` against the page's own language: which names need a <bdi> depends on
    whether the page reads left to right or right to left."""
    language = getattr(context.get("site"), "language", None)
    return isolated(text, language if isinstance(language, str) else "en")


@jinja2.pass_context
def summary_filter(context: jinja2.runtime.Context, text: str) -> Markup:
    """`| markdown`: a summary's HTML, as rendered with its briefing (in a worker, or
    cached) when the page's context has it, rendered here otherwise."""
    known = context.get(SUMMARIES)
    if known is not None and text in known:
        return Markup(known[text])
    return Markup(render_summary(text))


def check_contained(folder: Path, root: Path) -> None:
    site_root = root.resolve()
    problems = []
    if not folder.resolve().is_relative_to(site_root):
        problems.append(error(folder.name, 0, 0, "templates folder leads outside the site root"))
    else:
        for path in sorted({*folder.rglob("*"), *files_under(folder, root)}):
            where = path.relative_to(root).as_posix()
            if not printable_name(where):
                shown = where.encode("utf-8", "backslashreplace").decode("ascii", "replace")
                message = "file name is not valid UTF-8: it cannot be published"
                problems.append(error(shown, 0, 0, message, "rename it"))
            elif path.is_symlink() and not path.resolve().is_relative_to(site_root):
                problems.append(error(where, 0, 0, "symlink to a file outside the site root"))
    if problems:
        raise BriefgenError(problems)


def printable_name(name: str) -> bool:
    """Whether a file name (as the file system gave it, undecodable bytes as lone
    surrogates) can be written as UTF-8: in a URL, a page, an error message."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def content_security_policy(assets: Mapping[str, bytes]) -> str:
    """The policy every page declares: only the site's own scripts, styles and images.

    404.html inlines the stylesheet (GitHub serves it at any path), so the policy names
    that exact stylesheet by hash rather than allowing inline styles in general.
    """
    css = assets.get(f"{ASSETS}/{STYLESHEET}", b"")
    digest = base64.b64encode(hashlib.sha256(css).digest()).decode("ascii")
    return (
        "default-src 'none'; script-src 'self'; "
        f"style-src 'self' 'sha256-{digest}'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'"
    )
