"""Compiled templates kept in the build cache, each trusted only under its own hash."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2

from briefgen.incremental.keys import code_version
from briefgen.output.writer import cache_folder, write_cache
from briefgen.vocabulary.errors import Diagnostic, Location, Severity
from briefgen.vocabulary.hashing import HASH_CHARS, content_hash, digest


class CheckedBytecodeCache(jinja2.BytecodeCache):
    """Jinja's compiled templates, each file trusted only under the hash written with it.

    A file that does not hash as its header says (a flipped bit, changed letters, cut
    short), or that fails to load for any reason, is a miss: the template is compiled
    again and the file rewritten. Jinja itself checks that a sound file was compiled
    from the template's current source.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.damaged: list[str] = []
        """Files found damaged (and compiled again), in this process."""

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> jinja2.bccache.Bucket:
        """Jinja keys a compiled template by its name and source only, but the code it
        compiles to depends on briefgen's code and on the environment too (a filter that
        takes the page's context is called differently; `{% trans %}` compiles to other
        calls with another extension or gettext style): a template compiled by other
        code, or for another environment, is a miss."""
        key = digest(code_version(), compile_key(environment), self.get_cache_key(name, filename))
        bucket = jinja2.bccache.Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def file(self, bucket: jinja2.bccache.Bucket) -> str:
        return f"{bucket.key}.bytecode"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = (self.folder / self.file(bucket)).read_bytes()
        except OSError:
            return
        head, body = data[:HASH_CHARS], data[HASH_CHARS:]
        try:
            if head.decode("ascii") != content_hash(bucket.key.encode(), body):
                raise ValueError("damaged")
            bucket.bytecode_from_string(body)
        except Exception:
            bucket.reset()
            self.damaged.append(self.file(bucket))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        body = bucket.bytecode_to_string()
        head = content_hash(bucket.key.encode(), body).encode("ascii")
        write_cache(self.folder, {self.file(bucket): head + body})

    def references(self, key: str) -> tuple[str | None, ...] | None:
        """The references theme.referenced kept under this key, if this code kept them
        and their file is sound (a damaged one is parsed again, and rewritten)."""
        file = self.references_file(key)
        try:
            data = (self.folder / file).read_bytes()
        except OSError:
            return None
        head, body = data[:HASH_CHARS], data[HASH_CHARS:]
        try:  # hashed with its key, as a compiled template is: not another's file
            if head.decode("ascii") != content_hash(file.encode(), body):
                raise ValueError("damaged")
            found = json.loads(body)
        except ValueError:
            self.damaged.append(file)
            return None
        if not isinstance(found, list) or not all(f is None or isinstance(f, str) for f in found):
            self.damaged.append(file)
            return None
        return tuple(found)

    def keep_references(self, key: str, found: tuple[str | None, ...]) -> None:
        body = json.dumps(list(found)).encode("utf-8")
        file = self.references_file(key)
        head = content_hash(file.encode(), body).encode("ascii")
        write_cache(self.folder, {file: head + body})

    def references_file(self, key: str) -> str:
        return f"{digest(code_version(), key)}.refs"

    def clear(self) -> None:
        stale = [*self.folder.glob("*.bytecode"), *self.folder.glob("*.refs")]
        write_cache(self.folder, {}, [p.name for p in stale])

    def notes(self) -> list[Diagnostic]:
        """Compiled templates found damaged (and compiled again) in this process."""
        where = f"{self.folder.parent.name}/{self.folder.name}"
        message = "cache file damaged (its content hash does not match); {} again"
        return [
            Diagnostic(
                Location(f"{where}/{file}"),
                message.format("parsed" if file.endswith(".refs") else "compiled"),
                Severity.NOTE,
            )
            for file in dict.fromkeys(self.damaged)
        ]


def compile_key(env: jinja2.Environment) -> str:
    """What Jinja builds into compiled code besides the template's source: its version,
    the extensions, the gettext style, and how each filter is called. Without it, an
    unchanged template would load code compiled for another environment (a filter that
    came to take the context, `{% trans %}` without the i18n extension)."""
    filters = sorted(
        (name, str(getattr(f, "jinja_pass_arg", ""))) for name, f in env.filters.items()
    )
    style = str(getattr(env, "newstyle_gettext", False))
    parts = [jinja2.__version__, style, *sorted(env.extensions)]
    return digest(*parts, *(p for f in filters for p in f))


def compiled_templates(folder: Path) -> CheckedBytecodeCache:
    """The bytecode cache in this folder of the build cache (made if missing)."""
    return CheckedBytecodeCache(cache_folder(folder))
