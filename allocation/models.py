"""Models of the allocation app (Rules p.12-21)."""

# Central-body proposals (p.13)
from .proposals_models import (  # noqa: F401 - Django finds the app's models here
    Proposal,
    ProposalLine,
    ProposalStatus,
)
