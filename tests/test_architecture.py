"""The module map in docs/architecture.md is true: every module it names exists and
every module is in it, in the package it says, imports go down its layers only, with no cycle, and
only the output and incremental modules write files or import the writer and the cache."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "briefgen"
ROW = re.compile(r"^\| `(\w+)` \| ([\w()]+) \| (\d+) \|", re.MULTILINE)
WRITES = re.compile(
    r"write_text\(|write_bytes\(|open\([^)]*['\"][wxa]b?['\"]|os\.replace\(|os\.rename\("
    r"|shutil\.(rmtree|copy\w*|move)\(|os\.link\(|\.mkdir\(|\.touch\(|\.unlink\("
    r"|os\.makedirs\(|os\.rmdir\(|os\.open\((?![^,]*,\s*os\.O_RDONLY(\s*\|\s*O_BINARY)?\))"
)
"""Ways to write a file (an os.open for reading only is not one)."""
WRITING = {"output", "incremental"}


def table() -> dict[str, tuple[str, int]]:
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    return {m: (package, int(layer)) for m, package, layer in ROW.findall(text)}


def module_files() -> dict[str, Path]:
    """Each module by name: briefgen/*.py and briefgen/<package>/*.py (a package's
    `__init__.py` is its docstring, not a module of the map)."""
    files: dict[str, Path] = {}
    for path in [*PACKAGE.glob("*.py"), *PACKAGE.glob("*/*.py")]:
        if path.parent != PACKAGE and path.stem == "__init__":
            continue
        assert path.stem not in files, f"two modules named {path.stem}"
        files[path.stem] = path
    return files


def imports() -> dict[str, set[str]]:
    """Each module's imports of briefgen modules (lazy ones too)."""
    files = module_files()
    found: dict[str, set[str]] = {}
    for module, path in files.items():
        inside = [] if path.parent == PACKAGE else [path.parent.name]
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [(alias.name.split("."), []) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = ["briefgen", *inside][: len(inside) + 2 - node.level]
                parts = [*(base if node.level else []), *(node.module or "").split(".")]
                targets = [([p for p in parts if p], [alias.name for alias in node.names])]
            else:
                continue
            for parts, aliases in targets:
                if parts[:1] != ["briefgen"]:
                    continue
                rest = parts[1:]
                if len(rest) >= 2:  # briefgen.<package>.<module>
                    names.add(rest[1])
                elif rest and not (PACKAGE / rest[0]).is_dir():  # briefgen.<module>
                    names.add(rest[0])
                else:  # from briefgen(.<package>) import <module>
                    names.update(aliases)
        found[module] = (names & set(files)) - {module}
    return found


def test_the_map_names_every_module_and_only_modules_that_exist() -> None:
    mapped = set(table())
    modules = {path.stem for path in module_files().values()}
    assert mapped - modules == set(), "the map names modules that do not exist"
    assert modules - mapped == set(), "modules missing from docs/architecture.md"


def test_imports_go_down_the_layers_only() -> None:
    layers = table()
    upward = [
        f"{module} (layer {layers[module][1]}) imports {dep} (layer {layers[dep][1]})"
        for module, deps in sorted(imports().items())
        for dep in sorted(deps)
        if layers[dep][1] > layers[module][1]
    ]
    assert upward == []


def test_the_import_graph_has_no_cycle() -> None:
    graph = imports()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for dep in sorted(graph[module]):
            if state.get(dep) == 1:
                cycles.append([*path[path.index(dep) :], dep] if dep in path else [dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_only_output_and_incremental_modules_write_files() -> None:
    packages = {module: package for module, (package, _) in table().items()}
    writers = sorted(
        f"{path.name}:{number}: {line.strip()}"
        for path in module_files().values()
        if packages.get(path.stem) not in WRITING
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WRITES.search(line)
    )
    assert writers == []


def test_only_the_pipeline_output_and_incremental_modules_import_writer_or_cache() -> None:
    packages = {module: package for module, (package, _) in table().items()}
    allowed = WRITING | {"pipeline"}
    found = sorted(
        f"{module} imports {dep}"
        for module, deps in imports().items()
        for dep in deps & {"writer", "cache"}
        if packages[module] not in allowed and module != "pipeline"
    )
    assert found == []


def test_a_writing_pattern_is_found_where_it_is(tmp_path: Path) -> None:
    """The grep above can fail: it sees the writes the output modules make."""
    writer = module_files()["writer"].read_text(encoding="utf-8")
    assert WRITES.search(writer)
    assert not WRITES.search("path.read_text()\nopen(path, 'rb')\n")
    assert not WRITES.search("fd = os.open(path, os.O_RDONLY | O_BINARY)")
    assert WRITES.search("fd = os.open(path, os.O_RDWR | os.O_CREAT)")


def test_every_module_is_in_the_package_the_map_names() -> None:
    misplaced = sorted(
        f"{module} is {path.relative_to(REPO)}, the map says {package}"
        for module, path in module_files().items()
        if module in table()
        for package in [table()[module][0]]
        if path.parent != (PACKAGE if package == "(root)" else PACKAGE / package)
    )
    assert misplaced == []


LOADS_ITS_INPUT = {"labels"}
"""Vocabulary modules that also load an input (labels reads the site's own catalogs and
the config's `labels:`, so it uses the located reader and the inputs' folder names); the
rest of the vocabulary stands on nothing else of briefgen's."""


def test_the_vocabulary_imports_nothing_of_briefgen_but_itself() -> None:
    """The words every stage shares stand on nothing above them: a vocabulary module
    that reached into a stage (names.py took its fold table from matching) would make
    the base depend on what it is the base of."""
    packages = {module: package for module, (package, _) in table().items()}
    reaching = [
        f"{module} imports {dep} ({packages[dep]})"
        for module, deps in sorted(imports().items())
        if packages[module] == "vocabulary" and module not in LOADS_ITS_INPUT
        for dep in sorted(deps)
        if packages[dep] != "vocabulary"
    ]
    assert reaching == []
