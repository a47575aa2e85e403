"""Models of running contests. One module per concern; import them from here."""

from .attempts import AnswerRevision, Attempt, AttemptEvent
from .audit import AuditLog
from .editions import Cluster, Edition, Unit
from .people import Person, Registration, RoleGrant, Team
from .rounds import Round, RoundClockLease
from .scoring import EditionScoring, PrizeDecision, RoundBoard

__all__ = [
    "AnswerRevision",
    "Attempt",
    "AttemptEvent",
    "AuditLog",
    "Cluster",
    "Edition",
    "EditionScoring",
    "Person",
    "PrizeDecision",
    "Registration",
    "RoleGrant",
    "Round",
    "RoundBoard",
    "RoundClockLease",
    "Team",
    "Unit",
]
