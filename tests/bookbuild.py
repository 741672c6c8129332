"""Build a copy of the book the way `make book` does (nitpicky, warnings as errors)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

JB = Path(sys.executable).with_name("jupyter-book")
FLAGS = ("-n", "-W", "--keep-going")


def build(book: Path, *extra: str, timeout: int = 900) -> tuple[subprocess.CompletedProcess, float]:
    start = time.perf_counter()
    done = subprocess.run([str(JB), "build", str(book), *FLAGS, *extra], capture_output=True, text=True, timeout=timeout)
    return done, time.perf_counter() - start


def html(book: Path, page: str) -> str:
    return (book / "_build" / "html" / page).read_text(encoding="utf-8")
