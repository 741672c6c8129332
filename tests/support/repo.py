"""The repository under test and plain readers of its files (csv, not the library under test)."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
#: The review's full text (not part of the book): $REVIEWFIGS_SEED, else the shared copy beside the repository.
SEED = Path(os.environ.get("REVIEWFIGS_SEED", REPO.parent / "shared" / "seed" / "000_b5f91239bd130748.txt"))
COPY_IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", ".jupyter_cache", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "*.egg-info")


def seed_text(seed: Path | None = None) -> str:
    """The review's full text. Missing: the test fails when $CI is set (CI must run it), and is skipped otherwise."""
    seed = seed or SEED
    if not seed.is_file():
        message = f"the review's full text is not at {seed} (set REVIEWFIGS_SEED)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI is set, so this check may not be skipped", pytrace=False)
        pytest.skip(message)
    return seed.read_text(encoding="utf-8")


def data_rows(name: str) -> list[dict[str, str]]:
    """The rows of the real data/<name>.csv, read with the csv module (not with the library under test)."""
    with (REPO / "data" / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def measurement_row(mid: str) -> dict[str, str]:
    return next(row for row in data_rows("measurements") if row["id"] == mid)


def study_bibkey(study: str) -> str:
    return next(row["bibkey"] for row in data_rows("studies") if row["study"] == study)


def review_only(review):
    """The review's own studies (no ``added`` date) and their rows: what a test about the review's content reads,
    so that adding a valid paper to the data never turns it red."""
    import dataclasses

    own = review.studies["added"].isna()
    names = set(review.studies.loc[own, "study"])
    keep = {name: frame[frame["study"].isin(names)] for name, frame in
            (("measurements", review.measurements), ("discrepancies", review.discrepancies), ("layers", review.layers))}
    return dataclasses.replace(review, studies=review.studies[own], **keep)
