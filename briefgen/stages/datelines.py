"""A seed's date line as publishers print it, read into a date.

Editors paste the date line as it stands above the article: `Publié le 28 juin 2021 à
10h22`, `Stand: 28.06.2021 14:50 Uhr`, `آخر تحديث: 2021/6/28 الساعة 10:22 (مكة المكرمة)`,
`Updated 3:51 PM ET, Wed January 8, 2020`. What is read is the date; a leading label,
a weekday, a time and time zone, a Hijri date beside the Gregorian one and a later
"updated" clause are recognised and ignored, so that anything else left on the line is
reported rather than silently dropped.

The line is matched in a folded form (lower case, accents and Arabic diacritics dropped,
hamza and ta marbuta variants merged, Arabic-Indic digits made ASCII), so every table
below is written as publishers spell it and folded once, here. The tables cover English,
French, German, Spanish, Italian, Portuguese and Arabic (its Levantine, Egyptian/Gulf,
Algerian/Tunisian and Moroccan month names), whatever the article's language: a French
site quotes German articles. No library is needed, and nothing depends on today's date,
the machine's locale or its time zone.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from briefgen.vocabulary.dates import MONTH_NAMES

MONTHS = {
    "en": "January|Jan, February|Feb, March|Mar, April|Apr, May, June|Jun, July|Jul, "
    "August|Aug, September|Sept|Sep, October|Oct, November|Nov, December|Dec",
    "fr": "janvier|janv|jan, février|févr|fév, mars, avril|avr, mai, juin, juillet|juil, août, "
    "septembre|sept, octobre|oct, novembre|nov, décembre|déc",
    "de": "Januar|Jänner|Jaenner|Jan|Jän, Februar|Feber|Feb, März|Maerz|Mär|Mrz, April|Apr, "
    "Mai, Juni|Jun, Juli|Jul, August|Aug, September|Sept|Sep, Oktober|Okt, November|Nov, "
    "Dezember|Dez",
    "es": "enero|ene, febrero|feb, marzo|mar, abril|abr, mayo|may, junio|jun, julio|jul, "
    "agosto|ago, septiembre|setiembre|sept|sep|set, octubre|oct, noviembre|nov, "
    "diciembre|dic",
    "it": "gennaio|gen, febbraio|feb, marzo|mar, aprile|apr, maggio|mag, giugno|giu, "
    "luglio|lug, agosto|ago, settembre|sett|set, ottobre|ott, novembre|nov, dicembre|dic",
    "pt": "janeiro|jan, fevereiro|fev, março|mar, abril|abr, maio|mai, junho|jun, julho|jul, "
    "agosto|ago, setembro|set, outubro|out, novembro|nov, dezembro|dez",
    # Levantine/Iraqi, Egyptian/Gulf, Algerian/Tunisian, then Moroccan names.
    "ar": "كانون الثاني|يناير|جانفي, شباط|فبراير|فيفري, آذار|مارس, نيسان|أبريل|أفريل, "
    "أيار|مايو|ماي, حزيران|يونيو|يونيه|جوان, تموز|يوليو|يوليه|جويلية|يوليوز, "
    "آب|أغسطس|أوت|غشت, أيلول|سبتمبر|شتنبر, تشرين الأول|أكتوبر, "
    "تشرين الثاني|نوفمبر|نونبر, كانون الأول|ديسمبر|دجنبر",
}
"""Month names by language, January to December, each with its abbreviations, as printed
(folding adds `fevrier`, `aout`, `ابريل`/`إبريل`). An abbreviation may end in a period."""

WEEKDAYS = {
    "en": "Monday|Mon|Tuesday|Tues|Tue|Wednesday|Wed|Thursday|Thurs|Thur|Thu|Friday|Fri|"
    "Saturday|Sat|Sunday|Sun",
    "fr": "lundi|lun|mardi|mar|mercredi|mer|jeudi|jeu|vendredi|ven|samedi|sam|dimanche|dim",
    "de": "Montag|Mo|Dienstag|Di|Mittwoch|Mi|Donnerstag|Do|Freitag|Fr|Samstag|Sonnabend|Sa|"
    "Sonntag|So",
    "es": "lunes|lun|martes|mar|miércoles|mié|jueves|jue|viernes|vie|sábado|sáb|domingo|dom",
    "it": "lunedì|lun|martedì|mar|mercoledì|mer|giovedì|gio|venerdì|ven|sabato|sab|domenica|dom",
    "pt": "segunda-feira|segunda|seg|terça-feira|terça|ter|quarta-feira|quarta|qua|"
    "quinta-feira|quinta|qui|sexta-feira|sexta|sex|sábado|sáb|domingo|dom",
    "ar": "الأحد|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت",
}
"""Weekday names and abbreviations; a weekday before the date is read and ignored."""

LABELS = {
    "en": "published|first published|originally published|updated|last updated|posted|"
    "modified|last modified|date",
    "fr": "publié|mis à jour|mise à jour|dernière mise à jour|modifié|actualisé|paru|"
    "date de publication",
    "de": "stand|veröffentlicht|veroeffentlicht|aktualisiert|zuletzt aktualisiert|erstellt|"
    "geändert|zuletzt geändert|erschienen|datum",
    "es": "publicado|actualizado|última actualización|fecha|fecha de publicación|creado|modificado",
    "it": "pubblicato|aggiornato|ultimo aggiornamento|modificato|modifica|data",
    "pt": "publicado|atualizado|atualização|última atualização|postado|data",
    "ar": "تاريخ النشر|نشر|تم النشر|نشر بتاريخ|بتاريخ|التاريخ|آخر تحديث|تحديث|"
    "تاريخ التحديث|تم التحديث|آخر تعديل",
}
"""What publishers print before the date ("Mis à jour le", "Stand:", "نشر في"), with or
without a colon; the connecting words after them are `CONNECTORS`."""

CONNECTORS = "le|am|vom|el|il|em|on|a|في|يوم"
"""Words between a label and the date: Publié *le*, Veröffentlicht *am*, Atualizado *em*."""

TIME_WORDS = "at|à|um|a las|a la|às|alle ore|alle|ore|الساعة|على الساعة|عند الساعة"
"""Words between the date and its time: à 10h22, um 14:50 Uhr, a las 10:22, الساعة 10:22."""

DAY_PERIODS = "a.m.|am|a. m.|p.m.|pm|p. m.|uhr|hrs|hr|hs|horas|heures|h|صباحا|مساء|ص|م"
"""What follows a clock time: 3:51 pm, 14:50 Uhr, 10:22 h, 10:22 ص (Arabic a.m.)."""

TIME_ZONES = (
    "utc|gmt|z|cet|cest|mez|mesz|wet|west|eet|eest|bst|ist|msk|est|edt|cst|cdt|mst|mdt|pst|"
    "pdt|akst|akdt|hst|et|ct|mt|pt|ast|adt|brt|art"
)
"""Time zone abbreviations; an offset (GMT+1, +03:00) or Arabic `بتوقيت …` also reads."""

HIJRI_MONTHS = (
    "محرم|صفر|ربيع الأول|ربيع الآخر|ربيع الثاني|جمادى الأولى|جمادى الأول|جمادى الآخرة|"
    "جمادى الثانية|رجب|شعبان|رمضان|شوال|ذو القعدة|ذو الحجة|ذي القعدة|ذي الحجة"
)
"""Hijri months: Arabic papers print the Hijri date beside the Gregorian one, which is read."""

ARABIC_FOLDS = {"ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك", "ـ": "", "،": ",", "؛": ";"}
"""Arabic variants the same word is typed with (ta marbuta, alif maqsura, Persian
letters), the tatweel that stretches a word, and Arabic punctuation."""
DASHES = "‐‑‒–—―−"


@functools.lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """One character as matched: lower case, no accents or diacritics, ASCII digits."""
    if ch in ARABIC_FOLDS:
        return ARABIC_FOLDS[ch]
    if unicodedata.category(ch) == "Cf":  # direction marks, which pasted Arabic is full of
        return ""
    if ch in DASHES:
        return "-"
    if ch.isspace():
        return " "
    if ch.isdecimal():
        return str(unicodedata.decimal(ch))
    # NFD splits é into e + accent and أ/إ/آ into ا + hamza or madda; marks are dropped.
    bare = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
    return bare.casefold()


def fold(text: str) -> tuple[str, tuple[int, ...]]:
    """`text` folded, and for each folded character the index of the one it came from."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in fold_char(ch):
            out.append(c)
            origin.append(i)
    return "".join(out), tuple(origin)


def folded(*tables: str) -> str:
    """`a|b` tables as one regex alternation of folded words, longest first (`sept`
    before `sep`)."""
    forms = {fold(w)[0] for table in tables for w in table.split("|")}
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s") for w in sorted(forms, key=lambda w: (-len(w), w))
    )


def month_table(names: str) -> dict[str, int]:
    """`January|Jan, February|Feb, …` as folded name to month number."""
    return {
        fold(name)[0]: number
        for number, row in enumerate(names.split(", "), 1)
        for name in row.split("|")
    }


MONTH_NUMBERS = {language: month_table(names) for language, names in MONTHS.items()}
"""Folded month name to month number, by language (primary subtag)."""

END = r"(?![^\W\d_])"
"""A name ends here: `mar` does not match the start of `marzo`."""
SEP = r"\s*(?:[-,|/·•]\s*)?"
MONTH_NAME = folded(*(names.replace(", ", "|") for names in MONTHS.values()))
MONTH = (
    rf"(?P<month>{MONTH_NAME}){END}\.?"
    rf"(?:\s*(?:/|\()\s*(?P<month2>{MONTH_NAME}){END}\.?\s*\)?)?"  # حزيران/يونيو
)
DAY = rf"(?P<day>\d{{1,2}})(?!\d)(?:(?:st|nd|rd|th|er){END}|\.?[º°ª])?\.?"
YEAR = r"(?P<year>\d{4})(?!\d)"
YEAR_SUFFIX = rf"(?:\s?م{END})?"  # 2021م: of the Common Era
HOUR = r"(?:[01]?\d|2[0-3])"
MINUTE = r"[0-5]\d(?!\d)"
CLOCK = (
    rf"{HOUR}(?:[:.]{MINUTE}(?:[:.]{MINUTE}(?:[.,]\d+)?)?"  # 14:50, 15.51, 21:38:00.000
    rf"|\s?h(?:\s?{MINUTE}|{END})"  # 10h22, 10 h 22, 10h
    rf"|(?=\s?(?:[ap]\.?\s?m|uhr){END}))"  # 3 pm, 14 Uhr
)
ZONE = (
    rf"(?:(?:{folded(TIME_ZONES)}){END}(?:\s?[+-]\s?\d{{1,2}}(?::?\d{{2}})?(?!\d))?"
    r"|[+-]\d{1,2}(?::?\d{2})?(?!\d)"
    rf"|ب?توقيت(?:\s[^\W\d_]+){{1,3}}|{folded('مكة المكرمة')})"
)
TIME = (
    rf"{CLOCK}(?:\s?(?:{folded(DAY_PERIODS)}){END})?"
    rf"(?:\s?(?:{ZONE}|\(\s?{ZONE}\s?\)))?"
)
"""A clock time with what may follow it: 3:51 p.m. ET, 18:37 CET, 21:38:00Z, 10:22 (GMT)."""
TIME_AFTER = rf"(?:{SEP}|t)(?:(?:{folded(TIME_WORDS)}){END}\s*)?{TIME}"
"""A time after the date: `, 3:51 pm`, ` - 18:37 CET`, `T21:38`, ` à 06h00`, `-14:50`."""
LABEL = rf"(?:(?:{folded(*LABELS.values())}){END}\s*:?\s*)"
CONNECTOR = rf"(?:(?:{folded(CONNECTORS)}){END}\s*:?\s*)"
WEEKDAY = rf"(?:(?:{folded(*WEEKDAYS.values())}){END}\.?{SEP})"
HIJRI = rf"(?:\d{{1,2}}\s*(?:{folded(HIJRI_MONTHS)}){END}\s*\d{{4}}\s*(?:ه{END})?)"
"""18 ذو القعدة 1442 هـ: read past, for the Gregorian date beside it."""
AGREEING = rf"(?:{SEP}(?:{folded('الموافق')}{END}\s*)?)"
PREFIX = (
    rf"\s*{LABEL}?{CONNECTOR}{{0,2}}(?:{TIME}{SEP})?{WEEKDAY}?{CONNECTOR}?"
    rf"(?:{HIJRI}{AGREEING})?"
)
"""What may stand before the date: Updated 3:51 PM ET, Wed · Publié le mardi · Stand: Mo."""
UPDATE = rf"{SEP}\(?\s*{LABEL}{CONNECTOR}{{0,2}}"
"""The start of a later clause: ` - Mis à jour le`, `Updated`, ` (modifica il`."""
UPDATE_TIME = rf"(?:(?:{folded(TIME_WORDS)}){END}\s*)?{TIME}"
HIJRI_AFTER = rf"{AGREEING}{HIJRI}"
CLOSE = re.compile(r"\s*\)")


Reader = Callable[[re.Match[str], str], tuple[int, int, int]]
"""Year, month and day of a matched date form, given the article's language."""


def month_number(name: str, language: str) -> int:
    """The month a folded name means: the article's language first, then any language."""
    primary = language.split("-")[0].lower()
    for table in (MONTH_NUMBERS.get(primary, {}), *MONTH_NUMBERS.values()):
        if name in table:
            return table[name]
    raise KeyError(name)  # the regex only matches names of the tables


def named(m: re.Match[str], language: str) -> tuple[int, int, int]:
    month = month_number(m["month"], language)
    if m["month2"] and month_number(m["month2"], language) != month:
        return int(m["year"]), 0, int(m["day"])  # two different months: no date
    return int(m["year"]), month, int(m["day"])


def year_first(m: re.Match[str], language: str) -> tuple[int, int, int]:
    return int(m["year"]), int(m["a"]), int(m["b"])


def dotted(m: re.Match[str], language: str) -> tuple[int, int, int]:
    year = int(m["year"])
    if len(m["year"]) == 2:  # as POSIX reads %y: 69 is 2069, 70 is 1970
        year += 2000 if year < 70 else 1900
    return year, int(m["b"]), int(m["a"])


def slashed(m: re.Match[str], language: str) -> tuple[int, int, int]:
    """DD/MM/YYYY, or MM/DD/YYYY when the second part cannot be a month or the article
    is American English; the same for DD-MM-YYYY."""
    first, second = int(m["a"]), int(m["b"])
    if first <= 12 and (second > 12 or month_first(language)):
        return int(m["year"]), first, second
    return int(m["year"]), second, first


def month_first(language: str) -> bool:
    """Whether numeric dates put the month first: American English (en-US)."""
    parts = language.lower().split("-")
    return parts[0] == "en" and "us" in parts[1:3]


FORMS: tuple[tuple[str, Reader], ...] = (
    # 3 August 2021, 3. August 2021, 15 de mayo de 2019, 1er mai 2019, 28.jun.2021
    (rf"{DAY}\s*(?:de\s+|[-./]\s*)?{MONTH}\s*,?\s*(?:del?\s+|[-./]\s*)?{YEAR}", named),
    # August 3, 2021, Jan. 8th, 2020
    (rf"{MONTH}\s*{DAY}\s*,?\s*{YEAR}", named),
    # 2021-08-03, 2021/6/28
    (r"(?P<year>\d{4})(?P<sep>[-/])(?P<a>\d{1,2})(?P=sep)(?P<b>\d{1,2})(?!\d)", year_first),
    # 29.04.2020, 28.06.21
    (r"(?P<a>\d{1,2})\.(?P<b>\d{1,2})\.(?P<year>\d{4}|\d{2})(?!\d)", dotted),
    # 30/12/2019, 12/30/2019, 28-6-2021
    (r"(?P<a>\d{1,2})(?P<sep>[-/])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})(?!\d)", slashed),
)
"""The date forms, each read after the same optional prefix, with how to read its parts."""


class Patterns(NamedTuple):
    """The compiled date-line regexes."""

    forms: tuple[tuple[re.Pattern[str], Reader], ...]
    time_after: re.Pattern[str]
    update: re.Pattern[str]
    update_time: re.Pattern[str]
    hijri_after: re.Pattern[str]


@functools.cache
def patterns() -> Patterns:
    """The regexes, compiled when the first date line is read: with every month and
    weekday name of every language in each, compiling them is a third of importing
    briefgen, which commands that read no seed (a no-op build) need not pay."""
    return Patterns(
        tuple((re.compile(PREFIX + form + YEAR_SUFFIX), reader) for form, reader in FORMS),
        re.compile(TIME_AFTER),
        re.compile(UPDATE),
        re.compile(UPDATE_TIME),
        re.compile(HIJRI_AFTER),
    )


@dataclass(frozen=True)
class DateLine:
    """What the first line of a seed says, as far as it could be read."""

    date: dt.date | None
    """The date; None when no date starts the line, or when the one there is impossible."""
    found: str
    """The text read as the date, label, weekday, time and later clauses included;
    empty when no date starts the line."""
    rest: str
    """What follows `found` on the line, unread; empty when the line is only the date."""
    impossible: str = ""
    """Why `found` is no date ("there is no month 13"); empty when it is one."""


def read_date_line(text: str, language: str = "") -> DateLine:
    """Read a date line; `language` (a BCP 47 tag) orders an ambiguous numeric date.

    `found` and `rest` are parts of the line with its spaces collapsed, as messages quote it.
    """
    text = " ".join(text.split())
    line, origin = fold(text)
    best: tuple[int, tuple[int, int, int]] | None = None
    for pattern, reader in patterns().forms:
        m = pattern.match(line)
        if m and (best is None or m.end() > best[0]):
            best = (m.end(), reader(m, language))
    if best is None:
        return DateLine(None, "", text)
    end, (year, month, day) = best
    end = read_after(line, end)
    cut = origin[end - 1] + 1 if end else 0
    while cut < len(text) and not fold_char(text[cut]):
        cut += 1  # a tatweel or a direction mark after the last character read
    found = text[:cut].strip()
    rest = text[cut:] if line[end:].strip() else ""
    why = impossible(year, month, day)
    return DateLine(None if why else dt.date(year, month, day), found, rest, why)


def date_later_in(text: str, language: str = "") -> tuple[str, DateLine] | None:
    """The first possible date that starts a later word of a line no date starts (a byline
    copied with it: `AFP 30 avril 2015`, `Le Monde | 04.05.2015`): the words before it,
    and what is read from there. None when no word starts a date."""
    words = " ".join(text.split())
    for m in re.finditer(r"(?<= )\S", words):
        line = read_date_line(words[m.start() :], language)
        if line.date:
            return words[: m.start()].strip(), line
    return None


def read_after(line: str, pos: int) -> int:
    """Where the date's line stops being read: past its time and any later clauses."""
    compiled = patterns()
    m = compiled.time_after.match(line, pos)
    pos = m.end() if m else pos
    while True:
        if hijri := compiled.hijri_after.match(line, pos):
            pos = hijri.end()
            continue
        update = compiled.update.match(line, pos)
        if update is None:
            return pos
        forms = compiled.forms
        ends = [m.end() for pattern, _ in forms if (m := pattern.match(line, update.end()))]
        if ends:
            after = read_after(line, max(ends))
        elif m := compiled.update_time.match(line, update.end()):
            after = m.end()
        else:
            return pos
        close = CLOSE.match(line, after)
        pos = close.end() if close and "(" in line[pos : update.end()] else after


def impossible(year: int, month: int, day: int) -> str:
    """Why year-month-day is no date, or "" when it is one."""
    if year < 1:
        return "there is no year 0"
    if not 1 <= month <= 12:
        return f"there is no month {month}" if month else "it names two different months"
    if day < 1:
        return "there is no day 0"
    last = calendar.monthrange(year, month)[1]
    if day > last:
        name = MONTH_NAMES[month - 1]
        return f"{name} {year} has {last} days" if month == 2 else f"{name} has {last} days"
    return ""
