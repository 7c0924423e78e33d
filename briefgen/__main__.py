"""`python -m briefgen`, the same as the `briefgen` command."""

from briefgen.commands.cli import entry

entry()
