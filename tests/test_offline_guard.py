"""The guard that makes the offline book build (books.offline_book) offline really refuses the network."""

from __future__ import annotations

import subprocess
import sys

from support.bookbuild import build_env, write_guard


def test_guard_really_blocks_the_network(tmp_path):
    env = build_env(offline_guard=write_guard(tmp_path / "guard"))
    probe = "import socket; socket.create_connection(('192.0.2.1', 80), timeout=1)"
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "network disabled for this build" in done.stderr


def test_guard_lets_local_connections_through(tmp_path):
    env = build_env(offline_guard=write_guard(tmp_path / "guard"))
    probe = ("import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); "
             "c = socket.create_connection(s.getsockname(), timeout=1); print('ok')")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
