"""Build a copy of the book the way `make book` does (nitpicky, warnings as errors), and observe what a build did.

What a build did is read from the files it leaves, never from its log wording:
* a page was *re-read* when its doctree pickle (``_build/.doctrees/<page>.doctree``) was rewritten;
* a page was *executed* when MyST-NB rewrote its executed notebook (``_build/jupyter_execute/<page>.ipynb``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from bs4 import BeautifulSoup

JB = Path(sys.executable).with_name("jupyter-book")
FLAGS = ("-n", "-W", "--keep-going")

#: sitecustomize for an offline build: any connection or name lookup that leaves this machine fails.
GUARD = textwrap.dedent('''
    """Loaded at interpreter start (sitecustomize): refuse any connection that leaves this machine."""
    import socket

    _connect = socket.socket.connect
    _getaddrinfo = socket.getaddrinfo
    LOCAL = ("127.", "::1", "localhost", "0.0.0.0")


    def _local(host):
        return isinstance(host, str) and (host.startswith(LOCAL) or host == "")


    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
            raise OSError(f"network disabled for this build: {address}")
        return _connect(self, address)


    def getaddrinfo(host, *args, **kwargs):
        if host is not None and not _local(str(host)):
            raise OSError(f"network disabled for this build: lookup of {host}")
        return _getaddrinfo(host, *args, **kwargs)


    socket.socket.connect = connect
    socket.getaddrinfo = getaddrinfo
''')


def build_env(*, offline_guard: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a build: this process's, minus proxies and REVIEWFIGS_ROOT, plus `extra`.

    With `offline_guard` (a folder holding GUARD as sitecustomize.py) every socket off this machine fails.
    """
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower() and k != "REVIEWFIGS_ROOT"}
    if offline_guard is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(offline_guard), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update(extra)
    return env


def write_guard(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    return folder


def command(book: Path, *extra: str) -> list[str]:
    return [str(JB), "build", str(book), *FLAGS, *extra]


def build(book: Path, *extra: str, env: dict[str, str] | None = None, timeout: int = 1200) -> tuple[subprocess.CompletedProcess, float]:
    start = time.perf_counter()
    done = subprocess.run(command(book, *extra), capture_output=True, text=True, timeout=timeout, env=env or build_env())
    return done, time.perf_counter() - start


def failure(done: subprocess.CompletedProcess) -> str:
    return f"exit {done.returncode}\n--- stdout ---\n{done.stdout[-4000:]}\n--- stderr ---\n{done.stderr[-4000:]}"


def _stamps(folder: Path, suffix: str) -> dict[str, int]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).with_suffix("").as_posix(): p.stat().st_mtime_ns for p in folder.rglob(f"*{suffix}")}


def doctree_stamps(book: Path) -> dict[str, int]:
    """page -> mtime of its doctree pickle (rewritten each time Sphinx reads the page)."""
    return _stamps(book / "_build" / ".doctrees", ".doctree")


def notebook_stamps(book: Path) -> dict[str, int]:
    """page -> mtime of its executed notebook (rewritten each time MyST-NB executes the page)."""
    return _stamps(book / "_build" / "jupyter_execute", ".ipynb")


def changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {page for page, stamp in after.items() if before.get(page) != stamp}


def html(book_or_html: Path, page: str) -> str:
    folder = book_or_html / "_build" / "html" if (book_or_html / "_build").is_dir() else book_or_html
    return (folder / page).read_text(encoding="utf-8")


def soup(book_or_html: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup(html(book_or_html, page), "html.parser")


def code_pages(book: Path) -> set[str]:
    """Pages that run code (MyST notebooks with code cells or glue), found from their source."""
    return {f"chapters/{p.stem}" for p in (book / "chapters").glob("*.md") if any(m in p.read_text(encoding="utf-8") for m in ("{code-cell}", "{glue"))}


def datum_pages(book: Path) -> set[str]:
    """Pages that show a number from the data through the {datum} role."""
    return {f"chapters/{p.stem}" for p in (book / "chapters").glob("*.md") if "{datum}`" in p.read_text(encoding="utf-8")}
