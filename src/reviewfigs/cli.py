"""The ``reviewfigs`` command line: thin wrappers over the library for authors and CI."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from .data.load import find_root, load_review
from .errors import DataError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Validate, export and draw the review companion's data.")

RootOption = Annotated[Path | None, typer.Option("--root", help="Book root holding data/ and references.bib (default: found from the current folder).")]


class Format(StrEnum):
    csv = "csv"
    json = "json"


def _fail(message: str, code: int = 2) -> NoReturn:
    """One line on standard error, then exit: what every refused command prints instead of a traceback."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=code)


def _book(root: Path | None) -> Path:
    """The book's root: --root if given (it must hold data/studies.csv), else found from the current folder."""
    if root is None:
        try:
            return find_root()
        except FileNotFoundError as exc:
            _fail(f"{exc} (run inside a book, or pass --root)")
    if not (Path(root) / "data" / "studies.csv").is_file():
        _fail(f"--root {root}: not a book (no data/studies.csv there)")
    return Path(root)


def _output(path: Path, book: Path) -> Path:
    """An output file may be anything but a folder or one of the book's own inputs."""
    from .data.load import input_files

    if path.is_dir():
        _fail(f"{path} is a folder; give a file name, e.g. {path / 'measurements.csv'}")
    if path.resolve() in {f.resolve() for f in input_files(book)} or path.resolve().parent == (book / "data").resolve():
        _fail(f"{path} is in the book's data/ (an input); write exports elsewhere")
    return path


def _load(root: Path | None):
    try:
        return load_review(_book(root))
    except DataError as exc:
        typer.echo(exc.report(), err=True)
        raise typer.Exit(code=1) from None
    except FileNotFoundError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None


@app.command()
def check(root: RootOption = None) -> None:
    """Validate data/ and references.bib together, and the chapters' citation keys; list every problem; exit 1 if any."""
    from .data.load import read_all
    from .lint import check_citations

    book = _book(root)
    try:
        review, problems = load_review(book), []
    except DataError as exc:
        review, problems = None, list(exc.issues)
    except FileNotFoundError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    problems += check_citations(Path(book), review.bib if review else read_all(Path(book))[1])
    if problems:
        typer.echo(DataError(problems).report(), err=True)
        raise typer.Exit(code=1)
    assert review is not None  # no problem means the review loaded
    from .data.warnings import view_warnings

    for warning in view_warnings(review):
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(
        f"OK: {len(review.studies)} studies, {len(review.measurements)} measurements, "
        f"{len(review.discrepancies)} flagged discrepancies, {len(review.bib)} references."
    )


@app.command("doi-report")
def doi_report(root: RootOption = None) -> None:
    """Print the DOI coverage of references.bib: found (with the source's host), disagreeing (with the field), not found."""
    from .data.bib import read_bibliography
    from .text.doi import report_text

    try:
        book = Path(root or find_root())
    except FileNotFoundError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    bib, issues = read_bibliography(book / "references.bib", shown="references.bib")
    typer.echo(report_text(bib), nl=False)
    if issues:
        typer.echo(DataError(issues).report(), err=True)
        raise typer.Exit(code=1)


@app.command()
def export(
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.csv,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (atomically); standard output if omitted.")] = None,
    root: RootOption = None,
) -> None:
    """Write every measurement as one tidy table (values in the review's own units)."""
    from .export import render
    from .files import write_atomic

    if output is not None:
        _output(output, _book(root))
    review = _load(root)
    text = render(review.tidy(), format.value)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
        typer.echo(f"wrote {output} ({len(review.measurements)} rows)", err=True)


def _bib_text(path: Path) -> str:
    """The pasted entry's file as text, or a one-line refusal (missing, a folder, not UTF-8)."""
    from .data.untrusted import read_utf8

    if not path.is_file():
        _fail(f"--bib {path}: {'is a folder' if path.is_dir() else 'no such file'}; give the file holding the BibTeX entry")
    text, problem = read_utf8(path, f"--bib {path}")
    if problem:
        _fail(str(problem))
    return text


@app.command("new-study")
def new_study(
    key: Annotated[str, typer.Argument(help="BibTeX key of the new paper, e.g. smith2025gradient.")],
    name: Annotated[str, typer.Option("--name", help="Short name of the host as the paper uses it, e.g. 'AgNW/CC'; if the paper names none, a label of yours with --our-label.")],
    section: Annotated[str | None, typer.Option("--section", help="2.1 (lithiophilicity), 2.2 (conductivity) or 2.3 (dual); leave out for a family the review does not have.")] = None,
    gradient: Annotated[str | None, typer.Option("--gradient", help="Gradient family; needed only for one the review does not have (e.g. 'pore-size'), which has no section.")] = None,
    bib: Annotated[Path | None, typer.Option("--bib", help="File with the paper's BibTeX entry ('-' for standard input); leave out if KEY is already in references.bib.")] = None,
    our_label: Annotated[bool, typer.Option("--our-label", help="The paper names no study: NAME is this book's label, and every page says so.")] = False,
    root: RootOption = None,
) -> None:
    """Add a paper: validate and append its BibTeX entry and a starter study row; print starter measurement rows."""
    from .authoring import add_study, starter_measurements

    book = _book(root)
    text = None if bib is None else sys.stdin.read() if str(bib) == "-" else _bib_text(bib)
    try:
        written = add_study(book, key, text, name, section, gradient=gradient, our_label=our_label)
    except DataError as exc:
        typer.echo(exc.report(), err=True)
        raise typer.Exit(code=1) from None
    for path in written:
        typer.echo(f"appended to {path.relative_to(book)}", err=True)
    typer.echo("Next: in the new row of data/studies.csv, replace each 'not stated' the paper does state; then add", err=True)
    typer.echo("one row per reported number to data/measurements.csv. Starter rows (fill sample, value and the", err=True)
    typer.echo("place in the paper, e.g. 'paper: Abstract'; keep 'not stated' where the paper does not say; delete", err=True)
    typer.echo("rows the paper lacks):", err=True)
    typer.echo(starter_measurements(book, name))


@app.command()
def key(
    number: Annotated[int, typer.Argument(help="A reference number of the review, e.g. 123 for [123].")],
    root: RootOption = None,
) -> None:
    """Print the BibTeX key of the review's reference [NUMBER] (for new-study, {cite:p} and data rows)."""
    from .authoring import key_for_number

    try:
        typer.echo(key_for_number(_book(root), number))
    except KeyError as exc:
        typer.echo(f"error: {exc.args[0]}", err=True)
        raise typer.Exit(code=1) from None


@app.command()
def figures(
    outdir: Annotated[Path, typer.Argument(help="Folder to write <name>.svg, <name>.png and alt.json into.")],
    root: RootOption = None,
) -> None:
    """Draw every figure of the book from the data (deterministic SVG and PNG, written atomically)."""
    import matplotlib

    matplotlib.use("Agg")
    from .figures import render_all

    if outdir.exists() and not outdir.is_dir():
        _fail(f"{outdir} is a file; give a folder for the figures")
    review = _load(root)
    written = render_all(review, outdir)
    typer.echo(f"wrote {len(written)} files to {outdir}")
