"""The package's layout: lower modules never import higher ones, so no import circle, lazy imports included."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "spacy_preseg"


def package_imports():
    """{module: modules of the package it imports anywhere in its code}, for .py and .pyx files."""
    modules = {p.stem for p in PACKAGE.iterdir() if p.suffix in (".py", ".pyx")}
    graph = {}
    for path in sorted(p for p in PACKAGE.iterdir() if p.suffix == ".py"):
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module] if node.module else [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("spacy_preseg."):
                names = [node.module.split(".")[1]]
            elif isinstance(node, ast.Import):
                names = [a.name.split(".")[1] for a in node.names if a.name.startswith("spacy_preseg.")]
            else:
                continue
            imported.update(name.split(".")[0] for name in names)
        graph[path.stem] = imported & modules - {path.stem}
    return graph


def import_circles(graph):
    """Every circle of the graph, each once, starting at its smallest module."""
    circles = set()

    def walk(module, path):
        for imported in sorted(graph.get(module, ())):
            if imported in path:
                circle = path[path.index(imported):]
                start = circle.index(min(circle))
                circles.add(tuple(circle[start:] + circle[:start]))
            else:
                walk(imported, path + [imported])

    for module in graph:
        walk(module, [module])
    return circles


def test_no_import_circle():
    graph = package_imports()
    assert "segmenter" in graph["tokenizer"]  # a lazy import, inside a method
    assert not graph["segmenter"] & {"tokenizer", "corpus", "scoring", "gazetteer", "entities"}
    assert import_circles(graph) == set()


def test_circles_are_found():
    assert import_circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {("a", "b", "c")}
    assert import_circles({"a": {"b"}, "b": set()}) == set()
