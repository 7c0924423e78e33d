"""`briefgen new-site DIR`: a new briefing site with its GitHub Pages workflow.

The workflow comes from one template (scaffold/pages.yml), which also produced this
repository's own .github/workflows/pages.yml; a test keeps the two in step.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from briefgen import __version__
from briefgen.output.newfiles import write_new
from briefgen.stages.inputs import CONFIG_FILE

WORKFLOW = ".github/workflows/pages.yml"
DEFAULT_INSTALL = f"briefgen=={__version__}"
"""What a new site's workflow installs: the version that wrote it, so the site builds
the same until the desk changes the pin on purpose."""


def workflow(install: str = DEFAULT_INSTALL, pins: str = WORKFLOW) -> str:
    """The Pages workflow, installing briefgen with `pip install <install>`.

    `install` is any pip requirement (`briefgen==1.2.0`, `briefgen @ git+https://...`,
    `.`); `pins` is the file that says which briefgen is installed, whose hash keys
    setup-python's pip cache: the workflow itself for a desk, pyproject.toml here.
    """
    if not install.strip() or "\n" in install or "\r" in install:
        raise ValueError(f"not a pip requirement: {install!r}")
    template = (Path(__file__).parents[1] / "scaffold" / "pages.yml").read_text(encoding="utf-8")
    return template.format(install=shlex.quote(install), pins=pins)


def site_files(title: str, install: str = DEFAULT_INSTALL) -> dict[str, str]:
    """Every file of a new site, by relative path."""
    return {
        CONFIG_FILE: (
            f"title: {title}\n"
            "description: Annotated briefings\n"
            "language: en\n"
            "# site_url enables sitemap.xml and absolute feed links:\n"
            "# site_url: https://USER.github.io/REPO/\n"
        ),
        "seeds/README.md": (
            "# Seeds\n\n"
            "Put each article here as `<slug>.txt` (date line, headline, paragraphs), then\n"
            "run `briefgen new seeds/<slug>.txt` to start its sidecar, or write\n"
            "`<slug>.yml` by hand. `briefgen check` validates; `briefgen build` publishes.\n"
        ),
        ".gitignore": "content/\nsite/\n.briefgen-*\n.briefgen_cache/\n",
        WORKFLOW: workflow(install),
    }


def new_site(target: Path, install: str = DEFAULT_INSTALL) -> list[str]:
    """Write a new site into `target` (which must not hold a site already)."""
    files = site_files(quote_title(target.resolve().name), install)
    write_new(target, {rel: text.encode("utf-8") for rel, text in files.items()})
    return list(files)


def quote_title(name: str) -> str:
    """The folder name as a YAML string that reads back as itself."""
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
