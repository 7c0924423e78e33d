"""The Arabic desk's test site (tests/fixtures/rtl): two briefings, an Arabic article and
an English one, annotated in Arabic. Its seeds are the repository's own copies, so the
fixture holds only what is new (see tests/fixtures/rtl/SOURCES.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "rtl"
SEEDS = (
    REPO / "tests" / "fixtures" / "real" / "aawsat-erbil.txt",
    REPO / "seeds" / "us-strikes-iraq-syria.txt",
)


def arabic_site(root: Path, *, directory_urls: bool = True) -> Path:
    """Write the Arabic site's sources under `root` (not built); returns `root`."""
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("SOURCES.md"))
    for seed in SEEDS:
        shutil.copy(seed, root / "seeds" / seed.name)
    if not directory_urls:
        config = root / "briefgen.yml"
        config.write_text(
            config.read_text(encoding="utf-8").replace(
                "directory_urls: true", "directory_urls: false"
            ),
            encoding="utf-8",
        )
    return root
