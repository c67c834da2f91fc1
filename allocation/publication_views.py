"""Pages of publishing the quota (Rules p.19).

The Ministry, under /ministry/quota/: the list of distributions and the approver's page of one
(approve with the day of distribution or decline; the analyst may withdraw; after approval the
publication due date and "Publish"). Services check who acts; the views are short.

The public, without login, under /public/quota/: every year with a published quota, a year's page
and its files (.json, .csv, .xlsx, .pdf; ?version=N). Everything public is rendered from the
published canonical JSON (immutable): the ETag is its hash plus the format, `Cache-Control: public`,
and a matching If-None-Match answers 304.
"""
from __future__ import annotations

import hashlib
import json
import re

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from quota_portal.core import calendar
from quota_portal.core.access import get_scoped_or_404, role_required
from quota_portal.core.audit import history_for_all
from quota_portal.core.downloads import content_disposition
from quota_portal.core.errors import DomainError
from quota_portal.core.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, render_csv, render_xlsx
from quota_portal.core.forms import add_domain_error
from quota_portal.core.models import MINISTRY_ROLES, Role

from . import publication_selectors as selectors
from . import quota_services as services
from .publication_content import CONTRACT_CATEGORIES, published_content
from .publication_exports import QuotaExporter
from .publication_forms import ApproveForm, DeclineForm, RevisionForm
from .publication_schema import SCHEMA
from .publication_services import decision_filename, decision_pdf_bytes
from .quota_models import Distribution, DistributionStatus

S = DistributionStatus
ministry_readers = role_required(MINISTRY_ROLES)
VERSION = re.compile(r"[0-9]{1,4}")
# A published version never changes: a client may keep it for a year. The latest version of a year
# can be replaced by a redistribution, so the undated URL is revalidated after five minutes.
IMMUTABLE = "public, max-age=31536000, immutable"
LATEST = "public, max-age=300"


# --- the Ministry ---------------------------------------------------------------------------------

@ministry_readers
def distribution_list(request):
    return render(request, "allocation/publication/list.html", {
        "groups": selectors.distributions_by_year(),
        "is_approver": request.membership.role == Role.MINISTRY_APPROVER,
    })


def _get(year: int, pk: int) -> Distribution:
    return get_scoped_or_404(Distribution.objects.select_related(
        "campaign", "scenario", "proposed_by", "approved_by", "published_by"), pk=pk, campaign__year=year)


def _detail(request, distribution, *, approve=None, decline=None, status=200):
    role = request.membership.role
    rev = {"revision": distribution.revision}
    pending = distribution.status == S.PROPOSED
    is_approver = role == Role.MINISTRY_APPROVER
    proposer = distribution.proposed_by_id == request.user.pk
    if is_approver and pending and not proposer:
        approve = approve or ApproveForm(initial={**rev, "day": calendar.local_today()})
        decline = decline or DeclineForm(initial=rev)
    else:
        approve = decline = None
    campaign = distribution.campaign
    return render(request, "allocation/publication/detail.html", {
        "d": distribution, "campaign": campaign, "f": selectors.proposal_figures(distribution),
        "approve": approve, "decline": decline, "rev_form": RevisionForm(initial=rev),
        "may_withdraw": pending and role == Role.MINISTRY_ANALYST,
        "may_publish": is_approver and distribution.status == S.APPROVED,
        "own_proposal": is_approver and pending and proposer,
        "distribution_late": not campaign.is_open("distribution"),
        "distribution_closes_at": campaign.closes_at("distribution"),
        "publication": campaign.publication_row if distribution.previous_id is None else None,
        "history": _history(distribution),
    }, status=status)


# The published JSON is shown on the public page, not as a 50 kB "change" in the history.
HISTORY_HIDDEN = {"published_json", "content_sha256", "decision_pdf"}


def _history(distribution) -> list[dict]:
    events = history_for_all([distribution], newest_first=True)
    for event in events:
        event["rows"] = [row for row in event["rows"] if row["field"] not in HISTORY_HIDDEN]
    return events


@ministry_readers
def distribution_detail(request, year: int, pk: int):
    return _detail(request, _get(year, pk))


def _post_only(request):
    return HttpResponseNotAllowed(["POST"]) if request.method != "POST" else None


@role_required({Role.MINISTRY_APPROVER})
def distribution_approve(request, year: int, pk: int):
    if refused := _post_only(request):
        return refused
    distribution = _get(year, pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.distribution_approve(actor=request.user, distribution=distribution, revision=d["revision"],
                                          distributed_on=d["day"], late_reason=d["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The distribution is approved. Publish it within 3 working days "
                                        "(Rules p.19)."))
            return redirect("publication:detail", year, distribution.pk)
    return _detail(request, distribution, approve=form)


@role_required({Role.MINISTRY_APPROVER})
def distribution_decline(request, year: int, pk: int):
    if refused := _post_only(request):
        return refused
    distribution = _get(year, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.distribution_decline(actor=request.user, distribution=distribution,
                                          reason=form.cleaned_data["reason"], revision=form.cleaned_data["revision"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The distribution is declined; the analyst can propose another."))
            return redirect("publication:detail", year, distribution.pk)
    return _detail(request, distribution, decline=form)


def _simple_action(request, year: int, pk: int, action, done: str):
    if refused := _post_only(request):
        return refused
    distribution = _get(year, pk)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
    else:
        try:
            action(actor=request.user, distribution=distribution, revision=form.cleaned_data["revision"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
    return redirect("publication:detail", year, distribution.pk)


@role_required({Role.MINISTRY_ANALYST})
def distribution_withdraw(request, year: int, pk: int):
    return _simple_action(request, year, pk, services.distribution_withdraw, _("The proposal is withdrawn."))


@role_required({Role.MINISTRY_APPROVER})
def distribution_publish(request, year: int, pk: int):
    return _simple_action(request, year, pk, services.distribution_publish,
                          _("The quota is published: the public page, its files and the signed decision are "
                            "available to everyone."))


# --- the public -----------------------------------------------------------------------------------

def _version_param(request) -> int | None:
    raw = request.GET.get("version")
    if raw is None:
        return None
    if not VERSION.fullmatch(raw):
        raise Http404("No such version")
    return int(raw)


def _cached(request, response: HttpResponse, etag: str, cache_control: str) -> HttpResponse:
    response["ETag"] = f'"{etag}"'
    response["Cache-Control"] = cache_control
    response["Vary"] = "Cookie"
    return response


def _not_modified(request, etag: str, cache_control: str) -> HttpResponse | None:
    tags = [t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")]
    if f'"{etag}"' in tags or "*" in tags:
        return _cached(request, HttpResponse(status=304), etag, cache_control)
    return None


def _public_response(request, etag: str, cache_control: str, make) -> HttpResponse:
    """304 when the client has `etag`; otherwise make() with the caching headers."""
    if (not_modified := _not_modified(request, etag, cache_control)) is not None:
        return not_modified
    return _cached(request, make(), etag, cache_control)


def _language(request) -> str:
    lang = request.GET.get("lang", "")
    if lang in ("ru", "kk", "en"):
        return lang
    return (translation.get_language() or "ru")[:2]


@require_safe
def public_index(request):
    return render(request, "allocation/publication/public_index.html", {"years": selectors.published_years()})


@require_safe
def public_year(request, year: int):
    distribution = selectors.published_version(year, _version_param(request))
    content = published_content(distribution)
    lang = (translation.get_language() or "ru")[:2]
    cache_control = LATEST if request.user.is_anonymous else "private, no-cache"
    etag = f"{distribution.content_sha256}-html-{lang}-{len(selectors.published_history(year))}"

    def make(**extra):
        return render(request, "allocation/publication/public_year.html", {
            **extra, "d": distribution, "content": content, "t": selectors.table(content),
            "chart": selectors.chart(content), "narrow_chart": selectors.chart(content, width=360, labels_above=True),
            "versions": selectors.versions_with_moves(year),
            "categories": CONTRACT_CATEGORIES, "year": year,
            "latest": selectors.published_version(year).number,
        })

    if request.user.is_authenticated:  # the page carries the user's menu: never a shared cache
        return make()
    return _public_response(request, etag, cache_control, lambda: _shared_page(
        request, f"public-year:{distribution.pk}:{etag}", make))


PAGE_CACHE_SECONDS = 24 * 3600  # a published version never changes; a new one changes the key
_CSRF_MARK = "qpcsrfmark7f3a"  # stands for the reader's CSRF token in a page kept for everyone


def _shared_page(request, key: str, make) -> HttpResponse:
    """An anonymous page of published data, rendered once per key (the content's hash, the
    language, the version asked for) and kept in the cache; each reader gets it with their own
    CSRF token (the language switch posts a form). A page with a flash message for this reader,
    or asked for with other query parameters, is rendered for them alone."""
    if request.GET.keys() - {"version"} or len(messages.get_messages(request)):
        return make()
    key = f"{key}:{request.GET.get('version', '')}"
    body = cache.get(key)
    if body is None:
        response = make(csrf_token=_CSRF_MARK)
        if response.status_code != 200:
            return response
        body = response.content.decode(response.charset)
        cache.set(key, body, PAGE_CACHE_SECONDS)
    return HttpResponse(body.replace(_CSRF_MARK, get_token(request)))


@require_safe
def public_file(request, year: str, fmt: str):
    year = int(year)
    number = _version_param(request)
    distribution = selectors.published_version(year, number)
    cache_control = IMMUTABLE if number is not None else LATEST
    sha = distribution.content_sha256
    if fmt == "json":
        name = f"quota-{year}-v{distribution.number}.json"
        return _public_response(request, f"{sha}-json", cache_control, lambda: _file(
            distribution.published_json.encode("utf-8"), "application/json", name, inline=True))
    content = published_content(distribution)
    if fmt in ("csv", "xlsx"):
        lang = _language(request)

        def make():
            with translation.override(lang):
                exporter = QuotaExporter(content)
                data = render_csv(exporter) if fmt == "csv" else render_xlsx(exporter)
                return _file(data, CSV_CONTENT_TYPE if fmt == "csv" else XLSX_CONTENT_TYPE, exporter.filename(fmt))

        return _public_response(request, f"{sha}-{fmt}-{lang}", cache_control, make)
    if fmt == "pdf":
        # The decision exists in Russian (as signed at publication) and Kazakh: the reader's language
        # unless ?lang= names one; an English reader gets the Russian original.
        lang = request.GET.get("lang") or ("kk" if _language(request) == "kk" else "ru")
        if lang not in ("ru", "kk"):
            raise Http404("No such language")
        if lang == "ru":  # the signed decision as it was published
            def make():
                with distribution.decision_pdf.open("rb") as fh:
                    return _file(fh.read(), "application/pdf", decision_filename(content), inline=True)
            return _public_response(request, f"{sha}-pdf", cache_control, make)
        # The Kazakh text is rendered and signed from the same published content on request.
        return _public_response(request, f"{sha}-pdf-{lang}", cache_control, lambda: _file(
            decision_pdf_bytes(distribution, content, language=lang), "application/pdf",
            decision_filename(content, lang), inline=True))
    raise Http404("No such format")


def _file(data: bytes, content_type: str, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response


@require_safe
def public_schema(request):
    data = json.dumps(SCHEMA, ensure_ascii=False, indent=1).encode("utf-8")
    etag = hashlib.sha256(data).hexdigest()[:32] + "-schema"
    return _public_response(request, etag, LATEST, lambda: HttpResponse(data, content_type="application/schema+json"))
