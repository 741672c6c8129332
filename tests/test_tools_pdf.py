"""tools/pdf.py reads the table of contents with sphinx-external-toc: nested sections and globs included."""

from __future__ import annotations

import importlib.util
import io
import os
from pathlib import Path

import pytest

from reviewfigs.vocab import BOOK_TITLE
from support.repo import REPO


@pytest.fixture(scope="module")
def pdf():
    spec = importlib.util.spec_from_file_location("tools_pdf", REPO / "tools" / "pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sections_and_globs_are_followed_in_reading_order(pdf, tmp_path: Path):
    for name in ("index", "intro", "part/a", "part/a1", "part/a2", "extra/x", "extra/y"):
        (tmp_path / f"{name}.md").parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f"{name}.md").write_text(f"# {name}\n", encoding="utf-8")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nparts:\n"
        "  - caption: One\n    chapters:\n      - file: intro\n"
        "      - file: part/a\n        sections:\n          - file: part/a1\n          - file: part/a2\n"
        "  - caption: Two\n    chapters:\n      - glob: extra/*\n      - url: https://example.org\n        title: Away\n",
        encoding="utf-8")
    assert pdf.toc_pages(tmp_path) == ["index.html", "intro.html", "part/a.html", "part/a1.html", "part/a2.html",
                                       "extra/x.html", "extra/y.html"]


def test_the_books_toc_lists_every_chapter_once(pdf):
    pages = pdf.toc_pages(REPO)
    assert pages[0] == "index.html" and len(pages) == len(set(pages))
    toc = (REPO / "_toc.yml").read_text(encoding="utf-8")
    listed = [line.split("file:", 1)[1].strip() for line in toc.splitlines() if "file:" in line]
    assert pages[1:] == [f"{name}.html" for name in listed]


# --- #22: the PDF is reprinted only where a page it holds changed ----------------------------------------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).is_file() or importlib.util.find_spec("playwright") is None,
                                    reason=f"needs chromium at {CHROMIUM} and Playwright")

INDEX = """<!DOCTYPE html><html><head>
<link rel="stylesheet" type="text/css" href="_static/style.css?v=1a2b" />
<link rel="next" title="B" href="chapters/b.html" /><link rel="search" href="search.html" />
<script src="_static/app.js?v=3"></script><script src="searchindex.js"></script>
<script src="https://cdn.example.org/x.js"></script>
</head><body><h1>Index</h1><p>{text}</p>
<img src="_images/a.png" alt="a"/><img src="data:image/png;base64,AAAA" alt="inline"/>
<svg><use xlink:href="#glyph"/></svg><a href="chapters/b.html#top">B</a> <a href="downloads/book.pdf">PDF</a>
</body></html>
"""
PAGE_B = """<!DOCTYPE html><html><head><link rel="stylesheet" href="../_static/style.css" /></head>
<body><h1>Page B</h1><p>{text}</p><img src="../_images/b%20one.svg" alt="b"/><a href="../index.html">Home</a></body></html>
"""


def fake_site(html: Path) -> Path:
    """Two pages, a stylesheet that imports another and uses a font, images, a script, and files no page loads."""
    files = {
        "index.html": INDEX.format(text="first"),
        "chapters/b.html": PAGE_B.format(text="first"),
        "search.html": "<html><body>search</body></html>",
        "searchindex.js": "Search.setIndex({})",
        "_static/style.css": '@import "base.css";\nbody { font-family: F; }\n@font-face { font-family: F; src: url("fonts/f.woff2"); }\n',
        "_static/base.css": "p { margin: 0 }\n",
        "_static/fonts/f.woff2": "font",
        "_static/app.js": "console.log(1)",
        "_static/unused.js": "console.log(2)",
        "_images/a.png": "png-a",
        "_images/b one.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "_images/unused.png": "png-u",
    }
    for name, text in files.items():
        (html / name).parent.mkdir(parents=True, exist_ok=True)
        (html / name).write_text(text, encoding="utf-8")
    return html


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return fake_site(tmp_path / "html")


def test_a_page_loads_its_stylesheets_their_imports_scripts_and_images_not_linked_pages(pdf, site: Path):
    names = lambda page: [p.relative_to(site.resolve()).as_posix() for p in pdf.page_files(site, page)]  # noqa: E731
    assert names("index.html") == ["_images/a.png", "_static/app.js", "_static/base.css", "_static/fonts/f.woff2", "_static/style.css"]
    assert names("chapters/b.html") == ["_images/b one.svg", "_static/base.css", "_static/fonts/f.woff2", "_static/style.css"]


def keys(pdf, site: Path, settings: str = "") -> dict[str, str]:
    return {page: pdf.page_key(site, page, settings) for page in ("index.html", "chapters/b.html")}


@pytest.mark.parametrize(("changed", "moved"), [
    ("index.html", {"index.html"}),  # the page's own HTML
    ("chapters/b.html", {"chapters/b.html"}),
    ("_images/a.png", {"index.html"}),  # an image one page shows
    ("_images/b one.svg", {"chapters/b.html"}),
    ("_static/style.css", {"index.html", "chapters/b.html"}),  # a stylesheet both load
    ("_static/base.css", {"index.html", "chapters/b.html"}),  # imported by it
    ("_static/fonts/f.woff2", {"index.html", "chapters/b.html"}),  # used by it
    ("_static/app.js", {"index.html"}),
    ("_static/unused.js", set()),  # loaded by no page
    ("_images/unused.png", set()),
    ("search.html", set()),  # only linked to
    ("searchindex.js", set()),  # loaded, but prints nothing and changes with every page's text
])
def test_a_page_key_moves_with_what_the_page_prints_and_nothing_else(pdf, site: Path, changed, moved):
    before = keys(pdf, site)
    assert keys(pdf, site) == before  # deterministic
    with (site / changed).open("a", encoding="utf-8") as handle:
        handle.write("\n<!-- edited -->")
    after = keys(pdf, site)
    assert {page for page in before if before[page] != after[page]} == moved


def test_a_page_key_moves_when_a_file_it_loads_appears_and_with_the_print_settings(pdf, site: Path):
    (site / "_images" / "a.png").unlink()
    missing = keys(pdf, site)
    (site / "_images" / "a.png").write_text("png-a", encoding="utf-8")
    assert keys(pdf, site)["index.html"] != missing["index.html"]
    assert keys(pdf, site)["chapters/b.html"] == missing["chapters/b.html"]
    assert keys(pdf, site, pdf.print_settings("Chromium 1")) != keys(pdf, site, pdf.print_settings("Chromium 2"))


def test_the_plan_prints_only_the_pages_whose_part_is_missing(pdf):
    keys = {"index.html": "k1", "a.html": "k2", "b.html": "k3", "c.html": "k2"}
    assert pdf.plan(keys, set()) == ["index.html", "a.html", "b.html"]  # an identical page is printed once
    assert pdf.plan(keys, {"k1", "k3", "old"}) == ["a.html"]
    assert pdf.plan(keys, {"k1", "k2", "k3"}) == []


def test_the_book_is_joined_again_only_when_its_parts_or_its_file_changed(pdf):
    record = {"pages": ["index.html", "a.html"], "parts": ["k1", "k2"], "pdf": "d"}
    assert not pdf.must_join(["k1", "k2"], record, "d")
    assert pdf.must_join(["k1", "k3"], record, "d")  # a page changed
    assert pdf.must_join(["k2", "k1"], record, "d")  # the order changed
    assert pdf.must_join(["k1"], record, "d")  # a page left the book
    assert pdf.must_join(["k1", "k2"], record, None)  # the PDF is gone (e.g. the site was wiped)
    assert pdf.must_join(["k1", "k2"], record, "other")  # it is not the one recorded
    assert pdf.must_join(["k1", "k2"], None, "d")  # no record


def fake_printer(pdf, monkeypatch) -> list[list[str]]:
    """print_parts without chromium: each part a one-page PDF; returns the list of pages each call printed."""
    from pypdf import PdfWriter

    calls: list[list[str]] = []

    def print_parts(html_dir, todo, cache):
        calls.append(list(todo))
        for key in todo.values():
            writer, buffer = PdfWriter(), io.BytesIO()
            writer.add_blank_page(width=200, height=200)
            writer.write(buffer)
            pdf.write_atomic(Path(cache) / f"{key}.pdf", buffer.getvalue())

    monkeypatch.setattr(pdf, "print_parts", print_parts)
    return calls


def test_update_prints_changed_pages_joins_when_needed_and_prunes(pdf, site: Path, tmp_path: Path, monkeypatch):
    from pypdf import PdfReader

    calls = fake_printer(pdf, monkeypatch)
    pages, target, cache = ["index.html", "chapters/b.html"], site / "downloads" / "book.pdf", tmp_path / "pdf-pages"
    update = lambda: pdf.update(site, pages, target, cache, pdf.print_settings("test"))  # noqa: E731

    first = update()
    assert (first.printed, first.reused, first.written) == (pages, 0, True) and calls == [pages]
    assert len(PdfReader(target).pages) == 2 and len(pdf.cached_keys(cache)) == 2
    assert PdfReader(target).metadata.title == BOOK_TITLE  # the book's one title record
    assert not list(site.rglob("*.json")) and not (site / "pdf-pages").exists()  # the cache stays out of the site

    stamp, record = target.stat().st_mtime_ns, (cache / pdf.RECORD).read_bytes()
    again = update()
    assert (again.printed, again.reused, again.written) == ([], 2, False) and len(calls) == 1  # no chromium
    assert target.stat().st_mtime_ns == stamp and (cache / pdf.RECORD).read_bytes() == record

    old = pdf.page_key(site, "chapters/b.html", pdf.print_settings("test"))
    (site / "chapters" / "b.html").write_text(PAGE_B.format(text="second"), encoding="utf-8")
    third = update()
    assert (third.printed, third.reused, third.written) == (["chapters/b.html"], 1, True) and calls[-1] == ["chapters/b.html"]
    assert len(PdfReader(target).pages) == 2
    assert old not in pdf.cached_keys(cache) and len(pdf.cached_keys(cache)) == 2  # the old part is pruned

    target.unlink()  # the site was wiped: the book is joined again from the cache, nothing printed
    fourth = update()
    assert (fourth.printed, fourth.written) == ([], True) and len(calls) == 2 and target.is_file()


def test_without_chromium_it_says_so_and_writes_nothing(pdf, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("REVIEWFIGS_ROOT", str(tmp_path))
    monkeypatch.setattr(pdf, "CHROMIUM", str(tmp_path / "no-chromium"))
    assert pdf.main() == 0
    assert "PDF skipped: no chromium" in capsys.readouterr().out
    assert not list(tmp_path.iterdir())


@needs_chromium
@pytest.mark.slow
def test_chromium_prints_only_the_changed_page_again(pdf, site: Path, tmp_path: Path):
    from pypdf import PdfReader

    pages, target, cache = ["index.html", "chapters/b.html"], site / "downloads" / "book.pdf", tmp_path / "pdf-pages"
    settings = pdf.print_settings(pdf.browser_version())
    first = pdf.update(site, pages, target, cache, settings)
    assert (first.printed, first.written) == (pages, True)
    assert len(PdfReader(target).pages) >= 2
    (site / "chapters" / "b.html").write_text(PAGE_B.format(text="second, and longer " * 40), encoding="utf-8")
    second = pdf.update(site, pages, target, cache, settings)
    assert (second.printed, second.reused, second.written) == (["chapters/b.html"], 1, True)
    reader = PdfReader(target)
    assert len(reader.pages) >= 2 and "second, and longer" in "".join(page.extract_text() for page in reader.pages)
    assert len(pdf.cached_keys(cache)) == 2
    third = pdf.update(site, pages, target, cache, settings)
    assert (third.printed, third.written) == ([], False)
