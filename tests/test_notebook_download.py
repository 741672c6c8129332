"""The .ipynb a student downloads is the same bytes for the same page, and a valid notebook."""

from __future__ import annotations

import json

import nbformat

from reviewfigs.sphinxext.teaching import stable_notebook


def _notebook() -> bytes:
    """A notebook as MyST-NB writes it: every conversion draws new random cell ids."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A page"), nbformat.v4.new_code_cell("1 + 1")]
    return nbformat.writes(nb).encode("utf-8")


def test_two_conversions_of_one_page_give_the_same_download():
    first, second = _notebook(), _notebook()
    assert first != second  # the random ids differ (what made two builds differ)
    assert stable_notebook(first) == stable_notebook(second)


def test_the_download_is_a_valid_notebook_with_its_cells_in_order():
    out = stable_notebook(_notebook())
    nb = nbformat.reads(out.decode("utf-8"), as_version=4)
    nbformat.validate(nb)
    assert [c["source"] for c in nb.cells] == ["# A page", "1 + 1"]
    assert len({c["id"] for c in json.loads(out)["cells"]}) == 2
