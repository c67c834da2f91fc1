"""Version 1 of the cast's quota 2027, built with the lead's lifecycle services, for the
redistribution and permits-used tests."""
from __future__ import annotations

from allocation.quota_services import distribution_approve, distribution_propose, distribution_publish
from allocation.redistribution_services import redistribution_endorse, redistribution_request

from .quota_helpers import small_figures


def publish_version_1(cast, **kwargs):
    """Astana 100 and Atyrau 200 in category 3, 5 seasonal each, reserve 10 (published as version 1)."""
    proposal = distribution_propose(actor=cast.analyst, campaign=cast.campaign,
                                    figures=small_figures(cast, **kwargs), reason="From the regions' annexes")
    approved = distribution_approve(actor=cast.approver, distribution=proposal)
    return distribution_publish(actor=cast.approver, distribution=approved)


def ask(cast, *, n=30, from_region="astana", to_region="atyrau", actor=None, authority=None, category="3",
        reason="Construction of the Atyrau polymer plant"):
    actor = actor or cast.akimat_officer
    authority = authority or cast.akimat_astana
    return redistribution_request(
        actor=actor, authority=authority, campaign=cast.campaign,
        from_region=getattr(cast, from_region) if from_region else None, to_region=getattr(cast, to_region),
        category=category, count=n, reason=reason)


def endorsed(cast, **kwargs):
    return redistribution_endorse(actor=cast.analyst, redistribution=ask(cast, **kwargs))
