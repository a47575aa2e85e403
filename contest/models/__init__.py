"""Models of running contests. One module per concern; import them from here."""

from .audit import AuditLog
from .editions import Cluster, Edition, Unit
from .people import Person, Registration, RoleGrant, Team

__all__ = [
    "AuditLog",
    "Cluster",
    "Edition",
    "Person",
    "Registration",
    "RoleGrant",
    "Team",
    "Unit",
]
