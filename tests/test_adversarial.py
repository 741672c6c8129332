"""The adversarial cases of the 2026-12-04 reliability review (../shared/reviews/2026-12-04-reliability.md).

Data and references are untrusted input. Each bad case of the review is a test here, named by its
case id (D = data, I = injection, C = command line, B = build): the command refuses with a message
naming file, line and field, writes nothing, or the text comes out escaped. The book-level cases
(a hostile study in a built book, a damaged _build/html) are in tests_site/test_hostile_book.py and
test_rebuilds.py.
"""

from __future__ import annotations

import csv
import html
import io
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from reviewfigs.authoring import add_study
from reviewfigs.cli import app
from reviewfigs.errors import DataError
from reviewfigs.text.myst import escape
from support.repo import REPO

runner = CliRunner()

HOSTILE_NAMES = [
    "<img src=x onerror=alert(1)>",                 # I1
    "<script>alert(3)</script>",                    # I2
    "[click](javascript:alert(2))",                 # I3
    "*em* **b** {{ 7*7 }}",                         # I3
    '=HYPERLINK("http://evil.example","click")',    # D44 / C7
    "A\n~~~\n# Injected heading",                   # D41 / C7
    "ESC\x1b[31mBEL\x07",                           # D12
]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """The book's inputs (data, bibliography, chapters for the citation lint), to break on purpose."""
    root = tmp_path / "book"
    root.mkdir()
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "chapters", root / "chapters")
    shutil.copy2(REPO / "references.bib", root / "references.bib")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in [root / "references.bib", *(root / "data").glob("*")]}


def run(*args: str):
    return runner.invoke(app, list(args))


def check(root: Path):
    before = snapshot(root)
    result = run("check", "--root", str(root))
    assert snapshot(root) == before, "check wrote a file"
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result


def refused(root: Path, *expected: str) -> str:
    result = check(root)
    assert result.exit_code == 1, result.output
    for text in expected:
        assert text in result.output, result.output
    return result.output


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def set_cell(root: Path, table: str, line: int, column: str, value: str) -> None:
    """Put ``value`` (quoted as CSV) into one cell of data/<table>.csv, by file line and column name."""
    import csv
    import io

    path = root / "data" / f"{table}.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = next(csv.reader([lines[0]]))
    cells = next(csv.reader([lines[line - 1]]))
    cells[header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    lines[line - 1] = out.getvalue().removesuffix("\n")
    path.write_text("\n".join(lines), encoding="utf-8")


def rename_study(root: Path, old: str, new: str) -> None:
    """Rename a study everywhere it is used (studies, measurements, discrepancies, layers)."""
    import csv
    import io

    for path in (root / "data").glob("*.csv"):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        if "study" not in rows[0]:
            continue
        col = rows[0].index("study")
        for row in rows[1:]:
            if row and row[col] == old:
                row[col] = new
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")


# ------------------------------------------------------------------------------ 1. data input
def test_real_book_passes(book):
    assert check(book).exit_code == 0


def test_D1_unbalanced_quote_is_reported_where_the_row_starts(book):
    path = book / "data" / "measurements.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[10] = '"' + lines[10]
    path.write_text("\n".join(lines), encoding="utf-8")
    refused(book, "data/measurements.csv:11")


def test_D2_unterminated_last_cell_is_refused(book):
    path = book / "data" / "measurements.csv"
    text = path.read_text(encoding="utf-8").rstrip("\n")
    head, last = text.rsplit("\n", 1)
    out = io.StringIO()  # the last row as csv writes it, but its last cell opened and never closed
    csv.writer(out, lineterminator="").writerow(next(csv.reader([last]))[:-1])
    path.write_text(head + "\n" + out.getvalue() + ',"unterminated note\n', encoding="utf-8")
    refused(book, "data/measurements.csv:", "control character U+000A")


def test_D5_byte_order_mark_is_read_as_utf8(book):
    for name in ("studies.csv", "measurements.csv"):
        path = book / "data" / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert check(book).exit_code == 0


@pytest.mark.parametrize("name", ["studies.csv", "measurements.csv"])
def test_D7_latin1_file_is_a_message_not_a_traceback(book, name):
    path = book / "data" / name
    data = path.read_bytes()
    path.write_bytes(data[:200] + b"\xe9" + data[200:])
    out = refused(book, f"data/{name}:", "is not UTF-8 text (byte 0xe9)")
    assert "Traceback" not in out


def test_D10_header_only_measurements_is_refused(book):
    path = book / "data" / "measurements.csv"
    path.write_text(path.read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8")
    refused(book, "data/measurements.csv:2: no rows below the header")


def test_D12_control_characters_are_refused(book):
    set_cell(book, "measurements", 3, "notes", "NUL\x00byte")
    set_cell(book, "studies", 3, "host_material", "ESC\x1b[31m BEL\x07")
    refused(book, "data/measurements.csv:3: field 'notes': contains the control character U+0000",
            "data/studies.csv:3: field 'host_material': contains the control character U+001B")


@pytest.mark.parametrize("spelling", ["1_000", "1e3", "+0100.000", "0100", "1,000"])
def test_D21_numbers_must_be_plain_decimals(book, spelling):
    set_cell(book, "measurements", 4, "value", spelling)
    out = refused(book, "data/measurements.csv:4: field 'value'")
    if spelling != "1,000":  # the schema itself refuses what Python cannot read as a number
        assert "is not a plain decimal number" in out


def test_D24_future_added_date_is_refused(book):
    set_cell(book, "studies", 3, "added", "2099-12-31")
    refused(book, "data/studies.csv:3: field 'added': 2099-12-31 is in the future")


def test_D34_latin1_bibliography_is_a_message(book):
    path = book / "references.bib"
    path.write_bytes(path.read_bytes().replace(b"@", b"% \xe4\n@", 1))
    out = refused(book, "references.bib:1: is not UTF-8 text (byte 0xe4)")
    assert "Traceback" not in out


def test_D35_oversize_cell_is_a_message(book):
    set_cell(book, "measurements", 5, "notes", "x" * 1_000_000)
    out = refused(book, "data/measurements.csv:5")
    assert "Traceback" not in out


def test_D35_long_cell_is_refused_with_its_length(book):
    set_cell(book, "measurements", 5, "notes", "x" * 5000)
    refused(book, "data/measurements.csv:5: field 'notes': cell is 5000 characters long")


def test_D38_names_sharing_an_anchor_are_refused(book):
    rename_study(book, "GSCP", "X/Y")
    rename_study(book, "CG", "X-Y")
    refused(book, "gets the same link anchor '#x-y' as 'X/Y'")


def test_D39_names_the_figure_font_cannot_draw_are_refused(book):
    rename_study(book, "GSCP", "石墨烯")
    refused(book, "data/studies.csv:3: field 'study'", "cannot draw")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_I1_I2_I3_D41_D44_hostile_study_names_are_refused(book, name):
    rename_study(book, "GSCP", name)
    refused(book, "data/studies.csv:3: field 'study'")


def test_D41_newline_in_a_sample_is_refused(book):
    set_cell(book, "measurements", 6, "sample", "S1\n~~~\n# Injected heading")
    refused(book, "data/measurements.csv:6: field 'sample': contains the control character U+000A")


def test_D42_missing_threshold_row_is_refused(book):
    path = book / "data" / "thresholds.csv"
    path.write_text("\n".join(l for l in path.read_text(encoding="utf-8").split("\n") if not l.startswith("anode_li,")), encoding="utf-8")
    refused(book, "data/thresholds.csv: field 'quantity': no row for 'anode_li'")


# ---------------------------------------------------------------------- 2. injection and escaping
def rendered(text: str) -> str:
    """What a Markdown (CommonMark, HTML allowed, as MyST) parser makes of the escaped text."""
    return MarkdownIt("commonmark", {"html": True}).render(escape(text))


@pytest.mark.parametrize("text", [*HOSTILE_NAMES, "- a list?", "1. a list?", "# heading?", "> quote", "`code`", "$x$",
                                  "<a href='javascript:alert(1)'>x</a>", "{eval-rst}`x`", ":::{note}", "a & b"])
def test_I4_I5_escaped_text_is_text(text):
    out = rendered(text)
    assert out.startswith("<p>") and out.count("<") == 2, out  # one paragraph, no other element
    shown = html.unescape(out.removeprefix("<p>").removesuffix("</p>\n"))
    assert shown == "".join(" " if ord(c) < 32 else c for c in text).strip(), shown


def test_I1_I3_no_chapter_glues_raw_markdown():
    """Glued text goes through text.myst.glue_text (escaped); Markdown(...) of data in a chapter is raw."""
    for page in [REPO / "index.md", *sorted((REPO / "chapters").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        assert "Markdown(" not in text, f"{page.name} builds Markdown from text: use reviewfigs.text.myst.glue_text"


def test_D44_csv_export_guards_formula_cells(book):
    set_cell(book, "measurements", 3, "notes", '=HYPERLINK("http://evil.example","click")')
    set_cell(book, "measurements", 4, "notes", "@SUM(A1)")
    set_cell(book, "measurements", 5, "notes", "-2+3")
    assert check(book).exit_code == 0
    result = run("export", "--format", "csv", "--root", str(book))
    assert result.exit_code == 0
    assert "\"'=HYPERLINK(" in result.stdout and "'@SUM(A1)" in result.stdout and "'-2+3" in result.stdout
    assert ",=" not in result.stdout and ",@" not in result.stdout


BAD_URLS = ["javascript:alert('url')", "JaVaScRiPt:alert('url2')", " javascript:alert(1)", "data:text/html,<script>",
            "vbscript:x", "file:///etc/passwd", "www.example.org", "https://exa mple.org"]


def append_entry(root: Path, extra: str, key: str = "evil2026url") -> None:
    with (root / "references.bib").open("a", encoding="utf-8") as handle:
        handle.write(f"\n@article{{{key},\n  author = {{Doe, Jane}},\n  title = {{A title}},\n"
                     f"  journal = {{J. Test}},\n  year = {{2026}},\n{extra}\n}}\n")


@pytest.mark.parametrize("url", BAD_URLS)
def test_I12_reference_urls_must_be_web_links(book, url):
    append_entry(book, f"  url = {{{url}}},")
    refused(book, "references.bib:", "field 'url': entry 'evil2026url'", "expected http://, https:// or doi:")


@pytest.mark.parametrize("field", ["title", "note", "howpublished"])
def test_I13_url_command_in_any_field_must_be_a_web_link(book, field):
    text = f"  {field} = {{See \\url{{javascript:alert('urlcmd')}}}}," if field != "title" else ""
    append_entry(book, text)
    if field == "title":
        edit(book / "references.bib", "title = {A title}", "title = {A title with \\url{JAVASCRIPT:alert('urlcmd')}}")
    refused(book, "field 'url': entry 'evil2026url': \\url{")


def test_I12_web_and_doi_links_are_accepted(book):
    append_entry(book, "  url = {HTTPS://example.org/paper},")
    assert check(book).exit_code == 0


def test_I12_a_safe_url_command_in_a_note_is_refused_only_as_markup_the_page_would_print(book):
    append_entry(book, "  note = {\\url{doi:10.1234/abc}},")
    out = refused(book, "field 'note': entry 'evil2026url': the LaTeX markup \\url would be printed as typed")
    assert "expected http://, https:// or doi:" not in out


def test_I12_new_study_refuses_a_javascript_url_and_writes_nothing(book, tmp_path):
    pasted = tmp_path / "entry.bib"
    pasted.write_text("@article{evil2026url,\n  author = {Doe, Jane},\n  title = {T},\n  journal = {J},\n  year = {2026},\n"
                      "  url = {javascript:alert(1)}\n}\n", encoding="utf-8")
    before = snapshot(book)
    result = run("new-study", "evil2026url", "--name", "EVIL", "--section", "2.1", "--bib", str(pasted), "--root", str(book))
    assert result.exit_code == 1 and "field 'url'" in result.output
    assert snapshot(book) == before


# --------------------------------------------------------------------------------- CSP scan
THEME_SCRIPT = "<script>DOCUMENTATION_OPTIONS.pagename = 'x';</script>"


def small_site(tmp_path: Path, body: str) -> Path:
    site = tmp_path / "site"
    (site / "chapters").mkdir(parents=True)
    (site / "chapters" / "page.html").write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8" />{THEME_SCRIPT}</head>'
        f'<body><button onclick="window.print()">Print</button>{body}</body></html>', encoding="utf-8")
    return site


def test_csp_secures_a_clean_page(tmp_path):
    from reviewfigs.sphinxext.csp import META, live_code, secure_site

    site = small_site(tmp_path, "<p>&lt;script&gt;alert(1)&lt;/script&gt; is text</p>")
    secure_site(site)
    page = site / "chapters" / "page.html"
    text = page.read_text(encoding="utf-8")
    assert META in text and "onclick" not in text and 'data-rf-click="print"' in text
    moved = list((site / "_static" / "rf-inline").glob("*.js"))
    assert [p.read_text() for p in moved] == ["DOCUMENTATION_OPTIONS.pagename = 'x';"]
    assert f'src="../_static/rf-inline/{moved[0].name}"' in text
    assert live_code(page) == ([], True)
    secure_site(site)  # a rebuild leaves an already secured page as it is
    assert page.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("body, what", [
    ("<script>alert(3)</script>", "inline <script>"),
    ("<img src=x onerror=alert(1)>", "inline event handler"),
    ('<a href=" JaVa&#x09;ScRiPt:alert(1)">x</a>', "a script URL"),
    ('<svg><a xlink:href="javascript:alert(1)">x</a></svg>', "a script URL"),
])
def test_csp_build_fails_on_live_code(tmp_path, body, what):
    from sphinx.errors import ExtensionError

    from reviewfigs.sphinxext.csp import secure_site

    site = small_site(tmp_path, body)
    with pytest.raises(ExtensionError) as info:
        secure_site(site)
    assert "chapters/page.html" in str(info.value) and what in str(info.value)


# ------------------------------------------------------------------------ 3. the command line
def new_study(book: Path, *args: str):
    before = snapshot(book)
    result = run("new-study", *args, "--root", str(book))
    return result, before


@pytest.mark.parametrize("key", ["Smith2026Host", "smith_2026:host"])
def test_C3_keys_studies_csv_refuses_are_refused(book, tmp_path, key):
    pasted = tmp_path / "entry.bib"
    pasted.write_text(f"@article{{{key},\n  author = {{Doe, Jane}},\n  title = {{T}},\n  journal = {{J}},\n  year = {{2026}}\n}}\n",
                      encoding="utf-8")
    result, before = new_study(book, key, "--name", "NEWHOST", "--section", "2.1", "--bib", str(pasted))
    assert result.exit_code == 1 and "field 'bibkey'" in result.output, result.output
    assert snapshot(book) == before


@pytest.mark.parametrize("name, expected", [
    (" GZCNT ", "'GZCNT' already exists"), ("", "is not a name"), ("TODO", "is not a name"),
    *[(n, "field 'study'") for n in HOSTILE_NAMES], ("石墨烯", "cannot draw")])
def test_C6_C7_names_check_would_refuse_are_refused(book, name, expected):
    result, before = new_study(book, "wang2023advances", "--name", name, "--section", "2.1")
    assert result.exit_code == 1 and expected in result.output, result.output
    assert snapshot(book) == before


def test_C8_bib_file_problems_are_one_line(book, tmp_path):
    latin1 = tmp_path / "latin1.bib"
    latin1.write_bytes(b"@article{new2026x, author = {M\xfcller, A}, title = {T}, journal = {J}, year = {2026}}\n")
    for bib, expected in [(tmp_path / "missing.bib", "no such file"), (tmp_path, "is a folder"), (latin1, "is not UTF-8")]:
        result, before = new_study(book, "new2026x", "--name", "NEWHOST", "--section", "2.1", "--bib", str(bib))
        assert result.exit_code == 2 and expected in result.output and "Traceback" not in result.output, result.output
        assert isinstance(result.exception, SystemExit)
        assert len(result.output.strip().splitlines()) == 1
        assert snapshot(book) == before


def test_C12_missing_root_and_outside_a_book_are_one_line(tmp_path):
    for args in (["check", "--root", str(tmp_path / "NOPE")], ["new-study", "x2026y", "--name", "X", "--root", str(tmp_path)]):
        result = run(*args)
        assert result.exit_code == 2 and "not a book" in result.output and isinstance(result.exception, SystemExit), result.output
    env = {k: v for k, v in os.environ.items() if k != "REVIEWFIGS_ROOT"}
    proc = subprocess.run([str(Path(sys.executable).parent / "reviewfigs"), "check"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "run inside a book" in proc.stderr, proc.stderr


def test_C14_export_refuses_to_overwrite_the_data(book):
    before = snapshot(book)
    for target in ("data/measurements.csv", "data/new.csv"):
        result = run("export", "--format", "csv", "-o", str(book / target), "--root", str(book))
        assert result.exit_code == 2 and "data/" in result.output, result.output
    assert snapshot(book) == before


def test_C15_export_to_a_folder_and_figures_to_a_file_are_one_line(book):
    result = run("export", "-o", str(book / "chapters"), "--root", str(book))
    assert result.exit_code == 2 and "is a folder" in result.output
    result = run("figures", str(book / "references.bib"), "--root", str(book))
    assert result.exit_code == 2 and "is a file" in result.output


ENTRY = "@article{good2026one,\n  author = {Doe, Jane},\n  title = {T},\n  journal = {J},\n  year = {2026}\n}\n"


def test_C18_rerun_after_an_interrupted_run_completes_it(book):
    import datetime as dt

    from reviewfigs.authoring import NOT_IN_REVIEW, with_note
    from reviewfigs.data import store

    today = dt.date(2026, 1, 2)
    # what a run killed between its two writes leaves: the entry as new-study writes it (with its note)
    store.append_reference(book, with_note(ENTRY, NOT_IN_REVIEW.format(date=today.isoformat())))
    written = add_study(book, "good2026one", ENTRY, "G1", "2.1", today=today)
    assert [p.name for p in written] == ["studies.csv"]
    assert (book / "references.bib").read_text(encoding="utf-8").count("@article{good2026one,") == 1
    assert check(book).exit_code == 0


def test_C18_new_study_writes_the_entry_before_the_row(book, monkeypatch):
    """A kill between the two writes leaves a valid book (an unused entry), never a study without its entry."""
    from reviewfigs.data import store

    def killed(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(store, "append_row", killed)
    with pytest.raises(KeyboardInterrupt):
        add_study(book, "good2026one", ENTRY, "G1", "2.1")
    assert check(book).exit_code == 0


def test_C21_two_simultaneous_runs_with_one_key_cannot_both_succeed(book):
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def attempt(name: str) -> None:
        barrier.wait()
        try:
            add_study(book, "good2026one", ENTRY, name, "2.1")
            outcomes.append("ok")
        except DataError:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt, args=(n,)) for n in ("G1", "G1b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert (book / "references.bib").read_text(encoding="utf-8").count("@article{good2026one,") == 1
    assert check(book).exit_code == 0


# ------------------------------------------------------------------------- 4. the built site
def fake_site(tmp_path: Path) -> Path:
    site = tmp_path / "_build" / "html"
    (site / "chapters").mkdir(parents=True)
    (site / "_images").mkdir()
    (site / "index.html").write_text("<html>index</html>", encoding="utf-8")
    (site / "chapters" / "table1.html").write_text("<html>" + "x" * 1000 + "</html>", encoding="utf-8")
    (site / "_images" / "fig.png").write_bytes(b"\x89PNG" + bytes(100))
    (site / "searchindex.js").write_text("Search.setIndex({docnames:['index','chapters/table1']})", encoding="utf-8")
    return site


class FakeApp:
    def __init__(self, outdir: Path):
        self.outdir, self.statuscode, self.warningiserror, self._warncount = str(outdir), 0, True, 0
        self.builder = type("Builder", (), {"format": "html"})()


@pytest.mark.parametrize("damage", ["B7 truncated page", "B8 corrupt image", "B10 killed mid-write", "deleted page"])
def test_B7_B8_B10_a_damaged_site_is_written_again(tmp_path, damage):
    from reviewfigs.sphinxext import manifest

    site = fake_site(tmp_path)
    app = FakeApp(site)
    manifest._write_last(app, None)
    assert manifest.verify(site) == []
    if damage.startswith("B7"):
        page = site / "chapters" / "table1.html"
        page.write_bytes(page.read_bytes()[:500])
    elif damage.startswith("B8"):
        (site / "_images" / "fig.png").write_bytes(b"garbage")
    elif damage.startswith("B10"):
        manifest._check_first(app)  # a build starts (and removes the manifest), then is killed
        (site / "searchindex.js").write_text("Search.setIndex({docnames:['index']})", encoding="utf-8")
    else:
        (site / "chapters" / "table1.html").unlink()
    assert manifest.verify(site), "the damage went unnoticed"
    result = subprocess.run([sys.executable, "-m", "reviewfigs.sphinxext.manifest", str(site)], capture_output=True, text=True)
    assert result.returncode == 1 and "refusing to publish" in result.stderr  # make publish
    manifest._check_first(app)
    assert list(site.iterdir()) == [], "the next build must write every page again"


def test_B_an_untouched_site_is_kept_and_later_steps_may_add_files(tmp_path):
    from reviewfigs.sphinxext import manifest

    site = fake_site(tmp_path)
    app = FakeApp(site)
    manifest._write_last(app, None)
    (site / "downloads").mkdir()
    (site / "downloads" / "book.pdf").write_bytes(b"%PDF")
    manifest._check_first(app)
    assert (site / "chapters" / "table1.html").is_file() and (site / "downloads" / "book.pdf").is_file()


def test_B_a_failed_build_writes_no_manifest(tmp_path):
    from reviewfigs.sphinxext import manifest

    site = fake_site(tmp_path)
    app = FakeApp(site)
    app._warncount = 1
    manifest._write_last(app, None)
    manifest._write_last(FakeApp(site), RuntimeError("cell failed"))
    assert not manifest.manifest_path(site).exists()


def test_S3_publish_refuses_build_caches(tmp_path):
    from reviewfigs.sphinxext import manifest

    site = fake_site(tmp_path)
    (site / ".doctrees").mkdir()
    (site / ".doctrees" / "index.doctree").write_bytes(b"pickle")
    manifest._write_last(FakeApp(site), None)
    assert any("a build cache" in p for p in manifest.verify(site))


def test_S3_serve_keeps_caches_out_of_the_site():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    serve = makefile.split("\nserve:", 1)[1].split("\n\n", 1)[0]
    assert "-d $(BUILD)/.doctrees" in serve
    assert "reviewfigs.sphinxext.manifest" in makefile.split("\npublish:", 1)[1].split("\n\n", 1)[0]


def test_D39_no_python_warning_reaches_a_page():
    """A cell's stderr (warnings) is removed from the page and warned about, which fails the -W build."""
    config = (REPO / "_config.yml").read_text(encoding="utf-8")
    assert "nb_output_stderr: remove-warn" in config


def test_B12_pdf_chromium_resolves_no_names():
    sys.path.insert(0, str(REPO / "tools"))
    try:
        from pdf import FLAGS
    finally:
        sys.path.pop(0)
    assert "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" in FLAGS



def test_D32_href_in_a_title_is_a_clear_message(book):
    append_entry(book, "")
    edit(book / "references.bib", "title = {A title}", "title = {A \\href{https://example.org}{linked} title}")
    out = refused(book, "references.bib:", "field 'url': \\href{...}{...} in a field cannot be read")
    assert "Middleware" not in out


@pytest.mark.parametrize(("title", "markup"), [("A \\emph{lithium} host", "\\emph"), ("CO$_2$ capture", "$"),
                                              ("A \\textbf{bold} claim", "\\textbf")])
def test_D31_latex_markup_the_page_would_print_raw_is_refused(book, title, markup):
    append_entry(book, "")
    edit(book / "references.bib", "title = {A title}", f"title = {{{title}}}")
    refused(book, "references.bib:", f"field 'title': entry 'evil2026url': the LaTeX markup {markup} would be printed as typed")


def test_D31_escapes_the_page_renders_pass(book):
    append_entry(book, "")
    edit(book / "references.bib", "title = {A title}", "title = {Ions \\& {\\o}xides in {3D} hosts}")
    result = check(book)
    assert result.exit_code == 0, result.output
