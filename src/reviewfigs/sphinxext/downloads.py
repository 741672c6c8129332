"""Files the built book offers for download: the data (CSV, JSON), Table 1 and the bibliography."""

from __future__ import annotations

from html import escape
from pathlib import Path

from ..data import store
from ..data.load import Review
from ..export import render
from ..files import write_atomic

FOLDER = "downloads"
#: name -> what it holds, as plain words (``links_html`` escapes them for the page)
FILES = {
    "measurements.csv": "every measurement as one tidy table (CSV)",
    "measurements.json": "the same table as JSON records",
    "table1.csv": "Table 1 as rebuilt from the data (CSV)",
    "table1.bib": "the references cited in Table 1 (BibTeX)",
    "references.bib": "the full bibliography (BibTeX)",
    "book.pdf": "the whole book as one PDF (printed offline by chromium; made by the make book command where chromium is installed)",
}


def table1_flat(review: Review):
    """Table 1 with its cells flattened to text: one row per study."""
    from ..text.tables import UNSTATED_COLUMN, reference_label, table1_rows

    df = table1_rows(review).copy()
    for column in ("Coin cell", "Pouch cell", UNSTATED_COLUMN):
        df[column] = df[column].map(lambda entries: "; ".join(t + (f" [{d}]" if d else "") for t, d, _ in entries) or "N.A.")
    df["Ref."] = df["Ref."].map(lambda key: f"{reference_label(review, key)} {key}")
    return df.drop(columns=["discrepancies"])


def write_downloads(review: Review, outdir: Path) -> list[Path]:
    """Write every download into outdir/downloads atomically; return the paths."""
    folder = Path(outdir) / FOLDER
    tidy = review.tidy()
    table1 = table1_flat(review)
    contents = {
        "measurements.csv": render(tidy, "csv"),
        "measurements.json": render(tidy, "json"),
        "table1.csv": render(table1, "csv"),
        "table1.bib": store.references_verbatim(review.root, [k.rsplit(" ", 1)[1] for k in table1["Ref."]]),
        "references.bib": store.references_text(review.root),
    }
    written = []
    for name, text in contents.items():
        write_atomic(folder / name, text)
        written.append(folder / name)
    return written


def links_html(prefix: str, names: list[str] | None = None) -> str:
    """Plain HTML links (work without JavaScript) to the downloads, relative to the page."""
    names = names or list(FILES)
    items = "".join(f'<li><a href="{escape(prefix + FOLDER + "/" + n)}" download>{escape(n)}</a>: {escape(FILES[n])}</li>'
                    for n in names)
    return f'<ul class="reviewfigs-downloads">{items}</ul>'
