"""The clause tree of ISO/IEC 20000-1:2018, clauses 4 to 10 (numbers and titles are facts)."""

from __future__ import annotations

# (number, title, is_leaf), in document order
CLAUSES: tuple[tuple[str, str, bool], ...] = (
    ("4", "Context of the organization", False),
    ("4.1", "Understanding the organization and its context", True),
    ("4.2", "Understanding the needs and expectations of interested parties", True),
    ("4.3", "Determining the scope of the service management system", True),
    ("4.4", "Service management system", True),
    ("5", "Leadership", False),
    ("5.1", "Leadership and commitment", True),
    ("5.2", "Policy", False),
    ("5.2.1", "Establishing the service management policy", True),
    ("5.2.2", "Communicating the service management policy", True),
    ("5.3", "Organizational roles, responsibilities and authorities", True),
    ("6", "Planning", False),
    ("6.1", "Actions to address risks and opportunities", True),
    ("6.2", "Service management objectives and planning to achieve them", False),
    ("6.2.1", "Establish objectives", True),
    ("6.2.2", "Plan to achieve objectives", True),
    ("6.3", "Plan the service management system", True),
    ("7", "Support of the service management system", False),
    ("7.1", "Resources", True),
    ("7.2", "Competence", True),
    ("7.3", "Awareness", True),
    ("7.4", "Communication", True),
    ("7.5", "Documented information", False),
    ("7.5.1", "General", True),
    ("7.5.2", "Creating and updating documented information", True),
    ("7.5.3", "Control of documented information", True),
    ("7.5.4", "Service management system documented information", True),
    ("7.6", "Knowledge", True),
    ("8", "Operation of the service management system", False),
    ("8.1", "Operational planning and control", True),
    ("8.2", "Service portfolio", False),
    ("8.2.1", "Service delivery", True),
    ("8.2.2", "Plan the services", True),
    ("8.2.3", "Control of parties involved in the service lifecycle", True),
    ("8.2.4", "Service catalogue management", True),
    ("8.2.5", "Asset management", True),
    ("8.2.6", "Configuration management", True),
    ("8.3", "Relationship and agreement", False),
    ("8.3.1", "General", True),
    ("8.3.2", "Business relationship management", True),
    ("8.3.3", "Service level management", True),
    ("8.3.4", "Supplier management", False),
    ("8.3.4.1", "Management of external suppliers", True),
    ("8.3.4.2", "Management of internal suppliers and customers acting as a supplier", True),
    ("8.4", "Supply and demand", False),
    ("8.4.1", "Budgeting and accounting for services", True),
    ("8.4.2", "Demand management", True),
    ("8.4.3", "Capacity management", True),
    ("8.5", "Service design, build and transition", False),
    ("8.5.1", "Change management", False),
    ("8.5.1.1", "Change management policy", True),
    ("8.5.1.2", "Change management initiation", True),
    ("8.5.1.3", "Change management activities", True),
    ("8.5.2", "Service design and transition", False),
    ("8.5.2.1", "Plan new or changed services", True),
    ("8.5.2.2", "Design", True),
    ("8.5.2.3", "Build and transition", True),
    ("8.5.3", "Release and deployment management", True),
    ("8.6", "Resolution and fulfilment", False),
    ("8.6.1", "Incident management", True),
    ("8.6.2", "Service request management", True),
    ("8.6.3", "Problem management", True),
    ("8.7", "Service assurance", False),
    ("8.7.1", "Service availability management", True),
    ("8.7.2", "Service continuity management", True),
    ("8.7.3", "Information security management", False),
    ("8.7.3.1", "Information security policy", True),
    ("8.7.3.2", "Information security controls", True),
    ("8.7.3.3", "Information security incidents", True),
    ("9", "Performance evaluation", False),
    ("9.1", "Monitoring, measurement, analysis and evaluation", True),
    ("9.2", "Internal audit", True),
    ("9.3", "Management review", True),
    ("9.4", "Service reporting", True),
    ("10", "Improvement", False),
    ("10.1", "Nonconformity and corrective action", True),
    ("10.2", "Continual improvement", True),
)

TITLES: dict[str, str] = {number: title for number, title, _ in CLAUSES}
LEAVES: tuple[str, ...] = tuple(number for number, _, leaf in CLAUSES if leaf)


def clause_sort_key(number: str) -> tuple[int, ...]:
    """Numeric order: 8.10 after 8.9; non-numeric parts (own packs) sort last."""
    return tuple(int(p) if p.isdigit() else 10_000 for p in number.split("."))


def top_clause(number: str) -> str:
    """4 for 4.1, 10 for 10.2."""
    return number.split(".")[0]
