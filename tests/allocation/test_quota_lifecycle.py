"""The distribution's life (allocation/quota_services.py): two people, one pending version, numbers."""
from __future__ import annotations

import pytest

from allocation.quota_models import Distribution, DistributionCell, DistributionStatus
from allocation.quota_services import (
    current_version,
    distribution_approve,
    distribution_decline,
    distribution_propose,
    distribution_publish,
    distribution_withdraw,
)
from quota_portal.core.errors import DomainError
from quota_portal.core.models import Campaign
from quota_portal.core.scoping import PUBLIC, activate

from .quota_helpers import small_figures

S = DistributionStatus


def propose(cast, **kwargs):
    return distribution_propose(actor=cast.analyst, campaign=cast.campaign, figures=small_figures(cast, **kwargs),
                                reason="From the regions' annexes")


def test_an_approver_approves_and_publishes_version_1_and_the_campaign_records_the_day(cast):
    proposal = propose(cast)
    assert proposal.status == S.PROPOSED and proposal.number is None
    approved = distribution_approve(actor=cast.approver, distribution=proposal)
    assert approved.distributed_on is not None
    assert Campaign.objects.get(pk=cast.campaign.pk).distributed_on == approved.distributed_on
    published = distribution_publish(actor=cast.approver, distribution=approved)
    assert (published.number, published.status) == (1, S.PUBLISHED)
    statuses = DistributionCell.objects.filter(distribution=published).values_list("status", flat=True)
    assert set(statuses) == {S.PUBLISHED}
    assert current_version(cast.campaign) == published


def test_the_proposer_never_approves_their_own_proposal(cast):
    from quota_portal.core.models import Role

    from ..conftest import add_membership

    add_membership(cast.analyst, Role.MINISTRY_APPROVER, authority=cast.ministry)
    proposal = propose(cast)
    with pytest.raises(DomainError) as refused:
        distribution_approve(actor=cast.analyst, distribution=proposal)
    assert refused.value.code == "forbidden"
    assert Distribution.objects.get(pk=proposal.pk).status == S.PROPOSED


@pytest.mark.parametrize("who", ["akimat_officer", "central_officer", "employer", "analyst"])
def test_only_an_approver_approves(cast, who):
    proposal = propose(cast)
    with pytest.raises(DomainError):
        distribution_approve(actor=getattr(cast, who), distribution=proposal)


def test_one_proposal_at_a_time_and_none_after_publication(cast):
    proposal = propose(cast)
    with pytest.raises(DomainError) as pending:
        propose(cast)
    assert pending.value.code == "pending"
    distribution_withdraw(actor=cast.analyst, distribution=proposal)
    second = propose(cast)
    distribution_decline(actor=cast.approver, distribution=second, reason="Too high")
    third = propose(cast)
    approved = distribution_approve(actor=cast.approver, distribution=third)
    distribution_publish(actor=cast.approver, distribution=approved)
    with pytest.raises(DomainError) as already:
        propose(cast)
    assert already.value.code == "already"


def test_figures_that_do_not_add_up_are_refused_and_nothing_is_written(cast):
    from dataclasses import replace

    bad = replace(small_figures(cast), permits_total=1)
    with pytest.raises(DomainError):
        distribution_propose(actor=cast.analyst, campaign=cast.campaign, figures=bad, reason="x")
    assert not Distribution.objects.exists()


def test_an_override_needs_its_reason(cast):
    from dataclasses import replace

    overridden = replace(small_figures(cast), permits_computed=999)
    with pytest.raises(DomainError) as refused:
        distribution_propose(actor=cast.analyst, campaign=cast.campaign, figures=overridden, reason="x")
    assert refused.value.field == "override_reason"
    distribution_propose(actor=cast.analyst, campaign=cast.campaign, reason="x",
                         figures=replace(overridden, permits_override_reason="As published in the order"))


def test_the_public_sees_published_versions_only(cast):
    proposal = propose(cast)
    with activate(PUBLIC):
        assert not Distribution.objects.exists() and not DistributionCell.objects.exists()
    distribution_publish(actor=cast.approver, distribution=distribution_approve(actor=cast.approver,
                                                                                distribution=proposal))
    with activate(PUBLIC):
        assert Distribution.objects.count() == 1
        assert DistributionCell.objects.count() == 6
