"""A PDF of the whole book, made offline: Debian's chromium (driven by Playwright) prints each built
page in table-of-contents order, and pypdf joins them into ``_build/html/downloads/book.pdf``.

Run after the HTML build (``make book`` does it). Without chromium or Playwright it says so and
writes nothing; the HTML book is unaffected.

Pages are printed one at a time and kept in ``_build/pdf-pages/`` (beside the site, never in it: a
published site holds no cache), each as ``<key>.pdf``. A page's key (:func:`page_key`) is a SHA-256 over
its HTML, every local file it loads (stylesheets and what they import, scripts, images), the print
settings and the browser, so only a page whose key is not in the cache is printed again, and chromium
starts only if one is; the book is joined again only if its list of keys changed (``book.json``).
Not in a key: files that a script fetches while the page runs (MathJax's components and fonts); delete
``_build/pdf-pages/`` to print every page afresh.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import io
import json
import os
import re
import subprocess
import sys
import threading
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from sphinx_external_toc.api import GlobItem, UrlItem
from sphinx_external_toc.parsing import parse_toc_yaml

from reviewfigs.data.load import find_root
from reviewfigs.files import sha256_of, write_atomic
from reviewfigs.vocab import BOOK_TITLE

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: offline: the pages come from a loopback server; no name is ever resolved (no DNS lookup, e.g. of
#: accounts.google.com) and no background service (sync, sign-in, field trials, pings) starts
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic", "--dns-prefetch-disable",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--disable-domain-reliability", "--no-pings",
         "--disable-features=OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication,"
         "Translate,InterestFeedContentSuggestions,CertificateTransparencyComponentUpdater",
         "--metrics-recording-only", "--disable-client-side-phishing-detection", "--disable-default-apps"]
#: how a page is printed: part of every page's key
PDF_OPTIONS = {"format": "A4", "print_background": True,
               "margin": {"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"}}
MEDIA = "print"
WAIT_UNTIL = "networkidle"
#: raise to print every page again after a change to how pages are printed or keys are made
KEY_VERSION = 1
#: the page cache, beside the site (``_build/pdf-pages``); RECORD lists the keys the current book was joined from
CACHE_FOLDER = "pdf-pages"
RECORD = "book.json"
#: loaded by every page but prints nothing; Sphinx rewrites it whenever any page's text changes
NOT_PRINTED = frozenset({"searchindex.js"})

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


# --- what a printed page depends on -------------------------------------------------------------------

#: <link rel=...> values whose href the page loads to render (not next/prev/index/search/canonical links)
LOADED_RELS = frozenset({"stylesheet", "icon", "preload", "modulepreload"})
CSS_REFERENCE = re.compile(r"""url\(\s*(["']?)(.*?)\1\s*\)|@import\s+(["'])(.*?)\3""", re.IGNORECASE)


class _Loads(HTMLParser):
    """The URLs an HTML page loads: src (and srcset, poster, object data) of any element, the href of a
    stylesheet or icon <link> and of an SVG <image>. A link to another page (<a href>) is not loaded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in ("src", "poster"):
            if values.get(name):
                self.urls.append(values[name])
        if values.get("srcset"):
            self.urls += [candidate.split()[0] for candidate in values["srcset"].split(",") if candidate.strip()]
        if tag == "object" and values.get("data"):
            self.urls.append(values["data"])
        if tag == "link" and LOADED_RELS & set(values.get("rel", "").lower().split()) and values.get("href"):
            self.urls.append(values["href"])
        if tag in ("image", "use", "feimage"):
            self.urls += [values[name] for name in ("href", "xlink:href") if values.get(name)]

    handle_startendtag = handle_starttag


def _resolve(html_dir: Path, base: Path, url: str) -> Path | None:
    """The file inside html_dir that `url` (as written in `base`) names, or None (remote, data:, fragment, outside)."""
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    target = Path(os.path.normpath(html_dir / path.lstrip("/") if path.startswith("/") else base.parent / path))
    if target == html_dir or not target.is_relative_to(html_dir) or target.relative_to(html_dir).as_posix() in NOT_PRINTED:
        return None
    return target


def page_files(html_dir: Path, page: str) -> list[Path]:
    """Every local file the page loads (sorted, once each), and what its stylesheets import or use (url())."""
    html_dir = Path(html_dir).resolve()
    source = html_dir / page
    parser = _Loads()
    parser.feed(source.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    found: set[Path] = set()
    todo = [(source, url) for url in parser.urls]
    while todo:
        base, url = todo.pop()
        target = _resolve(html_dir, base, url)
        if target is None or target in found or target.is_dir():
            continue
        found.add(target)
        if target.suffix.lower() == ".css" and target.is_file():
            css = target.read_text(encoding="utf-8", errors="replace")
            todo += [(target, m.group(2) or m.group(4)) for m in CSS_REFERENCE.finditer(css) if m.group(2) or m.group(4)]
    return sorted(found)


def print_settings(browser: str) -> str:
    """What else a printed page depends on: the print options, the media, the flags and the browser."""
    return json.dumps({"key": KEY_VERSION, "pdf": PDF_OPTIONS, "media": MEDIA, "wait": WAIT_UNTIL, "flags": FLAGS,
                       "browser": browser}, sort_keys=True)


def browser_version() -> str:
    """Chromium's own version line (``chromium --version``) with Playwright's version and the CHROMIUM path."""
    try:
        version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        version = ""
    try:
        playwright = metadata.version("playwright")
    except metadata.PackageNotFoundError:
        playwright = "?"
    return f"{version or '?'}; {CHROMIUM}; playwright {playwright}"


def page_key(html_dir: Path, page: str, settings: str = "", digests: dict[Path, bytes] | None = None) -> str:
    """SHA-256 (hex) over the page's path and HTML, each file it loads (path and bytes; a missing one as
    missing) and `settings` (:func:`print_settings`). `digests` memoises file digests across pages."""
    html_dir = Path(html_dir).resolve()
    digests = {} if digests is None else digests
    key = hashlib.sha256(f"reviewfigs pdf page\0{settings}\0{page}\0".encode())
    key.update(hashlib.sha256((html_dir / page).read_bytes()).digest())
    for path in page_files(html_dir, page):
        if path not in digests:
            try:
                digests[path] = hashlib.sha256(path.read_bytes()).digest()
            except FileNotFoundError:
                digests[path] = b"missing"
        key.update(b"\0" + path.relative_to(html_dir).as_posix().encode() + b"\0" + digests[path])
    return key.hexdigest()


# --- what to do ----------------------------------------------------------------------------------------

def plan(keys: dict[str, str], cached: set[str]) -> list[str]:
    """The pages (in order) that must be printed: those whose key has no part in the cache (a key once)."""
    todo, seen = [], set(cached)
    for page, key in keys.items():
        if key not in seen:
            todo.append(page)
            seen.add(key)
    return todo


def must_join(parts: list[str], record: dict | None, pdf_digest: str | None) -> bool:
    """Whether the book must be joined again: its ordered part keys differ from the record of the current PDF,
    or that PDF is missing or is not the one recorded."""
    return record is None or record.get("parts") != parts or pdf_digest is None or record.get("pdf") != pdf_digest


def cached_keys(cache: Path) -> set[str]:
    return {p.stem for p in Path(cache).glob("*.pdf") if re.fullmatch(r"[0-9a-f]{64}", p.stem)}


def read_record(cache: Path) -> dict | None:
    try:
        record = json.loads((Path(cache) / RECORD).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def prune(cache: Path, parts: list[str]) -> list[str]:
    """Remove the cached parts no page uses now; return their keys."""
    gone = sorted(cached_keys(cache) - set(parts))
    for key in gone:
        (Path(cache) / f"{key}.pdf").unlink(missing_ok=True)
    return gone


# --- printing and joining ------------------------------------------------------------------------------

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def print_parts(html_dir: Path, todo: dict[str, str], cache: Path) -> None:
    """Print each page of `todo` (page -> key) with chromium to ``cache/<key>.pdf`` (written atomically).
    Each page gets a fresh browser context, so what it prints does not depend on the pages printed before it."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(html_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            try:
                for name, key in todo.items():
                    context = browser.new_context()
                    try:
                        page = context.new_page()
                        response = page.goto(base + name, wait_until=WAIT_UNTIL)
                        if response is None or not response.ok:
                            raise RuntimeError(f"{name}: HTTP {response.status if response else 'no response'}")
                        page.emulate_media(media=MEDIA)
                        write_atomic(Path(cache) / f"{key}.pdf", page.pdf(**PDF_OPTIONS))
                    finally:
                        context.close()
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()


def join(cache: Path, parts: list[str], target: Path) -> None:
    """Join the cached parts, in order, into `target` (written atomically)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for key in parts:
        writer.append(str(Path(cache) / f"{key}.pdf"))
    writer.add_metadata({"/Title": BOOK_TITLE})
    buffer = io.BytesIO()
    writer.write(buffer)
    writer.close()
    write_atomic(target, buffer.getvalue())


class Outcome(NamedTuple):  # not a dataclass: tests load this script without a module of its own
    pages: int
    printed: list[str]  # the pages printed this time
    written: bool  # whether the joined PDF was written

    @property
    def reused(self) -> int:
        return self.pages - len(self.printed) if self.written else self.pages


def update(html_dir: Path, pages: list[str], target: Path, cache: Path, settings: str) -> Outcome:
    """Bring `target` up to date with the built pages: print the pages whose key is not cached, join again
    if the list of keys changed (then record it), and drop the parts no page uses."""
    digests: dict[Path, bytes] = {}
    keys = {page: page_key(html_dir, page, settings, digests) for page in pages}
    parts = [keys[page] for page in pages]
    if not must_join(parts, read_record(cache), sha256_of(target)):
        prune(cache, parts)
        return Outcome(len(pages), [], written=False)
    todo = plan(keys, cached_keys(cache))
    if todo:
        print_parts(html_dir, {page: keys[page] for page in todo}, cache)
    join(cache, parts, target)
    write_atomic(Path(cache) / RECORD, json.dumps({"pages": pages, "parts": parts, "pdf": sha256_of(target)}, indent=1) + "\n")
    prune(cache, parts)
    return Outcome(len(pages), todo, written=True)


def main() -> int:
    root = find_root()
    html_dir = (root / "_build" / "html").resolve()
    target = html_dir / "downloads" / "book.pdf"
    cache = html_dir.parent / CACHE_FOLDER
    if not Path(CHROMIUM).is_file():
        print(f"PDF skipped: no chromium at {CHROMIUM} (install Debian's chromium, or `make test-site` does it)")
        return 0
    try:
        import playwright  # noqa: F401
    except ImportError:
        print("PDF skipped: Playwright is not installed")
        return 0
    pages = toc_pages(root)
    missing = [page for page in pages if not (html_dir / page).is_file()]
    if missing:
        print(f"PDF not made: {', '.join(missing)} not built in {html_dir} (build the HTML book first)")
        return 1
    outcome = update(html_dir, pages, target, cache, print_settings(browser_version()))
    counts = f"{len(outcome.printed)} of {outcome.pages} pages printed, {outcome.reused} reused"
    if not outcome.written:
        print(f"PDF up to date: {target} ({counts})")
    else:
        print(f"PDF: {target} ({target.stat().st_size / 1e6:.1f} MB; {counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
