"""Helpers shared by the reporters: sanitising evidence text and small formatting rules.

Everything that comes from evidence (messages, paths, item ids, notes) or from requirement packs
is untrusted text. Each output format has its own escaping; the functions here are the only
place those rules live.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from sms_check.results import Finding, Report, Severity, Verdict

# ANSI / ECMA-48 escape sequences: CSI, OSC, DCS/SOS/PM/APC strings, two-byte escapes, 8-bit CSI.
_ANSI_RE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?          # CSI ... final byte
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?  # OSC ... BEL or ST
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?   # DCS, SOS, PM, APC ... ST
    | \x1b[ -/]*[0-~]?                # other escapes (two bytes, or ESC + intermediates)
    | \x9b[0-?]*[ -/]*[@-~]?          # 8-bit CSI
    """,
    re.VERBOSE,
)
# C0 controls except tab and newline, DEL, C1 controls, bidi overrides (Trojan Source) and the
# characters XML 1.0 forbids (lone surrogates, U+FFFE, U+FFFF).
_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
_NEWLINES_RE = re.compile(r"\r\n?")
_SPACES_RE = re.compile(r"\s*\n\s*")

VERDICT_ORDER: tuple[Verdict, ...] = tuple(Verdict)
SEVERITY_ORDER: tuple[Severity, ...] = (
    Severity.ERROR,
    Severity.MAJOR,
    Severity.MINOR,
    Severity.OBSERVATION,
)


def clean(text: str, *, keep_newlines: bool = True) -> str:
    """Strip ANSI escapes and control characters; tabs become spaces, ``\\r\\n`` becomes ``\\n``.

    With ``keep_newlines=False`` every line break (and the spaces around it) becomes one space.
    """
    text = _ANSI_RE.sub("", text)
    text = _NEWLINES_RE.sub("\n", text).replace("\t", " ")
    text = _CONTROL_RE.sub("", text)
    if not keep_newlines:
        text = _SPACES_RE.sub(" ", text).strip()
    return text


def one_line(text: str) -> str:
    """``clean`` text folded onto a single line."""
    return clean(text, keep_newlines=False)


_MD_BACKSLASHED = re.compile(r"([\\`*_\[\]|])")


def markdown_text(text: str) -> str:
    """Escape text for a Markdown table cell or paragraph; it stays on one line.

    Backslash-escapes ``\\ ` * _ [ ] |``, turns ``& < >`` into entities (no raw HTML) and line
    breaks into ``<br>``.
    """
    text = clean(text).strip("\n")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_BACKSLASHED.sub(r"\\\1", text)
    return re.sub(r" *\n *", "<br>", text)


def path_href(path: str, line: int = 0) -> str:
    """Relative link to an evidence file: the percent-encoded path plus ``#L<line>``.

    Encoding ``:`` means a path can never be read as a URL scheme such as ``javascript:``.
    """
    href = quote(clean(path, keep_newlines=False).replace("\\", "/"), safe="/-._~")
    return f"{href}#L{line}" if line > 0 else href


def xml_text(text: str) -> str:
    """Text safe for XML 1.0: no escape sequences, no characters the XML spec forbids."""
    return clean(text)


def github_data(text: str) -> str:
    """Escape the message part of a GitHub Actions workflow command."""
    text = clean(text).strip("\n")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """Escape a property value (``file=``, ``title=``) of a GitHub Actions workflow command."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def finding_line(finding: Finding) -> str:
    """``path:line:col: severity: [RULE] message (waived by W-1)`` on one line, sanitised."""
    location = one_line(str(finding.location)) or "<no file>"
    line = (
        f"{location}: {finding.severity.value}: [{one_line(finding.rule)}] "
        f"{one_line(finding.message)}"
    )
    if finding.waived_by:
        line += f" (waived by {one_line(finding.waived_by)})"
    return line


def verdict_counts(report: Report) -> dict[str, int]:
    """Requirements per verdict, every verdict present, in verdict order."""
    counts: dict[str, int] = {}
    if report.counts:
        for verdict in VERDICT_ORDER:
            counts[verdict.value] = int(report.counts.get(verdict.value, 0))
        return counts
    for verdict in VERDICT_ORDER:
        counts[verdict.value] = sum(1 for r in report.results if r.verdict is verdict)
    return counts


def clause_counts(counts: dict[str, int]) -> dict[str, int]:
    """A clause summary's counts with every verdict present, in verdict order."""
    return {v.value: int(counts.get(v.value, 0)) for v in VERDICT_ORDER}


def top_clause_of(clause: str) -> str:
    """``"8.2.3"`` -> ``"8"``."""
    return clause.split(".", 1)[0]


def score_value(score: float) -> float:
    """A readiness score as rendered: rounded to one decimal."""
    return round(float(score), 1)


def score_text(score: float) -> str:
    """A readiness score as text, e.g. ``"62.5"``."""
    return f"{score_value(score):.1f}"
