"""The register: one person, many spellings; a note written once; entity pages."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from briefgen.build import build
from briefgen.stages.register import initial, parse_register, register_schema, role_on, sort_text
from briefgen.vocabulary.errors import BriefgenError, Severity
from briefgen.vocabulary.names import sort_name

from conftest import Project, run_cli
from htmlcheck import check_internal_links

SEED = """\
2021-06-28

Ministers meet in Rome

“We will not be intimidated,” the prime minister said on Monday in Rome.

The Popular Mobilization units fired on a base near Al-Qaim, said Hashd al-Shaabi officials.

A third paragraph says nothing of note.
"""

OTHER_SEED = """\
2022-11-02

Baghdad after the vote

“We will carry on,” the former prime minister said in Baghdad.

“The state must hold,” said another official.
"""

REGISTER = """\
kadhimi:
  name: Mustafa Al-Kadhimi
  kind: person
  aliases: [Moustafa Al-Kadhimi, مصطفى الكاظمي]
  roles:
    - title: Prime Minister of Iraq
      from: 2020-05
      to: 2022-10
    - title: Former Prime Minister of Iraq
      from: 2022-10-28
  description: Iraq's prime minister from May 2020.[^wp]
  sources:
    wp:
      title: Mustafa Al-Kadhimi
      publisher: Wikipedia
      url: https://en.wikipedia.org/wiki/Mustafa_Al-Kadhimi
pmf:
  name: Popular Mobilization Forces
  kind: organisation
  aliases: [Popular Mobilization units, Hashd al-Shaabi, الحشد الشعبي]
  sort_as: Mobilization
  description: An umbrella of mostly Shiite armed groups raised in 2014.[^wp-pmf]
  sources:
    wp-pmf:
      title: Popular Mobilization Forces
      publisher: Wikipedia
      url: https://en.wikipedia.org/wiki/Popular_Mobilization_Forces
al-qaim:
  name: Al-Qa'im
  kind: place
  aliases: [Al-Qaim]
  description: Iraqi border town on the Euphrates.
  sources:
    wp-al-qaim: {title: "Al-Qa'im, Iraq", publisher: Wikipedia}
bong:
  name: Bong Joon Ho
  kind: person
  sort_as: Bong
"""

SIDECAR = """\
summary: Ministers met in Rome.
article:
  url: https://news.example/rome
sources:
  pmf-page:
    title: The PMF page
    publisher: Wikipedia
    url: https://en.wikipedia.org/wiki/Popular_Mobilization_Forces
quotes:
  - text: We will not be intimidated
    speaker: Mustafa al-Kadhimi
annotations:
  - anchor: Popular Mobilization units
    about: pmf
    sources: [pmf-page]
  - anchor: Al-Qaim
    about: al-qaim
"""

OTHER_SIDECAR = """\
summary: After the vote.
article:
  url: https://news.example/baghdad
quotes:
  - text: We will carry on
    speaker: مصطفى الكاظمي
  - text: The state must hold
    speaker: Ali Zaidi
"""


@pytest.fixture
def desk(project: Project) -> Path:
    return project(
        {
            "register.yml": REGISTER,
            "seeds/rome.txt": SEED,
            "seeds/rome.yml": SIDECAR,
            "seeds/baghdad.txt": OTHER_SEED,
            "seeds/baghdad.yml": OTHER_SIDECAR,
        }
    )


def page(root: Path, rel: str) -> str:
    return (root / "site" / rel / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    """A briefing page's body: its document, without the header, aside and footer."""
    return html.split('<article class="briefing">', 1)[1].split("</article>", 1)[0]


def link_texts(html: str) -> list[tuple[str, str, str]]:
    """(tag, href, text) of each link of a page."""
    return [
        ("a", m[1], text_of(m[2])) for m in re.finditer(r'<a href="([^"]*)"[^>]*>(.*?)</a>', html)
    ]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_latin_and_arabic_aliases_resolve_to_one_person_page(desk: Path) -> None:
    build(desk)
    people = sorted(p.name for p in (desk / "site" / "people").iterdir() if p.is_dir())
    # One page for al-Kadhimi (two spellings, two scripts), the register's Bong Joon Ho,
    # and the unregistered speaker.
    assert people == ["ali-zaidi", "bong-joon-ho", "mustafa-al-kadhimi"]
    person = text_of(page(desk, "people/mustafa-al-kadhimi"))
    assert "Mustafa Al-Kadhimi" in person
    assert "We will not be intimidated" in person and "We will carry on" in person
    assert "مصطفى الكاظمي" in person  # the aliases are shown
    assert "Iraq's prime minister from May 2020." in person
    briefing = page(desk, "briefings/baghdad")
    assert 'href="../../people/mustafa-al-kadhimi/"' in briefing


@pytest.mark.parametrize("directory_urls", [True, False])
def test_every_quote_and_annotation_links_to_its_entity_page(
    desk: Path, directory_urls: bool
) -> None:
    if not directory_urls:
        (desk / "briefgen.yml").write_text("directory_urls: false\n")
    build(desk)
    site = desk / "site"
    index = "" if directory_urls else "index.html"
    for slug, expected in [
        # A registered speaker in two spellings and scripts, an unregistered one, and
        # annotations about a group and (through an alias) a place.
        ("rome", {"Mustafa al-Kadhimi": "people/mustafa-al-kadhimi", "Al-Qa'im": "places/al-qaim",
                  "Popular Mobilization Forces": "groups/pmf"}),
        ("baghdad", {"مصطفى الكاظمي": "people/mustafa-al-kadhimi",
                     "Ali Zaidi": "people/ali-zaidi"}),
    ]:  # fmt: skip
        rel = f"briefings/{slug}/index.html"
        html = (site / rel).read_text(encoding="utf-8")
        body = article(html)  # not the aside, which links them too
        links = {text: url for tag, url, text in link_texts(body)}
        for name, page_dir in expected.items():
            # The link's text is the name; relative, so it works from file:// too.
            assert links[name] == f"../../{page_dir}/{index}", (slug, name, links)
        assert check_internal_links(site, rel, html) > 0
    # Each register note says where its entry is, in the site's words.
    rome = text_of(article(page(desk, "briefings/rome")))
    assert "In the register: Popular Mobilization Forces" in rome


def test_a_speaker_not_in_the_register_still_gets_a_page(desk: Path) -> None:
    build(desk)
    assert "The state must hold" in text_of(page(desk, "people/ali-zaidi"))


def test_quote_without_role_takes_the_register_role_for_its_date(desk: Path) -> None:
    build(desk)
    rome = (desk / "content" / "rome.md").read_text(encoding="utf-8")
    baghdad = (desk / "content" / "baghdad.md").read_text(encoding="utf-8")
    # Each spelling as the sidecar wrote it, linked to the one person's page.
    link = "(<people.md#mustafa-al-kadhimi>)"
    assert f"**[Mustafa al-Kadhimi]{link}**, Prime Minister of Iraq" in rome
    assert f"**[مصطفى الكاظمي]{link}**, Former Prime Minister of Iraq" in baghdad


def test_roles_by_date() -> None:
    register, problems = parse_register("register.yml", REGISTER)
    assert register is not None, problems
    entry = register.entries["kadhimi"]
    assert role_on(entry, dt.date(2020, 4, 30)) == ""
    assert role_on(entry, dt.date(2020, 5, 1)) == "Prime Minister of Iraq"
    assert role_on(entry, dt.date(2022, 10, 31)) == "Former Prime Minister of Iraq"
    assert role_on(entry, dt.date(2022, 10, 27)) == "Prime Minister of Iraq"


def test_sort_as_orders_the_index_under_initials_in_the_names_script(project: Project) -> None:
    root = project(
        {
            "register.yml": REGISTER
            + "qassem:\n  name: قاسم سليماني\n  kind: person\n"
            + "epa:\n  name: US Environmental Protection Agency\n  kind: organisation\n"
            + "  sort_as: Environmental Protection Agency\n",
            "seeds/rome.txt": SEED,
            "seeds/rome.yml": SIDECAR,
            "seeds/baghdad.txt": OTHER_SEED,
            "seeds/baghdad.yml": OTHER_SIDECAR,
        }
    )
    build(root)
    people = text_of(page(root, "people"))
    # Bong Joon Ho under B (sort_as), al-Kadhimi under K, Zaidi under Z, the Arabic name
    # under its own letter, after the Latin ones.
    order = [people.index(w) for w in ("B Bong Joon Ho", "K Mustafa", "Z Ali Zaidi", "س قاسم")]
    assert order == sorted(order), people
    groups = text_of(page(root, "groups"))
    assert groups.index("E US Environmental") < groups.index("M Popular Mobilization")


@pytest.mark.parametrize(
    ("name", "kind", "listed_by", "letter"),
    [
        ("Bong Joon Ho", "person", "Bong", "B"),
        ("Moon Jae-in", "person", "Moon", "M"),
        ("US Environmental Protection Agency", "organisation", "US Environmental", "U"),
        ("Mustafa Al-Kadhimi", "person", "Kadhimi", "K"),
        ("مصطفى الكاظمي", "person", "كاظمي", "ك"),
        ("Lee Anderson", "person", "Anderson", "A"),
    ],
)
def test_a_name_sorts_the_same_registered_or_not(
    name: str, kind: str, listed_by: str, letter: str
) -> None:
    text = f"x:\n  name: {name}\n  kind: {kind}\n"
    register, problems = parse_register("register.yml", text)
    assert register is not None, problems
    registered = sort_text(register.entries["x"])
    unregistered = sort_name(name)  # what the people index sorts a plain speaker by
    assert registered == unregistered
    assert registered.startswith(listed_by)
    assert initial(registered) == letter


def test_about_renders_the_description_with_its_sources_in_the_footnotes(desk: Path) -> None:
    build(desk)
    markdown = (desk / "content" / "rome.md").read_text(encoding="utf-8")
    # The register's source has the URL of the sidecar's own: one source, one entry.
    assert markdown.count("https://en.wikipedia.org/wiki/Popular_Mobilization_Forces") == 3
    note = re.search(
        r"^\[\^\d+\]: An umbrella of mostly Shiite.*\n\n    Source: (.*)$", markdown, re.M
    )
    assert note, markdown
    assert "The PMF page" in note[1]
    assert "Iraqi border town on the Euphrates." in markdown
    html = page(desk, "briefings/rome")
    assert 'href="../../groups/pmf/"' in html and 'href="../../places/al-qaim/"' in html


def test_entity_pages_list_the_briefings_with_their_context(desk: Path) -> None:
    build(desk)
    group = text_of(page(desk, "groups/pmf"))
    assert "Popular Mobilization Forces" in group
    assert "An umbrella of mostly Shiite armed groups raised in 2014.[1]" in group
    assert "Ministers meet in Rome" in group
    assert "The Popular Mobilization units fired on a base near" in group
    assert "Hashd al-Shaabi" in group  # an alias
    nav = page(desk, "places/al-qaim")
    assert 'href="../../groups/">Groups' in nav and 'href="../">Places' in nav


PARADE_SEED = """\
2023-01-05

A parade in Baghdad

“The parade is over,” Mustafa Al-Kadhimi said as the Hashd al-Shaabi marched past.
"""

PARADE_SIDECAR = """\
summary: A parade.
article:
  url: https://news.example/parade
quotes:
  - text: The parade is over
    speaker: Mustafa Al-Kadhimi
annotations:
  - anchor: Hashd al-Shaabi
    about: pmf
"""


def test_person_and_entity_pages_run_to_pages_of_page_size(project: Project) -> None:
    """Someone quoted in every briefing had one page holding every quote: at 10,000
    briefings, a page of 400 quotes, made again by any edit touching one of them."""
    root = project(
        {
            "briefgen.yml": "page_size: 1\nsite_url: https://desk.example/\n",
            "register.yml": REGISTER,
            "seeds/rome.txt": SEED,
            "seeds/rome.yml": SIDECAR,
            "seeds/baghdad.txt": OTHER_SEED,
            "seeds/baghdad.yml": OTHER_SIDECAR,
            "seeds/parade.txt": PARADE_SEED,
            "seeds/parade.yml": PARADE_SIDECAR,
        }
    )
    assert run_cli(root, "build", "--strict")[0] == 0
    folder = "people/mustafa-al-kadhimi"
    first, second, third = (
        text_of(page(root, rel)) for rel in (folder, f"{folder}/page/2", f"{folder}/page/3")
    )
    # Newest first, one quote a page; the register's note heads each of them.
    assert "The parade is over" in first and "We will carry on" not in first
    assert "We will carry on" in second and "The parade is over" not in second
    assert "We will not be intimidated" in third
    assert not (root / "site" / folder / "page" / "4").exists()
    for n, text in enumerate((first, second, third), start=1):
        assert f"Page {n} of 3" in text
        assert "Iraq's prime minister from May 2020." in text
    assert "Mustafa Al-Kadhimi (page 2)" in page(root, f"{folder}/page/2")
    assert "3 quotes" in text_of(page(root, "people"))  # the index counts them all
    # The group's two notes (the Rome and the parade briefing): a page each.
    group, more = text_of(page(root, "groups/pmf")), text_of(page(root, "groups/pmf/page/2"))
    assert "A parade in Baghdad" in group and "Ministers meet in Rome" not in group
    assert "Ministers meet in Rome" in more and "Page 2 of 2" in more
    assert not (root / "site" / "places" / "al-qaim" / "page").exists()  # one note
    site = root / "site"
    for html_file in site.rglob("*.html"):
        rel = html_file.relative_to(site).as_posix()
        if rel != "404.html":
            check_internal_links(site, rel, html_file.read_text(encoding="utf-8"))
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"https://desk.example/{folder}/page/3/" in sitemap
    assert "https://desk.example/groups/pmf/page/2/" in sitemap


def test_alias_anchor_without_note_takes_the_description_with_an_advisory(
    project: Project,
) -> None:
    root = project(
        {
            "register.yml": REGISTER,
            "seeds/rome.txt": SEED,
            "seeds/rome.yml": "summary: S.\narticle: {url: 'https://a.example/'}\n"
            "annotations:\n  - anchor: Al-Qaim\n    sources: [article]\n",
        }
    )
    result = build(root)
    assert [d.message for d in result.warnings] == [
        "annotation on 'Al-Qaim' has no note: it shows the description of register entry "
        "'al-qaim' (Al-Qa'im)"
    ]
    assert "Iraqi border town" in (root / "content" / "rome.md").read_text(encoding="utf-8")
    code, output = run_cli(root, "check", "--strict")
    assert code == 1 and "write about: al-qaim to say so" in output


def errors_of(text: str) -> list[str]:
    register, diagnostics = parse_register("register.yml", text)
    assert register is None
    return [d.format().splitlines()[0] + " | " + d.hint for d in diagnostics]


def test_each_validation_error_is_located() -> None:
    text = """\
pmf:
  name: Popular Mobilization Forces
  kind: organization
  alias: [PMF]
  roles:
    - title: Umbrella
kh:
  name: Kataib Hezbollah
  kind: organisation
  aliases: [QASSEM SOLEIMANI]
  description: A group.[^wp-kb]
  sources:
    wp-kh: {title: KH}
soleimani:
  name: Qassem Soleimani
  kind: person
  roles:
    - title: Head
      from: 2020-01
      to: 2019
Bad_Id:
  name: X
  kind: place
"""
    assert errors_of(text) == [
        "register.yml:3:9: error: pmf.kind must be one of person, organisation, place, event;"
        " got 'organization' | did you mean 'organisation'?",
        "register.yml:4:3: error: unknown key 'alias' in pmf | did you mean 'aliases'?",
        "register.yml:21:1: error: 'Bad_Id' is not a valid id | ids use lowercase letters, "
        "digits and hyphens",
        "register.yml:11:24: error: undefined source id 'wp-kb' | did you mean 'wp-kh'?",
        "register.yml:20:11: error: soleimani.roles[1] ends (2019) before it begins (2020-01) | ",
        "register.yml:15:9: error: 'Qassem Soleimani' names both 'kh' ('QASSEM SOLEIMANI', "
        "register.yml:10:13) and 'soleimani' | a name or alias may lead to one entry only: "
        "delete one of them",
    ]


def test_roles_belong_to_people_only() -> None:
    text = "pmf:\n  name: P\n  kind: organisation\n  roles:\n    - title: Umbrella\n"
    assert errors_of(text) == [
        "register.yml:5:5: error: pmf.roles: only a person has roles (this is a "
        "organisation) | delete roles, or set kind: person"
    ]


def test_about_an_unknown_id_is_located_with_a_did_you_mean(desk: Path) -> None:
    sidecar = desk / "seeds" / "rome.yml"
    sidecar.write_text(sidecar.read_text().replace("about: pmf", "about: pfm"))
    with pytest.raises(BriefgenError) as caught:
        build(desk)
    (problem,) = [d for d in caught.value.diagnostics if d.severity is Severity.ERROR]
    assert problem.format().splitlines() == [
        "seeds/rome.yml:14:12: error: about: no register entry is called 'pfm'",
        "  hint: did you mean 'pmf'?",
    ]


def test_the_register_schema_comes_from_the_declarations() -> None:
    schema = register_schema()
    entry = schema["additionalProperties"]
    assert isinstance(entry, dict)
    assert set(entry["properties"]) == {
        "name", "kind", "aliases", "sort_as", "description", "sources", "roles"
    }  # fmt: skip
    role = entry["properties"]["roles"]["items"]
    assert set(role["properties"]) == {"title", "from", "to"}


def test_two_spellings_of_a_registered_speaker_are_no_warning(desk: Path) -> None:
    result = build(desk)
    assert result.warnings == []


def test_a_speaker_close_to_an_entry_is_told_which_entry_to_add_the_alias_to(
    desk: Path,
) -> None:
    sidecar = desk / "seeds" / "baghdad.yml"
    sidecar.write_text(sidecar.read_text().replace("مصطفى الكاظمي", "Mustafa Al-Khadimi"))
    result = build(desk)
    (warning,) = result.warnings
    assert warning.message == (
        "speaker 'Mustafa Al-Khadimi' is not in the register, but close to "
        "'Mustafa Al-Kadhimi' (kadhimi): likely the same person"
    )
    assert warning.hint == "add 'Mustafa Al-Khadimi' to the aliases of 'kadhimi' in register.yml"


def test_new_marks_names_and_speakers_the_register_has(desk: Path) -> None:
    (desk / "seeds" / "rome.yml").unlink()
    code, output = run_cli(desk, "new", "seeds/rome.txt")
    assert code == 0, output
    skeleton = (desk / "seeds" / "rome.yml").read_text(encoding="utf-8")
    assert (
        "#  - anchor: Popular Mobilization units  # in register: pmf (Popular Mobilization "
        "Forces)\n#    about: pmf\n"
    ) in skeleton
    al_qaim = "#  - anchor: Al-Qaim  # in register: al-qaim (Al-Qa'im)\n#    about: al-qaim"
    assert al_qaim in skeleton
    assert skeleton.count("about: pmf") == 1  # Hashd al-Shaabi is pmf too: proposed once
