"""Who is who, in every script: one person per identity, one page per person.

Names in Arabic, Cyrillic or Chinese used to slug to `item` and merge into one person;
identity is now decided on the normalised name, slugs transliterate, and two names that
transliterate alike still get two pages. Latin slugs stay what they were: URLs must not
move.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.vocabulary.names import assign_slugs, name_key, same_but_for_style, suffixed
from briefgen.vocabulary.urls import slugify

from conftest import REPO, Project, tree
from conftest import run_cli as run

# -- slugs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Владимир Путин", "vladimir-putin"),
        ("Сергей Лавров", "sergei-lavrov"),
        ("Володимир Зеленський", "volodimir-zelenskii"),
        ("习近平", "xijinping"),
        ("مصطفى الكاظمي", "mstfa-lkdhmy"),
        ("محمد بن سلمان", "mhmd-bn-slmn"),
        ("מחמוד עבאס", "mhmvd-vs"),
        ("Ἀθῆναι", "athinai"),
        # Latin letters that used to vanish are read, not dropped.
        ("Straße", "strasse"),
        ("Łódź", "lodz"),
    ],
)
def test_slugs_transliterate_every_script(name: str, slug: str) -> None:
    assert slugify(name) == slug


def old_slugify(text: str) -> str:
    """The slug function before transliteration, for Latin names that fold to ASCII."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "item"


LATIN_FOLDING = st.text(
    alphabet=st.sampled_from(
        list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -'.,’–")
        + list("éèêëáàâäãåçñóòôöõúùûüíìîïýÿÉÈÁÀÇÑÖÜĞğŞşİĀāČčŠšŽžŐőŰűĆćŃńŚśŹźŻż")
    ),
    max_size=40,
)


@given(LATIN_FOLDING)
def test_latin_slugs_stay_exactly_what_they_were(name: str) -> None:
    """Existing URLs must not move: a Latin name that folds to ASCII keeps its slug."""
    assert slugify(name) == old_slugify(name)


def test_the_example_sites_urls_are_pinned() -> None:
    """The example site's tag and person pages keep the URLs they were published under."""
    site = REPO / "site"
    assert sorted(p.name for p in (site / "tags").iterdir() if p.is_dir()) == [
        "iran",
        "iraq",
        "militias",
        "syria",
        "united-states",
    ]
    assert sorted(p.name for p in (site / "people").iterdir() if p.is_dir()) == [
        "antony-blinken",
        "john-kirby",
        "mustafa-al-kadhimi",
        "qassem-soleimani",  # in the register (register.yml), not quoted
    ]


# -- identity ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mustafa Al-Kadhimi", "mustafa al kadhimi"),  # case, a hyphen as spacing
        ("José Gómez", "Jose Gomez"),  # Latin accents
        ("Recep Tayyip  Erdoğan", "Recep Tayyip Erdogan"),  # spacing, breve
        ("Kata’ib Hezbollah", "Kata'ib Hezbollah"),  # apostrophe style
        ("مُحَمَّد", "محمد"),  # Arabic harakat
        ("محـمد", "محمد"),  # tatweel
        ("ＡＢＣ News", "ABC News"),  # compatibility forms (NFKC)
        ("STRASSE", "Straße"),  # case folding
    ],
)
def test_spellings_of_one_name_share_an_identity(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)
    assert same_but_for_style(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Владимир Путин", "Сергей Лавров"),
        ("Владимир Путин", "习近平"),
        ("مصطفى الكاظمي", "محمد بن سلمان"),
        ("李伟", "李薇"),  # one reading, two people
        ("Иван", "Йван"),  # й is a letter of its own, not и with an accent
        ("Ali Khamenei", "Ali Khameini"),  # a letter differs: not style
    ],
)
def test_different_names_are_different_people(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)
    assert not same_but_for_style(a, b)


def test_names_that_slug_alike_get_distinct_stable_slugs() -> None:
    first = assign_slugs([(name_key("李伟"), "李伟"), (name_key("李薇"), "李薇")])
    assert first[name_key("李伟")] == "liwei"
    assert first[name_key("李薇")] == suffixed("liwei", name_key("李薇"))
    assert re.fullmatch(r"liwei-[0-9a-f]{6}", first[name_key("李薇")])
    # A Latin name keeps its plain slug even when a transliterated one came first ...
    later = assign_slugs([(name_key("李伟"), "李伟"), (name_key("Li Wei"), "Li Wei")])
    assert later[name_key("Li Wei")] == "li-wei"
    # ... and adding a newer briefing's name never moves an existing URL.
    more = assign_slugs(
        [(name_key("李伟"), "李伟"), (name_key("李薇"), "李薇"), (name_key("李威"), "李威")]
    )
    assert {k: more[k] for k in first} == first


# -- a site quoting people in four scripts ----------------------------------------------

SEED = """\
2021-06-28

Talks in Moscow, Beijing and Baghdad

“We will not be intimidated,” said one. “We are ready to talk,” said another.

“Cooperation is the only way,” a third said. “وكل الشروط متوفرة”, قال الأول.

“ونحن مستعدون”, قال الثاني. “Nous sommes prêts,” said a fifth. “Wir sind bereit,” said a sixth.
"""

SIDECAR = """\
summary: Leaders spoke.
article:
  url: https://news.example/talks
tags: [россия, 中国, العراق, iraq]
quotes:
  - text: We will not be intimidated
    speaker: Владимир Путин
  - text: We are ready to talk
    speaker: Сергей Лавров
  - text: Cooperation is the only way
    speaker: 习近平
  - text: وكل الشروط متوفرة
    speaker: مصطفى الكاظمي
  - text: ونحن مستعدون
    speaker: محمد بن سلمان
  - text: Nous sommes prêts
    speaker: 李伟
  - text: Wir sind bereit
    speaker: 李薇
"""


def test_people_and_tags_in_every_script_are_distinct_pages(project: Project) -> None:
    root = project({"seeds/talks.txt": SEED, "seeds/talks.yml": SIDECAR})
    code, output = run(root, "build", "--strict")
    assert code == 0, output
    assert "likely the same person" not in output
    site = root / "site"
    people = sorted(p.name for p in (site / "people").iterdir() if p.is_dir())
    suffix = suffixed("liwei", name_key("李薇")).removeprefix("liwei-")
    assert people == sorted(
        [
            "vladimir-putin",
            "sergei-lavrov",
            "xijinping",
            "mstfa-lkdhmy",
            "mhmd-bn-slmn",
            "liwei",
            f"liwei-{suffix}",
        ]
    )
    index = (site / "people" / "index.html").read_text(encoding="utf-8")
    for name in ("Владимир Путин", "Сергей Лавров", "习近平"):
        assert f">{name}</a>" in index
    for name in ("مصطفى الكاظمي", "محمد بن سلمان"):  # right to left: isolated
        assert f"><bdi>{name}</bdi></a>" in index
    assert index.count("(1 quote)") == 7
    page = (site / "people" / f"liwei-{suffix}" / "index.html").read_text(encoding="utf-8")
    assert "李薇" in page and "Wir sind bereit" in page and "Nous sommes prêts" not in page
    tags = sorted(p.name for p in (site / "tags").iterdir() if p.is_dir())
    assert tags == ["iraq", "lrq", "rossiya", "zhongguo"]
    # The briefing page links each speaker to their own page.
    briefing = (site / "briefings" / "talks" / "index.html").read_text(encoding="utf-8")
    assert f'href="../../people/liwei-{suffix}/">李薇</a>' in briefing
    assert 'href="../../people/liwei/">李伟</a>' in briefing


def test_same_person_warning_only_for_real_variants(project: Project) -> None:
    seed = SEED.replace("2021-06-28", "2021-06-29")
    other = (
        "summary: Again.\narticle:\n  url: https://news.example/again\nquotes:\n"
        "  - text: We will not be intimidated\n    speaker: ВЛАДИМИР ПУТИН\n"
        "  - text: وكل الشروط متوفرة\n    speaker: مُصطفى الكاظمي\n"
    )
    root = project(
        {
            "seeds/talks.txt": SEED,
            "seeds/talks.yml": SIDECAR,
            "seeds/again.txt": seed,
            "seeds/again.yml": other,
        }
    )
    code, output = run(root, "check")
    assert code == 0, output
    warnings = [line for line in output.splitlines() if "likely the same person" in line]
    assert len(warnings) == 2, output
    assert "'ВЛАДИМИР ПУТИН' differs from 'Владимир Путин'" in warnings[0] + warnings[1]
    assert "'مُصطفى الكاظمي' differs from 'مصطفى الكاظمي'" in warnings[0] + warnings[1]
    people = sorted(p.name for p in (root / "site").glob("people/*/") if p.is_dir())
    assert people == []  # check writes nothing


def test_a_colliding_name_added_later_rebuilds_exactly(project: Project, tmp_path: Path) -> None:
    """An incremental build that meets a new collision writes what a clean build writes."""
    first = SIDECAR.replace("    speaker: 李薇\n", "    speaker: Someone Else\n")
    root = project({"seeds/talks.txt": SEED, "seeds/talks.yml": first})
    assert run(root, "build")[0] == 0
    later = SEED.replace("2021-06-28", "2021-07-01")
    (root / "seeds" / "later.txt").write_text(later, encoding="utf-8")
    other = "summary: Later.\narticle:\n  url: https://news.example/later\n"
    other += "quotes:\n  - text: Wir sind bereit\n    speaker: 李薇\n"
    (root / "seeds" / "later.yml").write_text(other, encoding="utf-8")
    assert run(root, "build")[0] == 0
    incremental = tree(root / "site")
    assert run(root, "build", "--clean")[0] == 0
    assert tree(root / "site") == incremental
    suffix = suffixed("liwei", name_key("李薇"))
    assert f"people/{suffix}/index.html" in incremental
    assert b'href="../../people/liwei/"' in incremental["briefings/talks/index.html"]
