"""A PDF of the whole book, made offline: Debian's chromium (driven by Playwright) prints each built
page in table-of-contents order, and pypdf joins them into ``_build/html/downloads/book.pdf``.

Run after the HTML build (``make book`` does it). Without chromium or Playwright it says so and
writes nothing; the HTML book is unaffected.
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import sys
import tempfile
import threading
from pathlib import Path

from sphinx_external_toc.api import GlobItem, UrlItem
from sphinx_external_toc.parsing import parse_toc_yaml

from reviewfigs.data.load import find_root
from reviewfigs.files import write_atomic

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: offline: the pages come from a loopback server; no name is ever resolved (no DNS lookup, e.g. of
#: accounts.google.com) and no background service (sync, sign-in, field trials, pings) starts
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic", "--dns-prefetch-disable",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--disable-domain-reliability", "--no-pings",
         "--disable-features=OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication,"
         "Translate,InterestFeedContentSuggestions,CertificateTransparencyComponentUpdater",
         "--metrics-recording-only", "--disable-client-side-phishing-detection", "--disable-default-apps"]


SOURCE_SUFFIXES = (".md", ".ipynb", ".rst")


def toc_pages(root: Path) -> list[str]:
    """Built page paths (e.g. 'chapters/introduction.html') in reading order: _toc.yml as sphinx-external-toc
    (Jupyter Book's own parser) reads it, depth first, so ``sections:`` and globs are followed; URLs are skipped."""
    site = parse_toc_yaml(root / "_toc.yml")
    pages: list[str] = []

    def visit(docname: str) -> None:
        if docname in pages:
            return
        pages.append(docname)
        document = site.get(docname)  # None for a page matched by a glob (it has no subtrees)
        for subtree in document.subtrees if document is not None else ():
            for item in subtree.items:
                if isinstance(item, UrlItem):
                    continue
                if isinstance(item, GlobItem):
                    for match in sorted(p for p in root.glob(str(item) + ".*") if p.suffix in SOURCE_SUFFIXES):
                        visit(match.relative_to(root).with_suffix("").as_posix())
                else:
                    visit(str(item))

    visit(site.root.docname)
    return [f"{page}.html" for page in pages]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def build_pdf(root: Path, html_dir: Path, target: Path) -> Path:
    """Print every page of the built site to one PDF at `target` (written atomically)."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfWriter

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(html_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    writer = PdfWriter()
    try:
        with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            for i, name in enumerate(toc_pages(root)):
                page.goto(base + name, wait_until="networkidle")
                page.emulate_media(media="print")
                part = Path(tmp) / f"{i:03d}.pdf"
                page.pdf(path=str(part), format="A4", print_background=True,
                         margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
                writer.append(str(part))
            browser.close()
            writer.add_metadata({"/Title": "Gradient hosts for lithium metal anodes: a reproducible companion"})
            buffer = io.BytesIO()
            writer.write(buffer)
            write_atomic(target, buffer.getvalue())
    finally:
        server.shutdown()
    return target


def main() -> int:
    root = find_root()
    html_dir = root / "_build" / "html"
    target = html_dir / "downloads" / "book.pdf"
    if not Path(CHROMIUM).is_file():
        print(f"PDF skipped: no chromium at {CHROMIUM} (install Debian's chromium, or `make test-site` does it)")
        return 0
    try:
        import playwright  # noqa: F401
    except ImportError:
        print("PDF skipped: Playwright is not installed")
        return 0
    pages = [html_dir / name for name in toc_pages(root)]
    if target.is_file() and all(p.is_file() and p.stat().st_mtime <= target.stat().st_mtime for p in pages):
        print(f"PDF up to date: {target}")
        return 0
    build_pdf(root, html_dir, target)
    print(f"PDF: {target} ({target.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
