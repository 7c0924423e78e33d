"""The editor's loop: new, check --strict, the JSON Schema, did-you-mean, anchors (serve:
test_serve.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from briefgen.commands.cli import main
from briefgen.stages.register import parse_register, register_schema
from briefgen.stages.sidecars import parse_sidecar, sidecar_schema

from conftest import EXAMPLE_SEED, MINIMAL_SEED, MINIMAL_SIDECAR, REPO, Project

SLUG = "us-strikes-iraq-syria"


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-C", str(root), *args], env=env)
    return result.exit_code, result.output


# -- briefgen new ------------------------------------------------------------------------


def test_new_finds_every_quoted_passage_of_the_example_seed(project: Project) -> None:
    root = project({f"seeds/{SLUG}.txt": EXAMPLE_SEED.read_text()})
    code, output = run(root, "new", f"seeds/{SLUG}.txt")
    assert code == 0, output
    text = (root / "seeds" / f"{SLUG}.yml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../sidecar.schema.json\n")
    data = yaml.safe_load(text)
    assert data["title"].startswith("American strikes against pro-Iran militias")
    assert "date" not in data  # the date line decides (see below)
    assert "# date: 2021-08-03  (read from the date line" in text
    assert [q["text"] for q in data["quotes"]] == [
        "Involved in attacks using unmanned aerial vehicles against US personnel and "
        "installations in Iraq",
        "Flagrant violation of sovereignty",
        "To avoid escalation",
        # The seed closes this one with an opening quote mark: “… strong message “,
        "This action of self-defense (…) to prevent further attacks sends a very important "
        "and strong message",
    ]
    assert all(q["speaker"] is None for q in data["quotes"])
    assert f"# seeds/{SLUG}.txt:7:251\n" in text  # where each passage is
    assert "#  - anchor: Baghdad" in text  # recurring names offered, commented out
    assert (root / "sidecar.schema.json").is_file()
    # The skeleton is a valid start: check lists exactly what the editor must fill in.
    code, output = run(root, "check")
    assert code == 1
    assert f"seeds/{SLUG}.yml:6:9: error: summary must not be empty" in output
    assert output.count("speaker must not be empty") == 4


def test_new_quotes_all_verify_once_speakers_are_filled(project: Project) -> None:
    root = project({f"seeds/{SLUG}.txt": EXAMPLE_SEED.read_text()})
    assert run(root, "new", f"seeds/{SLUG}.txt")[0] == 0
    path = root / "seeds" / f"{SLUG}.yml"
    text = path.read_text()
    assert "speaker:  # said by: Antony Blinken?" in text  # a hint, for the editor to confirm
    text = re.sub(r"speaker:  # .*", "speaker: Someone", text)
    path.write_text(text.replace("summary:  #", "summary: Filled. #"))
    code, output = run(root, "check")
    assert code == 0, output
    assert "4 quotes verified" in output


def test_new_never_clobbers_without_force(project: Project) -> None:
    root = project({"seeds/one.txt": MINIMAL_SEED, "seeds/one.yml": MINIMAL_SIDECAR})
    code, output = run(root, "new", "seeds/one.txt")
    assert code == 1
    assert "seeds/one.yml: error: sidecar already exists; not overwritten" in output
    assert (root / "seeds" / "one.yml").read_text() == MINIMAL_SIDECAR
    code, _ = run(root, "new", "seeds/one.txt", "--force")
    assert code == 0
    assert "We will not be intimidated" in (root / "seeds" / "one.yml").read_text()


def test_new_rejects_a_bad_seed_with_its_location(project: Project) -> None:
    root = project({"seeds/one.txt": "no date here\n\nHeadline\n\nBody.\n"})
    code, output = run(root, "new", "seeds/one.txt")
    assert code == 1
    assert output.startswith("seeds/one.txt:1:1: error: first line must be the article's date")


def test_new_reads_an_ambiguous_date_in_the_site_language(project: Project) -> None:
    seed = MINIMAL_SEED.replace("2021-06-28", "03/04/2020")
    root = project({"briefgen.yml": "language: en-US\n", "seeds/one.txt": seed})
    assert run(root, "new", "seeds/one.txt")[0] == 0
    sidecar = (root / "seeds" / "one.yml").read_text()
    assert "\n# date: 2020-03-04  (read from the date line; uncomment to override)\n" in sidecar
    assert "\ndate:" not in sidecar  # the date line decides, whatever language is set later


def test_a_new_sidecar_follows_the_article_language_set_afterwards(project: Project) -> None:
    """`new` wrote `date: 2020-04-03` (the site's reading of 03/04/2020) as a key, so an
    editor who then set article.language: en-US still got 3 April."""
    seed = MINIMAL_SEED.replace("2021-06-28", "03/04/2020")
    root = project({"seeds/one.txt": seed})
    assert run(root, "new", "seeds/one.txt")[0] == 0
    path = root / "seeds" / "one.yml"
    text = path.read_text().replace("  language:  #", "  language: en-US  #")
    text = text.replace("summary:  #", "summary: s  #").replace("  url:", "  url: https://e.x/")
    text = text.replace("    speaker:  #", "    speaker: X  #")
    path.write_text(text)
    code, output = run(root, "build")
    assert code == 0, output
    assert "date: 2020-03-04\n" in (root / "content" / "one.md").read_text()


# -- check --strict -------------------------------------------------------------------------

STRICT_SIDECAR = """\
summary: Ministers met in Rome.
sources:
  wire:
    title: Wire copy
quotes:
  - text: We will not be intimidated
    speaker: A. Minister
  - text: Said elsewhere
    speaker: a.  minister
    source: wire
annotations:
  - anchor: Popular Mobilization units
    note: Iraq's militias.
"""


def test_check_strict_lists_every_warning_and_fails(project: Project) -> None:
    root = project({"seeds/one.txt": MINIMAL_SEED, "seeds/one.yml": STRICT_SIDECAR})
    code, output = run(root, "check")
    assert code == 0
    assert "4 warnings" in output
    code, output = run(root, "check", "--strict")
    assert code == 1
    lines = [line for line in output.splitlines() if ": error: " in line]
    assert lines == [
        "seeds/one.yml:1:1: error: article has no url: readers cannot check the quotes "
        "against the original",
        "seeds/one.yml:9:14: error: speaker 'a.  minister' differs from 'A. Minister' "
        "(seeds/one.yml:7:14) only by case, accents or spacing: likely the same person",
        "seeds/one.yml:10:13: error: quote by a.  minister cites 'wire' and cannot be "
        "verified offline",
        "seeds/one.yml:12:13: error: annotation on 'Popular Mobilization units' cites no source",
    ]
    assert output.rstrip().endswith("4 errors")


def test_github_actions_annotations(project: Project) -> None:
    root = project({"seeds/one.txt": MINIMAL_SEED, "seeds/one.yml": "summary: x\nqoutes: []\n"})
    code, output = run(root, "check", env={"GITHUB_ACTIONS": "true"})
    assert code == 1
    assert (
        "::error file=seeds/one.yml,line=2,col=1::unknown key 'qoutes' in sidecar "
        "(did you mean 'quotes'?)"
    ) in output
    code, output = run(root, "check", env={"GITHUB_ACTIONS": ""})
    assert "::error" not in output


# -- did you mean -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sidecar", "expected"),
    [
        ("summary: x\nkey_point: []\n", "did you mean 'key_points'?"),
        ("summary: x\narticle:\n  publsher: Le Monde\n", "did you mean 'publisher'?"),
        (
            "summary: x\nsources:\n  pentagon:\n    title: T\ntimeline:\n"
            "  - date: 2020\n    event: e\n    source: pentagn\n",
            "did you mean 'pentagon'?",
        ),
        (
            "summary: x\nquotes:\n  - text: We will not be intimated\n    speaker: A\n",
            "We will not be [-intimidated-]{+intimated+}",
        ),
        ("summary: x\narticle:\n  reproduce: ful\n", "did you mean 'full'?"),
    ],
)
def test_did_you_mean(project: Project, sidecar: str, expected: str) -> None:
    root = project({"seeds/one.txt": MINIMAL_SEED, "seeds/one.yml": sidecar})
    code, output = run(root, "check")
    assert code == 1
    assert expected in output


# -- anchors pinned by context -------------------------------------------------------------

TWICE_SEED = """\
2021-06-28

Headline

The militias fired on the base. Later the militias withdrew.

Officials said the militias had warned them.
"""


def test_anchor_pinned_by_before_and_after(project: Project) -> None:
    sidecar = (
        "summary: x\narticle:\n  reproduce: full\nannotations:\n"
        "  - anchor: militias\n    before: Later the\n    after: withdrew\n    note: Pinned.\n"
    )
    root = project({"seeds/one.txt": TWICE_SEED, "seeds/one.yml": sidecar})
    code, output = run(root, "build")
    assert code == 0, output
    md = (root / "content" / "one.md").read_text()
    assert "Later the *militias*[^1] withdrew" in md
    # A paragraph inserted above does not move a pinned anchor, as it would a count.
    (root / "seeds" / "one.txt").write_text(
        TWICE_SEED.replace("Headline\n", "Headline\n\nNew first militias paragraph.\n")
    )
    assert run(root, "build")[0] == 0
    assert "Later the *militias*[^1] withdrew" in (root / "content" / "one.md").read_text()


def test_anchor_context_that_no_longer_matches_shows_the_closest_passage(
    project: Project,
) -> None:
    sidecar = (
        "summary: x\nannotations:\n"
        "  - anchor: militias\n    before: Later the\n    after: retreated\n    note: N.\n"
    )
    root = project({"seeds/one.txt": TWICE_SEED, "seeds/one.yml": sidecar})
    code, output = run(root, "check")
    assert code == 1
    assert (
        "seeds/one.yml:5:12: error: anchor 'militias' occurs in the seed, but never with "
        "before 'Later the' and after 'retreated'"
    ) in output
    assert "seeds/one.txt:5:33: note: closest passage" in output
    assert "Later the militias [-withdrew-]{+retreated+}" in output


# -- the JSON Schema -----------------------------------------------------------------------


def as_json(value: Any) -> Any:
    """YAML as an editor's YAML 1.2 tooling sees it: dates stay strings."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_schema_command_prints_the_schema(project: Project) -> None:
    root = project({})
    code, output = run(root, "schema")
    assert code == 0
    assert json.loads(output) == sidecar_schema()
    assert run(root, "schema", "-o", "s.json")[0] == 0
    assert json.loads((root / "s.json").read_text()) == sidecar_schema()


def test_schema_command_writes_the_register_schema_beside_the_sidecars(
    project: Project,
) -> None:
    root = project({})
    assert run(root, "schema", "-o", "editor/sidecar.schema.json")[0] == 0
    written = json.loads((root / "editor" / "register.schema.json").read_text())
    assert written == register_schema()
    assert written["title"] == "briefgen register"


def test_register_schema_accepts_the_example_register() -> None:
    data = as_json(yaml.safe_load((REPO / "register.yml").read_text()))
    jsonschema.Draft202012Validator.check_schema(register_schema())
    validator = jsonschema.Draft202012Validator(
        register_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    validator.validate(data)


@pytest.mark.parametrize(
    ("broken", "where"),
    [
        ({"kind": "persn"}, ["kadhimi", "kind"]),
        ({"nmae": "Mustafa"}, ["kadhimi"]),
        ({"roles": [{"title": "PM", "from": "2020-13"}]}, ["kadhimi", "roles", 0, "from"]),
    ],
)
def test_register_schema_rejects_what_check_rejects(
    broken: dict[str, Any], where: list[Any]
) -> None:
    data = as_json(yaml.safe_load((REPO / "register.yml").read_text()))
    data["kadhimi"].update(broken)
    validator = jsonschema.Draft202012Validator(
        register_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = list(validator.iter_errors(data))
    assert errors
    assert any(list(e.absolute_path) == where for e in errors)
    register, diagnostics = parse_register("register.yml", yaml.safe_dump(data, allow_unicode=True))
    assert register is None and diagnostics


def test_schema_accepts_the_example_sidecar() -> None:
    data = as_json(yaml.safe_load((REPO / "seeds" / f"{SLUG}.yml").read_text()))
    jsonschema.Draft202012Validator(sidecar_schema()).validate(data)


@pytest.mark.parametrize(
    ("broken", "key"),
    [
        ("summary: x\nqoutes: []\n", "qoutes"),
        ("title: T\n", "summary"),
        ("summary: x\nquotes:\n  - text: t\n", "speaker"),
        ("summary: x\ndraft: maybe\n", "draft"),
        ("summary: x\ntimeline:\n  - date: 2021-13-45x\n    event: e\n", "date"),
        ("summary: x\narticle:\n  url: ftp://x.org/\n", "url"),
        ("summary: x\nsources:\n  Bad_Id:\n    title: t\n", "Bad_Id"),
        ("summary: x\narticle:\n  reproduce: some\n", "reproduce"),
        ("summary: x\ntags: iraq\n", "tags"),
    ],
)
def test_schema_rejects_what_the_validator_rejects(broken: str, key: str) -> None:
    _, problems = parse_sidecar("seeds/x.yml", broken)
    assert problems and any(key in p.message for p in problems)
    validator = jsonschema.Draft202012Validator(sidecar_schema())
    errors = list(validator.iter_errors(as_json(yaml.safe_load(broken))))
    assert errors

    def blamed(error: jsonschema.ValidationError) -> list[str]:
        """Keys and messages of an error and of the alternatives it summarises."""
        found = [str(p) for p in error.absolute_path] + [error.message]
        for sub_error in error.context or ():
            found += blamed(sub_error)
        return found

    # The schema blames the same key as the validator.
    assert any(key in text for e in errors for text in blamed(e))
