"""Cache of parsed evidence files, keyed by content hash, kept outside the evidence repository.

Only clean files are cached (no YAML problem, every item valid): for them a warm run skips the
YAML parser, the slowest step, and rebuilds the items as plain records (sms_check.records); the
per-file summaries of sms_check.shards live here too. Entries are plain JSON (never pickle), so
a tampered cache can at worst produce wrong data for a file with the same hash, never run code;
they live under a folder named for the smscheck and Python versions, so an upgrade never
trusts an old entry. Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

FORMAT = 3


def default_dir() -> Path:
    """``$SMSCHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/smscheck``, else ``~/.cache/smscheck``."""
    explicit = os.environ.get("SMSCHECK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "smscheck"


class EvidenceCache:
    """A folder of JSON entries, one per evidence file content."""

    def __init__(self, folder: Path) -> None:
        from sms_check import __version__

        tag = f"v{__version__}-py{sys.version_info[0]}{sys.version_info[1]}-f{FORMAT}"
        self.folder = folder / tag
        self.usable = True

    @staticmethod
    def key(data: bytes) -> str:
        """Content hash of a file."""
        return hashlib.sha256(data).hexdigest()

    @staticmethod
    def key_of_file(path: Path) -> str:
        """Content hash of a file, read in chunks (record exports can be large)."""
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The entry for a content hash, or None (missing or unreadable entries are misses)."""
        if not self.usable:
            return None
        try:
            entry: dict[str, Any] = json.loads(self._path(key).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("format") != FORMAT:
            return None
        return entry

    def put(self, key: str, entry: dict[str, Any], items: list[bytes] | None = None) -> None:
        """Store an entry atomically; a cache that cannot be written is silently skipped.

        ``items``, already serialised JSON values (pydantic writes them in Rust), become the
        entry's ``items`` list without passing through Python's JSON encoder again.
        """
        if not self.usable:
            return
        path = self._path(key)
        # NOTE: json.dumps runs in C; json.dump to a file would stream through Python
        head = json.dumps({"format": FORMAT, **entry}, ensure_ascii=False).encode("utf-8")
        if items is not None:
            head = head[:-1] + b', "items": [' + b",".join(items) + b"]}"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(head)
            os.replace(tmp, path)
        except OSError:
            self.usable = False
