"""Names and links: the one slug function, and relative links between generated files.

Every internal link is relative, computed from the page being written to its target, so
the site works under a GitHub Pages project path, on a plain file server and from disk.
"""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata

from anyascii import anyascii

NON_WORD = re.compile(r"[^a-z0-9]+")
SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
SAFE_SCHEMES = ("http", "https", "mailto")


def safe_link(url: str) -> bool:
    """Links may be http(s), mailto or relative: never javascript:, data:, file: or others.

    `//host/p` is not relative: it names another host (and from file:// a network path),
    and browsers read a backslash as a slash, so `/\\host` is the same; a backslash has
    no business in a URL at all (percent-encode it).
    """
    if "\\" in url or url.lstrip().startswith("//"):
        return False
    m = SCHEME.match(url)
    return m is None or m[1].lower() in SAFE_SCHEMES


def local_file(url: str) -> bool:
    """Whether an image target names a file of the site: relative, no scheme, no host.

    A page must load nothing from another host. The site's CSP would block a remote
    image, but content/*.md carries it to GitHub, MkDocs and Hugo, which have none.
    """
    return safe_link(url) and SCHEME.match(url) is None and not url.lstrip().startswith("/")


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """A URL segment for any name, in any script: lowercase ASCII, hyphens between words.

    Latin letters lose their accents (`Nguyễn` → `nguyen`), as they always have, so
    existing URLs do not move; any other letter is transliterated (anyascii:
    `Владимир Путин` → `vladimir-putin`, `习近平` → `xijinping`, `مصطفى` → `mstfa`). A slug
    names a page, not a person: identity is `names.name_key`, and `names.assign_slugs`
    keeps two names that transliterate alike apart.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(transliterate(ch) for ch in decomposed if not unicodedata.combining(ch))
    slug = NON_WORD.sub("-", ascii_text.lower()).strip("-")
    return slug or "item"


@functools.lru_cache(maxsize=4096)
def transliterate(ch: str) -> str:
    """A letter or digit in ASCII letters (anyascii's reading); anything else as it is.

    Punctuation and symbols stay word breaks, as they always were. The apostrophes and
    backticks that mark an Arabic ayn or a Hebrew aleph in a reading are dropped, so
    they do not cut a word in two.
    """
    if ch.isascii() or not ch.isalnum():
        return ch
    return anyascii(ch).replace("'", "").replace("`", "")


def needs_transliteration(text: str) -> bool:
    """Whether a name has letters beyond accented Latin (its slug is then a reading)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return any(ch.isalnum() and not ch.isascii() for ch in decomposed)


def page_file(directory: str) -> str:
    """The file behind a page URL: `briefings/x/` is written as `briefings/x/index.html`."""
    return posixpath.join(directory, "index.html") if directory else "index.html"


@functools.lru_cache(maxsize=65536)
def relative(from_file: str, to_file: str, directory_urls: bool) -> str:
    """The link from one generated file to another, relative to the first one's folder.

    With `directory_urls`, a link to a folder's index.html names the folder only.
    """
    # Both paths are site-relative, normalised and without '..': strip the common folders
    # (posixpath.relpath would consult the working directory on every call).
    here = from_file.split("/")[:-1]
    there = to_file.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    target = "/".join([".."] * (len(here) - common) + there[common:])
    if directory_urls and (target == "index.html" or target.endswith("/index.html")):
        target = target[: -len("index.html")] or "./"
    return target


def absolute(site_url: str, to_file: str, directory_urls: bool) -> str:
    """The absolute URL of a generated file under `site_url` (which ends in '/')."""
    path = to_file
    if directory_urls and (path == "index.html" or path.endswith("/index.html")):
        path = path[: -len("index.html")]
    return site_url + path
