"""smscheck: requirements-as-code gap assessment against ISO/IEC 20000-1:2018."""

from __future__ import annotations

import os

__version__ = "0.1.0"

# NOTE: pydantic scans installed packages for plugins (importlib.metadata, ~15 ms) the first
# time it builds a validator; smscheck uses none, and it runs on every commit as a hook.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
