"""Reference tables for the README, generated from the config and sidecar declarations.

`python -m briefgen.commands.docs` prints them; `python -m briefgen.commands.docs README.md`
refreshes the README's copy in place. A test keeps that copy in step, so the documentation cannot
drift from what the validator accepts.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from briefgen.stages.boilerplate import BUILTINS
from briefgen.stages.config import Config
from briefgen.stages.register import docs_rows
from briefgen.stages.sidecars import Sidecar
from briefgen.typedyaml.schema import docs_table

HEADER = ["| key | type | default | meaning |", "|---|---|---|---|"]


def tables() -> dict[str, str]:
    """The README's generated blocks, by marker name."""
    return {
        "config-keys": "\n".join(HEADER + docs_table(Config)),
        "sidecar-keys": "\n".join(HEADER + docs_table(Sidecar)),
        "register-keys": "\n".join(HEADER + docs_rows()),
        "builtin-boilerplate": "\n".join(builtin_table()),
    }


def builtin_table() -> list[str]:
    """The built-in boilerplate patterns: name, what each removes, languages."""
    rows = ["| name | removes | languages |", "|---|---|---|"]
    for b in BUILTINS:
        card = " (a card)" if b.card else ""
        rows.append(f"| `{b.name}`{card} | {b.removes} | {b.languages} |")
    return rows


def refreshed(text: str) -> str:
    """`text` with every generated block replaced by the current tables."""
    for name, table in tables().items():
        block = f"<!-- {name} -->\n{table}\n<!-- /{name} -->"
        pattern = re.compile(rf"<!-- {name} -->\n.*?\n<!-- /{name} -->", re.S)
        text = pattern.sub(lambda _, block=block: block, text)  # type: ignore[misc]
    return text


if __name__ == "__main__":
    if len(sys.argv) > 1:
        from briefgen.output.newfiles import write_new

        path = Path(sys.argv[1])
        write_new(path.parent, {path.name: refreshed(path.read_text()).encode()}, overwrite=True)
    else:
        for name, table in tables().items():
            print(f"<!-- {name} -->\n{table}\n<!-- /{name} -->\n")
