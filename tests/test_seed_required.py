"""Checks against the review's full text may skip on a laptop without it, but never in CI."""

from __future__ import annotations

import pytest

from support.repo import SEED, seed_text


def test_missing_seed_fails_when_ci_is_set(tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        seed_text(tmp_path / "absent.txt")


def test_missing_seed_skips_with_its_path_otherwise(tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="absent.txt"):
        seed_text(tmp_path / "absent.txt")


def test_present_seed_is_read(tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    seed = tmp_path / "seed.txt"
    seed.write_text("the review", encoding="utf-8")
    assert seed_text(seed) == "the review"


def test_the_shared_seed_is_here_when_ci_runs():
    """In this repository's CI the shared seed must exist (so the own-words check really runs)."""
    text = seed_text()
    assert "lithiophilicity" in text.lower() and len(text) > 10_000, SEED
