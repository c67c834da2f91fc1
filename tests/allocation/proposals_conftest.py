"""Arranging central-body proposals (Rules p.13) through their services, for the tests."""
from __future__ import annotations

from allocation import proposals_services as services
from allocation.proposals_services import ProposalInput, ProposalLineInput


def proposal_input(title="Строительство ГПЗ", lines=None) -> ProposalInput:
    return ProposalInput(
        title=title, justification="Прогноз спроса на рынке труда на 2028 год", projects="ГПЗ, план развития",
        lines=lines or [ProposalLineInput("3", "2142", 10, "Проектирование", 1),
                        ProposalLineInput("4", "7212", 20, "Сварка трубопроводов", 2)])


def draft(cast, *, campaign=None, region=None, title="Строительство ГПЗ", lines=None, actor=None, authority=None):
    return services.proposal_create(actor=actor or cast.central_officer, authority=authority or cast.central_body,
                                    region=region or cast.astana, campaign=campaign or cast.next_campaign,
                                    data=proposal_input(title, lines))


def sent(cast, **kwargs):
    proposal = draft(cast, **kwargs)
    late_reason = "" if proposal.campaign.is_open("proposals") else "Задержка согласования проекта"
    return services.proposal_send(actor=kwargs.get("actor") or cast.central_officer, proposal=proposal,
                                  expected_revision=proposal.revision,
                                  late_reason=late_reason)


def agreed(cast, *, changes=None, **kwargs):
    proposal = sent(cast, **kwargs)
    return services.proposal_agree(actor=cast.akimat_officer if proposal.region == cast.astana
                                   else cast.akimat_officer_atyrau, proposal=proposal,
                                   expected_revision=proposal.revision, counts=changes or {})
