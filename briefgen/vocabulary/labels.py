"""The theme's words in the site's language: gettext catalogs, read with Babel.

Every word a reader sees that is not the editor's (headings, navigation, "verified
against the article", dates) is looked up here. Catalogs are `.po` files: the built-in
ones in `briefgen/locales/`, a site's own in `locales/` beside briefgen.yml; `labels:` in
briefgen.yml overrides single strings. They are parsed with Babel when a build starts
(a few milliseconds), so there is no compiled `.mo` file to fall out of date.

A lookup tries, in order: `labels:`, the site's catalogs, the built-in ones (each for the
whole tag, then its language: `fr-CA`, then `fr`), and finally the English text itself,
so a missing translation never shows as an empty string. The result is a `Labels` value,
made once per build and handed to the generator and the theme.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import gettext
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import babel

from briefgen.stages.inputs import LOCALES_DIR
from briefgen.typedyaml.schema import Text, did_you_mean
from briefgen.vocabulary.dates import long_date, partial_date
from briefgen.vocabulary.errors import BriefgenError, Diagnostic, error, warning
from briefgen.vocabulary.hashing import digest
from briefgen.vocabulary.languages import language_name, lookups

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

BUILTIN_DIR = Path(__file__).resolve().parents[1] / "locales"
SOURCE_LANGUAGE = "en"
ZEROS = {
    "arab": 0x0660, "arabext": 0x06F0, "beng": 0x09E6, "deva": 0x0966, "gujr": 0x0AE6,
    "guru": 0x0A66, "khmr": 0x17E0, "knda": 0x0CE6, "laoo": 0x0ED0, "mlym": 0x0D66,
    "mymr": 0x1040, "orya": 0x0B66, "tamldec": 0x0BE6, "telu": 0x0C66, "thai": 0x0E50,
    "tibt": 0x0F20,
}  # fmt: skip
"""The digit zero of CLDR's decimal numbering systems (the nine others follow it)."""
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
FILLED_MAX = 4096
"""Filled messages a Labels remembers: the site's own words and numbers, not every
publisher's name in an archive (`origin`)."""

Key = tuple[str | None, str]
"""(msgctxt, msgid) of a message; msgid is the singular for a plural message."""


@functools.cache
def plural_rule(expression: str) -> Callable[[int], int]:
    """gettext's Plural-Forms expression as a function (compiled once per expression)."""
    return gettext.c2py(expression)


@dataclass(frozen=True, eq=False)
class Labels:
    """The site's translations and date conventions, as one value for the whole build.

    Plain data (picklable), so build workers receive it with their work.
    """

    language: str = SOURCE_LANGUAGE
    """The language the labels are in: the site's, or `en` when it has no catalog."""
    messages: Mapping[Key, tuple[str, ...]] = field(default_factory=dict)
    """Translated messages, each as its plural forms (one form for a plain message)."""
    english: Mapping[Key, tuple[str, ...]] = field(default_factory=dict)
    """The source text of every message the theme knows, for fallback and checks."""
    plural: str = "(n != 1)"
    """The language's Plural-Forms expression (which form a count takes)."""
    locale: str = SOURCE_LANGUAGE
    """Babel's locale for dates (`fr_CA`)."""
    numbers: str = "latn"
    """CLDR's numbering system of dates and counts: `latn` (0-9), or the language's
    native one with `digits: native` (`arab`: ٠-٩)."""
    notes: tuple[Diagnostic, ...] = ()
    """What loading had to say (a language without a catalog), reported by the build."""

    def __reduce_ex__(self, protocol: Any) -> str | tuple[Any, ...]:
        """ENGLISH pickles as itself: a build's workers receive their Labels pickled,
        and code that asks `labels is ENGLISH` (a seed's key: prepare.key_settings) must
        answer there as in the build's own process. Found by review: a seed prepared by
        a worker got another key than the same seed prepared in the main process (a
        cache repair, or `-j 1`), and a repair then stopped the build as "lost"."""
        if self is ENGLISH:
            return "ENGLISH"
        return super().__reduce_ex__(protocol)

    def __getstate__(self) -> dict[str, Any]:
        """Its fields, not what it remembers (`filled`): sent to every worker."""
        return {k: v for k, v in self.__dict__.items() if k != "filled"}

    @functools.cached_property
    def digest(self) -> str:
        """A hash of everything that decides a label: part of pages' and seeds' keys."""
        parts = [self.language, self.plural, self.locale, self.numbers]
        for (context, msgid), forms in sorted(self.messages.items(), key=repr):
            parts += [context or "", msgid, *forms, "\0"]
        return digest(*parts)

    def template(
        self, context: str | None, msgid: str, count: int | None = None, plural: str = ""
    ) -> str:
        """The text of a message before its placeholders are filled: translated, or the
        English source, never empty."""
        key = (context, msgid)
        forms = self.messages.get(key)
        if forms is not None:
            index = 0 if count is None else plural_rule(self.plural)(count)
        else:
            forms = self.english.get(key) or ((msgid, plural) if plural else (msgid,))
            index = 0 if count is None or count == 1 else 1
        return forms[min(index, len(forms) - 1)]

    def gettext(self, msgid: str, /, **variables: object) -> str:
        """`msgid` in the site's language, with `%(name)s` placeholders filled."""
        return self.said(None, msgid, None, "", variables)

    def pgettext(self, context: str, msgid: str, /, **variables: object) -> str:
        """As `gettext`, for a msgid that needs a context to be translated (`Search` as a
        button, not a heading)."""
        return self.said(context, msgid, None, "", variables)

    def ngettext(self, singular: str, plural: str, count: int, /, **variables: object) -> str:
        """The form of a message for `count` (`%(num)s` is the count, in the site's digits)."""
        variables.setdefault("num", count)
        return self.said(None, singular, count, plural, variables)

    def said(
        self,
        context: str | None,
        msgid: str,
        count: int | None,
        plural: str,
        variables: Mapping[str, object],
    ) -> str:
        """A message filled in, remembered: a briefing page asks for a hundred, most of
        them the same few (a footnote's name by its number, a heading), and looking each
        up and filling it anew was a twentieth of making the page."""
        if any(type(v) not in (str, int) for v in variables.values()):
            # Only values that equal only themselves are keys: True == 1, 0.0 == -0.0
            # and Decimal("1") == Decimal("1.00"), but each fills differently (found
            # by review); none of the theme's values are such.
            return self.fill(self.template(context, msgid, count, plural), variables)
        text = self.filled.get(key := (context, msgid, count, plural, *variables.items()))
        if text is not None:
            return text
        text = self.fill(self.template(context, msgid, count, plural), variables)
        if len(self.filled) < FILLED_MAX:
            self.filled[key] = text
        return text

    @functools.cached_property
    def filled(self) -> dict[tuple[object, ...], str]:
        """The messages `said` has filled, by everything that decides them."""
        return {}

    def plural_forms(self, singular: str, plural: str, /, **variables: object) -> list[str]:
        """Every form of a plural message, in the order of the `plural` rule, with `%(num)s`
        left as `{n}`: for a script that counts in the page (search results), which picks
        the form with the same rule and writes the count in `digits("0123456789")`."""
        forms = self.messages.get((None, singular))
        if forms is None:
            forms = self.english.get((None, singular)) or (singular, plural)
        return [self.fill(form, {**variables, "num": "{n}"}) for form in forms]

    def fill(self, text: str, variables: Mapping[str, object]) -> str:
        return text % {k: self.number(v) if isinstance(v, int) else v for k, v in variables.items()}

    def number(self, value: int) -> str:
        """A whole number in the site's digits (Arabic-Indic ones with `digits: native`)."""
        return self.digits(str(value))

    def decimal(self, text: str) -> str:
        """A number as the seed wrote it (`38.16`), in the site's convention (`38,16`)."""
        if self.in_english:
            return text
        try:
            value = decimal.Decimal(text)
        except decimal.InvalidOperation:
            return text
        import babel.numbers

        symbols = babel.Locale.parse(self.locale).number_symbols
        written = babel.numbers.format_decimal(
            value,
            locale=self.locale,
            decimal_quantization=False,
            group_separator=False,
            numbering_system=self.numbers if self.numbers in symbols else "latn",
        )
        return self.digits(written)

    @property
    def in_english(self) -> bool:
        return self.language.split("-")[0] == SOURCE_LANGUAGE

    @property
    def separator(self) -> str:
        """Between the items of a list (`, `; Arabic `، `)."""
        return self.pgettext("list separator", ", ")

    def date(self, date: dt.date) -> str:
        """`3 August 2021`, `3 août 2021`, `3. August 2021`, `3 de agosto de 2021`: every
        date a reader sees goes through here (pages, search results, MkDocs pages)."""
        return self.digits(long_date(date, self.locale))

    def partial_date(self, value: str) -> str:
        """`2020`, `January 2020` or `3 January 2020` for a timeline's YYYY[-MM[-DD]]."""
        return self.digits(partial_date(value, self.locale))

    def digits(self, text: str) -> str:
        """Text with its digits 0-9 in the site's numbering system."""
        zero = ZEROS.get(self.numbers)
        if zero is None:
            return text
        return text.translate({ord("0") + i: zero + i for i in range(10)})

    # A briefing page's own words, said here once for both of its emitters (`generate`
    # writes its Markdown, `pagehtml` its HTML). Values filled in are already escaped
    # for the output by the emitter that calls; the words themselves hold no markup.

    @functools.cached_property
    def headings(self) -> Mapping[str, str]:
        """A briefing page's section headings, by section (the excerpts' by
        `article.reproduce`: `excerpts`, `full`, `none`). Their ids stay the English
        ones (`#quotes`, `#timeline`) in every language, as other pages link to them."""
        return {
            "bottom_line": self.gettext("Bottom line"),
            "key_points": self.gettext("Key points"),
            "quotes": self.gettext("Quotes"),
            "excerpts": self.gettext("Annotated excerpts"),
            "full": self.gettext("The article, annotated"),
            "none": self.gettext("Context notes"),
            "timeline": self.gettext("Timeline"),
            "related": self.gettext("Related reading"),
            "sources": self.gettext("Sources"),
        }

    def origin(self, publisher: str | None) -> str:
        """The byline's `From Le Monde`."""
        if publisher:
            return self.gettext("From %(publisher)s", publisher=publisher)
        return self.gettext("From the article")

    def translated(self, language: str) -> str:
        """What the byline adds for a seed that is a translation."""
        return self.separator + self.gettext("translated from %(language)s", language=language)

    @property
    def partial(self) -> str:
        return self.gettext("partial text")

    @property
    def check_original(self) -> str:
        return self.gettext("check it in the original")

    @property
    def in_register(self) -> str:
        """What leads from an annotation's note to its register entry's page (and, in
        the aside, to every entry the briefing annotates)."""
        return self.gettext("In the register:")

    def unverified(self, publisher: str) -> str:
        return self.gettext(
            "Unverified: quoted from %(publisher)s, which cannot be checked against the "
            "article offline.",
            publisher=publisher,
        )

    @property
    def partial_lead(self) -> str:
        return self.gettext("Partial text.")

    def partial_text(self, missing: str) -> str:
        """The paywall notice; `missing` a percentage in the site's digits."""
        return self.gettext(
            "The publisher's page ended at its paywall: %(missing)s%% of the article was not "
            "available to the editors, and nothing here draws on it.",
            missing=missing,
        )

    def accessed(self, date: str) -> str:
        """What a citation adds for the day its page was read."""
        return " " + self.gettext("(accessed %(date)s)", date=date)

    @property
    def end_of_sentence(self) -> str:
        return self.pgettext("end of sentence", ".")

    @property
    def titles_separator(self) -> str:
        """Between the sources a note names (`; `)."""
        return self.pgettext("list of titles", "; ")

    def note_sources(self, count: int, sources: str) -> str:
        """`Source: …` after a note; `sources` the citations, written for the output."""
        return self.ngettext(
            "Source: %(sources)s.", "Sources: %(sources)s.", count, sources=sources
        )

    def note_name(self, number: int) -> str:
        """A footnote marker's accessible name."""
        return self.gettext("Note %(number)s", number=number)

    def back_to(self, number: int, which: int) -> str:
        """A note's back-link's words for screen readers (`which` from 1 for a repeated
        reference, 0 for the only or first one)."""
        if which > 1:
            return self.gettext(
                "Back to reference %(number)s (%(which)s)", number=number, which=which
            )
        return self.gettext("Back to reference %(number)s", number=number)

    def language_name(self, tag: str) -> str:
        """A language's name as the site's readers call it (`anglais` on a French site)."""
        if self.in_english:
            return language_name(tag)
        names = babel.Locale.parse(self.locale).languages
        return str(next((names[t] for t in lookups(tag.replace("-", "_")) if t in names), tag))


ENGLISH = Labels()
"""The theme's own English, for callers that have no site (tests, the MkDocs plugin)."""


def catalog_file(folder: Path, tag: str) -> Path:
    return folder / f"{tag}.po"


def builtin_languages() -> list[str]:
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.po"))


def read_catalog(where: str, data: bytes, tag: str) -> tuple[Catalog | None, list[Diagnostic]]:
    """A `.po` file parsed with Babel, or a located error for a line it cannot read."""
    from babel.messages.pofile import PoFileError, read_po

    try:
        locale = babel.Locale.parse(tag.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        locale = None
    try:
        catalog = read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
    except PoFileError as exc:
        return None, [error(where, exc.lineno, 1, f"cannot read this catalog: {exc}")]
    except (UnicodeDecodeError, ValueError) as exc:
        return None, [error(where, 0, 0, f"cannot read this catalog: {exc}")]
    return catalog, []


def entries(
    where: str, catalog: Catalog, english: Mapping[Key, tuple[str, ...]]
) -> tuple[dict[Key, tuple[str, ...]], list[Diagnostic]]:
    """A catalog's translated messages (fuzzy or empty ones left out, so English shows),
    and an error for each whose placeholders differ from the English text's."""
    found: dict[Key, tuple[str, ...]] = {}
    problems = []
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        ids, forms = texts(message.id), texts(message.string)
        if not all(forms):
            continue
        key = (message.context, ids[0])
        msgid = ids[0]
        source = english.get(key) or ids
        wanted = set(PLACEHOLDER.findall(" ".join(source))) - {"num"}
        for form in forms:
            have = set(PLACEHOLDER.findall(form)) - {"num"}
            if have - wanted or (wanted - have and len(forms) == 1):
                names = ", ".join(f"%({n})s" for n in sorted(wanted)) or "none"
                problems.append(
                    error(
                        where,
                        message.lineno or 0,
                        1,
                        f"the translation of '{msgid}' has placeholders "
                        f"{', '.join(f'%({n})s' for n in sorted(have)) or 'none'}",
                        f"the English text has: {names}",
                    )
                )
                break
        else:
            found[key] = forms
    return found, problems


def texts(value: object) -> tuple[str, ...]:
    """A message's id or translation as its forms (Babel gives a plural one as a tuple)."""
    if isinstance(value, (tuple, list)):
        return tuple(str(v) for v in value)
    return (str(value or ""),)


@functools.cache
def builtin(tag: str) -> tuple[dict[Key, tuple[str, ...]], str] | None:
    """A built-in catalog's messages and Plural-Forms expression (read once per process)."""
    path = catalog_file(BUILTIN_DIR, tag)
    if not path.is_file():
        return None
    catalog, problems = read_catalog(f"briefgen/locales/{path.name}", path.read_bytes(), tag)
    assert catalog is not None and not problems, problems
    messages, problems = entries(path.name, catalog, english_messages())
    assert not problems, problems
    return messages, catalog.plural_expr


@functools.cache
def english_messages() -> dict[Key, tuple[str, ...]]:
    """Every message of the theme and generator, with its English forms (from en.po,
    which a test keeps equal to what the templates and code ask for)."""
    path = catalog_file(BUILTIN_DIR, SOURCE_LANGUAGE)
    catalog, problems = read_catalog("briefgen/locales/en.po", path.read_bytes(), "en")
    assert catalog is not None and not problems, problems
    found: dict[Key, tuple[str, ...]] = {}
    for message in catalog:
        if message.id:
            ids = texts(message.id)
            found[(message.context, ids[0])] = ids
    return found


def native_numbers(locale: str) -> str:
    """The locale's native digits (CLDR's `native` numbering system), when briefgen knows
    their characters; `latn` otherwise."""
    system = str(babel.Locale.parse(locale).other_numbering_systems.get("native", "latn"))
    return system if system in ZEROS else "latn"


def load_labels(
    root: Path | None,
    tag: str,
    overrides: Mapping[Text, str | Mapping[str, str]] = {},
    *,
    digits: str = "latin",
    config_file: str = "briefgen.yml",
    where: Callable[[str], tuple[int, int]] = lambda key: (0, 0),
) -> Labels:
    """The labels of a site in language `tag`: its `labels:` overrides, its catalogs in
    `root/locales/`, the built-in catalogs, then English.

    A language with no catalog at all builds in English, with one warning located at
    `language:`. A broken catalog or an override of a msgid no catalog has is an error.
    """
    site_dir = root / LOCALES_DIR if root is not None else None
    own = [catalog_file(site_dir, t) for t in lookups(tag)] if site_dir is not None else []
    plain = not overrides and digits == "latin" and not any(p.is_file() for p in own)
    if plain and tag.split("-")[0] == SOURCE_LANGUAGE:
        return ENGLISH  # the theme's own words: no catalog to read
    english = english_messages()
    problems: list[Diagnostic] = []
    layers: list[dict[Key, tuple[str, ...]]] = []
    plural: str | None = None
    for candidate in lookups(tag):
        path = catalog_file(site_dir, candidate) if site_dir is not None else None
        if path is None or not path.is_file():
            continue
        rel = f"{LOCALES_DIR}/{path.name}"
        catalog, found = read_catalog(rel, path.read_bytes(), candidate)
        problems += found
        if catalog is not None:
            translated, found = entries(rel, catalog, english)
            problems += found
            layers.append(translated)
            plural = plural or catalog.plural_expr
    for candidate in lookups(tag):
        shipped = builtin(candidate)
        if shipped is not None:
            layers.append(shipped[0])
            plural = plural or shipped[1]
    notes: tuple[Diagnostic, ...] = ()
    language = tag
    if plural is None:  # no catalog for this language: English throughout
        language, plural = SOURCE_LANGUAGE, "(n != 1)"
        if tag.split("-")[0] != SOURCE_LANGUAGE:
            line, col = where("language")
            notes = (
                warning(
                    config_file,
                    line,
                    col,
                    f"no catalog for language '{tag}': the theme's words are in English",
                    f"add {LOCALES_DIR}/{tag.split('-')[0]}.po (README: Sites in other "
                    f"languages); built in: {', '.join(builtin_languages())}",
                ),
            )
    messages: dict[Key, tuple[str, ...]] = {}
    for layer in reversed(layers):
        messages.update(layer)
    known = {msgid: key for key in [*english, *messages] for msgid in [key[1]]}
    locale = date_locale(language)
    for msgid, text in overrides.items():
        if msgid not in known:
            line, col = where(f"labels.{msgid}")
            hint = did_you_mean(msgid, known) or "every label is a msgid of briefgen/locales/en.po"
            problems.append(
                error(config_file, line, col, f"labels: the theme has no label '{msgid}'", hint)
            )
            continue
        source = english.get(known[msgid], (msgid,))
        if isinstance(text, str):
            forms: tuple[str, ...] = (text,)
            located = {text: f"labels.{msgid}"}
        else:
            counted = plural_override(msgid, text, source, locale, plural)
            if isinstance(counted, LabelProblem):
                line, col = where(counted.key)
                problems.append(error(config_file, line, col, counted.message, counted.hint))
                continue
            forms = counted
            located = {text[c]: f"labels.{msgid}.{c}" for c in text}
        wanted = set(PLACEHOLDER.findall(" ".join(source)))
        bad = next((f for f in forms if set(PLACEHOLDER.findall(f)) - wanted - {"num"}), None)
        if bad is not None:
            line, col = where(located.get(bad, f"labels.{msgid}"))
            names = ", ".join(f"%({n})s" for n in sorted(wanted)) or "none"
            problems.append(
                error(
                    config_file,
                    line,
                    col,
                    f"labels: '{msgid}' has a placeholder the label does not fill",
                    f"placeholders of this label: {names}",
                )
            )
            continue
        for key in [*english, *messages]:
            if key[1] == msgid:
                messages[key] = forms
    if problems:
        raise BriefgenError(problems)
    numbers = native_numbers(locale) if digits == "native" else "latn"
    return Labels(language, messages, english, plural, locale, numbers, notes)


PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""CLDR's plural categories, in CLDR's order; `labels:` names a counted label's forms by
them."""
SAMPLE_COUNTS = (*range(1200), 1_000_000, 2_000_000, 1_000_001)
"""Counts that meet every form of every plural rule Babel knows (the rules look at n,
n % 10, n % 100 and millions)."""


@dataclass(frozen=True)
class LabelProblem:
    """What is wrong with a `labels:` entry, and the key of briefgen.yml it is about."""

    key: str
    message: str
    hint: str


def plural_override(
    msgid: str, given: Mapping[str, str], source: tuple[str, ...], locale: str, plural: str
) -> tuple[str, ...] | LabelProblem:
    """A `labels:` entry that gives a counted label per CLDR plural category, as the
    catalog's forms (in the order of its Plural-Forms rule): the editor names categories
    (`few:`), gettext numbers forms, and the counts tell which is which. A category the
    language has but the entry leaves out takes `other`'s text."""
    if len(source) < 2:
        return LabelProblem(
            f"labels.{msgid}",
            f"labels: '{msgid}' is not a counted label",
            "give it one text, not one per plural category",
        )
    rule = babel.Locale.parse(locale).plural_form
    has = {*rule.tags, "other"}  # Babel's tags leave `other` out: every language has it
    categories = [c for c in PLURAL_CATEGORIES if c in has]
    for category in given:
        if category not in has:
            name = babel.Locale.parse(locale).get_display_name(SOURCE_LANGUAGE) or locale
            return LabelProblem(
                f"labels.{msgid}.{category}",
                f"labels: '{msgid}': {name} has no '{category}' form",
                did_you_mean(category, categories) or f"its forms: {', '.join(categories)}",
            )
    form_of = plural_rule(plural)
    category_of: dict[int, str] = {}
    for n in SAMPLE_COUNTS:
        category_of.setdefault(form_of(n), rule(n))
    return tuple(
        given.get(category_of.get(i, "other"), given["other"]) for i in range(max(category_of) + 1)
    )


def date_locale(tag: str) -> str:
    """Babel's locale for a tag (`fr-CA` → `fr_CA`), the language alone when Babel does
    not know the region, English when it knows neither."""
    for candidate in lookups(tag):
        try:
            return str(babel.Locale.parse(candidate.replace("-", "_")))
        except (ValueError, babel.UnknownLocaleError):
            continue
    return SOURCE_LANGUAGE


def known_msgids() -> Iterable[str]:
    """Every label a site can override in `labels:`."""
    return sorted({msgid for _, msgid in english_messages()})
