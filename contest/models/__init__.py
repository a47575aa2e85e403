"""Models of running contests. One module per concern; import them from here."""

from .api_tokens import ApiToken
from .attempts import AnswerRevision, Attempt, AttemptEvent
from .audit import AuditLog
from .certificates import Certificate
from .editions import Cluster, Edition, Unit
from .judging import (
    Appeal,
    AppealRecommendation,
    KeyFix,
    Mark,
    RoundJudging,
    Rubric,
    ScoreAdjustment,
    SignOff,
)
from .people import Person, Registration, RoleGrant, Team
from .rounds import Round, RoundClockLease
from .scoring import EditionScoring, PrizeDecision, RoundBoard
from .uploads import AnswerUpload

__all__ = [
    "AnswerRevision",
    "AnswerUpload",
    "ApiToken",
    "Appeal",
    "AppealRecommendation",
    "Attempt",
    "AttemptEvent",
    "AuditLog",
    "Certificate",
    "Cluster",
    "Edition",
    "KeyFix",
    "Mark",
    "EditionScoring",
    "Person",
    "PrizeDecision",
    "Registration",
    "RoleGrant",
    "Round",
    "RoundBoard",
    "RoundClockLease",
    "RoundJudging",
    "Rubric",
    "ScoreAdjustment",
    "SignOff",
    "Team",
    "Unit",
]
