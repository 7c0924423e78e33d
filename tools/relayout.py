#!/usr/bin/env python3
"""Move briefgen's flat modules into the packages docs/architecture.md names (issue 17).

Run from the repository root, on a clean checkout, once every branch is merged:

    python tools/relayout.py            # move, rewrite, then ruff --fix I and ruff format
    python tools/relayout.py --dry-run  # print the moves only

It reads the module map (docs/architecture.md: `| `module` | package | layer | job |`),
so a module merged later moves too once its row is there. It

- `git mv`s briefgen/<module>.py to briefgen/<package>/<module>.py (a package's
  `__init__.py` gets a one-line docstring); `(root)` modules, `__init__` and `__main__`
  (`python -m briefgen`) stay at the top of briefgen/;
- rewrites relative imports in briefgen/ to absolute ones (`from briefgen.site.theme
  import Theme`), and `from briefgen import swap` in tests and benchmarks;
- rewrites dotted names (`briefgen.seeds`, monkeypatch targets, `python -m briefgen.docs`,
  entry points, tool settings) and file paths (`briefgen/sidecars.py`) in briefgen/,
  tests/, benchmarks/, docs/, README.md, CONTRIBUTING.md, pyproject.toml, mkdocs.yml,
  MANIFEST.in, .ci/ and .github/;
- keeps data where it is (briefgen/scaffold/, briefgen/locales/, the theme): a moved
  module's `Path(__file__).parent` becomes `Path(__file__).parents[1]`;
- lists the new packages in pyproject.toml, and updates docs/architecture.md and
  tests/test_architecture.py to the packages.

Anything it could not rewrite with confidence is printed under "check by hand".
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import subprocess
import sys
import tokenize
from pathlib import Path

ROW = re.compile(r"^\| `(\w+)` \| ([\w()]+) \| (\d+) \|", re.MULTILINE)
ROOT_PACKAGE = "(root)"
STAY = {"__init__", "__main__"}
"""The package's own files: `import briefgen` and `python -m briefgen` need them here."""
PACKAGE_DOCS = {
    "vocabulary": "The words every layer shares: diagnostics, hashes, links, languages, "
    "names, dates.",
    "stages": "The build's stages for one seed: gather, parse, verify, generate Markdown.",
    "typedyaml": "The located YAML reader: declarations, their schema and their docs.",
    "site": "The site: indexes, page plans, the theme, search, feed, rendering every file.",
    "incremental": "Incremental builds: content keys, fingerprints, the cache, the Reuse objects.",
    "output": "Writing the output: the build lock, staging, the swap, the output sinks.",
    "commands": "The commands: the command line, serve, deploy, new, import, MkDocs.",
}
TEXT_SUFFIXES = {".py", ".md", ".toml", ".yml", ".yaml", ".cfg", ".ini", ".in", ".txt", ".sh"}
SCOPE = ("briefgen", "tests", "benchmarks", "docs", ".ci", ".github")
TOP_FILES = ("README.md", "CONTRIBUTING.md", "pyproject.toml", "mkdocs.yml", "MANIFEST.in")
LINE_LENGTH = 100
SKIP = ("tests/fixtures/", "tests/e2e/node_modules/")

manual: list[str] = []


def git(*args: str) -> str:
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout


def read_table(root: Path) -> dict[str, str]:
    text = (root / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = ROW.findall(text)
    if not rows:
        sys.exit("docs/architecture.md: no module map rows found")
    table: dict[str, str] = {}
    for module, package, _layer in rows:
        if module in table:
            sys.exit(f"docs/architecture.md: {module} is in the map twice")
        table[module] = package
    return table


def plan(root: Path) -> dict[str, str]:
    """module → its new package ("" for the top of briefgen/)."""
    table = read_table(root)
    flat = {path.stem for path in (root / "briefgen").glob("*.py")}
    moved = [p for p in (root / "briefgen").glob("*/*.py") if p.parent.name in table.values()]
    if moved:
        sys.exit(f"already laid out ({moved[0]} exists): nothing to do")
    missing = sorted(flat - set(table))
    if missing:
        sys.exit(f"modules missing from docs/architecture.md's map: {', '.join(missing)}")
    absent = sorted(set(table) - flat)
    if absent:
        sys.exit(f"docs/architecture.md maps modules that do not exist: {', '.join(absent)}")
    packages: dict[str, str] = {}
    for module, package in table.items():
        packages[module] = "" if package == ROOT_PACKAGE or module in STAY else package
    for package in set(packages.values()) - {""}:
        if not package.isidentifier():
            sys.exit(f"docs/architecture.md: {package!r} is not a package name")
        if package in packages and packages[package] == "":
            sys.exit(f"package {package} would hide the top-level module {package}.py")
        if (root / "briefgen" / package).exists():
            sys.exit(f"briefgen/{package} exists already (data?): pick another package name")
    return packages


def dotted(module: str, packages: dict[str, str]) -> str:
    package = packages[module]
    return f"briefgen.{package}.{module}" if package else f"briefgen.{module}"


def tracked_text_files(root: Path) -> list[Path]:
    names = git("ls-files", "-z", *SCOPE, *TOP_FILES).split("\0")
    files = []
    for name in sorted(n for n in names if n):
        path = root / name
        if name.startswith(SKIP) or not path.is_file():
            continue
        if path.suffix in TEXT_SUFFIXES or name.startswith((".ci/", ".github/")):
            files.append(path)
    return files


# ---- rewriting ---------------------------------------------------------------------------


def rewrite_names(text: str, packages: dict[str, str]) -> str:
    """Dotted module names and module file paths, one pass (so never twice)."""
    movers = sorted((m for m, p in packages.items() if p), key=len, reverse=True)
    if not movers:
        return text
    if packages.get("sidecars"):  # tests/test_cache_damage.py: a damaged module name
        text = text.replace("`briefgen.qidecars`", f"`briefgen.{packages['sidecars']}.qidecars`")
    alternatives = "|".join(map(re.escape, movers))
    # briefgen.seeds, "briefgen.preparing.prepare", briefgen.cli:main, -m briefgen.docs;
    # not steps.briefgen.outputs (a workflow), briefgen.yml or briefgen.css.
    name = re.compile(rf"(?<![\w.\-/])briefgen\.({alternatives})\b(?![\w-])")
    text = name.sub(lambda m: dotted(m.group(1), packages), text)
    # briefgen/sidecars.py (prose, comments, ruff per-file settings)
    path = re.compile(rf"(?<![\w.\-])briefgen/({alternatives})\.py\b")
    text = path.sub(lambda m: f"briefgen/{packages[m.group(1)]}/{m.group(1)}.py", text)
    # REPO / "briefgen" / "writer.py"
    joined = re.compile(rf"([\"'])briefgen\1(\s*/\s*)([\"'])({alternatives})\.py\3")
    return joined.sub(
        lambda m: (
            f"{m[1]}briefgen{m[1]}{m[2]}{m[3]}{packages[m[4]]}{m[3]}{m[2]}{m[3]}{m[4]}.py{m[3]}"
        ),
        text,
    )


def prose_lines(text: str) -> set[int]:
    """0-based numbers of the lines that are comments or inside a multi-line string."""
    lines: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT and not token.line[: token.start[1]].strip():
                lines.add(token.start[0] - 1)
            elif token.type == tokenize.STRING and token.end[0] > token.start[0]:
                lines.update(range(token.start[0] - 1, token.end[0]))
    except (tokenize.TokenError, SyntaxError):
        pass
    return lines


QUOTES = ('"""', "'''")


def rewrapped(text: str, limit: int = LINE_LENGTH) -> str:
    """Comments and docstrings a longer name pushed past the line length, wrapped: the
    words past it go to the start of the paragraph's next line (or a new one)."""
    lines = text.split("\n")
    prose = prose_lines(text)
    i = 0
    while i < len(lines):
        line = lines[i]
        if len(line) <= limit or i not in prose:
            i += 1
            continue
        indent = re.match(r"[ \t]*(# )?", line).group(0)  # type: ignore[union-attr]
        cut = line.rfind(" ", len(indent) + 1, limit + 1)
        if cut <= len(indent):
            i += 1
            continue
        head, rest = line[:cut].rstrip(), line[cut + 1 :]
        lines[i] = head
        following = lines[i + 1] if i + 1 < len(lines) else ""
        body = following[len(indent) :]
        joins = (
            i + 1 in prose
            and following.startswith(indent)
            and body.strip()
            and not body.startswith((" ", "-", "*", ">>>", "|", *QUOTES))
            and not re.match(r"\d+[.)] |[A-Za-z_]\w*:$", body)
            and not head.endswith((*QUOTES, ":"))
        )
        if joins:
            lines[i + 1] = indent + rest + " " + body
        else:
            lines.insert(i + 1, indent + rest)
            prose = {n + 1 if n > i else n for n in prose} | {i + 1}
        i += 1
    return "\n".join(lines)


def realigned(old: str, new: str) -> str:
    """Keep a code block's comments in their column where a name grew (`cmd   # what`)."""
    before, after = old.splitlines(keepends=True), new.splitlines(keepends=True)
    if len(before) != len(after):
        return new
    out = []
    for a, b in zip(before, after, strict=True):
        grown = len(b) - len(a)
        gap = re.search(r"(?<=\S)( {3,})# ", b)
        if grown > 0 and gap and re.search(r"(?<=\S)( {3,})# ", a):
            keep = max(2, len(gap[1]) - grown)
            b = b[: gap.start(1)] + " " * keep + b[gap.end(1) :]
        out.append(b)
    return "".join(out)


def grouped_import(node: ast.ImportFrom, packages: dict[str, str], indent: str) -> str | None:
    """`from . import a, b` / `from briefgen import a, b`, split by where each now is."""
    groups: dict[str, list[str]] = {}
    for alias in node.names:
        package = packages.get(alias.name, "")
        target = f"briefgen.{package}" if package else "briefgen"
        groups.setdefault(target, []).append(
            alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"
        )
    if list(groups) == ["briefgen"] and node.level == 0:
        return None
    return f"\n{indent}".join(f"from {t} import {', '.join(n)}" for t, n in groups.items())


def rewrite_imports(text: str, packages: dict[str, str], in_package: bool) -> str:
    """Relative imports of a module that was in briefgen/ (level 1 = briefgen) become
    absolute; `from briefgen import module` names the module's package."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    edits: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.end_lineno is None:
            continue
        begin = starts[node.lineno - 1] + node.col_offset
        end = starts[node.end_lineno - 1] + (node.end_col_offset or 0)
        source = text[begin:end]
        line_start = starts[node.lineno - 1]
        indent = re.match(r"[ \t]*", text[line_start:begin]).group(0)  # type: ignore[union-attr]
        if node.level:
            if not in_package or node.level != 1:
                manual.append(f"relative import not rewritten: {source!r}")
                continue
            if node.module:
                first, _, rest = node.module.partition(".")
                target = dotted(first, packages) if first in packages else f"briefgen.{first}"
                target += f".{rest}" if rest else ""
                new = re.sub(r"^from\s+\.[\w.]*\s+import", f"from {target} import", source)
            else:
                new = grouped_import(node, packages, indent)  # type: ignore[assignment]
        elif node.module == "briefgen":
            new = grouped_import(node, packages, indent)  # type: ignore[assignment]
            if new is None:
                continue
        else:
            continue
        edits.append((begin, end, new))
    for begin, end, new in sorted(edits, reverse=True):
        text = text[:begin] + new + text[end:]
    return text


FILE_PARENT = re.compile(r"Path\(__file__\)(\.resolve\(\))?\.parent\b(?!s)")
FILE_PARENTS = re.compile(r"Path\(__file__\)(\.resolve\(\))?\.parents\[(\d+)\]")
DIRNAME = re.compile(r"os\.path\.dirname\((os\.path\.(?:abspath|realpath)\()?__file__\)?\)")


def rewrite_file_paths(text: str, where: str) -> str:
    """A moved module is one folder deeper: what it found beside itself in briefgen/ (the
    templates, scaffold/, locales/, the other modules) is now in its parent folder."""
    text = FILE_PARENTS.sub(lambda m: f"Path(__file__){m[1] or ''}.parents[{int(m[2]) + 1}]", text)
    text = FILE_PARENT.sub(lambda m: f"Path(__file__){m[1] or ''}.parents[1]", text)
    text = DIRNAME.sub(lambda m: f"os.path.dirname({m[0]})", text)
    text = text.replace("files(__package__)", 'files("briefgen")')
    for number, line in enumerate(text.splitlines(), 1):
        if "__file__" in line and not (FILE_PARENTS.search(line) or "dirname(" in line):
            manual.append(f"{where}:{number}: __file__ use left as it was: {line.strip()}")
        if "__package__" in line or re.search(r"files\(__name__\)", line):
            manual.append(f"{where}:{number}: package-relative lookup: {line.strip()}")
    # A folder found from __file__ that is then searched for modules: they are one level
    # down now (e.g. catalogs' PACKAGE.glob("*.py") for messages).
    for var in re.findall(r"^(\w+)\s*=\s*Path\(__file__\)[^\n]*\.parents\[1\]\s*$", text, re.M):
        text, count = re.subn(rf"\b{var}\.glob\((['\"])\*\.py\1\)", f'{var}.rglob("*.py")', text)
        if count:
            manual.append(
                f"{where}: {var}.glob('*.py') became rglob (modules are in packages now): "
                "check what it does with the paths (e.g. .po locations; regenerate)"
            )
    return text


# ---- the architecture page and its test --------------------------------------------------

ARCH_FLAT = re.compile(
    r"Modules\s+are\s+flat\s+in\s+`briefgen/`\s+for\s+now;\s+\*\*Package\*\*\s+is\s+where\s+"
    r"each\s+one\s+moves,\s+so\s+the\s+move\s+into\s+packages\s+is\s+mechanical\."
)
ARCH_PACKAGED = (
    "**Package** is the folder each module is in: `briefgen/<package>/<module>.py`, or\n"
    "`briefgen/<module>.py` for (root)."
)

TEST_HELPER = '''def module_files() -> dict[str, Path]:
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
'''

TEST_PLACE = """

def test_every_module_is_in_the_package_the_map_names() -> None:
    misplaced = sorted(
        f"{module} is {path.relative_to(REPO)}, the map says {package}"
        for module, path in module_files().items()
        if module in table()
        for package in [table()[module][0]]
        if path.parent != (PACKAGE if package == "(root)" else PACKAGE / package)
    )
    assert misplaced == []
"""


def update_test(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    function = next(
        (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "imports"), None
    )
    if function is None or "def module_files" in text:
        manual.append(f"{path}: no imports() to replace: update it to the packages by hand")
        return
    first = function.lineno - 1 - len(function.decorator_list)
    text = "".join(lines[:first]) + TEST_HELPER + "".join(lines[function.end_lineno :])
    replacements = [
        ('for path in PACKAGE.glob("*.py")', "for path in module_files().values()"),
        ('(PACKAGE / "writer.py").read_text', 'module_files()["writer"].read_text'),
    ]
    for old, new in replacements:
        if old not in text:
            manual.append(f"{path}: did not find {old!r}")
        text = text.replace(old, new)
    text = text.replace(
        "every module is in it, imports",
        "every module is in it, in the package it says, imports",
    )
    if text.count("PACKAGE.glob(") != TEST_HELPER.count("PACKAGE.glob("):
        manual.append(f"{path}: still globs briefgen/*.py somewhere")
    path.write_text(text.rstrip("\n") + "\n" + TEST_PLACE, encoding="utf-8")


def update_architecture(path: Path, packages: dict[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    text, count = ARCH_FLAT.subn(ARCH_PACKAGED, text)
    if not count:
        manual.append(f"{path}: the 'modules are flat' sentence was not found")
    table = read_table(path.parents[1])
    for module in sorted(STAY):
        if module in table and table[module] != ROOT_PACKAGE:
            text = re.sub(
                rf"^\| `{re.escape(module)}` \| [\w()]+ \|",
                f"| `{module}` | {ROOT_PACKAGE} |",
                text,
                flags=re.MULTILINE,
            )
    path.write_text(text, encoding="utf-8")


def update_pyproject(path: Path, packages: dict[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    listed = re.search(r'^packages = \[("briefgen"[^\]]*)\]', text, re.MULTILINE)
    if listed is None:
        manual.append(f"{path}: no [tool.setuptools] packages list: add the new packages")
        return
    names = re.findall(r'"([^"]+)"', listed.group(1))
    new = sorted({f"briefgen.{p}" for p in packages.values() if p} - set(names))
    names = [names[0], *new, *names[1:]]
    body = ", ".join(f'"{n}"' for n in names)
    line = f"packages = [{body}]"
    if len(line) > 100:
        line = "packages = [\n" + "".join(f'    "{n}",\n' for n in names) + "]"
    text = text[: listed.start()] + line + text[listed.end() :]
    path.write_text(text, encoding="utf-8")


# ---- main --------------------------------------------------------------------------------


def ruff(*args: str) -> None:
    for command in (["ruff"], [sys.executable, "-m", "ruff"]):
        try:
            subprocess.run([*command, *args], check=True, capture_output=True, text=True)
            return
        except FileNotFoundError:
            continue
        except subprocess.CalledProcessError as exc:
            manual.append(f"ruff {' '.join(args)}: {exc.stdout}{exc.stderr}".strip())
            return
    manual.append(f"ruff not found: run ruff {' '.join(args)} by hand")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print the moves only")
    args = parser.parse_args()
    root = Path.cwd()
    if not (root / "briefgen" / "__init__.py").is_file() or not (root / ".git").exists():
        sys.exit("run from the root of a briefgen checkout")
    packages = plan(root)
    moves = sorted((m, p) for m, p in packages.items() if p)
    for module, package in moves:
        print(f"briefgen/{module}.py -> briefgen/{package}/{module}.py")
    if args.dry_run:
        return 0
    if git("status", "--porcelain", "--untracked-files=no").strip():
        sys.exit("the working tree has changes: commit or stash them first")

    for package in sorted({p for _, p in moves}):
        folder = root / "briefgen" / package
        folder.mkdir()
        doc = PACKAGE_DOCS.get(package, f"briefgen's {package} package.")
        (folder / "__init__.py").write_text(f'"""{doc}"""\n', encoding="utf-8")
        git("add", f"briefgen/{package}/__init__.py")
    for module, package in moves:
        git("mv", f"briefgen/{module}.py", f"briefgen/{package}/{module}.py")

    moved_files = {root / "briefgen" / p / f"{m}.py" for m, p in moves}
    changed: list[Path] = []
    for path in tracked_text_files(root):
        rel = path.relative_to(root).as_posix()
        old = path.read_text(encoding="utf-8")
        new = rewrite_names(old, packages)
        if path.suffix != ".py":
            new = realigned(old, new)
        if path.suffix == ".py":
            new = rewrite_imports(new, packages, in_package=rel.startswith("briefgen/"))
        if path in moved_files:
            new = rewrite_file_paths(new, rel)
        if path.suffix == ".py" and new != old:
            new = rewrapped(new)
        if new != old:
            path.write_text(new, encoding="utf-8")
            changed.append(path)

    update_pyproject(root / "pyproject.toml", packages)
    update_architecture(root / "docs" / "architecture.md", packages)
    test = root / "tests" / "test_architecture.py"
    if test.is_file():
        update_test(test)
        test.write_text(rewrapped(test.read_text(encoding="utf-8")), encoding="utf-8")
        changed.append(test)

    python = sorted({p.relative_to(root).as_posix() for p in changed if p.suffix == ".py"})
    python += [f"briefgen/{p}/__init__.py" for p in sorted({p for _, p in moves})]
    if python:
        ruff("check", "--select", "I", "--fix", "--quiet", *python)
        ruff("format", "--quiet", *python)
    git("add", "-A", "briefgen", "tests", "benchmarks", "docs", *TOP_FILES, ".ci", ".github")

    # What still needs eyes: references to a module file by bare name next to briefgen/.
    leftovers = re.compile(
        rf"(?<![\w.\-/])briefgen[/.]({'|'.join(m for m, _ in moves)})(\.py)?\b(?![\w\-./])"
    )
    # templates/ is left alone: its assets are copied into site/, which must not change.
    theme = [root / n for n in git("ls-files", "-z", "templates").split("\0") if n]
    for path in [*tracked_text_files(root), *theme]:
        rel = path.relative_to(root).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            found = leftovers.search(line)
            if found and found[1] not in {p for _, p in moves}:
                manual.append(f"{rel}:{number}: {line.strip()}")
    print(
        f"moved {len(moves)} modules into {len({p for _, p in moves})} packages; "
        f"rewrote {len(changed)} files (staged, not committed)"
    )
    if manual:
        print("\ncheck by hand:")
        for item in manual:
            print(f"  {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
