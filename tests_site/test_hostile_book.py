"""A book built from hostile data runs none of it (issue #23; cases I1-I15 of the 2026-12-04 reliability review).

A temporary copy of the book gets an added study whose every text field the data may hold carries a
script, an event handler or a ``javascript:`` link, and a reference whose title, journal and note do
the same. The copy is built like ``make book``; chromium then opens every page and finds no script that
ran, no ``on*`` handler, no ``javascript:`` link, and the Content-Security-Policy on each page.

Two payloads never reach a page: a script in a study's *name* and a ``javascript:`` URL in a
reference. ``reviewfigs check`` (the first step of ``make book``) refuses both, and the build itself
refuses data that does not validate; the test shows that too. One extra book build in CI.
"""

from __future__ import annotations

import csv
import functools
import http.server
import io
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from support.repo import REPO

BIN = Path(sys.executable).parent
IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", ".jupyter_cache", "jupyter_execute", "__pycache__", ".pytest_cache", "*.egg-info")
#: each payload sets window.__ran when it runs (scripts, handlers, links clicked by a reader)
RUN = "window.__ran=(window.__ran||0)+1"
PAYLOADS = [
    f"<script>{RUN}</script>",
    f"<img src=x onerror={RUN}>",
    f'<svg onload="{RUN}"></svg>',
    f'<a href="javascript:{RUN}">x</a>',
    f"[link](javascript:{RUN})",
    f'" onmouseover="{RUN}',
    f"</title><script>{RUN}</script>",
    "{eval-rst}`x` {raw}`html` {{ 7*7 }} :::{note}",
]
HOSTILE = " ".join(PAYLOADS)
#: a name check accepts, with every punctuation mark a name may hold
NAME = "O'Neil & Co: 1/2 (x) @Li; +Cu!"
STUDY = {"study": NAME, "section": "", "gradient": "pore-size", "host_material": HOSTILE,
         "lithiophilic_components": HOSTILE, "conductive_components": HOSTILE, "fabrication": HOSTILE,
         "deposition_mode": "not stated", "bibkey": "hostile2026", "electrolyte": HOSTILE, "added": "2026-01-02"}
ENTRY = ("@article{hostile2026,\n  author = {Doe, Jane},\n  title = {<script>%s</script> <img src=x onerror=%s>},\n"
         "  journal = {<b onclick=\"%s\">J</b>},\n  year = {2026},\n  note = {<a href=\"javascript:%s\">n</a>},\n"
         "  doi = {10.1234/\"><script>%s</script>},\n  doi_source = {https://example.org/hostile; checked 2026-01-02}\n}\n") % ((RUN,) * 5)


def _append_csv(path: Path, rows: list[dict[str, str]]) -> None:
    header = next(csv.reader([path.read_text(encoding="utf-8").split("\n", 1)[0]]))
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=header, lineterminator="\n").writerows([{k: r.get(k, "") for k in header} for r in rows])
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + out.getvalue(), encoding="utf-8")


def _plant(book: Path) -> None:
    _append_csv(book / "data" / "studies.csv", [STUDY])
    base = {"study": NAME, "role": "host", "cell_format": "coin", "bound": "=", "source": "paper: Abstract", "notes": HOSTILE}
    _append_csv(book / "data" / "measurements.csv", [
        {**base, "id": "m901", "sample": HOSTILE, "cell_type": "full", "quantity": "capacity_retention", "value": "1",
         "unit": "%", "at_cycle": "100", "cathode": "LFP", "cathode_loading": "99", "cathode_loading_unit": "mg/cm2",
         "np_ratio": "99", "discrepancy": "D901"},
        {**base, "id": "m902", "sample": HOSTILE, "cell_type": "full", "quantity": "capacity_retention", "value": "2",
         "unit": "%", "at_cycle": "100", "cathode": "LFP", "cathode_loading": "98", "cathode_loading_unit": "mg/cm2",
         "np_ratio": "0.1", "discrepancy": "D901"},
        {**base, "id": "m903", "sample": HOSTILE, "cell_type": "half", "quantity": "average_ce", "value": "90", "unit": "%",
         "current_density": "1", "areal_capacity": "1"},
    ])
    _append_csv(book / "data" / "discrepancies.csv", [{"id": "D901", "study": NAME, "kind": "rounding", "note": HOSTILE}])
    with (book / "references.bib").open("a", encoding="utf-8") as handle:
        handle.write("\n" + ENTRY)


def _check(book: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "reviewfigs"), "check", "--root", str(book)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    book = tmp_path_factory.mktemp("hostile") / "book"
    shutil.copytree(REPO, book, ignore=IGNORE)
    _plant(book)
    checked = _check(book)
    assert checked.returncode == 0, checked.stderr
    env = {k: v for k, v in os.environ.items() if k != "REVIEWFIGS_ROOT"}
    done = subprocess.run([str(BIN / "jupyter-book"), "build", str(book), "-n", "-W", "--keep-going"],
                          capture_output=True, text=True, env=env, timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return book / "_build" / "html"


def test_check_refuses_a_script_name_and_a_javascript_url(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(REPO / "data", book / "data")
    shutil.copytree(REPO / "chapters", book / "chapters")
    shutil.copy2(REPO / "references.bib", book / "references.bib")
    line = len(list(csv.reader(io.StringIO((book / "data" / "studies.csv").read_text(encoding="utf-8"))))) + 1  # the new row's
    _append_csv(book / "data" / "studies.csv", [{**STUDY, "study": f"<script>{RUN}</script>"}])
    with (book / "references.bib").open("a", encoding="utf-8") as handle:
        handle.write(ENTRY.replace("hostile2026", "hostile2026b").replace("  year", f"  url = {{JaVaScRiPt:{RUN}}},\n  year"))
    checked = _check(book)
    assert checked.returncode == 1
    assert f"data/studies.csv:{line}: field 'study'" in checked.stderr and "markup" in checked.stderr
    assert "field 'url': entry 'hostile2026b'" in checked.stderr


def _pages(site: Path) -> list[str]:
    skip = ("_static", "_images", "_sources", "downloads", "slides")
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.relative_to(site).parts[0] not in skip)


def test_no_page_runs_the_hostile_data(hostile_site, browser):
    from playwright.sync_api import Error

    pages = _pages(hostile_site)
    first_word = re.compile(r"O(?:'|&#x27;|&#39;)Neil")  # NAME's first word, as text or as HTML escapes it
    shown = [p for p in pages if first_word.search((hostile_site / p).read_text(encoding="utf-8"))]
    assert {"chapters/whats_new.html", "chapters/table1.html"} <= set(shown), shown  # the hostile rows are on the pages
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(hostile_site))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        for name in pages:
            page = context.new_page()
            violations = []
            page.on("console", lambda m, seen=violations: seen.append(m.text) if "Content Security Policy" in m.text else None)
            page.goto(f"http://127.0.0.1:{server.server_port}/{name}", wait_until="load")
            page.wait_for_timeout(300)
            for element in page.query_selector_all("[title], a, img, svg")[:400]:  # hover tooltips and marks
                try:
                    element.hover(timeout=50, force=True)
                except Error:
                    pass
            found = page.evaluate("""() => ({
                ran: window.__ran || 0,
                handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name)),
                links: [...document.querySelectorAll('[href], [src], [action]')].map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))
                       .filter(u => /^\\s*(javascript|vbscript|data:text\\/html)/i.test(u.replace(/[\\x00-\\x20]/g, ''))),
                csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content || '',
            })""")
            assert found["ran"] == 0, f"{name}: a hostile script ran"
            assert violations == [], f"{name}: the policy blocked {violations}"  # nothing left inline to block
            assert found["handlers"] == [], f"{name}: {found['handlers']}"
            assert found["links"] == [], f"{name}: {found['links']}"
            assert "script-src 'self'" in found["csp"] and "unsafe-inline" not in found["csp"].split("style-src")[0], name
            page.close()
    finally:
        context.close()
        server.shutdown()
