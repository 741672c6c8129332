"""The README's layers, checked where they cost something: a table-only page loads no plotting library."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import pytest

from support.repo import REPO

#: pages that show tables only (their code cells are run as the book runs them)
TABLE_PAGES = ("whats_new", "table1")


def _code_of(page: str) -> str:
    from myst_nb.core.read import read_myst_markdown_notebook

    notebook = read_myst_markdown_notebook((REPO / "chapters" / f"{page}.md").read_text(encoding="utf-8"))
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")


@pytest.mark.parametrize("page", TABLE_PAGES)
def test_a_table_only_page_loads_neither_matplotlib_nor_pyplot(page, tmp_path):
    script = tmp_path / "page.py"
    script.write_text(_code_of(page) + "\nimport json, sys\nprint('LOADED', json.dumps("
                      "[m for m in ('matplotlib', 'matplotlib.pyplot') if m in sys.modules]))\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], check=True, capture_output=True, text=True, cwd=REPO,
                         env={**os.environ, "REVIEWFIGS_ROOT": str(REPO)})
    loaded = json.loads(out.stdout.rsplit("LOADED", 1)[1])
    assert loaded == [], f"chapters/{page}.md loads {loaded}"


def test_the_plots_layer_does_not_import_the_registry():
    code = ("import sys; import reviewfigs.plots, reviewfigs.plots.models, reviewfigs.plots.schematics; "
            "print('reviewfigs.figures' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_no_test_imports_conftest_or_another_test_module():
    """Shared helpers live in tests/support; conftest holds fixtures only and test modules stand alone."""
    import ast

    offenders = []
    for path in sorted([*(REPO / "tests").rglob("*.py"), *(REPO / "tests_site").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(REPO)}: {n}" for n in names
                          if n.split(".")[0] == "conftest" or n.split(".")[0].startswith("test_")]
    assert offenders == []


def test_no_test_support_module_shadows_the_standard_library():
    """`make test-grown` runs support/generated_papers.py as a script, which puts tests/support first on the
    path: a support module named like a standard one (numbers.py once) replaced it for Hypothesis and numpy."""
    shadowing = sorted(p.name for p in (REPO / "tests" / "support").glob("*.py") if p.stem in sys.stdlib_module_names)
    assert shadowing == []


def private_imports(package: list[str], source: str) -> list[str]:
    """Private names (a module or a name starting with '_') that ``source``, a module of ``package``, imports from
    outside its own package."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom) or node.module == "__future__":
            continue
        base = package[:len(package) - node.level + 1] if node.level else []
        target = base + (node.module.split(".") if node.module else [])
        for full in [target + [alias.name] for alias in node.names]:
            private = next((i for i, part in enumerate(full) if part.startswith("_") and not part.startswith("__")), None)
            if private is not None and package[:private] != full[:private]:
                found.append(".".join(full))
    return found


def test_no_private_module_is_imported_across_layers():
    src = REPO / "src"
    found = {}
    for path in (src / "reviewfigs").rglob("*.py"):
        package = list(path.relative_to(src).parent.parts)
        found.update({f"{path.relative_to(src)}: {name}": 1 for name in private_imports(package, path.read_text(encoding="utf-8"))})
    assert sorted(found) == []
    # the check itself: the registry reaching into plots' private links module is found, plots' own use is not
    assert private_imports(["reviewfigs"], "from .plots._links import Mark") == ["reviewfigs.plots._links.Mark"]
    assert private_imports(["reviewfigs"], "from .plots import _links") == ["reviewfigs.plots._links"]
    assert private_imports(["reviewfigs", "plots"], "from ._links import Mark") == []
    assert private_imports(["reviewfigs", "plots"], "from ..vocab import BOUNDS") == []
