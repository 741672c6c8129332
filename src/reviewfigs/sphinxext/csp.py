"""A Content-Security-Policy for every page, and a last look for anything that would run.

Data text is escaped where it enters a page (``text.myst``); this is the second wall. After the
HTML build each page gets a CSP ``<meta>`` that allows scripts from the site's own files only: no
inline script, no inline event handler, no ``javascript:`` link, nothing from elsewhere. The
inline scripts the theme, sphinx-togglebutton, sphinx-thebe, MathJax and itables write are known
by how they begin (:data:`KNOWN_INLINE`); each moves to a file under ``_static/rf-inline/`` named
by its content hash. The two ``onclick`` buttons of the theme get listeners from ``rf-handlers.js``.
Anything else that would run (an inline script of unknown origin, an ``on*`` attribute, a
``javascript:`` URL) fails the build, naming the page: such a page is never published.
"""

from __future__ import annotations

import hashlib
import os
import re
from html.parser import HTMLParser
from pathlib import Path

from sphinx.errors import ExtensionError

POLICY = ("default-src 'self'; script-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
          "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")
META = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}" />'
INLINE_FOLDER = "_static/rf-inline"
#: how the inline scripts this book's toolchain writes begin (after leading whitespace)
KNOWN_INLINE = (
    'document.documentElement.dataset.mode = localStorage.getItem("mode")',  # pydata-sphinx-theme
    "window.addEventListener('load', () => document.querySelectorAll('svg.tb-icon')",  # ours (HIDE_DECORATIVE_ICONS)
    "let toggleHintShow = ", "let toggleHintHide = ", "let toggleOpenOnPrint = ",  # sphinx-togglebutton
    "var togglebuttonSelector = ",
    "const THEBE_JS_URL = ", "kernelName = ",  # sphinx-thebe
    "DOCUMENTATION_OPTIONS.pagename = ", "DOCUMENTATION_OPTIONS.search_as_you_type = ",  # Sphinx, theme
    "// Activate the search field on page load",  # pydata-sphinx-theme search page
    "document.getElementById('searchbox').style.display = \"block\"",  # Sphinx's basic theme (alabaster)
    "window.MathJax = ",  # MathJax configuration
    "const { set_or_remove_dark_class } = await window._itables_",  # itables
    "function injectCSS(base64CSS) {",
    'document.getElementById("itables_',
    "(async () => {\n        async function init() {\n            const { ITable, jQuery: $ } = await window._itables_",
)
#: the theme's inline click handlers -> the name rf-handlers.js knows them by
KNOWN_HANDLERS = {'onclick="toggleFullScreen()"': "fullscreen", 'onclick="window.print()"': "print"}
EXECUTABLE_TYPES = ("", "text/javascript", "application/javascript", "module")
URL_ATTRIBUTES = ("href", "src", "xlink:href", "action", "formaction", "data")
SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.IGNORECASE | re.DOTALL)


def _attribute(attrs: str, name: str) -> str | None:
    match = re.search(rf'\b{name}\s*=\s*"([^"]*)"', attrs, re.IGNORECASE)
    return match.group(1) if match else None


def _is_executable(attrs: str) -> bool:
    return (_attribute(attrs, "type") or "").strip().lower() in EXECUTABLE_TYPES


def secure_page(page: Path, outdir: Path) -> None:
    """Move the known inline scripts of one page to files, wire its known handlers, add the CSP meta."""
    text = page.read_text(encoding="utf-8")
    prefix = os.path.relpath(outdir, page.parent).replace(os.sep, "/")
    prefix = "" if prefix == "." else prefix + "/"

    def externalise(match: re.Match) -> str:
        attrs, body = match.group("attrs"), match.group("body")
        if _attribute(attrs, "src") is not None or not _is_executable(attrs) or not body.strip().startswith(KNOWN_INLINE):
            return match.group(0)
        name = hashlib.sha256(body.encode("utf-8")).hexdigest()[:20] + ".js"
        target = outdir / INLINE_FOLDER / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
        return f'<script{attrs} src="{prefix}{INLINE_FOLDER}/{name}"></script>'

    out = SCRIPT.sub(externalise, text)
    for handler, name in KNOWN_HANDLERS.items():
        out = out.replace(handler, f'data-rf-click="{name}"')
    if META not in out:
        out, count = re.subn(r"(<head[^>]*>\s*(?:<meta charset=[^>]*>)?)", lambda m: m.group(1) + "\n    " + META, out, count=1)
        if not count:
            raise ExtensionError(f"{page}: no <head> to put the Content-Security-Policy in")
    if out != text:
        page.write_text(out, encoding="utf-8")


class _Scanner(HTMLParser):
    """Everything in a page that a browser would run: inline scripts, on* handlers, javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script: str | None = None
        self.csp = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.found.append(f"<{tag} {name}=...>: an inline event handler")
            if name.lower() in URL_ATTRIBUTES and value and _runs(value):
                self.found.append(f"<{tag} {name}=\"{value[:60]}\">: a script URL")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp = values.get("content") == POLICY
        if tag == "script" and "src" not in values and (values.get("type") or "").strip().lower() in EXECUTABLE_TYPES:
            self._script = ""

    def handle_data(self, data):
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            if self._script.strip():
                self.found.append(f"inline <script> {self._script.strip()[:80]!r}")
            self._script = None


def _runs(url: str) -> bool:
    """javascript:, vbscript: or an HTML data: URL, however spaced or cased (browsers drop tabs and newlines)."""
    squeezed = re.sub(r"[\x00-\x20]", "", url).lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:text/html"))


def live_code(page: Path) -> tuple[list[str], bool]:
    """What in a page would run despite escaping, and whether the page carries the book's CSP."""
    scanner = _Scanner()
    scanner.feed(page.read_text(encoding="utf-8"))
    scanner.close()
    return scanner.found, scanner.csp


def site_pages(outdir: Path) -> list[Path]:
    """The pages Sphinx writes: every .html outside _static/, _images/, downloads and the slides (built apart)."""
    skip = ("_static", "_images", "_sources", "downloads", "slides")
    return [p for p in Path(outdir).rglob("*.html") if p.relative_to(outdir).parts[0] not in skip]


def secure_site(outdir: Path, pages=None) -> None:
    """Secure every HTML page under outdir; fail naming each page that would still run something."""
    outdir = Path(outdir)
    problems = []
    for page in sorted(pages or site_pages(outdir)):
        secure_page(page, outdir)
        found, csp = live_code(page)
        problems += [f"{page.relative_to(outdir)}: {what}" for what in found]
        if not csp:
            problems.append(f"{page.relative_to(outdir)}: no Content-Security-Policy")
    if problems:
        raise ExtensionError("pages would run code the book did not write (escaping failed, or a new extension "
                             "writes inline scripts: list it in sphinxext/csp.py KNOWN_INLINE):\n  " + "\n  ".join(problems))


def _after_build(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        secure_site(Path(app.outdir))


def setup(app) -> None:
    app.add_js_file("rf-handlers.js")
    app.connect("build-finished", _after_build, priority=900)
