"""Shared fixtures: the real repository, temporary copies of it to break on purpose, and figure hygiene."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import matplotlib
import pytest

from support.repo import COPY_IGNORE, REPO

#: the book builds (support/books.py): session fixtures shared by every test module that needs one
pytest_plugins = ["support.books"]

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    """Every test starts and ends with no open matplotlib figure."""
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def real_review():
    """The real data and bibliography, validated."""
    from reviewfigs import load_review

    return load_review(REPO)


@pytest.fixture
def book_copy(tmp_path: Path) -> Path:
    """A throw-away copy of the book sources (data, bib, chapters, config) to edit or break."""
    target = tmp_path / "book"
    shutil.copytree(REPO, target, ignore=COPY_IGNORE)
    return target
