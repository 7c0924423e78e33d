"""Incremental builds: content keys, fingerprints, the cache, the Reuse objects."""
