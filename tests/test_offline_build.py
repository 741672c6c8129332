"""The book builds with no network: every socket to a non-loopback address is refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from bookbuild import FLAGS, JB
from conftest import COPY_IGNORE, REPO

pytestmark = pytest.mark.book

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


@pytest.fixture
def offline_env(tmp_path):
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["PYTHONPATH"] = os.pathsep.join([str(guard), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def test_guard_really_blocks_the_network(offline_env):
    probe = "import socket; socket.create_connection(('192.0.2.1', 80), timeout=1)"
    done = subprocess.run([sys.executable, "-c", probe], env=offline_env, capture_output=True, text=True)
    assert done.returncode != 0 and "network disabled for this build" in done.stderr


def test_book_builds_without_network(tmp_path, offline_env):
    book = tmp_path / "book"
    shutil.copytree(REPO, book, ignore=COPY_IGNORE)
    done = subprocess.run([str(JB), "build", str(book), *FLAGS], env=offline_env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "network disabled" not in done.stdout + done.stderr
    assert (book / "_build" / "html" / "_static" / "mathjax" / "tex-svg.js").is_file()
