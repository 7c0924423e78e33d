"""What a build gives back: what it built, what it had to say, how long it took."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from briefgen.vocabulary.errors import (
    BriefgenError,
    Diagnostic,
    Severity,
    diagnostic_from_dict,
    diagnostic_to_dict,
)

if TYPE_CHECKING:  # a no-op build gives a result without loading the stages
    from briefgen.stages.verify import Briefing


@dataclass
class BuildResult:
    """What a build produced and what it had to say."""

    site_dir: str
    """Where the site went (config's site_dir), relative to the site root."""
    site_url: str | None
    """config's site_url (or --site-url's)."""
    briefings: list[Briefing]
    """Briefings built (drafts only with drafts=True), as index pages see them."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Warnings (errors raise instead)."""
    rendered: list[str] = field(default_factory=list)
    """site/ pages and search shards rendered anew (the rest were carried over)."""
    seconds: float = 0.0
    counts: tuple[int, int, int] | None = None
    """(briefings, verified, unverified) when known without the briefings (a no-op)."""
    work: dict[str, int] = field(default_factory=dict)
    """What rendering had to do (render.SiteOutput.work): what benchmarks count."""
    tallied: tuple[int, int, int] | None = field(default=None, repr=False, compare=False)
    """`tally`'s counts of `briefings`, once made."""

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    @property
    def briefing_count(self) -> int:
        return self.tally()[0]

    @property
    def quotes_verified(self) -> int:
        return self.tally()[1]

    @property
    def quotes_unverified(self) -> int:
        return self.tally()[2]

    def tally(self) -> tuple[int, int, int]:
        """Briefings, verified quotes, unverified quotes: counted once, in one pass (the
        summary asks for them twice, and at 10,000 briefings each count walked 60,000
        quotes)."""
        if self.counts:
            return self.counts
        if self.tallied is None:
            verified = unverified = 0
            for b in self.briefings:
                yes, no = b.quote_tally()
                verified += yes
                unverified += no
            self.tallied = (len(self.briefings), verified, unverified)
        return self.tallied

    def to_summary(self) -> dict[str, object]:
        """What a no-op rebuild reports again: counts and warnings."""
        return {
            "counts": [self.briefing_count, self.quotes_verified, self.quotes_unverified],
            "warnings": [diagnostic_to_dict(d) for d in self.warnings],
        }

    @classmethod
    def from_summary(
        cls, site_dir: str, site_url: str | None, summary: dict[str, Any], seconds: float
    ) -> BuildResult:
        warnings = [diagnostic_from_dict(d) for d in summary.get("warnings", [])]
        built, verified, unverified = (int(n) for n in summary.get("counts", [0, 0, 0]))
        counts = (built, verified, unverified)
        return cls(site_dir, site_url, [], warnings, seconds=seconds, counts=counts)

    def summary(self, verb: str = "built") -> str:
        """One line for the terminal: what was built, what was checked, how long it took."""
        n = self.briefing_count
        return (
            f"{verb} {n} briefing{'s' if n != 1 else ''}: {self.quotes_verified} quotes "
            f"verified, {self.quotes_unverified} unverified, {len(self.warnings)} "
            f"warning{'s' if len(self.warnings) != 1 else ''} ({self.seconds:.2f} s)"
        )


def checked(diagnostics: list[Diagnostic], strict: bool) -> list[Diagnostic]:
    """The diagnostics to report; raises with all of them if any is an error (with
    --strict, warnings are)."""
    if strict:
        diagnostics = [
            replace(d, severity=Severity.ERROR) if d.severity is Severity.WARNING else d
            for d in diagnostics
        ]
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise BriefgenError(diagnostics)
    return diagnostics
