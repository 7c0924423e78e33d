"""The build's stages for one seed: gather, parse, verify, generate Markdown."""
