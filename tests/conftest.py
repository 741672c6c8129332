"""Shared fixtures: the real repository, temporary copies of it to break on purpose, and figure hygiene."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

REPO = Path(__file__).resolve().parents[1]
#: The review's full text (not part of the book): $REVIEWFIGS_SEED, else the shared copy beside the repository.
SEED = Path(os.environ.get("REVIEWFIGS_SEED", REPO.parent / "shared" / "seed" / "000_b5f91239bd130748.txt"))
COPY_IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", ".jupyter_cache", "__pycache__", ".pytest_cache", "*.egg-info")


def seed_text(seed: Path | None = None) -> str:
    """The review's full text. Missing: the test fails when $CI is set (CI must run it), and is skipped otherwise."""
    seed = seed or SEED
    if not seed.is_file():
        message = f"the review's full text is not at {seed} (set REVIEWFIGS_SEED)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI is set, so this check may not be skipped", pytrace=False)
        pytest.skip(message)
    return seed.read_text(encoding="utf-8")


def pytest_configure(config):
    """The book builds (books.py) are session fixtures shared by every test module that needs one."""
    import books  # imported here, once conftest's own names exist (books uses them)

    if not config.pluginmanager.is_registered(books):
        config.pluginmanager.register(books, "reviewfigs-books")


def data_rows(name: str) -> list[dict[str, str]]:
    """The rows of the real data/<name>.csv, read with the csv module (not with the library under test)."""
    with (REPO / "data" / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def measurement_row(mid: str) -> dict[str, str]:
    return next(row for row in data_rows("measurements") if row["id"] == mid)


def study_bibkey(study: str) -> str:
    return next(row["bibkey"] for row in data_rows("studies") if row["study"] == study)


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


def review_only(review):
    """The review's own studies (no ``added`` date) and their rows: what a test about the review's content reads,
    so that adding a valid paper to the data never turns it red."""
    import dataclasses

    own = review.studies["added"].isna()
    names = set(review.studies.loc[own, "study"])
    keep = {name: frame[frame["study"].isin(names)] for name, frame in
            (("measurements", review.measurements), ("discrepancies", review.discrepancies), ("layers", review.layers))}
    return dataclasses.replace(review, studies=review.studies[own], **keep)


@pytest.fixture
def book_copy(tmp_path: Path) -> Path:
    """A throw-away copy of the book sources (data, bib, chapters, config) to edit or break."""
    target = tmp_path / "book"
    shutil.copytree(REPO, target, ignore=COPY_IGNORE)
    return target
