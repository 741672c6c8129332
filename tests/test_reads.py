"""Per-page data dependencies (reviewfigs.data.reads): what a page's code records that it used, and that
every declared view depends on its declared slices and on nothing else.

The book test of the same contract (an edit to one study re-executes only the pages that used it, and the
incremental site equals a cold build) is in test_rebuilds.py.
"""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest

from reviewfigs.data import reads
from reviewfigs.data.load import load_review
from reviewfigs.text.provenance import datum_parts
from reviewfigs.text.tables import discrepancy_list_myst, whats_new_myst
from support.repo import measurement_row


@pytest.fixture(autouse=True)
def fresh_ledger():
    reads.reset()
    yield
    reads.reset()


def used(call) -> tuple[object, dict[str, str]]:
    """What ``call()`` returns, and the ledger of what it read."""
    reads.reset()
    out = call()
    return out, reads.snapshot()


def key(*parts) -> str:
    return reads.key_text(parts)


def test_a_table_used_directly_is_recorded_whole(real_review):
    assert set(used(lambda: real_review.measurements)[1]) == {key("table", "measurements")}
    assert set(used(lambda: real_review.tidy())[1]) == {key("table", "tidy")}
    assert set(used(lambda: real_review.bib)[1]) == {key("table", "bib")}


def test_a_declared_view_records_its_slices_and_nothing_else(real_review):
    assert set(used(lambda: whats_new_myst(real_review))[1]) == {key("added"), key("table", "vocabulary")}
    assert set(used(lambda: datum_parts(real_review, "m006"))[1]) == {
        key("rows", ["m006"]), key("bib_entry", real_review.studies.set_index("study").loc["GSCP", "bibkey"])}


def test_a_digest_is_of_the_content_not_of_the_object(real_review, book_copy):
    copy = load_review(book_copy)
    for k in (("table", "measurements"), ("rows", ["m006"]), ("added",), ("table", "bib")):
        assert reads.digest(copy, k) == reads.digest(real_review, k)
    path = book_copy / "data" / "measurements.csv"
    line = ",".join(measurement_row("m006").values())
    assert line.startswith("m006,") and ",99.0," in line
    path.write_text(path.read_text(encoding="utf-8").replace(line, line.replace(",99.0,", ",98.9,", 1)), encoding="utf-8")
    edited = load_review(book_copy)
    assert reads.digest(edited, ("rows", ["m006"])) != reads.digest(real_review, ("rows", ["m006"]))
    assert reads.digest(edited, ("rows", ["m002"])) == reads.digest(real_review, ("rows", ["m002"]))
    assert reads.digest(edited, ("table", "measurements")) != reads.digest(real_review, ("table", "measurements"))


def test_the_kernel_writes_its_ledger_where_sphinx_says(real_review, tmp_path, monkeypatch):
    ledger = tmp_path / "page.json"
    monkeypatch.setenv(reads.LEDGER_ENV, str(ledger))
    monkeypatch.setattr(reads, "_write", True)
    _ = real_review.studies
    datum_parts(real_review, "m002")
    written = json.loads(ledger.read_text(encoding="utf-8"))
    assert written == reads.snapshot() and key("table", "studies") in written and key("rows", ["m002"]) in written
    assert not list(tmp_path.glob("*.tmp")), "the ledger is replaced atomically"


def test_two_versions_of_one_slice_in_one_page_never_match_again(real_review):
    other = edit(real_review, "measurements", lambda m: m.assign(value=m["value"] + 1))
    reads.reset()
    _ = real_review.measurements
    _ = other.measurements
    assert reads.snapshot()[key("table", "measurements")] == reads.MIXED


# ------------------------------------------------------------------------------------------ soundness
def edit(review, table: str, change):
    """A copy of ``review`` with one table changed (not recorded as a read)."""
    with reads.quiet():
        return dataclasses.replace(review, **{table: change(getattr(review, table).copy())})


def _set(frame: pd.DataFrame, index, column: str, value) -> pd.DataFrame:
    frame.loc[index, column] = value
    return frame


#: rows whose {datum} the soundness test checks (each also gets its value edited)
CHOSEN_ROWS = ("m002", "m006")


def mutations(review):
    """One small edit at a time, across every per-study table and the bibliography: a value, a source, a
    study's words or its 'added' date, a discrepancy note, a layer, a reference's title."""
    with reads.quiet():
        m, s, d, layers = review.measurements, review.studies, review.discrepancies, review.layers
        bib = review.bib
    numeric = m.index[m["value"].notna()]
    chosen = m.index[m["id"].isin(CHOSEN_ROWS) | (m.index == m.index[-1])]
    for i in numeric[::6].union(chosen):
        yield f"value of {m.at[i, 'id']}", edit(review, "measurements", lambda f, i=i: _set(f, i, "value", f.at[i, "value"] + 1))
    for i in m.index[3::17].union(chosen):
        yield f"source of {m.at[i, 'id']}", edit(review, "measurements", lambda f, i=i: _set(f, i, "source", "Sect. 9 para 9"))
    for i in s.index:
        yield f"host of {s.at[i, 'study']}", edit(review, "studies", lambda f, i=i: _set(f, i, "host_material", "edited host"))
    own = s.index[s["added"].isna()]
    yield f"{s.at[own[0], 'study']} marked as added", edit(review, "studies", lambda f: _set(f, own[0], "added", "2026-01-01"))
    for i in d.index:
        yield f"note of {d.at[i, 'id']}", edit(review, "discrepancies", lambda f, i=i: _set(f, i, "note", "edited note"))
    for i in layers.index[::5]:
        yield f"layer {i}", edit(review, "layers", lambda f, i=i: _set(f, i, "material", "edited layer"))
    for name in sorted(bib.references)[::9]:
        changed = dict(bib.references)
        changed[name] = dataclasses.replace(changed[name], title="An edited title")
        with reads.quiet():
            yield f"title of {name}", dataclasses.replace(review, bib=dataclasses.replace(bib, references=changed))


def declared_calls(review) -> list[tuple[str, object]]:
    with reads.quiet():
        added = review.studies.loc[review.studies["added"].notna(), "study"].tolist()
        mids = review.measurements["id"].tolist()
        some = review.discrepancies["study"].drop_duplicates().tolist()[:3]
        family = review.studies.loc[review.studies["study"] == some[0], "gradient"].iloc[0]
    calls = [("whats_new_myst", whats_new_myst),
             ("discrepancy_list_myst, all", discrepancy_list_myst),
             (f"discrepancy_list_myst, {some}", lambda r: discrepancy_list_myst(r, studies=some)),
             ("discrepancy_list_myst, family", lambda r: discrepancy_list_myst(r, family=family))]
    calls += [(f"datum_parts {mid}", lambda r, mid=mid: datum_parts(r, mid)) for mid in (*CHOSEN_ROWS, mids[-1])]
    assert added, "the data hold a study added after the review (else whats_new_myst is not exercised)"
    return calls


def test_a_declared_view_changes_only_when_a_slice_it_declared_changes(real_review):
    """The one promise per-page freshness rests on: if every digest a view recorded is unchanged, its
    output is unchanged. Checked over edits inside and outside each view's slices."""
    edits = list(mutations(real_review))
    for name, call in declared_calls(real_review):
        before, ledger = used(lambda call=call: call(real_review))
        moved = 0
        for label, changed in edits:
            if all(reads.digest(changed, k) == digest for k, digest in ledger.items()):
                assert call(changed) == before, f"{name} changed after '{label}', outside the slices it declares"
            else:
                moved += 1
        assert 0 < moved < len(edits), f"{name}: {moved} of {len(edits)} edits touch its slices"
