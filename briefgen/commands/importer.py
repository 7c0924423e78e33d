"""`briefgen import PAGE.html`: a saved news page turned into a seed and its sidecar.

trafilatura does the reading (boilerplate removal, metadata from JSON-LD, OpenGraph and
the markup), with no URL, so it never fetches anything; the core here (`page_to_seed`) is
pure: page text in, seed text and article facts out, or located errors. `import_page`
reads the page, refuses to clobber, and writes through `newfiles.write_new`, with the
sidecar `briefgen new` would write, its `article:` facts filled in from the page.

trafilatura is imported only inside this command (it and lxml take a while to load, and
no other command needs them); it comes with the `briefgen[import]` extra.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.commands.newsidecar import sidecar_files
from briefgen.output.newfiles import write_new
from briefgen.stages.config import boilerplate_patterns, key_position, read_config
from briefgen.stages.inputs import SIDECAR_SUFFIXES, SLUG_RE, label
from briefgen.stages.register import read_register
from briefgen.stages.seeds import parse_date, parse_seed
from briefgen.typedyaml.schema import URL_RE, language_tag
from briefgen.vocabulary.errors import BriefgenError, Diagnostic, error
from briefgen.vocabulary.urls import slugify

MAX_SLUG = 60
"""A slug made from a headline is cut at a hyphen to at most this many characters."""
MIN_WORDS = 40
"""Fewer words than this in the extracted text: not an article (a login or index page)."""
ARTICLE_TYPES = re.compile(r"article|blogposting|report", re.IGNORECASE)
"""og:type and JSON-LD @type values of an article (article, NewsArticle, ReportageNews…)."""

BOILERPLATE_LINE = re.compile(
    r"(?:share(?: this(?: article| story)?)?(?: on \w+)?|advertisement|advert|sponsored"
    r"|read more|continue reading(?: the main story)?|related(?: articles| stories| content)?"
    r"|see also|\d[\d,.]* comments?|comments?|show comments|sign up.*newsletter.*"
    r"|subscribe(?: now)?|image (?:copyright|caption).*|from the section .*|getty images"
    r"|lire aussi|à lire aussi|publicité|partager|anzeige|werbung|إعلان|اقرأ أيضا|اقرأ أيضاً)"
    r"\s*[:.…]?"
    r"|(?:related|read more|read also|see also|lire aussi|à lire aussi)\s*:\s.{1,200}"
    r"|\[(?:read|related|see also|more)\s*:[^\]]{1,200}\]",
    re.IGNORECASE,
)
"""A line that is only a publisher's furniture, never the article's own words."""
TRAILER = re.compile(
    r"(?:read more|more [\w\s]{1,30}|related(?: [\w\s]{1,20})?|see also|lire aussi"
    r"|à lire aussi|اقرأ أيضا|اقرأ أيضاً)\s*:"
    r"|(?:more|other) [\w\s]{1,30}?(?:columns|stories|articles|news)",
    re.IGNORECASE,
)
"""A heading that starts the related-links list after the article: the body ends there."""


@dataclass(frozen=True)
class SeedText:
    """What a seed file holds, before it is written."""

    date: dt.date
    """The publication date, for the date line."""
    headline: str
    """The article's headline."""
    paragraphs: tuple[str, ...]
    """The body, one paragraph each, the article's own words."""

    def text(self) -> str:
        """The seed file's text: ISO date line, headline, paragraphs, blank-line separated."""
        return "\n\n".join([self.date.isoformat(), self.headline, *self.paragraphs]) + "\n"


@dataclass(frozen=True)
class ArticleMeta:
    """The sidecar's `article:` facts, each only when the page states it."""

    publisher: str = ""
    """Site name (og:site_name, JSON-LD publisher)."""
    author: str = ""
    """Byline."""
    url: str = ""
    """Canonical URL (http or https)."""
    published: dt.date | None = None
    """Publication date the page gives."""
    language: str = ""
    """BCP 47 tag from the page (html lang, og:locale, inLanguage)."""


def page_to_seed(
    html: str, path: str, *, date: dt.date | None = None
) -> tuple[tuple[SeedText, ArticleMeta] | None, list[Diagnostic]]:
    """The seed and article facts of a saved page, or located errors.

    `date` stands in when the page gives no publication date (the `--date` option).
    """
    import trafilatura
    from lxml import html as lxml_html

    found = trafilatura.bare_extraction(
        html,
        url=None,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        deduplicate=False,
        # Only dates the markup states: the default extensive search takes a year the text
        # mentions ("In 1997, …") for the publication date.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    document: dict[str, Any] = (
        (found or {}) if found is None or isinstance(found, dict) else found.as_dict()
    )
    hint = "save the article's own page (File > Save Page As…), not a front page or a list"
    text = str(document.get("text") or "")
    try:
        tree = lxml_html.fromstring(html) if html.strip() else None
    except (ValueError, SyntaxError):  # lxml's ParserError is a ValueError
        tree = None
    if not document or len(text.split()) < MIN_WORDS or not_an_article(tree):
        return None, [error(path, 0, 0, "no article found in this page", hint)]
    headline = one_line(str(document.get("title") or ""))
    for suffix in (document.get("author"), document.get("sitename")):  # "Title | Author"
        for sep in (" | ", " - ", " — "):
            if suffix and headline.endswith(f"{sep}{suffix}"):
                headline = headline.removesuffix(f"{sep}{suffix}")
    if not headline:
        return None, [error(path, 0, 0, "no headline found in this page", hint)]
    published = iso_date(document.get("date"))
    if published is None and date is None:
        return None, [
            error(path, 0, 0, "no publication date found in this page", "pass --date YYYY-MM-DD")
        ]
    paragraphs = body(text, headline)
    if not paragraphs:
        return None, [error(path, 0, 0, "no article found in this page", hint)]
    url = str(document.get("url") or "")
    meta = ArticleMeta(
        publisher=one_line(str(document.get("sitename") or "")),
        author=byline(str(document.get("author") or "")),
        url=url if URL_RE.fullmatch(url) else "",
        published=published,
        language=page_language(tree),
    )
    seed = SeedText(date=published or date or dt.date.min, headline=headline, paragraphs=paragraphs)
    return (seed, meta), []


def one_line(text: str) -> str:
    return " ".join(text.split())


def iso_date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def byline(author: str) -> str:
    """trafilatura's `A; B` author list, each name once (NYT gives `Jane Doe; JANE DOE`)."""
    names: dict[str, str] = {}
    for name in author.split(";"):
        name = one_line(name)
        if name:
            names.setdefault(name.casefold(), name)
    return ", ".join(names.values())


def body(text: str, headline: str) -> tuple[str, ...]:
    """The article's paragraphs: furniture lines dropped, related links after it cut off."""
    paragraphs: list[str] = []
    for raw in text.splitlines():
        line = one_line(raw)
        bare = line.removeprefix("- ").strip()
        if TRAILER.fullmatch(bare) and paragraphs:
            break
        if (
            not bare
            or bare == headline
            or BOILERPLATE_LINE.fullmatch(bare)
            or parse_date(bare) is not None
        ):
            continue
        paragraphs.append(line)
    return tuple(paragraphs)


def json_ld(tree: Any) -> list[dict[str, Any]]:
    """The page's JSON-LD objects (graphs and lists flattened); broken blocks skipped."""
    if tree is None:
        return []
    out: list[dict[str, Any]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                out.append(item)
                stack.extend(v for k, v in item.items() if k == "@graph")
    return out


def not_an_article(tree: Any) -> bool:
    """Whether the page says it is something else: an og:type that is not an article (a
    product page's `website`) and no article among its JSON-LD types."""
    if tree is None:
        return False
    og = [str(v) for v in tree.xpath('//meta[@property="og:type"]/@content')]
    types = list(og)
    for item in json_ld(tree):
        kind = item.get("@type")
        types += [str(k) for k in kind] if isinstance(kind, list) else [str(kind or "")]
    return bool(og) and not any(ARTICLE_TYPES.search(t) for t in types)


def page_language(tree: Any) -> str:
    """The page's language tag: JSON-LD inLanguage, html lang, og:locale, Content-Language."""
    if tree is None:
        return ""
    candidates = [str(item.get("inLanguage") or "") for item in json_ld(tree)]
    candidates += [str(v) for v in tree.xpath("/html/@lang | /html/@xml:lang")]
    candidates += [str(v) for v in tree.xpath('//meta[@property="og:locale"]/@content')]
    candidates += [
        str(v)
        for v in tree.xpath(
            '//meta[translate(@http-equiv, "CONTENT-LANGUAGE", "content-language")'
            '="content-language"]/@content'
        )
    ]
    for candidate in candidates:
        tag = language_tag(candidate.split(",")[0]) if candidate.strip() else None
        if tag:
            return tag
    return ""


def page_slug(headline: str) -> str:
    """The headline's slug, cut at a hyphen to at most MAX_SLUG characters."""
    slug = slugify(headline)
    if len(slug) <= MAX_SLUG:
        return slug
    cut = slug[: MAX_SLUG + 1].rfind("-")
    return slug[:cut] if cut > 0 else slug[:MAX_SLUG]


def fill_article(skeleton: str, meta: ArticleMeta) -> str:
    """The skeleton with its `article:` lines filled from the page (blank ones stay)."""
    from briefgen.commands.skeleton import scalar

    lines = []
    for line in skeleton.splitlines():
        if line == "  publisher:" and meta.publisher:
            line = f"  publisher: {scalar(meta.publisher)}"
            if meta.author:
                line += f"\n  author: {scalar(meta.author)}"
        elif line == "  url:":
            if meta.url:
                line = f"  url: {scalar(meta.url)}"
            if meta.published:
                line += f"\n  published: {meta.published.isoformat()}"
        elif line.startswith("  language:") and meta.language:
            line = f"  language: {scalar(meta.language)}"
        lines.append(line)
    if meta.author and not meta.publisher:
        at = lines.index("  publisher:")
        lines.insert(at + 1, f"  author: {scalar(meta.author)}")
    return "\n".join(lines) + "\n"


def decode_page(data: bytes) -> str:
    """A saved page's text: UTF-8, or the charset the page declares or the bytes suggest."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        from trafilatura.utils import decode_file

        return str(decode_file(data))


def import_page(
    root: Path,
    page: Path,
    *,
    slug: str | None = None,
    date: dt.date | None = None,
    force: bool = False,
) -> list[str]:
    """Write `seeds/<slug>.txt` and its sidecar from a saved page; returns files written."""
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        raise BriefgenError(
            [
                error(
                    str(page),
                    0,
                    0,
                    "briefgen import needs trafilatura, which is not installed",
                    "pip install 'briefgen[import]'",
                )
            ]
        ) from None
    config = read_config(root)
    shown = str(page)
    if slug is not None and not SLUG_RE.fullmatch(slug):
        hint = f"for example --slug {slugify(slug)}"
        raise BriefgenError([error(shown, 0, 0, f"'{slug}' is not a valid slug", hint)])
    html = decode_page((page if page.is_absolute() else root / page).read_bytes())
    found, problems = page_to_seed(html, shown, date=date)
    if found is None:
        raise BriefgenError(problems)
    seed_text, meta = found
    slug = slug or page_slug(seed_text.headline)
    seed_path = root / config.seeds_dir / f"{slug}.txt"
    targets = [seed_path, *(seed_path.with_suffix(s) for s in SIDECAR_SUFFIXES)]
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        where = label(root, existing[0])
        raise BriefgenError(
            [error(where, 0, 0, "already exists; not overwritten", "pass --force to replace it")]
        )
    text = seed_text.text()
    seed_label = label(root, seed_path)
    seed, problems = parse_seed(
        seed_label, slug, text, boilerplate_patterns(config), language=meta.language
    )
    if seed is None:  # the page's text makes no seed (a body that is all boilerplate)
        raise BriefgenError([error(shown, 0, 0, "no article found in this page"), *problems])
    # --force replaces a sidecar under its own name, so a .yaml one is not left beside a .yml.
    sidecar = next((p for p in existing if p.suffix in SIDECAR_SUFFIXES), None)
    sidecar = sidecar or seed_path.with_suffix(".yml")
    register = read_register(root, config.register, key_position(config, "register"))
    language = meta.language or config.language
    skeleton, schema = sidecar_files(root, sidecar, seed, language, register)
    files = {seed_label: text.encode("utf-8")}
    for name, data in skeleton.items():
        files[name] = fill_article(data.decode("utf-8"), meta).encode("utf-8")
    write_new(root, files, overwrite=force)
    written = list(files)
    if schema:
        write_new(root, schema)
        written += list(schema)
    return written
