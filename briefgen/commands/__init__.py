"""The commands: the command line, serve, deploy, new, import, MkDocs."""
