"""The words every layer shares: diagnostics, hashes, links, languages, names, dates."""
