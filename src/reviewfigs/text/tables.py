"""Table 1 and the per-chapter comparison tables, built from the data.

Tables come out as MyST Markdown, so ``{cite:p}`` roles resolve against the bibliography
and a broken key fails the build; Table 1 also as static, escaped HTML (the interactive table's base).
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from ..analysis.cells import SEPARATE_ELECTROLYTES
from ..anchors import added_anchor
from ..data.load import Review
from ..data.reads import declares
from ..format import cycles_text, study_named, unit_says_it
from ..vocab import ANODE_FREE, BOUNDS, CELL_FORMATS, NO_NUMBER, Vocabulary, unit_text
from .myst import escape as _myst_escape
from .myst import list_table as list_table_myst
from .provenance import condition_parts

TABLE1_COLUMNS = ("Type", "Sample", "Coin cell", "Pouch cell", "Electrolyte", "Ref.")
#: the column Table 1 gains, after "Pouch cell", when an added study's cell does not state its format
#: (the review's own Table 1 has none, so its shape is unchanged until such a row exists)
UNSTATED_COLUMN = "Format not stated"


def _n(value: float) -> str:
    return f"{value:g}"


def _loading(row) -> str:
    if pd.isna(row["cathode_loading"]):
        return ""
    span = _n(row["cathode_loading"])
    if pd.notna(row["cathode_loading_max"]):
        span += f"–{_n(row['cathode_loading_max'])}"
    approx = "~" if isinstance(row["notes"], str) and "~" in row["notes"] else ""
    return f" ({approx}{span} {unit_text(row['cathode_loading_unit'])})"


def describe_cell(row, vocabulary: Vocabulary) -> str:
    """One Table 1 entry in words, e.g. 'GSCP@Li (5 mAh) // LTO (~1.2 mg/cm²), 10 C: 5000 cycles'."""
    anode = row["sample"]
    if pd.notna(row["anode_li"]):
        anode += f" ({ANODE_FREE})" if row["anode_li"] == 0 else f" ({_n(row['anode_li'])} {unit_text(row['anode_li_unit'])})"
    if pd.notna(row.get("chemistry")):
        cathode = row["chemistry"].split("-", 1)[1]
    else:
        cathode = row["cathode"] if pd.notna(row["cathode"]) else "cathode not stated"
    cell_format = CELL_FORMATS[row["cell_format"]]
    cell_words = cell_format.cell_words if cell_format.marked else "cell"
    if row["cell_type"] == "symmetric":
        cell = f"symmetric {anode} {cell_words}"
    elif row["cell_type"] == "half":
        cell = f"{anode} // Li {cell_words}"
    else:
        cell = f"{anode} // {cathode}{_loading(row)}"
        if row["cell_format"] in SEPARATE_ELECTROLYTES:
            cell = f"{cell_format.cell_words}: {cell}"
        if pd.notna(row["electrolyte"]):
            cell += f", {row['electrolyte']}"
    conditions = condition_parts(row, ("np_ratio", "current_density", "areal_capacity", "c_rate"))
    spec = vocabulary.quantity(row["quantity"])
    if pd.isna(row["value"]):
        result = f"{spec.short or spec.label}: {NO_NUMBER}"
    elif not spec.short:  # the unit says what it is: '5000 cycles'
        result = f"{BOUNDS[row['bound']].tight}{_n(row['value'])} {unit_text(row['unit'])}"
    else:
        result = f"{spec.short} {BOUNDS[row['bound']].tight}{_n(row['value'])} {unit_text(row['unit'])}"
        if pd.notna(row["at_cycle"]):
            result += f" after {cycles_text(row['at_cycle'])}"
    return f"{cell}, {', '.join(conditions)}: {result}" if conditions else f"{cell}: {result}"


def table1_entries(review: Review) -> pd.DataFrame:
    """The rows Table 1 shows: the review's own Table 1 rows, and for studies added later their
    full-cell and pouch-cell cycle counts and capacity retentions (what Table 1 summarises)."""
    m = review.measurements
    added = set(review.studies.loc[review.studies["added"].notna(), "study"])
    later = m["study"].isin(added) & m["role"].eq("host") & m["quantity"].isin(["cycles", "capacity_retention"]) & (
        m["cell_type"].eq("full") | m["cell_format"].isin(["pouch", "solid-state", "quasi-solid"]))
    return m[(m["source"] == "Table 1") | later]


def table1_rows(review: Review) -> pd.DataFrame:
    """Table 1's rows from the data: one per study with Table 1 entries, in the order of studies.csv."""
    m = table1_entries(review)
    notes = review.discrepancies.set_index("id")["note"].to_dict()
    rows = []
    for _, study in review.studies.iterrows():
        mine = m[m["study"] == study["study"]]
        if mine.empty:
            continue
        coin: list[Any] = []
        pouch: list[Any] = []
        unstated: list[Any] = []
        flags: list[Any] = []
        for _, row in mine.sort_values("id").iterrows():
            text = describe_cell(row, review.vocabulary)
            target = {"coin": coin, "unspecified": unstated}.get(row["cell_format"], pouch)
            target.append((text, row["discrepancy"] if pd.notna(row["discrepancy"]) else None, row["id"]))
            if pd.notna(row["discrepancy"]):
                flags.append(row["discrepancy"])
        added = f" (added {study['added']})" if pd.notna(study["added"]) else ""
        rows.append({
            "Type": review.vocabulary.family(study["gradient"]).title + added,
            "Sample": study_named(study),
            "Coin cell": coin,
            "Pouch cell": pouch,
            UNSTATED_COLUMN: unstated,
            "Electrolyte": study["electrolyte"] if pd.notna(study["electrolyte"]) else "",
            "Ref.": study["bibkey"],
            "discrepancies": {d: notes[d] for d in flags},
        })
    columns = [*TABLE1_COLUMNS[:4], UNSTATED_COLUMN, *TABLE1_COLUMNS[4:], "discrepancies"]
    return pd.DataFrame(rows, columns=columns)


def table1_columns(rows: pd.DataFrame) -> tuple[str, ...]:
    """Table 1's columns for these rows: the review's six, plus "Format not stated" where a row needs it."""
    if rows[UNSTATED_COLUMN].map(len).sum() == 0:
        return TABLE1_COLUMNS
    return (*TABLE1_COLUMNS[:4], UNSTATED_COLUMN, *TABLE1_COLUMNS[4:])


def reference_label(review: Review, key: str) -> str:
    """'[97]' for a reference of the review; 'Smith et al., 2026' (or 'authors not recorded, 2026') for a later paper."""
    number = review.bib.number_for(key)
    return f"[{number}]" if number is not None else review.bib[key].short


def _myst_cell(entries) -> str:
    if not entries:
        return "N.A."
    parts = []
    for text, disc, _mid in entries:
        marker = f" {{abbr}}`‡{disc} (see the note {disc} below the table)`" if disc else ""
        parts.append(_myst_escape(text) + marker)
    return "; ".join(parts)


def table1_myst(review: Review) -> str:
    """Table 1 as a MyST list-table with review-numbered citations and discrepancy markers."""
    rows = []
    frame = table1_rows(review)
    columns = table1_columns(frame)
    for _, row in frame.iterrows():
        cells = {
            "Type": _myst_escape(row["Type"]),
            "Sample": _myst_escape(row["Sample"]),
            "Coin cell": _myst_cell(row["Coin cell"]),
            "Pouch cell": _myst_cell(row["Pouch cell"]),
            UNSTATED_COLUMN: _myst_cell(row[UNSTATED_COLUMN]),
            "Electrolyte": _myst_escape(row["Electrolyte"]) or "N.A.",
            "Ref.": f"{{cite:p}}`{row['Ref.']}`",
        }
        rows.append([cells[c] for c in columns])
    caption = ("The review's Table 1 {cite:p}`wang2023advances`, rebuilt from `data/` (the book numbers its own "
               "tables apart): full-cell and pouch-cell tests of the gradient hosts.")
    return list_table_myst(caption, "tbl-table1", columns, rows)


def _family_studies(review: Review, family: str) -> list[str]:
    return sorted(review.studies.loc[review.studies["gradient"] == family, "study"])


def _discrepancy_slices(review: Review, studies: list[str] | None = None, family: str | None = None) -> list:
    if family is not None:  # which studies are of the family is in studies.csv: a gradient edit moves a study
        return [("table", "studies"), ("discrepancies_of", _family_studies(review, family))]
    if studies is not None:
        return [("discrepancies_of", sorted(studies))]
    return [("table", "discrepancies"), ("table", "measurements")]


@declares(_discrepancy_slices)
def discrepancy_list_myst(review: Review, studies: list[str] | None = None, family: str | None = None) -> str:
    """The notes behind the ‡ markers, as a MyST bullet list naming both sources.

    ``family`` lists a family's studies, the review's and any added since; ``studies`` names them.
    """
    if family is not None:
        review.vocabulary.family(family)  # a misspelt family is an error, not an empty list
        studies = _family_studies(review, family)
    d = review.discrepancies
    if studies is not None:
        d = d[d["study"].isin(studies)]
    m = review.measurements
    lines = []
    for _, disc in d.iterrows():
        rows = m[m["discrepancy"] == disc["id"]]
        where = ", ".join(f"{r['id']} ({_myst_escape(r['source'])})" for _, r in rows.iterrows())
        lines.append(f"* **‡{disc['id']}** ({_myst_escape(disc['study'])}, {disc['kind']}): {_myst_escape(disc['note'])} Rows: {where}.")
    return "\n".join(lines) + "\n" if lines else "No discrepancies recorded.\n"


def table1_html(review: Review, table_id: str | None = None, caption: str | None = None,
                css_class: str = "reviewfigs-table1") -> str:
    """Table 1 as static, escaped HTML (works without JavaScript): review reference numbers, discrepancy
    markers as tooltips, and each cell labelled with its column (``data-label``, shown on narrow screens)."""
    df = table1_rows(review)
    columns = table1_columns(df)
    ident = f' id="{html.escape(table_id)}"' if table_id else ""
    out = [f'<table{ident} class="{html.escape(css_class)}">']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out += ["<thead><tr>" + "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns) + "</tr></thead>", "<tbody>"]
    for _, row in df.iterrows():
        def cell(entries, notes=row["discrepancies"]):
            if not entries:
                return "N.A."
            parts = []
            for text, disc, _mid in entries:
                mark = f' <abbr title="{html.escape(notes[disc])}">‡{html.escape(disc)}</abbr>' if disc else ""
                parts.append(html.escape(text) + mark)
            return "<br>".join(parts)
        cells = {
            "Type": html.escape(row["Type"]), "Sample": html.escape(row["Sample"]),
            "Coin cell": cell(row["Coin cell"]), "Pouch cell": cell(row["Pouch cell"]),
            UNSTATED_COLUMN: cell(row[UNSTATED_COLUMN]),
            "Electrolyte": html.escape(row["Electrolyte"]) or "N.A.",
            "Ref.": html.escape(reference_label(review, row["Ref."])),
        }
        out.append("<tr>" + "".join(f'<td data-label="{html.escape(c)}">{cells[c]}</td>' for c in columns) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


COMPARISON_COLUMNS = ("Study", "Host and gradient", "Half cell (Li//host)", "Symmetric cell", "Full cell", "Ref.")


def _data_roles(rows: pd.DataFrame, vocabulary: Vocabulary) -> str:
    """Numbers as {datum} roles (traceable in the book); each role prints its own conditions and paper."""
    if rows.empty:
        return "–"
    def word(row) -> str:  # none where the printed unit says it ('950 cycles'); a row without a number shows no unit
        spec = vocabulary.quantity(row["quantity"])
        return spec.short or ("" if unit_says_it(spec.label, row) else spec.label)

    return "; ".join(f"{word(r)} {{datum}}`{r['id']}`".strip() for _, r in rows.sort_values("id").iterrows())


#: comparison-table column -> (cell type, quantities it lists): every test of that kind the review reports
COMPARISON_TESTS = {
    "Half cell (Li//host)": ("half", ("average_ce", "ce_retention", "cycles", "lifespan", "nucleation_overpotential",
                                      "overpotential")),
    "Symmetric cell": ("symmetric", ("lifespan", "cycles", "overpotential")),
    "Full cell": ("full", ("capacity_retention", "cycles")),
}


#: a column lists every other quantity of its kind of test (an author's new quantity included) when a study
#: reports none of its usual ones, so that a dash still means "no test of that kind"
ANY_QUANTITY = None


def _tests_of(rows: pd.DataFrame, cell_type: str, quantities) -> pd.DataFrame:
    """A study's rows of one kind of test: the text's rows, plus any Table 1 row whose test the text does not
    report (same cathode, and no text row of that length as `cycles` or `at_cycle`)."""
    mine = rows[rows["cell_type"] == cell_type]
    if quantities is not ANY_QUANTITY:
        mine = mine[mine["quantity"].isin(quantities)]
    text, table = mine[mine["source"] != "Table 1"], mine[mine["source"] == "Table 1"]
    lengths = {(c, float(v)) for c, v in zip(text["cathode"].fillna(""), text["value"].where(text["quantity"] == "cycles"))
               if pd.notna(v)}
    lengths |= {(c, float(a)) for c, a in zip(text["cathode"].fillna(""), text["at_cycle"]) if pd.notna(a)}
    unmatched = [not (r["quantity"] == "cycles" and (("" if pd.isna(r["cathode"]) else r["cathode"]), float(r["value"])) in lengths)
                 and not (r["quantity"] != "cycles" and len(text[text["quantity"] == r["quantity"]]))
                 for _, r in table.iterrows()]
    return pd.concat([text, table[unmatched]]) if len(table) else text


def _usual_or_any(rows: pd.DataFrame, cell_type: str, quantities) -> pd.DataFrame:
    usual = _tests_of(rows, cell_type, quantities)
    return usual if len(usual) else _tests_of(rows, cell_type, ANY_QUANTITY)


def comparison_myst(review: Review, section: str) -> str:
    """The studies of one section side by side: every test the review reports, traceable. A dash means the
    review reports no test of that kind for the study."""
    studies = review.studies[review.studies["section"] == section]
    if studies.empty:
        raise ValueError(f"no studies in section {section!r}; sections are {sorted(set(review.studies['section']))}")
    m = review.measurements
    m = m[m["role"] == "host"]
    rows = []
    for _, s in studies.iterrows():
        mine = m[m["study"] == s["study"]]
        rows.append([
            _myst_escape(s["study"]),
            _myst_escape(f"{s['host_material']}; lithiophilic: {s['lithiophilic_components']}"),
            *(_data_roles(_usual_or_any(mine, kind, quantities), review.vocabulary)
              for kind, quantities in COMPARISON_TESTS.values()),
            f"{{cite:p}}`{s['bibkey']}`",
        ])
    caption = f"Studies of Sect. {section} side by side (numbers from `data/`; hover for conditions and source)."
    return list_table_myst(caption, f"tbl-compare-{section.replace('.', '-')}", COMPARISON_COLUMNS, rows)


@declares(lambda review: [("added",), ("table", "vocabulary")])
def whats_new_myst(review: Review) -> str:
    """Studies added after the review (a date in `added`), newest first, with their numbers."""
    added = review.studies[review.studies["added"].notna()].sort_values(["added", "study"], ascending=[False, True])
    if added.empty:
        return "No study has been added since the review yet. `CONTRIBUTING.md` explains how to add one.\n"
    m = review.measurements
    table = []
    for _, s in added.iterrows():
        rows = m[m["study"] == s["study"]]
        table.append([
            str(s["added"]),
            f'<span id="{added_anchor(s["study"])}"></span>' + _myst_escape(study_named(s)),  # figure marks link here
            s["section"] if pd.notna(s["section"]) else "none in the review",
            review.vocabulary.family(s["gradient"]).label,
            _data_roles(rows[rows["role"] == "host"], review.vocabulary),
            f"{{cite:p}}`{s['bibkey']}`",
        ])
    header = ("Added", "Study", "Section", "Gradient", "Reported numbers", "Ref.")
    return list_table_myst("Studies added to the data after the review was published.", "tbl-whats-new", header, table)
