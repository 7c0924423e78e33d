"""Reference tables for the README, generated from the config and sidecar declarations.

`python -m briefgen.docs` prints them; a test keeps the README's copy in step, so the
documentation cannot drift from what the validator accepts.
"""

from __future__ import annotations

from .config import Config
from .schema import docs_table
from .sidecars import Sidecar

HEADER = ["| key | type | default | meaning |", "|---|---|---|---|"]


def tables() -> dict[str, str]:
    """The README's generated blocks, by marker name."""
    return {
        "config-keys": "\n".join(HEADER + docs_table(Config)),
        "sidecar-keys": "\n".join(HEADER + docs_table(Sidecar)),
    }


if __name__ == "__main__":
    for name, table in tables().items():
        print(f"<!-- {name} -->\n{table}\n<!-- /{name} -->\n")
