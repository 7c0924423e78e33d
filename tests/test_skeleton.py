"""`briefgen new`'s quote finder: every quoted passage of real typography, and no other.

A table of paragraphs — English, German, French, Spanish, Arabic, CJK — and the passages
an editor wants from each: mixed quote styles, punctuation of any script after a closing
mark, single quotes, nesting (the outer passage, once), unclosed quotes, and apostrophes
that are never quote marks. Every passage found must verify as a quote of its seed.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.commands.cli import main
from briefgen.commands.skeleton import CLOSES, OPENERS, quoted_passages, quoted_spans
from briefgen.stages.matching import match_pieces, normalize, split_elisions
from briefgen.stages.seeds import Seed, parse_seed

from conftest import Project

P = pytest.param
CASES = [
    # -- English --------------------------------------------------------------------------
    P(
        "“We will not be intimidated,” the minister said.",
        ["We will not be intimidated,"],
        id="en-curly",
    ),
    P(
        'He called it "a flagrant violation" of sovereignty.',
        ["a flagrant violation"],
        id="en-straight",
    ),
    P(
        'Officials voiced "great suspicion,” about the ceasefire.',
        ["great suspicion,"],
        id="en-straight-then-curly",
    ),
    P('“It is over", he said.', ["It is over"], id="en-curly-then-straight"),
    P(
        "“This action sends a very important and strong message “, assured Blinken.",
        ["This action sends a very important and strong message"],
        id="en-closing-pasted-as-opening",
    ),
    P(
        "They said “yes”; he said “no”. Both were “final”)",
        ["yes", "no", "final"],
        id="en-punctuation-after-closing",
    ),
    P(
        "He denounced the so-called ‘Islamic State’ group.",
        ["Islamic State"],
        id="en-single-curly",
    ),
    P(
        "He described it as 'a flagrant violation', then left.",
        ["a flagrant violation"],
        id="en-single-straight",
    ),
    P(
        "He blamed the ‘Popular Mobilization Forces’ for the attack.",
        ["Popular Mobilization Forces"],
        id="en-single-ending-in-s",
    ),
    P(
        "‘The militias’ action was illegal,’ he said.",
        ["The militias’ action was illegal,"],
        id="en-possessive-inside-single",
    ),
    P(
        "‘Yes’ he said, and then ‘no’.",
        ["Yes", "no"],
        id="en-single-ending-in-s-before-another",
    ),
    P(
        "“He said ‘no’ to me”, she recalled.",
        ["He said ‘no’ to me"],
        id="en-nested",
    ),
    P(
        "\"He said 'no' to me,\" she recalled.",
        ["He said 'no' to me,"],
        id="en-nested-straight",
    ),
    P(
        "“‘No,’ he told me, ‘never.’” She left.",
        ["‘No,’ he told me, ‘never.’"],
        id="en-single-right-after-double",
    ),
    P(
        "“He criticised the militias’” she said.",
        ["He criticised the militias’"],
        id="en-possessive-before-closing-double",
    ),
    P(
        "“He said ‘no’ to me, she recalled, and left.",
        ["no"],
        id="en-unclosed-outer-keeps-inner",
    ),
    P("“This never closes, he said.", [], id="en-unclosed"),
    P("He said “ no ” to that.", [], id="en-spaced-curly-is-not-a-quote"),
    # -- apostrophes: never quote marks -----------------------------------------------------
    P("They don't know what Kata'ib Hezbollah wants.", [], id="apos-inside-words"),
    P("The militias' action was condemned by the militias' allies.", [], id="apos-plural"),
    P("The militias’ action and the Guards’ operations.", [], id="apos-plural-curly"),
    P("The music of the '90s, and rock 'n' roll.", [], id="apos-decade-and-n"),
    P("In the ’90s, and in ’98, rock ’n’ roll.", [], id="apos-curly-decade-and-n"),
    P("'Tis the season, and the militias' action.", [], id="apos-tis-then-plural"),
    P("L'armée est là aujourd’hui, dit l’officier.", [], id="apos-french"),
    P(
        "Ja'far, a Shi'ite close to Al-Qa'ida and to Abd al-'Aziz, spoke.",
        [],
        id="apos-arabic-transliterations",
    ),
    P(
        "He said 'no' to rock 'n' roll in the '90s, against the militias' wishes.",
        ["no"],
        id="apos-around-a-single-quote",
    ),
    P(
        "The militias' 'defensive' strikes.",
        ["defensive"],
        id="apos-then-single-quote",
    ),
    # -- German ---------------------------------------------------------------------------
    P("„Wir schaffen das“, sagte Merkel.", ["Wir schaffen das"], id="de-low-high"),
    P('„Wir schaffen das", sagte Merkel.', ["Wir schaffen das"], id="de-low-straight"),
    P("»Wir schaffen das«, sagte Merkel.", ["Wir schaffen das"], id="de-reversed-guillemets"),
    P("Er sagte ‚nein‘ und ging.", ["nein"], id="de-single-low-high"),
    P("Er sagte ›nein‹ und ging.", ["nein"], id="de-single-reversed-guillemets"),
    P("„Er sagte ‚nein‘“, berichtete sie.", ["Er sagte ‚nein‘"], id="de-nested"),
    P("»Er sagte ›nein‹«, berichtete sie.", ["Er sagte ›nein‹"], id="de-nested-guillemets"),
    # -- French ---------------------------------------------------------------------------
    P(
        "« Il n’y a pas de risque », a assuré le ministre.",
        ["Il n’y a pas de risque"],
        id="fr-spaced-guillemets",
    ),
    P(
        "«\u00a0Il n’y a pas de risque\u00a0», a assuré le ministre.",
        ["Il n’y a pas de risque"],
        id="fr-nbsp-guillemets",
    ),
    P(
        '«Il n’y a pas de risque", a assuré le ministre.',
        ["Il n’y a pas de risque"],
        id="fr-guillemet-then-straight",
    ),
    P("Il a dit ‹ non › hier.", ["non"], id="fr-single-guillemets"),
    P(
        "« Il a dit “non” à l’armée », selon lui.",
        ["Il a dit “non” à l’armée"],
        id="fr-nested",
    ),
    P('« Il a dit "non" », selon lui.', ['Il a dit "non"'], id="fr-nested-straight"),
    P(
        "« L’armée répond »et « elle a raison ».",  # a typo: no space after »
        ["elle a raison"],  # and no passage "et" between a stray » and the next «
        id="fr-no-stray-reversed-guillemet",
    ),
    # -- Spanish --------------------------------------------------------------------------
    P(
        "“El cambio climático ya está aquí y sus efectos son devastadores, sobre todo para "
        'las clases bajas"',
        [
            "El cambio climático ya está aquí y sus efectos son devastadores, sobre todo para "
            "las clases bajas"
        ],
        id="es-curly-then-straight",
    ),
    P("«No vamos a ceder», dijo el presidente.", ["No vamos a ceder"], id="es-guillemets"),
    P("“¿Qué pasa?”, preguntó. “¡Nada!”", ["¿Qué pasa?", "¡Nada!"], id="es-inverted-marks"),
    # -- Arabic ---------------------------------------------------------------------------
    P(
        'وقال الوزير إن "دور الاعلام"، في هذه المرحلة، "أساسي".',
        ["دور الاعلام", "أساسي"],
        id="ar-straight-arabic-comma",
    ),
    P("وقال «لن نتراجع»؛ ثم غادر.", ["لن نتراجع"], id="ar-guillemets-semicolon"),
    P('هل قال "نعم"؟', ["نعم"], id="ar-question-mark"),
    P("وقال: ”لن نتراجع“ أمس.", ["لن نتراجع"], id="ar-rtl-curly"),
    P('ودعا إلى الحوار و"التهدئة" في المنطقة.', ["التهدئة"], id="ar-proclitic"),
    # A proclitic before a mark is written with a tatweel (لـ«, بـ"), as Asharq Al-Awsat does.
    P(
        "وقال سفين دزيي لـ«الشرق الأوسط»: «عندما زار وزير الخارجية القطري بغداد».",
        ["الشرق الأوسط", "عندما زار وزير الخارجية القطري بغداد"],
        id="ar-proclitic-tatweel",
    ),
    P('ونقلت الوكالة بـ"صراحة" ما قاله.', ["صراحة"], id="ar-proclitic-tatweel-straight"),
    # -- CJK ------------------------------------------------------------------------------
    P("他说「我们会赢」。", ["我们会赢"], id="zh-corner-brackets"),
    P("彼は『はい』と言った。", ["はい"], id="ja-white-corner-brackets"),
]


def seed_of(body: str) -> Seed:
    seed, problems = parse_seed("seeds/t.txt", "t", f"2021-06-28\n\nHeadline\n\n{body}\n")
    assert seed is not None, problems
    return seed


@pytest.mark.parametrize(("paragraph", "expected"), CASES)
def test_quoted_passages(paragraph: str, expected: list[str]) -> None:
    assert [p.text for p in quoted_passages(seed_of(paragraph))] == expected


@pytest.mark.parametrize(("paragraph", "expected"), CASES)
def test_every_passage_found_verifies_as_a_quote(paragraph: str, expected: list[str]) -> None:
    norm = normalize(paragraph)
    for passage in quoted_passages(seed_of(paragraph)):
        assert match_pieces(norm, split_elisions(passage.text)), passage.text


MARKS = "".join(sorted({*OPENERS, *CLOSES}))


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(st.sampled_from([*MARKS, *"ab sn-,.(…)\u00a0¿،و9"]), max_size=40))
def test_any_passage_found_in_any_text_verifies(body: str) -> None:
    paragraph = f"z {body} z"
    for passage in quoted_passages(seed_of(paragraph)):
        assert match_pieces(normalize(paragraph), split_elisions(passage.text)), passage.text


def test_a_passage_is_located_at_its_opening_mark() -> None:
    seed = seed_of("A first line, then\na «quote» and\n  a “second one”.")
    found = quoted_passages(seed)
    assert [(p.text, p.line, p.col) for p in found] == [("quote", 6, 3), ("second one", 7, 5)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P('"' * 1_000_000, [], id="straight-doubles"),
        P("“" * 1_000_000, [], id="opening-curlies"),
        P("'" * 1_000_000, [], id="straight-singles"),
        P("“a " * 100_000 + "“the last one” ", ["the last one"], id="unclosed-openers"),
        P("« a " * 100_000, [], id="unclosed-guillemets"),
        P("“x " + "‘a " * 100_000 + "end” ", ["x " + "‘a " * 100_000 + "end"], id="outer-closes"),
        P("".join(random.Random(1).choice(MARKS) for _ in range(300_000)), None, id="random"),
    ],
)
def test_a_paragraph_of_quote_marks(text: str, expected: list[str] | None) -> None:
    # Correctness only (no timing): the scan is linear, so these take well under a second.
    spans = quoted_spans(text)
    words = [text[s + 1 : e].strip() for s, e in spans]
    if expected is not None:
        assert [w for w in words if any(c.isalnum() for c in w)] == expected
    assert all(s < e for s, e in spans)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))


# -- briefgen new on a seed written on the fly -------------------------------------------

SEED = """\
2021-06-28

Ministers meet in Rome

“We will not be intimidated,” the minister said, rejecting what he called "great
suspicion,” and the militias' claims about the '90s.

„Wir schaffen das", sagte Merkel; »Wir schaffen das«, wiederholte sie.

« Il n’y a pas de risque », a assuré le ministre, et l’armée a dit ‹ non ›.

“El cambio climático ya está aquí y sus efectos son devastadores, sobre todo para las
clases bajas"

وقال الوزير إن "دور الاعلام"، في هذه المرحلة، "أساسي".

“He said ‘no’ to me”, she recalled; the so-called ‘Islamic State’ group did not.
"""


def test_new_writes_one_quote_per_passage_and_each_verifies(project: Project) -> None:
    root = project({"seeds/rome.txt": SEED})
    result = CliRunner().invoke(main, ["-C", str(root), "new", "seeds/rome.txt"])
    assert result.exit_code == 0, result.output
    path = Path(root, "seeds", "rome.yml")
    text = path.read_text(encoding="utf-8")
    assert [q["text"] for q in yaml.safe_load(text)["quotes"]] == [
        "We will not be intimidated,",
        "great suspicion,",
        "Wir schaffen das",
        "Wir schaffen das",
        "Il n’y a pas de risque",
        "non",
        "El cambio climático ya está aquí y sus efectos son devastadores, sobre todo para "
        "las clases bajas",
        "دور الاعلام",
        "أساسي",
        "He said ‘no’ to me",
        "Islamic State",
    ]
    assert "  # seeds/rome.txt:5:75\n" in text  # "great suspicion,” opens at the line's end
    # Filled in, the skeleton builds: the real verification finds every quote in the seed.
    text = text.replace("speaker:  # who said it? (required)", "speaker: Someone")
    path.write_text(text.replace("summary:  #", "summary: Filled. #"), encoding="utf-8")
    result = CliRunner().invoke(main, ["-C", str(root), "check"])
    assert result.exit_code == 0, result.output
    assert "11 quotes verified" in result.output
