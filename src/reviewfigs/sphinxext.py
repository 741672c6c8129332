"""Sphinx glue: review-numbered citations, and data files as dependencies of the pages that read them.

* ``review`` pybtex style: bibliography labels are the review's own reference numbers, so
  ``[96]`` in this book is ``[96]`` in the paper; entries are listed in that order.
* Dependencies: every page that executes code or uses a data role depends on ``data/*.csv``,
  ``references.bib`` and the library's source. Sphinx re-reads (and MyST-NB re-executes) a page
  when one of them changes, and only then.
"""

from __future__ import annotations

from pathlib import Path

from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle

DATA_MARKERS = ("{code-cell}", "{datum}", "{glue")


class ReviewNumberLabels(BaseLabelStyle):
    """Label = the review's reference number; the review itself is 'R'; later additions 'N:<key>'."""

    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            number = entry.fields.get("reviewnumber")
            if number is None:
                yield f"N:{entry.key}"
            elif str(number) == "0":
                yield "R"
            else:
                yield str(number)


class ReviewNumberSorting(BaseSortingStyle):
    """The review first, then its references in the review's order, then later additions by key."""

    def sorting_key(self, entry):
        number = entry.fields.get("reviewnumber")
        return (0, int(number), "") if number is not None else (1, 0, entry.key)

    def sort(self, entries):
        return sorted(entries, key=self.sorting_key)


class ReviewStyle(UnsrtStyle):
    default_label_style = ReviewNumberLabels
    default_sorting_style = ReviewNumberSorting


def dependency_files(srcdir: Path) -> list[Path]:
    """The files whose content can change what an executable page shows."""
    files = [srcdir / "references.bib", *sorted((srcdir / "data").glob("*.csv"))]
    files += sorted(Path(__file__).parent.rglob("*.py"))
    return [f for f in files if f.is_file()]


def _note_dependencies(app, docname: str, source: list[str]) -> None:
    if not any(marker in source[0] for marker in DATA_MARKERS):
        return
    for path in dependency_files(Path(app.srcdir)):
        app.env.note_dependency(str(path))


def setup(app):
    register_plugin("pybtex.style.formatting", "review", ReviewStyle, force=True)
    app.connect("source-read", _note_dependencies)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
