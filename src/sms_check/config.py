"""The evidence repository's ``smscheck.yaml``: discovery, validation and defaults."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sms_check.errors import ConfigError
from sms_check.exports import RecordSource
from sms_check.exports.sources import COHERENT

if TYPE_CHECKING:
    from sms_check.cache import EvidenceCache

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


def load_settings(root: Path, cache: EvidenceCache | None = None) -> tuple[Settings, str | None]:
    """Read ``ROOT/smscheck.yaml`` if present; return the settings and the config path shown.

    Checking a record source against its ready mapping and the evidence model loads that
    model; with a ``cache``, a configuration that passed before (same text, same smscheck)
    skips that check, which depends on nothing else.
    """
    from sms_check import yamlio
    from sms_check.locate import position

    path = root / CONFIG_NAME
    if not path.is_file():
        return Settings(), None
    shown = CONFIG_NAME
    try:
        text = path.read_bytes()
        data, problems = yamlio.load(yamlio.decode(text))
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
    key = cache.key(b"settings|" + text) if cache is not None else ""
    known = cache is not None and cache.get(key) is not None
    try:
        settings = Settings.model_validate(data, context={COHERENT: True} if known else None)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        line, column = position(data, loc)
        where = ".".join(str(p) for p in loc) or "configuration"
        message = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = (
                "unknown setting (see the smscheck.yaml section of docs/evidence-repository.md)"
            )
        raise ConfigError(f"{shown}:{line}:{column}: '{where}': {message}") from None
    if cache is not None and not known:
        cache.put(key, {"kind": "settings"})
    return settings, shown
