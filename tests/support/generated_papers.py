"""Valid papers drawn from the schema itself (Hypothesis), and the two ways to add them to the review's data.

A paper is what an author enters for one publication: a BibTeX entry, a studies.csv row, its
measurements, and, when it needs them, one new gradient family and one new quantity. Anything optional
may be unknown (authors, year, journal, conditions, format, electrolyte, the study's own name); any bound,
cell type, cell format, cathode and chemistry may appear. Full cells are drawn as cells (one cathode,
one loading, one or more rows), so a test knows how many cells a paper adds.

Used by ``tests/test_generated_papers.py`` (in memory, fast) and, as a script, by ``make test-grown``
(run by ``.ci/run``) to write a copy of the book with generated papers, on which the no-book tests run a
second time::

    python tests/support/generated_papers.py OUT_DIR --papers 3 --seed 20261204
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import io
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))

from reviewfigs import vocab  # noqa: E402
from reviewfigs.data.bib import parse_bibliography  # noqa: E402
from reviewfigs.data.load import RawTable, read_all, review_of  # noqa: E402
from reviewfigs.data.schema import DEPOSITION_MODES, TABLES, VOCABULARY  # noqa: E402
from reviewfigs.errors import DataError  # noqa: E402

#: tokens that must never appear in a view's text: a generated name must not contain them either
MISSING_TOKENS = re.compile(r"\b(nan|NaN|None|null|undefined)\b|\[None\]")
_LETTERS = "ABCDEFGHKLMNPRSTUVWXYZabcdefghkmnprstuvwxyz"
_TEXT = st.text(alphabet=_LETTERS + "0123456789-/()@. ", min_size=1, max_size=14).map(lambda s: " ".join(s.split()))
TEXT = _TEXT.filter(lambda s: bool(s) and not MISSING_TOKENS.search(s) and not s.startswith(("TODO", "-", "@")))
UNITS = ("%", "h", "mV", "mAh/cm2", "µm", "mg/cm3", "wt%", "s", "nm")
COLOURS = ("#6B3E26", "#A6761D", "#1B9E77", None)
ADDED = dt.date(2026, 12, 4)


@dataclass
class Paper:
    """One generated paper: CSV rows (strings, as an author writes them) and a BibTeX entry."""

    bib: str
    study: dict
    measurements: list[dict]
    families: list[dict] = field(default_factory=list)
    quantities: list[dict] = field(default_factory=list)
    #: full cells of a host with a cathode (the practical-gap table's cells) that this paper adds
    full_cells: int = 0
    #: rows of data/cathodes.csv: a cathode the review's cells do not use
    cathodes: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Base:
    """What a paper is added to: the names and keys it must not reuse, and the vocabulary it may use."""

    studies: frozenset
    bibkeys: frozenset
    families: tuple
    quantities: dict  # name -> vocab.Quantity
    next_id: int
    colours: frozenset = frozenset()  # colours families already have


def base_of(tables, bib) -> Base:
    from reviewfigs.data.load import vocabulary_of

    vocabulary, _ = vocabulary_of(tables)
    ids = [int(r.id[1:]) for r in tables["measurements"].records]
    return Base(frozenset(r.study for r in tables["studies"].records), frozenset(bib.keys),
                tuple(vocabulary.families), dict(vocabulary.quantities), max(ids) + 1,
                frozenset(f.colour.upper() for f in vocabulary.families.values()))


def _number(draw, low: float, high: float, whole: bool) -> str:
    low, high = max(low, -1e4), min(high, 1e5)
    if whole:
        return str(draw(st.integers(int(low), int(high))))
    value = draw(st.floats(low, high, allow_nan=False, allow_infinity=False))
    return f"{round(value, 2):g}" if low <= round(value, 2) <= high else f"{low:g}"


def _maybe(draw, strategy) -> str:
    return draw(st.none() | strategy) or ""


def _conditions(draw) -> dict:
    positive = st.floats(0.1, 50, allow_nan=False).map(lambda v: f"{round(v, 1):g}")
    return {"current_density": _maybe(draw, positive), "areal_capacity": _maybe(draw, positive),
            "temperature": _maybe(draw, st.integers(-20, 80).map(str))}


def _value(draw, quantity: vocab.Quantity) -> dict:
    if draw(st.integers(0, 5)) == 0:  # a test the paper reports without a number
        return {"quantity": quantity.name, "unit": draw(st.sampled_from(["", quantity.unit])), "value": "", "bound": ""}
    bound = draw(st.sampled_from(list(vocab.BOUNDS)))
    value = _number(draw, quantity.low, quantity.high, quantity.whole)
    row = {"quantity": quantity.name, "unit": quantity.unit, "value": value, "bound": bound}
    if bound == "=" and draw(st.booleans()) and not quantity.whole:
        top = min(quantity.high, 1e5)
        if float(value) < top:
            row["value_max"] = _number(draw, float(value), top, False)
    if draw(st.booleans()):
        row["at_cycle"] = str(draw(st.integers(1, 5000)))
    return row


@st.composite
def papers(draw, base: Base) -> Paper:
    """A valid paper, new to ``base``: every optional field may be unknown."""
    families, quantities = list(base.families), dict(base.quantities)
    new_families, new_quantities = [], []
    if draw(st.booleans()):
        name = draw(st.from_regex(r"[a-z]{3,8}(-[a-z]{2,5})?", fullmatch=True).filter(lambda n: n not in families))
        colour = draw(st.sampled_from([c for c in COLOURS if c is None or c.upper() not in base.colours]))
        new_families.append({"family": name, "label": draw(TEXT), "colour": colour or ""})
        families.append(name)
    if draw(st.booleans()):
        name = draw(st.from_regex(r"[a-z]{3,8}_[a-z]{3,8}", fullmatch=True).filter(lambda n: n not in quantities))
        whole = draw(st.booleans())
        q = vocab.Quantity(name, draw(st.sampled_from(UNITS)), draw(TEXT), draw(st.sampled_from(["", "x"])) and draw(TEXT),
                           0.0, float(draw(st.sampled_from([100, 5000]))), whole)
        new_quantities.append({"quantity": q.name, "unit": q.unit, "label": q.label, "short": q.short, "low": "0",
                               "high": f"{q.high:g}", "whole": "yes" if whole else "", "meaning": "generated"})
        quantities[name] = q
    family = draw(st.sampled_from(families))
    section = vocab.SECTION_OF_FAMILY.get(family, "")
    key = draw(st.from_regex(r"[a-z]{3,8}20[0-9]{2}[a-z]{2,6}", fullmatch=True).filter(lambda k: k not in base.bibkeys))
    study = draw(TEXT.filter(lambda s: s not in base.studies))
    authors = draw(st.sampled_from(["others", "Gradi, Anna and Host, B.", "Solo, A."]))
    bib = [f"@article{{{key},", f"  author = {{{authors}}},", f"  title = {{{draw(TEXT)} of Li in SnO2}},",
           f"  note = {{Not cited in the review; added to this book on {ADDED.isoformat()}}},"]
    if draw(st.booleans()):
        bib.append(f"  journal = {{{draw(TEXT)}}},")
    if draw(st.booleans()):
        bib.append(f"  year = {{{draw(st.integers(1990, 2030))}}},")
    bib.append("}\n")
    stated = st.just(vocab.NOT_STATED) | TEXT
    study_row = {"study": study, "section": section, "gradient": family, "host_material": draw(stated),
                 "lithiophilic_components": draw(stated), "conductive_components": draw(stated),
                 "fabrication": draw(stated), "deposition_mode": draw(st.sampled_from(DEPOSITION_MODES)),
                 "bibkey": key, "electrolyte": _maybe(draw, TEXT), "added": ADDED.isoformat(),
                 "named_by": draw(st.sampled_from(["", vocab.OUR_LABEL]))}  # a paper may name no study
    rows = []

    def row(**fields) -> dict:
        base_row = {"study": study, "sample": draw(TEXT), "role": "host", "cell_format": "not stated",
                    "source": draw(st.sampled_from(["paper: Abstract", "paper: Fig. 3b", "paper: Table S2"]))}
        return {**base_row, **fields}

    quantity = st.sampled_from(sorted(quantities)).map(quantities.get)
    for i in range(draw(st.integers(0, 4))):  # tests that are not full cells, with any quantity
        cell_type = draw(st.sampled_from(["symmetric", "half", "none", "not stated"]))
        fields = {**_value(draw, draw(quantity)), **_conditions(draw)}
        rows.append(row(cell_type=cell_type, sample=f"{draw(TEXT)} {i + 1}",  # one sample per test: no hours/cycles pair cell_format=draw(st.sampled_from([*vocab.CELL_FORMATS, "not stated"])),
                        role=draw(st.sampled_from(["host", "host", "control"])), **fields))
    known = list(vocab.CATHODES)
    new_cathodes = []
    if draw(st.booleans()):  # a cathode the review's cells do not use: one row of data/cathodes.csv
        name = draw(st.from_regex(r"[A-Z]{2,4}[0-9]{0,2}", fullmatch=True).filter(lambda c: c not in vocab.CATHODES))
        new_cathodes.append({"cathode": name, "meaning": "generated"})
        known.append(name)
    cathodes = draw(st.lists(st.sampled_from(known), unique=True, max_size=2))
    for cathode in cathodes:  # full cells: one cathode, one loading, one format, one or more rows
        loading = {}
        if draw(st.booleans()):
            unit = draw(st.sampled_from(vocab.LOADING_UNITS))
            loading = {"cathode_loading": f"{draw(st.integers(1, 30))}", "cathode_loading_unit": unit}
        shared = {"cathode": cathode, "cell_format": draw(st.sampled_from(["coin", "pouch", "not stated"])), **loading,
                  "np_ratio": _maybe(draw, st.sampled_from(["1.19", "2", "3.5"])),
                  "c_rate": _maybe(draw, st.sampled_from(["0.5", "1", "10"])),
                  "anode_li": "", "anode_li_unit": ""}
        if draw(st.booleans()):  # 0: an anode-free cell
            shared.update(anode_li=str(draw(st.integers(0, 20))), anode_li_unit=draw(st.sampled_from(vocab.LI_UNITS)))
        for _ in range(draw(st.integers(1, 3))):
            rows.append(row(cell_type="full", **shared, **_value(draw, draw(quantity))))
    if draw(st.booleans()):  # a metal-gas cell: a chemistry, no cathode material
        rows.append(row(cell_type="full", chemistry=draw(st.sampled_from(vocab.CHEMISTRIES)),
                        **_value(draw, draw(quantity))))
    for i, r in enumerate(rows):
        r["id"] = f"m{base.next_id + i:03d}"
    return Paper("\n".join(bib), study_row, rows, new_families, new_quantities, full_cells=len(cathodes),
                 cathodes=[c for c in new_cathodes if c["cathode"] in cathodes])


# ----------------------------------------------------------------------------- adding papers
def _validated(name: str, rows: list[dict], context) -> list:
    spec = TABLES[name]
    out = []
    for r in rows:
        cells = {c: str(r.get(c, "") or "") for c in spec.columns}
        out.append(spec.model.model_validate(cells, context=context))
    return out


def add_in_memory(root: Path, tables: dict[str, RawTable], bib, papers_: list[Paper]):
    """The review with these papers added, validated by the real schema and cross-checks (no file written)."""
    from reviewfigs.data.load import vocabulary_of

    tables = dict(tables)

    def extend(name, rows, context=None):
        if not rows:
            return
        table = tables[name]
        new = _validated(name, rows, context)
        lines = list(range(len(table.lines) + 2, len(table.lines) + 2 + len(new)))
        printed = (table.printed or [{}] * len(table.records)) + [{k: str(r.get(k, "")) for k in ("value", "value_max")}
                                                                   for r in rows]
        tables[name] = dataclasses.replace(table, records=table.records + new, lines=table.lines + lines,
                                           printed=printed if name == "measurements" else table.printed)

    extend("families", [f for p in papers_ for f in p.families])
    extend("quantities", [q for p in papers_ for q in p.quantities])
    extend("cathodes", [c for p in papers_ for c in p.cathodes])
    vocabulary, issues = vocabulary_of(tables)
    if issues:
        raise DataError(issues)
    context = {VOCABULARY: vocabulary}
    extend("studies", [p.study for p in papers_], context)
    extend("measurements", [m for p in papers_ for m in p.measurements], context)
    added, issues = parse_bibliography("\n".join(p.bib for p in papers_), "generated.bib")
    if issues:
        raise DataError(issues)
    bib = dataclasses.replace(bib, references={**bib.references, **added.references})
    return review_of(root, tables, bib)


def write_papers(book: Path, papers_: list[Paper]) -> None:
    """Append the papers to a book's data files and references.bib, as an author would."""
    def append(name, rows):
        if not rows:
            return
        path = book / "data" / TABLES[name].filename
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=TABLES[name].columns, lineterminator="\n", extrasaction="raise")
        for r in rows:
            writer.writerow({c: r.get(c, "") for c in TABLES[name].columns})
        text = path.read_text(encoding="utf-8") if path.is_file() else \
            ",".join(TABLES[name].columns) + "\n"
        path.write_text(text.rstrip("\n") + "\n" + out.getvalue(), encoding="utf-8")

    for name, attr in (("families", "families"), ("quantities", "quantities"), ("cathodes", "cathodes")):
        append(name, [r for p in papers_ for r in getattr(p, attr)])
    append("studies", [p.study for p in papers_])
    append("measurements", [m for p in papers_ for m in p.measurements])
    bib = book / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + "\n".join(p.bib for p in papers_),
                   encoding="utf-8")


def generate(count: int, seed: int, root: Path = REPO) -> list[Paper]:
    """``count`` papers, the same for the same seed, each new to the data and to the papers before it."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hseed

    tables, bib, issues = read_all(root)
    if issues:
        raise DataError(issues)
    drawn: list[Paper] = []
    base = base_of(tables, bib)

    @hseed(seed)
    @settings(max_examples=1, derandomize=False, database=None, suppress_health_check=list(HealthCheck), deadline=None)
    @given(st.data())
    def draw(data):
        nonlocal base
        drawn.clear()
        b = base
        for _ in range(count):
            paper = data.draw(papers(b))
            drawn.append(paper)
            b = dataclasses.replace(b, studies=b.studies | {paper.study["study"]}, bibkeys=b.bibkeys | {paper.study["bibkey"]},
                                    families=b.families + tuple(f["family"] for f in paper.families),
                                    colours=b.colours | {f["colour"].upper() for f in paper.families if f["colour"]},
                                    quantities={**b.quantities, **{q["quantity"]: vocab.Quantity(
                                        q["quantity"], q["unit"], q["label"], q["short"], 0.0, float(q["high"]),
                                        q["whole"] == "yes") for q in paper.quantities}},
                                    next_id=b.next_id + len(paper.measurements))

    draw()
    return list(drawn)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Copy the book and add generated papers to its data.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--papers", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261204)
    args = parser.parse_args(argv)
    from support.repo import COPY_IGNORE

    if args.out.exists():
        shutil.rmtree(args.out)
    shutil.copytree(REPO, args.out, ignore=COPY_IGNORE)
    papers_ = generate(args.papers, args.seed)
    write_papers(args.out, papers_)
    from reviewfigs.data.load import load_review

    review = load_review(args.out)
    print(f"{args.out}: {len(review.studies)} studies, {len(review.measurements)} measurements "
          f"({sum(len(p.measurements) for p in papers_)} generated, seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "tests"))
    raise SystemExit(main())
