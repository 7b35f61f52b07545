"""smscheck: requirements-as-code gap assessment against ISO/IEC 20000-1:2018."""

from __future__ import annotations

__version__ = "0.1.0"
