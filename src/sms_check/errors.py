"""Errors smscheck reports to the user, and the exit codes they map to."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; the only place these numbers appear."""

    OK = 0  # no findings at or above --fail-on, no structural findings
    FINDINGS = 1  # findings at or above --fail-on, or defects in the evidence
    USAGE = 2  # bad flags, config or requirement packs: smscheck could not judge
    INTERNAL = 3  # a bug in smscheck; the message asks for a report


class SmsCheckError(Exception):
    """Base class for errors shown to the user as one line, without a traceback."""

    exit_code: ExitCode = ExitCode.USAGE


class UsageError(SmsCheckError):
    """A flag, a path or a command argument that smscheck cannot work with."""


class ConfigError(SmsCheckError):
    """The evidence repository's smscheck.yaml is unreadable or invalid."""


class RequirementsError(SmsCheckError):
    """A requirement pack cannot be parsed or does not match the requirement schema."""
