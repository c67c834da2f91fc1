"""Pages of central-body proposals (Rules p.13): the central body drafts and sends; the akimat of the
region agrees or declines; the Ministry reads the agreed ones. Short: access helper, form, service,
redirect. Anyone else gets 404 (the role decorators and the scoped managers)."""
from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from quota_portal.core.access import akimat_officer_required, central_required, get_scoped_or_404, role_required
from quota_portal.core.audit import history_for_all
from quota_portal.core.errors import DomainError
from quota_portal.core.forms import add_domain_error
from quota_portal.core.models import MINISTRY_ROLES, Campaign, Region, Role
from quota_portal.core.selectors import current_campaigns

from . import proposals_selectors as selectors
from . import proposals_services as services
from .proposals_forms import AgreementForm, DeclineForm, DeleteForm, LineFormSet, ProposalForm, SendForm
from .proposals_models import Proposal, ProposalStatus

S = ProposalStatus
proposal_readers = role_required({Role.CENTRAL_OFFICER, Role.AKIMAT_OFFICER} | MINISTRY_ROLES)


def _open_campaigns() -> list[Campaign]:
    """The campaigns a central body may propose for: the current ones not yet distributed (p.19)."""
    return [c for c in current_campaigns() if c.is_open("distribution")]


def _authority(request):
    return request.membership.authority


# --- the central body -------------------------------------------------------------------------

@central_required
def central_list(request):
    proposals = list(selectors.central_proposals(authority_id=_authority(request).pk))
    return render(request, "allocation/proposals/list.html", {
        "proposals": proposals, "campaigns": current_campaigns(), "can_create": bool(_open_campaigns()),
    })


def _edit_page(request, form, lines, proposal=None):
    return render(request, "allocation/proposals/edit.html", {"form": form, "lines": lines, "proposal": proposal})


def _initial_lines(proposal):
    return [{"category": line.category, "occupation": line.occupation.code, "count": line.count,
             "justification": line.justification} for line in proposal.lines.select_related("occupation")]


@central_required
def proposal_new(request):
    campaigns = _open_campaigns()
    if request.method == "POST":
        form = ProposalForm(request.POST, campaigns=campaigns)
        lines = LineFormSet(request.POST, prefix="lines")
        if form.is_valid() and lines.is_valid():
            d = form.cleaned_data
            try:
                proposal = services.proposal_create(
                    actor=request.user, authority=_authority(request), region=d["region"], campaign=d["campaign"],
                    data=form.proposal_input(lines), token=d.get("token"))
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The draft proposal is saved. Check it and send it to the akimat."))
                return redirect("allocation:proposal_detail", proposal.pk)
    else:
        # The campaign whose p.13 deadline is still open by default (the newest otherwise).
        default = next((c for c in reversed(campaigns) if c.is_open("proposals")), campaigns[0] if campaigns else None)
        form = ProposalForm(campaigns=campaigns, initial={"token": uuid.uuid4(),
                                                          "campaign": default.pk if default else None})
        lines = LineFormSet(prefix="lines")
    return _edit_page(request, form, lines)


@central_required
def proposal_edit(request, pk: int):
    proposal = get_scoped_or_404(Proposal.objects.select_related("campaign", "region"), pk=pk)
    if not proposal.is_draft:
        messages.warning(request, _("Only a draft can be changed."))
        return redirect("allocation:proposal_detail", proposal.pk)
    if request.method == "POST":
        form = ProposalForm(request.POST, editing=True)
        lines = LineFormSet(request.POST, prefix="lines")
        if form.is_valid() and lines.is_valid():
            d = form.cleaned_data
            try:
                services.proposal_save(actor=request.user, proposal=proposal,
                                       expected_revision=d["revision"] if d["revision"] is not None else -1,
                                       region=d["region"], data=form.proposal_input(lines))
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The draft proposal is saved."))
                return redirect("allocation:proposal_detail", proposal.pk)
    else:
        form = ProposalForm(editing=True, initial={
            "region": proposal.region_id, "title": proposal.title, "justification": proposal.justification,
            "projects": proposal.projects, "revision": proposal.revision})
        lines = LineFormSet(prefix="lines", initial=_initial_lines(proposal))
    return _edit_page(request, form, lines, proposal)


@central_required
def proposal_send(request, pk: int):
    proposal = get_scoped_or_404(Proposal.objects.select_related("campaign", "region", "authority"), pk=pk)
    if not proposal.is_draft:
        return redirect("allocation:proposal_detail", proposal.pk)
    if request.method == "POST":
        form = SendForm(request.POST)
        if form.is_valid():
            try:
                services.proposal_send(actor=request.user, proposal=proposal,
                                       expected_revision=form.cleaned_data["revision"],
                                       late_reason=form.cleaned_data["late_reason"])
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The proposal is sent to the akimat of %(region)s for agreement.")
                                 % {"region": proposal.region})
                return redirect("allocation:proposal_detail", proposal.pk)
    else:
        form = SendForm(initial={"revision": proposal.revision})
    return render(request, "allocation/proposals/send.html", {
        "proposal": proposal, "form": form, "late": not proposal.campaign.is_open("proposals"),
        "closes_at": proposal.campaign.closes_at("proposals"),
        "lines": proposal.lines.select_related("occupation"),
    })


@central_required
def proposal_delete(request, pk: int):
    proposal = get_scoped_or_404(Proposal, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = DeleteForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_delete(actor=request.user, proposal=proposal,
                                     expected_revision=form.cleaned_data["revision"])
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("allocation:proposal_detail", proposal.pk)
        messages.success(request, _("The draft proposal is deleted."))
        return redirect("allocation:proposals")
    messages.error(request, _("Reload the page and try again."))
    return redirect("allocation:proposal_detail", proposal.pk)


# --- every reader ---------------------------------------------------------------------------

def _detail(request, proposal, *, agreement=None, decline=None, status=200):
    membership = request.membership
    may_decide = membership.role == Role.AKIMAT_OFFICER and proposal.status == S.SENT
    lines = list(proposal.lines.all())
    if may_decide:
        agreement = agreement or AgreementForm(lines=lines, initial={"revision": proposal.revision})
        decline = decline or DeclineForm(initial={"revision": proposal.revision})
    else:
        agreement = decline = None
    return render(request, "allocation/proposals/detail.html", {
        "proposal": proposal, "lines": lines, "agreement": agreement, "decline": decline,
        "is_central": membership.is_central, "is_akimat": membership.is_akimat, "is_ministry": membership.is_ministry,
        "delete_form": DeleteForm(initial={"revision": proposal.revision}),
        "closes_at": proposal.campaign.closes_at("proposals"),
        "proposed_total": sum(line.count for line in lines),
        "agreed_total": sum(line.agreed_count or 0 for line in lines),
        "history": sorted(history_for_all([proposal]) + history_for_all(lines), key=lambda ev: ev["at"],
                          reverse=True),
    }, status=status)


def _get(pk: int) -> Proposal:
    return get_scoped_or_404(selectors.proposal_with_lines(), pk=pk)


@proposal_readers
def proposal_detail(request, pk: int):
    return _detail(request, _get(pk))


# --- the akimat -------------------------------------------------------------------------------

@akimat_officer_required
def received_list(request):
    region = request.membership.authority.region
    return render(request, "allocation/proposals/received.html", {
        "proposals": list(selectors.received_proposals(region_id=region.pk)), "region": region,
    })


@akimat_officer_required
def proposal_agree(request, pk: int):
    proposal = _get(pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if proposal.status != S.SENT:  # a second click, or another officer was first
        messages.info(request, _("The akimat has already answered this proposal."))
        return redirect("allocation:proposal_detail", proposal.pk)
    form = AgreementForm(request.POST, lines=list(proposal.lines.all()))
    if form.is_valid():
        try:
            services.proposal_agree(actor=request.user, proposal=proposal,
                                    expected_revision=form.cleaned_data["revision"], counts=form.counts())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The proposal is agreed; the central body is notified."))
            return redirect("allocation:proposal_detail", proposal.pk)
    return _detail(request, proposal, agreement=form, status=200)


@akimat_officer_required
def proposal_decline(request, pk: int):
    proposal = _get(pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if proposal.status != S.SENT:  # a second click, or another officer was first
        messages.info(request, _("The akimat has already answered this proposal."))
        return redirect("allocation:proposal_detail", proposal.pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_decline(actor=request.user, proposal=proposal,
                                      expected_revision=form.cleaned_data["revision"],
                                      reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The proposal is declined; the central body is notified."))
            return redirect("allocation:proposal_detail", proposal.pk)
    return _detail(request, proposal, decline=form)


# --- the Ministry -----------------------------------------------------------------------------

@role_required(MINISTRY_ROLES)
def agreed_list(request):
    campaigns = current_campaigns()
    year = request.GET.get("campaign", "")
    campaign = next((c for c in campaigns if str(c.year) == year), None) or (campaigns[-1] if campaigns else None)
    proposals = selectors.agreed_proposals(campaign) if campaign else []
    totals = selectors.agreed_proposal_totals(campaign) if campaign else {}
    regions = {r.pk: r for r in Region.objects.filter(pk__in=totals)}
    categories = ["1", "2", "3", "4", "S"]
    total_rows = [{"region": regions[region_id], "cells": [by_cat.get(c, 0) for c in categories],
                   "total": sum(by_cat.values())} for region_id, by_cat in totals.items()]
    total_rows.sort(key=lambda row: row["region"].name)
    return render(request, "allocation/proposals/agreed.html", {
        "campaign": campaign, "campaigns": campaigns, "proposals": proposals, "total_rows": total_rows,
        "categories": categories,
        "column_totals": [sum(row["cells"][i] for row in total_rows) for i in range(len(categories))],
        "grand_total": sum(row["total"] for row in total_rows),
    })
