"""Search: the terms readers' words become, and the index built sites carry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from briefgen.build import build
from briefgen.site.search import plain, shard_count, shard_of
from briefgen.site.searchterms import fold, term, terms, words

from conftest import REPO, Project
from searchindex import load_index, slugs_with

REAL = REPO / "tests" / "fixtures" / "real"


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Téhéran", "teheran"),
        ("TEHERAN", "teheran"),
        ("L'armée", "armee"),
        ("l’Assemblée", "assemblee"),
        ("Iran's", "iran"),
        ("Straße", "strasse"),
        ("Œuvre", "oeuvre"),
        ("São", "sao"),
        ("أربيل", "اربيل"),  # alef with hamza
        ("إقليم", "اقليم"),
        ("آخر", "اخر"),  # alef with madda
        ("ٱلله", "الله"),  # alef wasla
        ("العـــراق", "العراق"),  # tatweel
        ("مُحَمَّد", "محمد"),  # harakat and shadda
        ("٢٠٢١", "2021"),  # Arabic-Indic digits
    ],
)
def test_folding(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_hyphenated_names_are_found_by_each_part_and_written_solid() -> None:
    assert list(words("Mustafa Al-Kadhimi")) == ["mustafa", "al", "kadhimi", "alkadhimi"]


def test_citation_marks_and_markdown_syntax_are_not_text() -> None:
    text = "Iran **denied** it; [the ministry](https://example.org/a_b) reacted.[^article]"
    assert plain(text) == "Iran denied it; the ministry reacted."
    assert "react" in set(terms(plain(text), "en"))
    assert not any("article" in t or "http" in t for t in terms(plain(text), "en"))


@pytest.mark.parametrize(
    ("language", "a", "b"),
    [
        ("en", "reacting", "reacted"),
        ("fr", "manifestations", "manifestation"),
        ("fr", "seisme", "séismes"),
        ("de", "Früchte", "fruchte"),
        ("ar", "زيارة", "زياره"),  # ta marbuta typed as ha
        ("ar", "مستشفى", "مستشفي"),  # alef maqsura typed as ya
        ("es", "elecciones", "elección"),
        ("ar", "الزيارة", "زيارته"),
    ],
)
def test_stemming_in_the_language_meets_readers_forms(language: str, a: str, b: str) -> None:
    assert term(fold(a), language) == term(fold(b), language)


def test_stop_words_are_left_out_and_names_are_not_stemmed() -> None:
    assert list(terms("the militias of the border", "en")) == ["militia", "border"]
    assert list(terms("Abbas Araghchi", None)) == ["abbas", "araghchi"]


def test_shards_grow_with_the_site_and_a_prefix_stays_in_one_shard() -> None:
    assert shard_count(1) == 8 and shard_count(1000) == 128 and shard_count(10_000) == 2048
    assert shard_of("teheran", 2048) == shard_of("teh", 2048) == shard_of("tehe", 2048)


def real_site(root: Path, language: str, *slugs: str) -> Path:
    (root / "seeds").mkdir(parents=True)
    for slug in slugs:
        for ext in ("txt", "yml"):
            shutil.copy(REAL / f"{slug}.{ext}", root / "seeds" / f"{slug}.{ext}")
    (root / "briefgen.yml").write_text(f"title: Desk\nlanguage: {language}\n")
    build(root)
    return root / "site"


def test_index_of_a_french_site_folds_accents_and_stems_in_french(tmp_path: Path) -> None:
    index = load_index(real_site(tmp_path, "fr", "liberation-nepal", "lemonde-renseignement"))
    assert slugs_with(index, "nepal", ("fr",)) == {"liberation-nepal"}  # Népal
    assert slugs_with(index, "seismes", ("fr",)) == {"liberation-nepal"}  # séisme
    assert slugs_with(index, "renseignements", ("fr",)) == {"lemonde-renseignement"}
    page = (tmp_path / "site" / "search" / "index.html").read_text()
    assert 'data-languages="fr"' in page and "stem-fr.js" in page


def test_index_of_an_arabic_site_normalises_and_stems(tmp_path: Path) -> None:
    index = load_index(real_site(tmp_path, "ar", "aawsat-erbil"))
    assert slugs_with(index, "اربيل", ("ar",)) == {"aawsat-erbil"}  # أربيل, no hamza typed
    assert slugs_with(index, "زياره", ("ar",)) == {"aawsat-erbil"}  # زيارة, ha for ta marbuta
    assert slugs_with(index, "العطيه", ("ar",)) == {"aawsat-erbil"}  # a speaker


def test_a_word_before_a_citation_mark_is_found_stemmed(project: Project) -> None:
    seed = "August 3, 2021\nTalks in Vienna\n\nDiplomats met in Vienna on Monday.\n"
    sidecar = "summary: The militias reacted.[^article]\n"
    root = project({"seeds/talks.txt": seed, "seeds/talks.yml": sidecar})
    build(root)
    index = load_index(root / "site")
    assert slugs_with(index, "reacting", ("en",)) == {"talks"}
    text = index["xtalks"]
    assert ["The militias reacted.", "en"] in text  # the snippet's text has no marks
    assert not any("[^" in passage for passage, _ in text)


def plain_in_full(markdown: str) -> str:
    """What `plain` gives with every substitution made (its fast path skips them)."""
    from briefgen.site.search import AUTOLINK_RE, LINK_RE, SPACE_RE, SYNTAX_RE
    from briefgen.stages.markdown import CITATION_RE

    text = CITATION_RE.sub(" ", markdown)
    text = LINK_RE.sub(r"\1", text)
    text = AUTOLINK_RE.sub(r"\1", text)
    text = SYNTAX_RE.sub("", text)
    return SPACE_RE.sub(" ", text).strip()


PLAIN_TEXT = list("ab 1.)-+#>^()/:\n\t\u00a0\u2003\u3000\x1c\x85é٣")
"""Letters, digits, spaces of every kind and block syntax, no inline markup: the fast
path's side. Inline markup is added to half the examples."""


@given(
    st.one_of(
        st.text(alphabet=st.sampled_from(PLAIN_TEXT), max_size=30),
        st.text(alphabet=st.sampled_from([*PLAIN_TEXT, *"*_~`[]<"]), max_size=30),
    )
)
@example("1. a")
@example("x\n 12) y")
@example("#tag and > quote")
@example("a\n\n- item\n+ other")
@example("\u3000words\x1cand\x85more\u00a0")
def test_plain_skips_substitutions_only_where_they_change_nothing(markdown: str) -> None:
    """The fast path (no markup character, no block syntax: spaces normalised only)
    gives what the five substitutions give, for any text, Unicode spaces included."""
    assert plain(markdown) == plain_in_full(markdown)


@given(st.text(max_size=8), st.sampled_from([8, 64, 2048]))
def test_a_term_s_shard_is_its_first_letters_shard(term_text: str, count: int) -> None:
    """Sharding goes by the first PREFIX code points (search.js counts UTF-16 units of
    them): the memo by prefix gives what hashing the whole term's prefix gives."""
    from briefgen.site.search import PREFIX

    h = 0x811C9DC5
    data = "".join(list(term_text)[:PREFIX]).encode("utf-16-le", "surrogatepass")
    for i in range(0, len(data), 2):
        h ^= data[i] | data[i + 1] << 8
        h = (h * 0x01000193) & 0xFFFFFFFF
    assert shard_of(term_text, count) == h % count
