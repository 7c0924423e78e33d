"""Seed articles: date line, headline, body paragraphs and publisher boilerplate.

Everything here is what an editor sees: the parsed date and headline, which paragraphs
make the body (and where they are in the file, for notes that point into the seed), and
the exact located errors for seeds that cannot be read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefgen.stages.datelines import DateLine, read_date_line
from briefgen.stages.inputs import decode
from briefgen.stages.seeds import Seed, parse_seed

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = "seeds/us-strikes-iraq-syria.txt"
PATH = "seeds/x.txt"
DATE_HINT = (
    "  hint: write the date as publishers print it: August 3, 2021, 3 août 2021, "
    "3. August 2021, 03.08.2021, 03/08/2021 or 2021-08-03, with or without a label "
    "(Updated, Stand:) and a time"
)
REST_HINT = "  hint: a label (Updated, Publié le), a weekday and a time may stay; delete the rest"
EMPTY = (
    f"{PATH}:1:1: error: seed is empty\n  hint: a seed starts with a date line, then the headline"
)
UTF8_HINT = "  hint: save the file as UTF-8 (most editors: 'Save with encoding')"


def parse(text: str, boilerplate: tuple[str, ...] = ()) -> Seed:
    """A seed that must parse without problems."""
    seed, problems = parse_seed(PATH, "x", text, boilerplate)
    assert [p.format() for p in problems] == []
    assert seed is not None
    return seed


def problems_of(text: str) -> list[str]:
    """The diagnostics of a seed that must fail, as the CLI prints them."""
    seed, problems = parse_seed(PATH, "x", text)
    assert seed is None
    return [p.format() for p in problems]


def body(seed: Seed) -> list[str]:
    return [p.text for p in seed.paragraphs]


# -- the date line ----------------------------------------------------------------------

AUG_3 = dt.date(2021, 8, 3)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # the spec's three formats
        ("August 3, 2021", AUG_3),
        ("3 August 2021", AUG_3),
        ("2021-08-03", AUG_3),
        # variants of the same formats
        ("August 3 2021", AUG_3),
        ("August 03, 2021", AUG_3),
        ("03 August 2021", AUG_3),
        ("august 3, 2021", AUG_3),
        ("AUGUST 3, 2021", AUG_3),
        ("  August 3, 2021  ", AUG_3),
        ("August\u00a03,\u00a02021", AUG_3),
        ("August  3,   2021", AUG_3),
        # abbreviated months
        ("Aug 3, 2021", AUG_3),
        ("Aug. 3, 2021", AUG_3),
        ("3 Aug 2021", AUG_3),
        ("3 Aug. 2021", AUG_3),
        ("Jan 5, 2021", dt.date(2021, 1, 5)),
        ("Feb. 28, 2021", dt.date(2021, 2, 28)),
        ("Mar 1, 2021", dt.date(2021, 3, 1)),
        ("Apr 30, 2021", dt.date(2021, 4, 30)),
        ("May 9, 2021", dt.date(2021, 5, 9)),
        ("Jun 28, 2021", dt.date(2021, 6, 28)),
        ("Jul 14, 2021", dt.date(2021, 7, 14)),
        ("Sep 3, 2021", dt.date(2021, 9, 3)),
        ("Sept. 3, 2021", dt.date(2021, 9, 3)),
        ("Oct 1, 2021", dt.date(2021, 10, 1)),
        ("11 Nov 2021", dt.date(2021, 11, 11)),
        ("25 Dec. 2021", dt.date(2021, 12, 25)),
        # a leading weekday, full or abbreviated, with or without a comma
        ("Tuesday, August 3, 2021", AUG_3),
        ("Tuesday August 3, 2021", AUG_3),
        ("Tuesday, 3 August 2021", AUG_3),
        ("Tuesday 3 August 2021", AUG_3),
        ("Tue, 3 Aug 2021", AUG_3),
        ("Tue. Aug. 3, 2021", AUG_3),
        ("Tues. Aug. 3, 2021", AUG_3),
        ("Monday, August 2, 2021", dt.date(2021, 8, 2)),
        ("Wednesday, August 4, 2021", dt.date(2021, 8, 4)),
        ("Wed 4 Aug 2021", dt.date(2021, 8, 4)),
        ("Thursday, 5 August 2021", dt.date(2021, 8, 5)),
        ("Thu, Aug 5, 2021", dt.date(2021, 8, 5)),
        ("Thurs. 5 Aug 2021", dt.date(2021, 8, 5)),
        ("Friday, August 6, 2021", dt.date(2021, 8, 6)),
        ("Saturday, 7 August 2021", dt.date(2021, 8, 7)),
        ("Sat 7 Aug 2021", dt.date(2021, 8, 7)),
        ("Sunday, August 8, 2021", dt.date(2021, 8, 8)),
        ("Sun, 8 Aug 2021", dt.date(2021, 8, 8)),
    ],
)
def test_date_line_formats(line: str, expected: dt.date) -> None:
    seed = parse(f"{line}\n\nA headline\n\nA body paragraph.\n")
    assert seed.date == expected
    assert seed.headline == "A headline"


def date(day: int, month: int, year: int) -> dt.date:
    return dt.date(year, month, day)


JUN_28 = dt.date(2021, 6, 28)
JAN_8 = dt.date(2020, 1, 8)


@pytest.mark.parametrize(
    ("line", "language", "expected"),
    [
        # seven of the twelve real date lines the issue collected, refused before
        ("8 January 2020, 3:51 pm", "", JAN_8),
        ("12/30/2019 05:03 AM EST", "", date(30, 12, 2019)),
        ("29.04.2020", "", date(29, 4, 2020)),
        ("15 Mai 2019 à 06h00", "", date(15, 5, 2019)),
        ("19 FEB 2020 - 18:37 CET", "", date(19, 2, 2020)),
        # a trailing time in any common form, with or without a time zone
        ("August 3, 2021, 3:51 pm", "", AUG_3),
        ("August 3, 2021 14:50", "", AUG_3),
        ("3 August 2021 - 18:37 CET", "", AUG_3),
        ("3 August 2021 – 18:37 CEST", "", AUG_3),
        ("2021-08-03T21:38", "", AUG_3),
        ("3 août 2021 à 06h00", "", AUG_3),
        ("3 août 2021 à 6 h 00", "", AUG_3),
        ("3 août 2021 à 10h", "", AUG_3),
        ("3. August 2021 um 14:50 Uhr", "", AUG_3),
        ("3. August 2021, 14 Uhr", "", AUG_3),
        ("August 3, 2021 05:03 AM EST", "", AUG_3),
        ("August 3, 2021 3:51 p.m. ET", "", AUG_3),
        ("August 3, 2021 at 10:00", "", AUG_3),
        ("August 3, 2021 at 3 pm", "", AUG_3),
        ("August 3, 2021 9:38 PM GMT+1", "", AUG_3),
        ("August 3, 2021 21:38 UTC", "", AUG_3),
        ("August 3, 2021 21:38 +03:00", "", AUG_3),
        ("August 3, 2021 21:38 +0300", "", AUG_3),
        ("August 3, 2021 21:38 (GMT)", "", AUG_3),
        ("August 3, 2021 21:38 (UTC+2)", "", AUG_3),
        ("3 August 2021 21:38:05", "", AUG_3),
        ("3 August 2021 | 21:38", "", AUG_3),
        ("3 August 2021 / 21:38 MESZ", "", AUG_3),
        ("Wed 4 Aug 2021 15.51 BST", "", date(4, 8, 2021)),
        # numeric dates: DD.MM.YYYY, DD.MM.YY, slashes and hyphens, ISO
        ("03.08.2021", "", AUG_3),
        ("3.8.2021", "", AUG_3),
        ("03.08.21", "", AUG_3),
        ("03.08.99", "", date(3, 8, 1999)),
        ("30/12/2019", "", date(30, 12, 2019)),
        ("12/30/2019", "", date(30, 12, 2019)),
        ("3/8/2021", "", AUG_3),
        ("28-6-2021", "", JUN_28),
        ("28-06-2021 | 10:22", "", JUN_28),
        ("2021/08/03", "", AUG_3),
        ("2021/8/3", "", AUG_3),
        ("2021-8-3", "", AUG_3),
        ("2021-08-03T21:38:00Z", "", AUG_3),
        ("2021-08-03T21:38:00.000+02:00", "", AUG_3),
        ("2021-08-03 21:38", "", AUG_3),
        # an ambiguous numeric date: month first for American English only
        ("03/04/2020", "", date(3, 4, 2020)),
        ("03/04/2020", "en", date(3, 4, 2020)),
        ("03/04/2020", "en-GB", date(3, 4, 2020)),
        ("03/04/2020", "fr", date(3, 4, 2020)),
        ("03/04/2020", "ar", date(3, 4, 2020)),
        ("03/04/2020", "en-US", date(4, 3, 2020)),
        ("03-04-2020", "en-US", date(4, 3, 2020)),
        ("3/4/2020 10:22 AM EDT", "en-US", date(4, 3, 2020)),
        # ... a part over 12 decides, whatever the language; dots are always day first
        ("30/12/2019", "en-US", date(30, 12, 2019)),
        ("12/30/2019", "fr", date(30, 12, 2019)),
        ("03.04.2020", "en-US", date(3, 4, 2020)),
        ("2020-03-04", "en-US", date(4, 3, 2020)),
        # ordinals
        ("8th January 2020", "", JAN_8),
        ("January 8th, 2020", "", JAN_8),
        ("1st May 2019", "", date(1, 5, 2019)),
        ("May 2nd, 2019", "", date(2, 5, 2019)),
        ("3rd May 2019", "", date(3, 5, 2019)),
        ("1er mai 2019", "", date(1, 5, 2019)),
        ("1º de mayo de 2019", "", date(1, 5, 2019)),
        ("1.º de mayo de 2019", "", date(1, 5, 2019)),
        ("1° maggio 2019", "", date(1, 5, 2019)),
        ("1º de maio de 2019", "", date(1, 5, 2019)),
        # a leading label, case-insensitive, with or without a colon
        ("Updated January 8, 2020", "", JAN_8),
        ("Updated: January 8, 2020", "", JAN_8),
        ("UPDATED January 8, 2020", "", JAN_8),
        ("Published 8 January 2020", "", JAN_8),
        ("Published on Wednesday, January 8, 2020", "", JAN_8),
        ("Last updated 8 January 2020", "", JAN_8),
        ("Last updated: 8 January 2020", "", JAN_8),
        ("Posted January 8, 2020", "", JAN_8),
        ("Posted on January 8, 2020", "", JAN_8),
        ("First published on Wed 8 Jan 2020 15.51 GMT", "", JAN_8),
        ("Mis à jour le 8 janvier 2020", "", JAN_8),
        ("mis à jour le 08/01/2020", "", JAN_8),
        ("Publié le 8 janvier 2020", "", JAN_8),
        ("Publié le : 08/01/2020 - 15:51", "", JAN_8),
        ("Stand: 08.01.2020", "", JAN_8),
        ("Stand 08.01.2020 15:51 Uhr", "", JAN_8),
        ("Veröffentlicht am 08.01.2020", "", JAN_8),
        ("Aktualisiert am 08.01.2020-15:51", "", JAN_8),
        ("Actualizado: 08/01/2020 15:51h", "", JAN_8),
        ("Actualizado:08/01/2020", "", JAN_8),
        ("Publicado el 8 de enero de 2020", "", JAN_8),
        ("Aggiornato il 8 gennaio 2020", "", JAN_8),
        ("Pubblicato il 8 gennaio 2020", "", JAN_8),
        ("Atualizado em 08/01/2020", "", JAN_8),
        ("Publicado em 8 de janeiro de 2020", "", JAN_8),
        ("تاريخ النشر: 8 يناير 2020", "", JAN_8),
        ("تاريخ النشر 8/1/2020", "", JAN_8),
        ("نشر في 8 يناير 2020", "", JAN_8),
        ("نُشر في 8 يناير 2020", "", JAN_8),
        ("آخر تحديث: 8 يناير 2020", "", JAN_8),
        ("اخر تحديث: 8 يناير 2020", "", JAN_8),
        ("آخر تحديث: 2020/1/8 الساعة 15:51 (مكة المكرمة)", "", JAN_8),
        # connecting words, weekdays, abbreviations, folded accents
        ("15 de mayo de 2019", "", date(15, 5, 2019)),
        ("28 de junio del 2021", "", JUN_28),
        ("le 3 août 2021", "", AUG_3),
        ("3. August 2021", "", AUG_3),
        ("Samstag, 3. August 2021", "", AUG_3),
        ("sábado, 3 de agosto de 2021", "", AUG_3),
        ("mardi 3 août 2021", "", AUG_3),
        ("Mardi 3 Août 2021", "", AUG_3),
        ("MARDI 3 AOÛT 2021", "", AUG_3),
        ("mar. 3 août 2021", "", AUG_3),
        ("3 aout 2021", "", AUG_3),
        ("3 févr. 2021", "", date(3, 2, 2021)),
        ("3 fevrier 2021", "", date(3, 2, 2021)),
        ("Jan. 8, 2020", "", JAN_8),
        ("Sept. 3, 2021", "", date(3, 9, 2021)),
        ("3 sept. 2021", "", date(3, 9, 2021)),
        ("3. März 2021", "", date(3, 3, 2021)),
        ("3. Maerz 2021", "", date(3, 3, 2021)),
        ("3. Mär. 2021", "", date(3, 3, 2021)),
        ("3. Jänner 2021", "", date(3, 1, 2021)),
        ("28.jun.2021", "", JUN_28),
        ("28 JUN 2021", "", JUN_28),
        # names in every language are read whatever the article's language
        ("3 août 2021", "de", AUG_3),
        ("3. August 2021", "fr", AUG_3),
        ("3 de agosto de 2021", "en-US", AUG_3),
        ("3 أغسطس 2021", "fr", AUG_3),
        # Arabic: digits, the Arabic comma, the year suffix, hamza and other variants
        ("٣ أغسطس ٢٠٢١", "", AUG_3),
        ("۳ أغسطس ۲۰۲۱", "", AUG_3),
        ("٢٠٢١/٨/٣", "", AUG_3),
        ("الثلاثاء، 3 أغسطس 2021", "", AUG_3),
        ("الثلاثاء 3 أغسطس 2021م", "", AUG_3),
        ("الثلاثاء 3 أغسطس 2021 م", "", AUG_3),
        ("3 اغسطس 2021", "", AUG_3),
        ("3 ابريل 2021", "", date(3, 4, 2021)),
        ("3 إبريل 2021", "", date(3, 4, 2021)),
        ("الاثنين 2 أغسطس 2021", "", date(2, 8, 2021)),
        ("الإثنين 2 أغسطس 2021", "", date(2, 8, 2021)),
        ("3 جويليه 2021", "", date(3, 7, 2021)),
        ("3 كانون الاول 2021", "", date(3, 12, 2021)),
        ("يوم الثلاثاء 3 أغسطس 2021", "", AUG_3),
        ("3 حزيران/يونيو 2021", "", date(3, 6, 2021)),
        ("3 حزيران (يونيو) 2021", "", date(3, 6, 2021)),
        ("\u200fالثلاثاء\u200f 3 أغسطس 2021\u200f", "", AUG_3),
        ("الثلاثاء 3 أغسطس 2021 10:22 ص", "", AUG_3),
        ("الثلاثاء 3 أغسطس 2021 - 10:22 مساءً", "", AUG_3),
        # how the publishers print them
        ("Publié le 28 juin 2021 à 10h22 - Mis à jour le 29 juin 2021 à 08h00", "fr", JUN_28),
        ("Publié le 28 juin 2021 à 10h22, mis à jour à 12h15", "fr", JUN_28),  # Le Monde
        ("Publié le 28/06/2021 à 10:22, Mis à jour le 28/06/2021 à 12:15", "fr", JUN_28),
        ("Le 28 juin 2021 à 10h22, modifié le 28 juin 2021 à 12h15", "fr", JUN_28),
        ("28/06/2021 - 10:22", "fr", JUN_28),
        ("28 juin 2021 à 10h22", "fr", JUN_28),
        ("Dimanche 27 juin 2021", "fr", date(27, 6, 2021)),
        ("Mo 28.06.21 14:50 Uhr", "de", JUN_28),  # tagesschau
        ("Stand: 28.06.2021 14:50 Uhr", "de", JUN_28),
        ("28.06.2021, 14.50 Uhr", "de", JUN_28),  # Spiegel
        ("Aktualisiert am 28.06.2021-14:50", "de", JUN_28),  # FAZ
        ("Montag, 28. Juni 2021, 14:50 Uhr", "de", JUN_28),
        ("28 jun 2021 - 10:22 CEST", "es", JUN_28),  # El País
        ("28 jun 2021 - 10:22 CEST Actualizado: 28 jun 2021 - 12:15 CEST", "es", JUN_28),
        ("Actualizado:28/06/2021 10:22h", "es", JUN_28),  # ABC
        ("Lunes, 28 junio 2021 - 10:22", "es", JUN_28),
        ("28 de junio de 2021 a las 10:22 h", "es", JUN_28),
        ("28/06/2021 10:22 | Actualizado a 28/06/2021 12:15", "es", JUN_28),
        ("28 giugno 2021 (modifica il 29 giugno 2021 | 08:00)", "it", JUN_28),  # Corriere
        ("28 giugno 2021 alle ore 10:22", "it", JUN_28),
        ("28.jun.2021 às 10h22", "pt-BR", JUN_28),  # Folha
        ("Atualizado: 28.jun.2021 às 12h15", "pt-BR", JUN_28),
        ("28 de junho de 2021 | 10h22", "pt-BR", JUN_28),
        ("آخر تحديث: 2021/6/28 الساعة 10:22 (مكة المكرمة)", "ar", JUN_28),  # Al Jazeera
        ("الاثنين - 18 ذو القعدة 1442 هـ - 28 يونيو 2021 مـ", "ar", JUN_28),  # Asharq Al-Awsat
        ("الاثنين 28 يونيو 2021 م - 18 ذو القعدة 1442 هـ", "ar", JUN_28),
        ("الإثنين 28 جوان 2021", "ar", JUN_28),  # Assabah
        ("الإثنين 28 يونيو 2021 - 10:22", "ar", JUN_28),  # Hespress
        ("28 غشت 2021", "ar", date(28, 8, 2021)),  # Moroccan month names
        ("الإثنين، 28 يونيو 2021 10:22 ص", "ar", JUN_28),
        ("28-6-2021 | 10:22", "ar", JUN_28),  # Al-Ahram
        ("نشر في 28-06-2021 10:22", "ar", JUN_28),  # An-Nahar
        ("28 حزيران 2021 | 10:22", "ar", JUN_28),
        ("June 28, 2021 10:22 AM UTC", "en", JUN_28),  # Reuters
        ("Updated 10:22 AM GMT+2, June 28, 2021", "en-US", JUN_28),  # AP
        ("Updated 3:51 PM ET, Wed January 8, 2020", "en-US", JAN_8),  # CNN
        ("Published Jan. 8, 2020 Updated Jan. 9, 2020, 3:51 p.m. ET", "en-US", JAN_8),  # NYT
        ("Published Jan. 8, 2020Updated Jan. 9, 2020", "en-US", JAN_8),  # NYT, pasted
        ("Wed 8 Jan 2020 15.51 GMT", "en-GB", JAN_8),  # The Guardian
        ("8 January 2020", "en-GB", JAN_8),  # BBC
    ],
)
def test_date_lines_as_publishers_print_them(line: str, language: str, expected: dt.date) -> None:
    seed, problems = parse_seed(PATH, "x", f"{line}\n\nA headline\n\nBody.\n", language=language)
    assert [p.format() for p in problems] == []
    assert seed is not None
    assert seed.date == expected
    assert seed.headline == "A headline"


MONTH_NAMES = {
    "en": "January|Jan February|Feb March|Mar April|Apr May June|Jun July|Jul August|Aug "
    "September|Sep|Sept October|Oct November|Nov December|Dec",
    "fr": "janvier|janv février|févr|fevrier|fév mars avril|avr mai juin juillet|juil "
    "août|aout septembre|sept octobre|oct novembre|nov décembre|déc|decembre",
    "de": "Januar|Jan|Jänner Februar|Feb März|Mär|Maerz|Mrz April|Apr Mai Juni|Jun Juli|Jul "
    "August|Aug September|Sep|Sept Oktober|Okt November|Nov Dezember|Dez",
    "es": "enero|ene febrero|feb marzo|mar abril|abr mayo|may junio|jun julio|jul agosto|ago "
    "septiembre|setiembre|sep|sept octubre|oct noviembre|nov diciembre|dic",
    "it": "gennaio|gen febbraio|feb marzo|mar aprile|apr maggio|mag giugno|giu luglio|lug "
    "agosto|ago settembre|set|sett ottobre|ott novembre|nov dicembre|dic",
    "pt": "janeiro|jan fevereiro|fev março|marco|mar abril|abr maio|mai junho|jun julho|jul "
    "agosto|ago setembro|set outubro|out novembro|nov dezembro|dez",
    "ar": "كانون_الثاني|يناير|جانفي شباط|فبراير|فيفري آذار|اذار|مارس "
    "نيسان|أبريل|ابريل|إبريل|أفريل|افريل أيار|ايار|مايو|ماي حزيران|يونيو|يونيه|جوان "
    "تموز|يوليو|يوليه|جويلية|جويليه|يوليوز آب|اب|أغسطس|اغسطس|أوت|اوت|غشت أيلول|ايلول|سبتمبر|شتنبر "
    "تشرين_الأول|تشرين_الاول|أكتوبر|اكتوبر تشرين_الثاني|نوفمبر|نونبر "
    "كانون_الأول|كانون_الاول|ديسمبر|دجنبر",
}
"""Every month name and abbreviation, by language: January to December, variants by |."""
DAY_FIRST = {
    "en": "{} {} 2021",
    "fr": "{} {} 2021",
    "de": "{}. {} 2021",
    "es": "{} de {} de 2021",
    "it": "{} {} 2021",
    "pt": "{} de {} de 2021",
    "ar": "{} {} 2021",
}


@pytest.mark.parametrize(
    ("language", "month", "name"),
    [
        (language, month, name.replace("_", " "))
        for language, names in MONTH_NAMES.items()
        for month, variants in enumerate(names.split(), 1)
        for name in variants.split("|")
    ],
)
def test_month_names_and_abbreviations(language: str, month: int, name: str) -> None:
    expected = dt.date(2021, month, 3)
    for line in (DAY_FIRST[language].format(3, name), f"{name}. 3, 2021", f"3 {name.upper()} 2021"):
        assert parse(f"{line}\n\nA headline\n\nBody.\n").date == expected, line


WEEKDAY_NAMES = {
    "en": "Monday|Mon Tuesday|Tue|Tues Wednesday|Wed Thursday|Thu|Thur|Thurs Friday|Fri "
    "Saturday|Sat Sunday|Sun",
    "fr": "lundi|lun mardi|mar mercredi|mer jeudi|jeu vendredi|ven samedi|sam dimanche|dim",
    "de": "Montag|Mo Dienstag|Di Mittwoch|Mi Donnerstag|Do Freitag|Fr Samstag|Sonnabend|Sa "
    "Sonntag|So",
    "es": "lunes|lun martes|mar miércoles|miercoles|mié jueves|jue viernes|vie sábado|sabado|sáb "
    "domingo|dom",
    "it": "lunedì|lunedi|lun martedì|mar mercoledì|mer giovedì|gio venerdì|ven sabato|sab "
    "domenica|dom",
    "pt": "segunda-feira|segunda|seg terça-feira|terça|terca|ter quarta-feira|quarta|qua "
    "quinta-feira|quinta|qui sexta-feira|sexta|sex sábado|sáb domingo|dom",
    "ar": "الاثنين|الإثنين الثلاثاء الأربعاء|الاربعاء الخميس الجمعة|الجمعه السبت الأحد|الاحد",
}
"""Every weekday name and abbreviation, by language: Monday to Sunday."""
AUGUST = {"en": "August", "fr": "août", "de": "August", "es": "agosto", "it": "agosto"}
AUGUST |= {"pt": "agosto", "ar": "أغسطس"}


@pytest.mark.parametrize(
    ("language", "day", "name"),
    [
        (language, day, name)
        for language, names in WEEKDAY_NAMES.items()
        for day, variants in enumerate(names.split(), 2)
        for name in variants.split("|")
    ],
)
def test_weekday_names_and_abbreviations(language: str, day: int, name: str) -> None:
    rest = DAY_FIRST[language].format(day, AUGUST[language])
    for line in (f"{name} {rest}", f"{name}, {rest}", f"{name}. {rest}", f"{name.upper()} {rest}"):
        assert parse(f"{line}\n\nA headline\n\nBody.\n").date == dt.date(2021, 8, day), line


@pytest.mark.parametrize(
    "line",
    [
        "2021-8-",
        "Augustus 3, 2021",
        "August 2021",
        "August 3",
        "3 August",
        "Yesterday",
        "Publié aujourd’hui à 10h22",
        "vor 2 Stunden",
        "By Madjid Zerrouky",
        "18 ذو القعدة 1442 هـ",
    ],
)
def test_bad_date_line_is_located_with_a_hint(line: str) -> None:
    assert problems_of(f"{line}\n\nA headline\n\nA body paragraph.\n") == [
        f"{PATH}:1:1: error: first line must be the article's date; got '{line}'\n{DATE_HINT}"
    ]


@pytest.mark.parametrize(
    ("line", "found", "rest"),
    [
        ("8 January 2020 | Opinion | 4 min read", "8 January 2020", " | Opinion | 4 min read"),
        ("3 August 2021 GMT+1", "3 August 2021", " GMT+1"),
        ("2021-08-03T25:00", "3 August 2021", "T25:00"),
        (
            "Veröffentlicht am 28.06.2021 | Lesedauer: 3 Minuten",
            "28 June 2021",
            " | Lesedauer: 3 Minuten",
        ),
        ("28/06/2021 10h22 Atualizado há 2 horas", "28 June 2021", " Atualizado há 2 horas"),
        (
            "JANUARY 8, 2020 / 3:51 PM / UPDATED 2 YEARS AGO",
            "8 January 2020",
            " / UPDATED 2 YEARS AGO",
        ),
        (
            "الاثنين - 18 ذو القعدة 1442 هـ - 28 يونيو 2021 مـ رقم العدد [15553]",
            "28 June 2021",
            " رقم العدد [15553]",
        ),
    ],
)
def test_date_with_more_on_its_line_says_what_is_left(line: str, found: str, rest: str) -> None:
    assert problems_of(f"{line}\n\nA headline\n\nA body paragraph.\n") == [
        f"{PATH}:1:1: error: found {found}, then '{rest}': keep only the date on this line\n"
        f"{REST_HINT}"
    ]


@pytest.mark.parametrize(
    ("line", "before", "found", "after"),
    [
        # Libération's info line, copied with its byline (mozilla/readability liberation-1).
        (
            "AFP 30 avril 2015 à 07:19 (Mis à jour : 30 avril 2015 à 07:38)",
            "AFP",
            "30 April 2015",
            "",
        ),
        # Le Monde's signature line (mozilla/readability lemonde-1).
        (
            "Le Monde | 04.05.2015 à 13h36 • Mis à jour le 05.05.2015 à 20h13 | Par Martin "
            "Untersinger",
            "Le Monde |",
            "4 May 2015",
            " | Par Martin Untersinger",
        ),
        ("Madrid - 28 jun 2021 - 10:22 CEST", "Madrid -", "28 June 2021", ""),
    ],
)
def test_words_before_the_date_are_named(line: str, before: str, found: str, after: str) -> None:
    left = f", then '{after}'" if after else ""
    assert problems_of(f"{line}\n\nA headline\n\nA body paragraph.\n") == [
        f"{PATH}:1:1: error: '{before}' stands before the date ({found}){left}: "
        f"keep only the date on this line\n{REST_HINT}"
    ]


def test_what_is_left_is_quoted_only_in_part_when_long() -> None:
    rest = " | By Madjid Zerrouky, Le Monde's correspondent in Baghdad, with AFP and Reuters"
    assert problems_of(f"8 January 2020{rest}\n\nA headline\n\nA body paragraph.\n") == [
        f"{PATH}:1:1: error: found 8 January 2020, then '{rest[:60]}': keep only the date on "
        f"this line\n{REST_HINT}"
    ]


@pytest.mark.parametrize(
    ("line", "language", "why"),
    [
        ("31.02.2020", "", "February 2020 has 29 days"),
        ("29.02.2021", "", "February 2021 has 28 days"),
        ("2021-13-45", "", "there is no month 13"),
        ("2021-02-30", "", "February 2021 has 28 days"),
        ("2021-13-01", "", "there is no month 13"),
        ("February 30, 2021", "", "February 2021 has 28 days"),
        ("August 32, 2021", "", "August has 31 days"),
        ("31 avril 2021", "fr", "April has 30 days"),
        ("31/04/2021", "en-US", "April has 30 days"),
        ("13/13/2020", "", "there is no month 13"),
        ("0/5/2020", "", "there is no day 0"),
        ("3 August 0000", "", "there is no year 0"),
        ("28 حزيران/تموز 2021", "ar", "it names two different months"),
        ("Stand: 31.06.2021 14:50 Uhr", "de", "June has 30 days"),
    ],
)
def test_impossible_date_says_so(line: str, language: str, why: str) -> None:
    seed, problems = parse_seed(PATH, "x", f"{line}\n\nA headline\n\nBody.\n", language=language)
    assert seed is None
    assert [p.format() for p in problems] == [f"{PATH}:1:1: error: impossible date '{line}': {why}"]


def test_date_line_reading_keeps_what_it_found_and_what_is_left() -> None:
    line = read_date_line("  Publié le\u00a028 juin 2021 à 10h22  | Opinion ", "fr")
    assert line == DateLine(JUN_28, "Publié le 28 juin 2021 à 10h22", " | Opinion")
    assert read_date_line("By Madjid Zerrouky") == DateLine(None, "", "By Madjid Zerrouky")
    # Direction marks and a tatweel after the date are nothing left to read.
    assert read_date_line("28 يونيو 2021\u200f ـ").rest == ""


def test_bad_date_line_after_blank_lines_names_its_line() -> None:
    text = "\n\n\nAmerican strikes against pro-Iran militias\n\nA body paragraph.\n"
    assert problems_of(text) == [
        f"{PATH}:4:1: error: first line must be the article's date; "
        f"got 'American strikes against pro-Iran militias'\n{DATE_HINT}"
    ]


def test_bad_date_line_is_quoted_only_in_part_when_long() -> None:
    line = "In response to the increase in drone attacks against US forces stationed in Iraq"
    assert problems_of(f"{line}\n\nA body paragraph.\n") == [
        f"{PATH}:1:1: error: first line must be the article's date; got '{line[:60]}'\n{DATE_HINT}"
    ]


# -- headline ---------------------------------------------------------------------------


def test_headline_is_the_next_non_empty_line() -> None:
    seed = parse("August 3, 2021\n\n\nAmerican strikes in Iraq and Syria\n\nBody.\n")
    assert seed.headline == "American strikes in Iraq and Syria"
    assert seed.headline_line == 4


def test_headline_may_follow_the_date_without_a_blank_line() -> None:
    seed = parse("August 3, 2021\nAmerican strikes in Iraq and Syria\n\nBody.\n")
    assert seed.headline == "American strikes in Iraq and Syria"
    assert seed.headline_line == 2
    assert body(seed) == ["Body."]
    assert seed.paragraphs[0].line == 4


def test_lines_right_after_the_headline_are_the_first_paragraph() -> None:
    seed = parse("August 3, 2021\n\nHeadline\nFirst paragraph,\nwrapped.\n\nSecond.\n")
    assert seed.headline == "Headline"
    assert body(seed) == ["First paragraph, wrapped.", "Second."]
    assert [p.line for p in seed.paragraphs] == [4, 7]


def test_headline_spacing_is_collapsed() -> None:
    seed = parse("August 3, 2021\n\n  US\u00a0strikes   on\tmilitias  \n\nBody.\n")
    assert seed.headline == "US strikes on militias"


def test_headline_keeps_typographic_quotes() -> None:
    seed = parse("August 3, 2021\n\n“A strong message” according to Blinken\n\nBody.\n")
    assert seed.headline == "“A strong message” according to Blinken"


# -- paragraphs -------------------------------------------------------------------------


def test_paragraphs_and_their_lines() -> None:
    text = (
        "August 3, 2021\n"  # 1
        "\n"
        "Headline\n"  # 3
        "\n"
        "First paragraph.\n"  # 5
        "\n"
        "\n"
        "\n"
        "Second paragraph,\n"  # 9
        "on two lines.\n"
        "\n"
        "Third.\n"  # 12
    )
    seed = parse(text)
    assert body(seed) == ["First paragraph.", "Second paragraph, on two lines.", "Third."]
    assert [p.line for p in seed.paragraphs] == [5, 9, 12]


def test_wrapped_paragraph_locates_every_character_in_the_file() -> None:
    text = (
        "August 3, 2021\n"
        "\n"
        "Headline\n"
        "\n"
        "Despite protests from Baghdad\n"  # line 5
        "the US administration has   \n"  # line 6, trailing spaces
        "  shown its firmness.\n"  # line 7, indented
    )
    seed = parse(text)
    [paragraph] = seed.paragraphs
    assert paragraph.text == (
        "Despite protests from Baghdad the US administration has   shown its firmness."
    )
    assert paragraph.line == 5

    def where(words: str) -> tuple[int, int]:
        return paragraph.locate(paragraph.text.index(words))

    assert where("Despite") == (5, 1)
    assert where("Baghdad") == (5, 23)
    assert where("the US") == (6, 1)
    assert where("administration") == (6, 8)
    assert where("shown") == (7, 3)
    assert where("firmness") == (7, 13)
    assert paragraph.locate(len(paragraph.text) - 1) == (7, 21)  # the final period
    # Each located column holds the character in the file.
    lines = text.split("\n")
    for offset, ch in enumerate(paragraph.text):
        line, col = paragraph.locate(offset)
        if ch != " ":
            assert lines[line - 1][col - 1] == ch, (offset, ch, line, col)


def test_paragraph_text_keeps_non_breaking_spaces_and_typography() -> None:
    seed = parse("August 3, 2021\n\nHeadline\n\nA “Flagrant\u00a0violation” – said.\n")
    assert body(seed) == ["A “Flagrant\u00a0violation” – said."]


# -- line ends, BOM, non-breaking spaces -----------------------------------------------

PLAIN = (
    "August 3, 2021\n"
    "\n"
    "American strikes against pro-Iran militias\n"
    "\n"
    "In response to the increase in drone attacks,\n"
    "President Joe Biden ordered strikes.\n"
    "\n"
    "Article reserved for our subscribers Read also Joe Biden draws his red line\n"
    "\n"
    "Since the death of Iranian General Ghassem Soleimani.\n"
    "\n"
    "You have 38.16% of this article to read. The rest is for subscribers only.\n"
)


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(PLAIN.replace("\n", "\r\n"), id="crlf"),
        pytest.param(PLAIN.replace("\n", "\r"), id="cr"),
        pytest.param("\ufeff" + PLAIN, id="bom"),
        pytest.param("\ufeff" + PLAIN.replace("\n", "\r\n"), id="bom+crlf"),
        pytest.param(PLAIN.replace("\n\n", "\n \u00a0\t\n"), id="blank-lines-with-nbsp"),
        pytest.param(PLAIN.replace("\n", "  \n"), id="trailing-spaces"),
        pytest.param("\n\n" + PLAIN.replace("\n\n", "\n\n\n") + "\n\n", id="extra-blank-lines"),
    ],
)
def test_line_ends_bom_and_blank_lines_do_not_change_the_seed(variant: str) -> None:
    expected = parse(PLAIN)
    seed = parse(variant)
    assert seed.date == expected.date
    assert seed.headline == expected.headline
    assert body(seed) == body(expected)
    assert seed.related == expected.related
    assert seed.missing_percent == expected.missing_percent


def test_crlf_and_bom_keep_line_numbers() -> None:
    seed = parse("\ufeff" + PLAIN.replace("\n", "\r\n"))
    assert seed.headline_line == 3
    assert [p.line for p in seed.paragraphs] == [5, 10]
    assert seed.paragraphs[0].locate(seed.paragraphs[0].text.index("President")) == (6, 1)


def test_bom_is_not_part_of_the_date_line() -> None:
    assert parse("\ufeff2021-08-03\n\nHeadline\n\nBody.\n").date == AUG_3


# -- publisher boilerplate --------------------------------------------------------------


def test_read_also_becomes_related_reading_and_leaves_the_body() -> None:
    seed = parse(PLAIN)
    assert seed.related == ("Joe Biden draws his red line",)
    assert not any("Read also" in text for text in body(seed))


def test_paywall_notice_marks_the_share_missing_and_leaves_the_body() -> None:
    seed = parse(PLAIN)
    assert seed.missing_percent == "38.16"
    assert body(seed) == [
        "In response to the increase in drone attacks, President Joe Biden ordered strikes.",
        "Since the death of Iranian General Ghassem Soleimani.",
    ]


def test_complete_article_is_not_truncated() -> None:
    seed = parse("August 3, 2021\n\nHeadline\n\nBody.\n")
    assert seed.missing_percent is None
    assert seed.related == ()


@pytest.mark.parametrize(
    ("notice", "missing"),
    [
        ("You have 38.16% of this article to read. The rest is for subscribers only.", "38.16"),
        (
            "You have 38,16 % of this article left to read. The rest is for subscribers only.",
            "38.16",
        ),
        ("You have 62% of this article to read. The rest is for subscribers only", "62"),
    ],
)
def test_paywall_notice_variants(notice: str, missing: str) -> None:
    seed = parse(f"August 3, 2021\n\nHeadline\n\nBody.\n\n{notice}\n")
    assert seed.missing_percent == missing
    assert body(seed) == ["Body."]


RED_LINE = "Biden draws his red line"


@pytest.mark.parametrize(
    "notice",
    [
        f"Article reserved for our subscribers Read also {RED_LINE}",
        f"Read also {RED_LINE}",
        f"Read also: {RED_LINE}",
        "Article reserved for our subscribers\nRead also Biden draws\nhis red line",
    ],
)
def test_read_also_variants(notice: str) -> None:
    seed = parse(f"August 3, 2021\n\nHeadline\n\nBody.\n\n{notice}\n\nMore body.\n")
    assert seed.related == (RED_LINE,)
    assert body(seed) == ["Body.", "More body."]


def test_several_read_also_headlines_keep_their_order() -> None:
    seed = parse(
        "August 3, 2021\n\nHeadline\n\nBody.\n\nRead also First story\n\n"
        "More body.\n\nRead also Second story\n\nEnd.\n"
    )
    assert seed.related == ("First story", "Second story")
    assert body(seed) == ["Body.", "More body.", "End."]


def test_read_also_inside_a_sentence_is_body_text() -> None:
    seed = parse("August 3, 2021\n\nHeadline\n\nWe read also the statement of the Pentagon.\n")
    assert body(seed) == ["We read also the statement of the Pentagon."]
    assert seed.related == ()


def test_config_boilerplate_paragraphs_leave_the_body() -> None:
    text = (
        "August 3, 2021\n\nHeadline\n\nBody.\n\n"
        "Get the app for the best of the news.\n\n"
        "More body.\n\n"
        "© Le Monde 2021\n"
    )
    seed = parse(text, ("^Get the app", r"^© Le Monde \d{4}$"))
    assert body(seed) == ["Body.", "More body."]
    # Without the config, those paragraphs are body text.
    assert len(parse(text).paragraphs) == 4


def test_config_boilerplate_adds_to_the_built_in_patterns() -> None:
    text = PLAIN + "\nSign up to our newsletter\n"
    seed = parse(text, ("^Sign up to our newsletter",))
    assert seed.related == ("Joe Biden draws his red line",)
    assert seed.missing_percent == "38.16"
    assert len(seed.paragraphs) == 2


def test_config_boilerplate_may_capture_related_and_missing() -> None:
    text = (
        "August 3, 2021\n\nHeadline\n\nBody.\n\n"
        "SEE ALSO >> Iran's militias in Iraq\n\n"
        "Subscribe to read the remaining 45% of this story.\n"
    )
    seed = parse(
        text,
        (
            r"^SEE ALSO >> (?P<related>.+)$",
            r"^Subscribe to read the remaining (?P<missing>\d+)% of this story\.$",
        ),
    )
    assert body(seed) == ["Body."]
    assert seed.related == ("Iran's militias in Iraq",)
    assert seed.missing_percent == "45"


# -- seeds that cannot be read ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("\n\n  \n\t\n", id="blank-lines"),
        pytest.param("\ufeff", id="bom-only"),
        pytest.param("\r\n\r\n", id="crlf-only"),
        pytest.param("\u00a0\n", id="nbsp-only"),
    ],
)
def test_empty_seed(text: str) -> None:
    assert problems_of(text) == [EMPTY]


def test_date_without_headline() -> None:
    assert problems_of("\n\nAugust 3, 2021\n\n") == [
        f"{PATH}:3:1: error: seed has a date but no headline"
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param("August 3, 2021\n\nHeadline\n", 3, id="headline-only"),
        pytest.param("August 3, 2021\nHeadline\n\n\n", 2, id="headline-under-date"),
        pytest.param(
            "August 3, 2021\n\nHeadline\n\n"
            "Article reserved for our subscribers Read also Another story\n\n"
            "You have 38.16% of this article to read. The rest is for subscribers only.\n",
            3,
            id="only-boilerplate",
        ),
    ],
)
def test_seed_without_body(text: str, line: int) -> None:
    assert problems_of(text) == [
        f"{PATH}:{line}:1: error: seed has no body paragraphs after the headline"
    ]


# -- the example seed -------------------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> Seed:
    text = (REPO / EXAMPLE).read_text(encoding="utf-8")
    seed, problems = parse_seed(EXAMPLE, "us-strikes-iraq-syria", text)
    assert problems == []
    assert seed is not None
    return seed


def test_example_seed_date_and_headline(example: Seed) -> None:
    assert example.path == EXAMPLE
    assert example.slug == "us-strikes-iraq-syria"
    assert example.date == dt.date(2021, 8, 3)
    assert example.headline == (
        "American strikes against pro-Iran militias in Iraq and Syria, "
        "“a strong message” according to Blinken"
    )
    assert example.headline_line == 3


def test_example_seed_body(example: Seed) -> None:
    # Five paragraphs follow the headline; two are Le Monde's boilerplate.
    assert [p.line for p in example.paragraphs] == [5, 7, 11]
    starts = [p.text[:40] for p in example.paragraphs]
    assert starts == [
        "In response to the increase in drone att",
        "Despite protests from Baghdad – Prime Mi",
        "Since the death of Iranian General Ghass",
    ]
    assert example.paragraphs[1].text.endswith(
        "according to the Syrian Observatory for Human Rights (OSDH)."
    )
    for paragraph in example.paragraphs:
        assert "Read also" not in paragraph.text
        assert "subscribers" not in paragraph.text


def test_example_seed_boilerplate(example: Seed) -> None:
    assert example.related == (
        "Joe Biden draws his red line against threats from Iran and Shiite militias",
    )
    assert example.missing_percent == "38.16"


def test_example_seed_locates_words_in_the_file(example: Seed) -> None:
    lines = (REPO / EXAMPLE).read_text(encoding="utf-8").split("\n")
    expected = {
        "Popular Mobilization units": (5, 481),
        "Antony Blinken": (7, 398),
        "Revolutionary Guards": (11, 102),
    }
    for words, (line, col) in expected.items():
        [paragraph] = [p for p in example.paragraphs if words in p.text]
        assert paragraph.locate(paragraph.text.index(words)) == (line, col)
        assert lines[line - 1][col - 1 :].startswith(words)


# -- bytes that are not UTF-8 -----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            b"August 3, 2021\n\nCaf\xe9 headline\n",
            f"{PATH}:3:4: error: not UTF-8 text: byte 0xe9 at offset 19",
            id="latin-1",
        ),
        pytest.param(
            b"\xff\xfeA\x00u\x00",
            f"{PATH}:1:1: error: not UTF-8 text: byte 0xff at offset 0",
            id="utf-16",
        ),
        pytest.param(
            "August 3, 2021\n\n“Café” ".encode() + b"\x93quote\x94\n",
            f"{PATH}:3:8: error: not UTF-8 text: byte 0x93 at offset 28",
            id="columns-count-characters",
        ),
        pytest.param(
            b"August 3, 2021\r\n\r\nHeadline \x96 dash\r\n",
            f"{PATH}:3:10: error: not UTF-8 text: byte 0x96 at offset 27",
            id="crlf",
        ),
        pytest.param(
            b"August 3, 2021\n\nHeadline\n\nBody \xe2\x80",
            f"{PATH}:5:6: error: not UTF-8 text: byte 0xe2 at offset 31",
            id="truncated-sequence",
        ),
        pytest.param(
            b"\xef\xbb\xbfAugust 3, 2021\n\nCaf\xe9\n",
            f"{PATH}:3:4: error: not UTF-8 text: byte 0xe9 at offset 22",
            id="bom-other-line",
        ),
        pytest.param(
            b"\xef\xbb\xbfAo\xfbt 2021\n",
            f"{PATH}:1:3: error: not UTF-8 text: byte 0xfb at offset 5",
            id="bom-same-line",
        ),
    ],
)
def test_decode_names_byte_offset_line_and_column(data: bytes, expected: str) -> None:
    text, problems = decode(PATH, data)
    assert text is None
    assert [p.format() for p in problems] == [f"{expected}\n{UTF8_HINT}"]


def test_decode_accepts_utf8_and_drops_the_bom() -> None:
    text, problems = decode(PATH, "\ufeffAugust 3, 2021\r\n\r\n“Café” – ok\u00a0".encode())
    assert problems == []
    assert text == "August 3, 2021\r\n\r\n“Café” – ok\u00a0"


def test_decoded_example_seed_parses() -> None:
    text, problems = decode(EXAMPLE, (REPO / EXAMPLE).read_bytes())
    assert problems == []
    assert text is not None
    seed, problems = parse_seed(EXAMPLE, "us-strikes-iraq-syria", text)
    assert problems == []
    assert seed is not None
    assert seed.date == dt.date(2021, 8, 3)
