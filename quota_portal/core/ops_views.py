"""The Ministry's operations page: deadline sweeps' runs, the mail queue, outages and extensions."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import ops_selectors, ops_services
from .access import get_scoped_or_404, ministry_required
from .audit import history_for_model
from .errors import DomainError
from .forms import ExtensionForm, OutageForm, add_domain_error
from .models import Campaign, HealthState, Outage
from .parsing import parse_id


def _extension_choices(rows) -> list[tuple[str, str]]:
    return [(row["key"], f"{row['campaign']} — {row['label']} "
                         f"({formats.date_format(timezone.localtime(row['closes_at']), 'SHORT_DATETIME_FORMAT')})")
            for row in rows]


def _page(request, *, outage_form=None, extend_forms=None, status=200):
    campaigns = list(Campaign.objects.prefetch_related("extensions"))
    outages = []
    for outage in ops_selectors.outages():
        rows = ops_services.affected_deadlines(outage, campaigns)
        form = (extend_forms or {}).get(outage.pk) or (
            ExtensionForm(outage=outage, choices=_extension_choices(rows)) if rows else None)
        outages.append({"outage": outage, "affected": rows, "form": form})
    history = sorted(history_for_model("core.OutageEvent", limit=30)
                     + history_for_model("core.DeadlineExtensionEvent", limit=30)
                     + history_for_model("core.OutboxRetryEvent", limit=30), key=lambda e: e["at"], reverse=True)
    return render(request, "core/ministry_operations.html", {
        "sweeps": ops_selectors.sweep_runs(), "queue": ops_selectors.outbox_queue(),
        "outages": outages, "outage_form": outage_form or OutageForm(),
        "health": HealthState.objects.filter(name="healthz").first(), "history": history[:50],
    }, status=status)


@ministry_required
def operations(request):
    return _page(request)


@ministry_required
@require_POST
def outage_record(request):
    form = OutageForm(request.POST)
    if form.is_valid():
        try:
            ops_services.outage_record(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The outage is recorded."))
            return redirect("ministry_operations")
    return _page(request, outage_form=form, status=400)


@ministry_required
@require_POST
def outage_extend(request, pk: int):
    outage = get_scoped_or_404(Outage, pk=pk)
    rows = ops_services.affected_deadlines(outage)
    form = ExtensionForm(request.POST, outage=outage, choices=_extension_choices(rows))
    if form.is_valid():
        try:
            extensions = ops_services.deadline_extend(actor=request.user, outage=outage, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, ngettext("%(n)s deadline is extended; everyone concerned is told.",
                                               "%(n)s deadlines are extended; everyone concerned is told.",
                                               len(extensions)) % {"n": len(extensions)})
            return redirect("ministry_operations")
    return _page(request, extend_forms={outage.pk: form}, status=400)


@ministry_required
@require_POST
def outbox_retry(request):
    rows = None
    if "row" in request.POST:
        pk = parse_id(request.POST.get("row"))
        rows = [pk] if pk is not None else []
    try:
        n = ops_services.outbox_retry_failed(actor=request.user, rows=rows)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ngettext("%(n)s failed mail is queued again.", "%(n)s failed mails are queued again.",
                                           n) % {"n": n})
    return redirect("ministry_operations")
