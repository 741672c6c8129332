"""Lint of the chapters against the data layer: every citation key a page uses exists.

Sphinx would fail later, less clearly. Run by ``reviewfigs check`` and the tests; loading the data
never reads the chapters.
"""

from __future__ import annotations

import re
from pathlib import Path

from .data.bib import Bibliography
from .errors import Issue

CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")


def check_citations(root: Path, bib: Bibliography) -> list[Issue]:
    """Every {cite} role in a chapter names a key in references.bib (Sphinx would fail later, less clearly)."""
    issues: list[Issue] = []
    for page in sorted((root / "chapters").glob("*.md")) if (root / "chapters").is_dir() else []:
        shown = str(page.relative_to(root))
        for number, text in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            for match in CITE_ROLE.finditer(text):
                for key in (k.strip() for k in match.group(1).split(",")):
                    if key not in bib:
                        issues.append(Issue(shown, number, "cite", f"unknown citation key '{key}'; expected a key in references.bib"))
    return issues
