"""The project's import graph, read from the source with `ast`, and the rules CI holds it to.

Every import counts: at module level and inside functions (an import moved into a function to dodge
a circle is still a dependency). An edge goes from the importing module to the project module it
names (`from package import submodule` points at the submodule); imports of third-party code are
left out. Migrations are read like any module: they are code the project runs, and a migration that
imports a model module or a helper is a dependency like any other.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

PLATFORM = "agri_platform"  # the plumbing package: it may not import a domain app
SKIPPED_DIRS = {"tests", "node_modules", "__pycache__"}  # tests may import anything


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the project module it imports
    line: int
    names: tuple[str, ...] = ()  # what `from target import ...` takes from it


@dataclass(repr=False)
class Graph:
    root: Path
    files: dict[str, Path]  # module name → file
    imports: list[Import]

    def __repr__(self) -> str:  # pytest shows it with a failure
        return f"<Graph of {len(self.files)} modules, {len(self.imports)} imports>"

    def where(self, found: Import) -> str:
        return f"{self.files[found.source].relative_to(self.root)}:{found.line}"

    def path_of(self, module: str) -> str:
        return str(self.files[module].relative_to(self.root))

    def edges(self) -> dict[str, set[str]]:
        edges: dict[str, set[str]] = defaultdict(set)
        for found in self.imports:
            edges[found.source].add(found.target)
        return edges


def top_level(module: str) -> str:
    return module.split(".", 1)[0]


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_files(root: Path) -> list[Path]:
    """Every Python file of the project outside tests, virtualenvs and hidden folders."""
    found = []
    for path in sorted(root.rglob("*.py")):
        folders = path.relative_to(root).parts[:-1]
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in folders):
            continue
        found.append(path)
    return found


def build(root: Path) -> Graph:
    files = {module_name(root, path): path for path in project_files(root)}
    imports = []
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        imports.extend(imports_of(module, path.name == "__init__.py", tree, files))
    return Graph(root, files, imports)


def imports_of(module: str, is_package: bool, tree: ast.AST, modules) -> list[Import]:
    found = []
    for node in ast.walk(tree):  # module level, functions, classes, `if` blocks alike
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _known_prefix(alias.name, modules)
                if target:
                    found.append(Import(module, target, node.lineno))
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, is_package, node.level, node.module)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in modules:
                    found.append(Import(module, submodule, node.lineno, (alias.name,)))
                elif base in modules:
                    found.append(Import(module, base, node.lineno, (alias.name,)))
    return [item for item in found if item.target != module]


def _absolute(module: str, is_package: bool, level: int, name: str | None) -> str:
    if not level:
        return name or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    package = package[: len(package) - (level - 1)]
    return ".".join([*package, name] if name else package)


def _known_prefix(name: str, modules) -> str | None:
    """`import a.b.c` depends on the longest of a.b.c, a.b, a that is a project module."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


# --- the rules ------------------------------------------------------------------------------------


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Groups of nodes that reach each other (Tarjan); only groups of two or more, sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(set(edges) | {t for targets in edges.values() for t in targets}):
        if node not in index:
            visit(node)
    return sorted(groups)


def module_circles(graph: Graph) -> list[str]:
    """One message per circle of modules, naming each import that closes it."""
    problems = []
    for group in strongly_connected(graph.edges()):
        members = set(group)
        lines = [
            f"    {graph.where(found)} imports {found.target}"
            for found in graph.imports
            if found.source in members and found.target in members
        ]
        names = " ↔ ".join(graph.path_of(module) for module in group)
        problems.append(f"circle between modules {names}:\n" + "\n".join(sorted(set(lines))))
    return problems


def package_circles(graph: Graph) -> list[str]:
    """One message per circle of top-level packages (apps), naming the imports between them."""
    edges: dict[str, set[str]] = defaultdict(set)
    for found in graph.imports:
        source, target = top_level(found.source), top_level(found.target)
        if source != target:
            edges[source].add(target)
    problems = []
    for group in strongly_connected(edges):
        members = set(group)
        lines = [
            f"    {graph.where(found)} imports {found.target}"
            for found in graph.imports
            if top_level(found.source) in members
            and top_level(found.target) in members
            and top_level(found.source) != top_level(found.target)
        ]
        names = " ↔ ".join(group)
        problems.append(f"circle between apps {names}:\n" + "\n".join(sorted(set(lines))))
    return problems


def platform_imports_of_domain_apps(graph: Graph, platform: str = PLATFORM) -> list[str]:
    """The plumbing package names apps by dotted string (settings, URL root), never by import."""
    return [
        f"{graph.where(found)} imports the domain app module {found.target}"
        for found in graph.imports
        if top_level(found.source) == platform and top_level(found.target) != platform
    ]


def private_imports(graph: Graph) -> list[str]:
    """`from module import _name`: another module's private name (dunders are not private)."""
    return [
        f"{graph.where(found)} imports the private name {name} from {found.target}"
        for found in graph.imports
        for name in found.names
        if name.startswith("_") and not name.startswith("__")
    ]
