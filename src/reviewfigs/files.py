"""Writing a file so that nobody ever sees half of it: the one atomic write of the package."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    Readers see the old file or the new one, never a mix; on any error the temporary file is
    removed and ``path`` is untouched. The new file keeps the old one's permissions (0644 for a new
    file): ``mkstemp`` would otherwise leave data and bibliography files private to their writer.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if isinstance(data, bytes):
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256_of(path: Path | str) -> str | None:
    """Hex SHA-256 of a file's bytes, or None if it does not exist: how caches and freshness tell content."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def tree_digest(root: Path | str, patterns: list[str] | tuple[str, ...]) -> str:
    """One SHA-256 over the files matching some glob patterns under ``root`` (names and bytes, in order):
    how a build step that is not Sphinx (slides, PDFs) tells whether its inputs changed."""
    root = Path(root)
    digest = hashlib.sha256()
    for path in sorted({p for pattern in patterns for p in root.glob(pattern) if p.is_file()}):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
