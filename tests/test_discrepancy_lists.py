"""A family chapter lists the discrepancy notes of every study of its family, added ones included."""

from __future__ import annotations

import dataclasses

import pytest

from reviewfigs.text.tables import discrepancy_list_myst


def _moved_to(review, study: str):
    """The review with its first discrepancy note (and the rows it marks) said of ``study``."""
    d = review.discrepancies.copy()
    d.loc[d.index[0], "study"] = study
    return dataclasses.replace(review, discrepancies=d), d.iloc[0]["id"]


def test_an_added_studys_note_is_listed_in_its_familys_chapter(real_review):
    added = real_review.studies[real_review.studies["added"].notna()].iloc[0]
    review, note = _moved_to(real_review, added["study"])
    others = [f for f in real_review.vocabulary.families if f != added["gradient"]]
    assert f"‡{note}" in discrepancy_list_myst(review, family=added["gradient"])
    assert all(f"‡{note}" not in discrepancy_list_myst(review, family=f) for f in others)


def test_every_note_is_listed_under_exactly_one_family(real_review):
    notes = real_review.discrepancies["id"]
    lists = [discrepancy_list_myst(real_review, family=f) for f in real_review.vocabulary.families]
    assert all(sum(f"**‡{n}**" in text for text in lists) == 1 for n in notes)


def test_an_unknown_family_is_refused(real_review):
    with pytest.raises(KeyError, match="unknown gradient family"):
        discrepancy_list_myst(real_review, family="lithiophilic")
