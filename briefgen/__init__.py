"""briefgen: seed articles plus editors' YAML sidecars in, a footnoted briefing site out.

The pipeline, one module per stage: `seeds` (parse the article) → `sidecars` (load and
validate annotations) → `verify` (quotes and anchors against the seed) → `generate`
(Markdown) → `render` (HTML through Jinja) → `writer` (site/ on disk); `build` runs them.
"""

__version__ = "0.1.0"
