"""The evidence repository's ``smscheck.yaml``: discovery, validation and defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sms_check.errors import ConfigError
from sms_check.exports import RecordSource

CONFIG_NAME = "smscheck.yaml"
DEFAULT_EVIDENCE = ("evidence/**/*.yaml", "evidence/**/*.yml")
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024


class NotApplicable(BaseModel):
    """An attempt to declare a requirement not applicable (only allowed outside clauses 4-10)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    requirement: str
    reason: str = ""


class Settings(BaseModel):
    """Everything ``smscheck.yaml`` may say; every key is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organization: str = "(organization not named in smscheck.yaml)"
    evidence: list[str] = Field(default_factory=lambda: list(DEFAULT_EVIDENCE))
    requirement_packs: list[str] = Field(default_factory=list)
    include_bundled_catalog: bool = True
    licensed_text: str | None = None
    severity_overrides: dict[str, Literal["major", "minor", "observation"]] = Field(
        default_factory=dict
    )
    not_applicable: list[NotApplicable] = Field(default_factory=list)
    fail_on: Literal["major", "minor", "observation"] = "major"
    max_file_bytes: int = Field(DEFAULT_MAX_FILE_BYTES, gt=0)
    record_sources: list[RecordSource] = Field(default_factory=list)


def load_settings(root: Path) -> tuple[Settings, str | None]:
    """Read ``ROOT/smscheck.yaml`` if present; return the settings and the config path shown."""
    from sms_check import yamlio
    from sms_check.locate import position

    path = root / CONFIG_NAME
    if not path.is_file():
        return Settings(), None
    shown = CONFIG_NAME
    try:
        data, problems = yamlio.load(yamlio.decode(path.read_bytes()))
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot be read ({exc.strerror})") from None
    except yamlio.YamlError as exc:
        p = exc.problem
        raise ConfigError(f"{shown}:{p.line}:{p.column}: {p.message}") from None
    if problems:
        p = problems[0]
        raise ConfigError(f"{shown}:{p.line}:{p.column}: {p.message}")
    if data is None:
        return Settings(), shown
    if not isinstance(data, dict):
        raise ConfigError(f"{shown}:1:1: the configuration must be a mapping of settings")
    try:
        return Settings.model_validate(data), shown
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        line, column = position(data, loc)
        where = ".".join(str(p) for p in loc) or "configuration"
        message = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown setting (see docs/configuration.md for the settings)"
        raise ConfigError(f"{shown}:{line}:{column}: '{where}': {message}") from None
