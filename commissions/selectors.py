"""Read-side queries of the commissions app, used by its views and by other apps.

Contracts other apps code against (keep the signatures):
- `employer_open_violations(organization=, campaign=, region=None)`: p.10(2)/(3) violations still open.
- `application_open_violations(application=)`: those recorded by the application's region.
- `labour_market_warnings(application=)`: lines that domestic labour could fill (p.10(1)).
- `application_decision(application=)`: the current signed decision, for the employer's page.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q

from applications.models import Application

from .models import AgendaItem, Commission, Decision, LabourMarketFigure, LineDecision, Member, Session, Violation, Vote


def violation_years(campaign) -> tuple[int, int]:
    """The "previous and current year" of p.10(2)-(3), counted from the filing year Y-1."""
    filing_year = campaign.year - 1
    return filing_year - 1, filing_year


def employer_open_violations(*, organization, campaign, region=None) -> list:
    """Unremedied violations of the employer in the previous or current year (Rules p.10(2), (3)),
    recorded by `region`'s akimat when given."""
    qs = Violation.objects.filter(organization=organization, remedied_on__isnull=True,
                                  year__in=violation_years(campaign))
    if region is not None:
        qs = qs.filter(region=region)
    return list(qs.order_by("ground", "-year", "pk"))


def application_open_violations(*, application) -> list:
    """The open violations that bear on one application: those its region's akimat recorded. An
    employer's self-check for Astana never shows what Atyrau recorded, and the other way round."""
    return employer_open_violations(organization=application.organization, campaign=application.campaign,
                                    region=application.region_id)


def figures_for(*, region, campaign, occupations) -> dict:
    """{occupation_id: LabourMarketFigure} for the occupations given."""
    ids = {getattr(o, "pk", o) for o in occupations}
    return {f.occupation_id: f for f in LabourMarketFigure.objects.filter(
        region=region, campaign=campaign, occupation_id__in=ids)}


def latest_figures_for(*, region, campaign, occupations) -> dict:
    """{occupation_id: LabourMarketFigure}: for each occupation the region's most recent figures
    up to `campaign` (Rules p.7). An employer filing for year Y is warned by the figures entered for
    Y, or by last cycle's while Y's are not in yet; `figure.campaign.year` says which."""
    ids = {getattr(o, "pk", o) for o in occupations}
    # The figures are the akimat's records; the self-check shows an employer only the jobseeker
    # counts for the occupations it asks for.
    rows = (LabourMarketFigure.objects
            .unscoped("an employer's self-check reads the region's jobseeker counts for its own "
                      "occupations (Rules p.10(1))")
            .filter(region=region, occupation_id__in=ids, campaign__year__lte=campaign.year)
            .select_related("campaign")
            .order_by("occupation_id", "-campaign__year")
            .distinct("occupation_id"))
    return {f.occupation_id: f for f in rows}


def labour_market_warnings(*, application) -> list[dict]:
    """Lines whose occupation has enough registered jobseekers in the region (Rules p.10(1))."""
    lines = list(application.lines.select_related("occupation"))
    figures = latest_figures_for(region=application.region, campaign=application.campaign,
                                 occupations=[line.occupation_id for line in lines])
    warnings = []
    for line in lines:
        fig = figures.get(line.occupation_id)
        if fig is not None and fig.jobseekers >= line.count:
            warnings.append({"line": line, "occupation": line.occupation, "jobseekers": fig.jobseekers,
                             "requested": line.count, "year": fig.campaign.year})
    return warnings


def application_decision(*, application) -> dict | None:
    """The current (latest signed) decision on the application, for the employer's page."""
    from .decisions import current_decision_summary

    return current_decision_summary(application)


REVIEW_STATUSES = [Application.Status.SUBMITTED, Application.Status.UNDER_REVIEW,
                   Application.Status.AT_COMMISSION, Application.Status.DECIDED, Application.Status.NOTIFIED]


def inbox(*, region, campaign, filters: dict):
    """The region's submitted applications with the filters of the akimat's inbox; each with the
    outcome of a decision recorded but not yet signed (`recorded_outcome`), which only the akimat sees."""
    from django.db.models import OuterRef, Prefetch, Subquery, Sum

    from applications.models import Line

    from .models import Decision

    unsigned = (Decision.objects.filter(application=OuterRef("pk"), signed_at__isnull=True)
                .order_by("-pk").values("outcome")[:1])
    qs = (Application.objects.filter(region=region, campaign=campaign, status__in=REVIEW_STATUSES)
          .select_related("organization", "generalization")
          .annotate(requested=Sum("lines__count"), recorded_outcome=Subquery(unsigned))
          .prefetch_related(Prefetch("lines", queryset=Line.objects.select_related("occupation")))
          .order_by("organization__name"))
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("category"):
        qs = qs.filter(lines__category=filters["category"]).distinct()
    if filters.get("occupation"):
        qs = qs.filter(lines__occupation__code=filters["occupation"]).distinct()
    if filters.get("employer"):
        from django.db.models import Prefetch, Q

        term = filters["employer"].strip()
        qs = qs.filter(Q(organization__name__icontains=term) | Q(organization__bin_iin__startswith=term))
    return qs


def requested_total(applications) -> int:
    """The total of the inbox's "Requested" column over every application listed, all pages (one query)."""
    from django.db.models import Sum

    from applications.models import Line

    return Line.objects.filter(application__in=applications.values("pk")).aggregate(n=Sum("count"))["n"] or 0


def generalized_waiting(*, region, campaign) -> int:
    """Generalized applications not yet put before the Commission (Rules p.8)."""
    return Application.objects.filter(region=region, campaign=campaign, status=Application.Status.UNDER_REVIEW,
                                      generalization__generalized_at__isnull=False).count()


def totals_by_category(applications, filters: dict | None = None) -> list[dict]:
    """Requested workers per category over the applications listed, counting only the lines the
    category and occupation filters select (one query)."""
    from django.db.models import Count, Sum

    from applications.models import Line
    from quota_portal.core.models import Category

    filters = filters or {}
    ids = applications.values("pk") if hasattr(applications, "values") else [a.pk for a in applications]
    lines = Line.objects.filter(application__in=ids)
    if filters.get("category"):
        lines = lines.filter(category=filters["category"])
    if filters.get("occupation"):
        lines = lines.filter(occupation__code=filters["occupation"])
    rows = (lines
            .values("category").annotate(total=Sum("count"), lines=Count("pk")))
    by = {r["category"]: r for r in rows}
    return [{"category": c, "label": c.label, "total": by.get(c.value, {}).get("total") or 0,
             "lines": by.get(c.value, {}).get("lines") or 0} for c in Category]


def effectiveness(*, application) -> dict:
    """Rules p.7(4) "оценки эффективности использования иностранной рабочей силы в предыдущем году и
    прогнозной потребности ... на предстоящий год": both halves, with their years named.

    The application for quota year Y is filed in Y-1, "the current year" of Annex 1, column 2. So the
    previous quota year is Y-1: what the Commission approved for Y-1 (the signed decisions of the
    Y-1 campaign) against what the employer reports as attracted in Y-1 (Annex 1, column 2), as a
    utilisation rate (None when nothing was approved); and the forecast need for Y (this
    application's lines, Annex 1, columns 3-7)."""
    from django.db.models import Sum

    from .models import LineDecision

    approved = (LineDecision.objects.filter(
        decision__application__organization=application.organization,
        decision__application__region=application.region,
        decision__application__campaign__year=application.campaign.year - 1,
        decision__signed_at__isnull=False)
        .exclude(decision__superseded_by__signed_at__isnull=False)
        .aggregate(total=Sum("approved"))["total"])
    used = application.current_year_count
    rate = None if not approved else round(100 * used / approved)
    forecast = application.total_requested
    previous = application.campaign.year - 1
    return {"previous_year": previous, "approved": approved, "attracted_year": previous, "used": used,
            "rate": rate, "year": application.campaign.year, "forecast": forecast}


def generalization_of(application):
    from .models import Generalization

    return Generalization.objects.filter(application=application).first()


def generalization_lines(application) -> list:
    from .models import GeneralizationLine

    return list(GeneralizationLine.objects.filter(line__application=application))


# --- the Commission's procedure: one implementation of each rule --------------------------------

def present_members(session: Session) -> list[Member]:
    """The members marked present at the session."""
    return [a.member for a in session.attendance.select_related("member").filter(present=True)]


def current_decision(item: AgendaItem) -> Decision | None:
    """The item's decision (a correction is its own item at a later session): the newest, taken
    from `with_decisions()` when the item was loaded with it, without a query."""
    prefetched = getattr(item, "newest_first", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return Decision.objects.filter(item=item).order_by("-pk").first()


def with_decisions() -> Prefetch:
    """For a query of agenda items: each item's decisions newest first, with their lines and votes,
    in three queries for all the items (`current_decision` reads them)."""
    newest_first = Decision.objects.order_by("-pk").prefetch_related(
        Prefetch("lines", queryset=LineDecision.objects.select_related("line__occupation")),
        Prefetch("votes", queryset=Vote.objects.select_related("member")))
    return Prefetch("decisions", queryset=newest_first, to_attr="newest_first")


def eligible_voters(item: AgendaItem) -> list[Member]:
    """Members present at the session and not conflicted on the item."""
    conflicted = set(item.conflicts.values_list("member_id", flat=True))
    return [m for m in present_members(item.session) if m.pk not in conflicted]


@dataclass(frozen=True)
class Quorum:
    needed: int
    taking_part: int

    @property
    def met(self) -> bool:
        return self.taking_part >= self.needed


def quorum(commission: Commission, *, present: Iterable[Member], conflicted: Iterable[int] = (),
           members_count: int | None = None) -> Quorum:
    """The one quorum rule, used by the decision and signature services, the session page and the
    protocol PDF.

    The Rules (p.9) set only who sits on the Commission: they are silent on its quorum, on voting and
    on conflicts of interest. The portal's rule: the quorum is the number the Commission has set, or
    else a majority of its active members (`Commission.quorum_needed`); on an item, a member counts
    toward it when present at the session and not having declared a conflict of interest on that
    item, since such a member takes no part in it. With no item (`conflicted` empty) it is the
    session's quorum: every member present counts. `members_count` (active members) saves a query
    when the caller has them."""
    excluded = set(conflicted)
    taking_part = sum(1 for member in present if member.pk not in excluded)
    return Quorum(needed=commission.quorum_needed(members_count), taking_part=taking_part)


def item_quorum(item: AgendaItem) -> Quorum:
    """The quorum on one agenda item, read from the database."""
    return quorum(item.session.commission, present=present_members(item.session),
                  conflicted=item.conflicts.values_list("member_id", flat=True))


def vote_tally(votes: Iterable[Vote]) -> dict[str, int]:
    """{"for": n, "against": n, "abstain": n} of the votes given (a decision's, prefetched or not)."""
    tally = dict.fromkeys(Vote.Choice.values, 0)
    for vote in votes:
        tally[vote.choice] += 1
    return tally


def is_adopted(tally: dict[str, int]) -> bool:
    """A decision is adopted by more votes for than against (and at least one for)."""
    return tally["for"] > tally["against"] and tally["for"] > 0


def chair_signer_id(session: Session) -> int | None:
    """The portal user who placed the chair's signature: the chair, or the secretary who recorded
    the chair's signature from the paper protocol. Recording it is placing it: otherwise a secretary
    who unlinks the chair's account records "signed on paper" and signs as secretary too."""
    if session.chair_signed_at is None:
        return None
    return session.chair_signed_by_id


def awaiting_signature(commission: Commission):
    """Sessions of the Commission whose protocol has one of its two signatures but not both."""
    return (Session.objects.filter(commission=commission)
            .filter(Q(secretary_signed_at__isnull=False, chair_signed_at__isnull=True)
                    | Q(secretary_signed_at__isnull=True, chair_signed_at__isnull=False))
            .order_by("date", "number"))


def correction_sessions(decision: Decision):
    """Unsigned sessions of the decision's Commission where a correction may be considered."""
    return (Session.objects.filter(commission_id=decision.item.session.commission_id, date__gte=decision.decided_on,
                                   secretary_signed_at__isnull=True, chair_signed_at__isnull=True)
            .order_by("date", "number"))


def decisions_of(application) -> list:
    """Every decision on the application, oldest first (corrections keep the history)."""
    from .models import Decision

    return list(Decision.objects.filter(application=application)
                .select_related("item__session", "supersedes", "notice")
                .prefetch_related("lines__line__occupation").order_by("pk"))


def session_page(*, session, user, role) -> dict:
    """Everything the session page shows: attendance, agenda with decisions, votes, conflicts.
    A fixed number of queries however long the agenda is."""
    from django.db.models import Prefetch

    from .models import LineDecision
    from .permissions import signature_role

    commission = session.commission
    members = list(commission.members.filter(is_active=True))
    attendance = list(session.attendance.select_related("member"))
    present = [a.member for a in attendance if a.present]
    me = next((m for m in members if m.user_id == user.pk), None)
    items = list(session.items.select_related("application__organization", "application__campaign",
                                              "corrects__item__session")
                 .prefetch_related("conflicts__member"))
    decisions = {d.item_id: d for d in Decision.objects.filter(
        item__session=session).select_related("supersedes__item__session").order_by("pk").prefetch_related(
        Prefetch("lines", queryset=LineDecision.objects.select_related("line__occupation")), "votes",
        "correction_items__session")}
    open_violations: dict[int, list] = {}
    years = violation_years(session.campaign)
    for v in Violation.objects.filter(organization__in=[i.application.organization_id for i in items],
                                      region=session.region_id, remedied_on__isnull=True,
                                      year__in=years).order_by("ground", "-year"):
        open_violations.setdefault(v.organization_id, []).append(v)
    rows = []
    for item in items:
        decision = decisions.get(item.pk)
        votes = {v.member_id: v for v in decision.votes.all()} if decision else {}
        conflicted = {c.member_id for c in item.conflicts.all()}
        rows.append({
            "item": item, "application": item.application, "decision": decision,
            "lines": list(decision.lines.all()) if decision else [],
            "tally": vote_tally(votes.values()) if decision else None, "votes": votes,
            "quorum": quorum(commission, present=present, conflicted=conflicted, members_count=len(members)),
            "conflicts": list(item.conflicts.all()), "conflicted": conflicted,
            "voters": [m for m in present if m.pk not in conflicted],
            "violations": open_violations.get(item.application.organization_id, []),
            "my_vote": votes.get(me.pk) if me else None,
            "corrected_at": next(iter(decision.correction_items.all()), None) if decision else None,
            "i_can_vote": bool(me and decision and not decision.is_signed and me in present
                               and me.pk not in conflicted),
        })
    chair = next((m for m in members if m.role == Member.Role.CHAIR), None)
    session_quorum = quorum(commission, present=present, members_count=len(members))
    signs_as = signature_role(session, user)
    chair_signer = chair_signer_id(session)
    # Two signatures, two people: whoever signed one is not offered the other.
    can_sign_chair = (signs_as == "chair" and not session.chair_signed_at
                      and session.secretary_signed_by_id != user.pk)
    can_sign_secretary = (signs_as == "secretary" and role == "commission_secretary"
                          and not session.secretary_signed_at and chair_signer != user.pk)
    # A secretary records the signature of a chair without a portal account from the paper protocol.
    can_record_paper = (role == "commission_secretary" and chair is not None and not chair.user_id
                        and not session.chair_signed_at and session.secretary_signed_by_id != user.pk)
    signed_other = (session.secretary_signed_by_id == user.pk and (signs_as == "chair" or (
        chair is not None and not chair.user_id)) and not session.chair_signed_at) or (
        chair_signer == user.pk and not session.secretary_signed_at)
    return {
        "session": session, "commission": commission, "attendance": attendance, "present": present,
        "quorum": session_quorum.needed, "has_quorum": session_quorum.met,
        "rows": rows, "me": me, "role": role, "is_secretary": role == "commission_secretary",
        "is_chair": bool(me and me.role == Member.Role.CHAIR), "chair": chair,
        "signs_as": signs_as, "can_sign_chair": can_sign_chair, "can_sign_secretary": can_sign_secretary,
        "signed_other": signed_other, "can_record_paper": can_record_paper,
        "editable": not (session.secretary_signed_at or session.chair_signed_at),
    }


def decision_form(*, item, data=None, base=None) -> dict:
    """The decision form's rows: each line with the labour-market figure, the recommendation and
    what was typed (kept when a save is refused)."""
    from .models import Ground

    application = item.application
    decision = base or current_decision(item)
    # A correction item starts from the decision it corrects.
    start = decision or item.corrects
    previous = {ld.line_id: ld for ld in start.lines.all()} if start else {}
    recommended = {g.line_id: g for g in generalization_lines(application)}
    lines = list(application.lines.select_related("occupation"))
    figures = figures_for(region=application.region, campaign=application.campaign,
                          occupations=[line.occupation_id for line in lines])
    rows = []
    for line in lines:
        prev = previous.get(line.pk)
        rec = recommended.get(line.pk)
        if data is not None:
            approved, grounds, reason = (data.get(f"approved_{line.pk}", ""), data.getlist(f"grounds_{line.pk}"),
                                         data.get(f"reason_{line.pk}", ""))
        elif prev is not None:
            approved, grounds, reason = prev.approved, prev.grounds, prev.reason
        else:
            approved, grounds, reason = (rec.recommended if rec else line.count), [], ""
        rows.append({"line": line, "figure": figures.get(line.occupation_id), "recommended": rec,
                     "approved": approved, "grounds": grounds, "reason": reason})
    votes = {v.member_id: v.choice for v in decision.votes.all()} if decision and not base else {}
    voters = eligible_voters(item)
    vote_rows = [{"member": m, "choice": (data.get(f"vote_{m.pk}", "") if data is not None else votes.get(m.pk, ""))}
                 for m in voters]
    return {
        "item": item, "application": application, "session": item.session, "decision": decision,
        "version": (data.get("version") if data is not None else None) or (decision.version if decision else 0),
        "rows": rows, "grounds": Ground.choices, "vote_rows": vote_rows, "vote_choices": Vote.Choice.choices,
        "violations": application_open_violations(application=application),
        "warnings": labour_market_warnings(application=application),
        "conflicts": list(item.conflicts.select_related("member")),
        "effectiveness": effectiveness(application=application),
        "correction_reason": data.get("correction_reason", "") if data is not None else "",
    }


MEMBER_HISTORY_FIELDS = ("full_name", "position", "body", "role", "user", "is_active")


def member_history(commission) -> list[dict]:
    """Every change of the Commission's members (added, edited, portal user linked or unlinked,
    deactivated), newest first, with who made it and when: read from the audit trail. Each event
    names the member; a member's creation lists the values it was created with."""
    from django.utils.translation import gettext as _

    from quota_portal.core.audit import history_for_all
    from quota_portal.core.models import User

    from .models import Member

    events = history_for_all(Member.objects.filter(commission=commission), newest_first=True, limit=200)
    created = [e for e in events if e["label"] == "insert"]
    user_ids = {e["data"].get("user_id") for e in created} - {None}
    users = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)}
    labels = {name: Member._meta.get_field(name).verbose_name for name in MEMBER_HISTORY_FIELDS}
    choices = {"body": dict(Member._meta.get_field("body").choices),
               "role": dict(Member._meta.get_field("role").choices)}
    for event in events:
        event["member"] = (event["data"] or {}).get("full_name", "")
        if event["label"] != "insert":
            continue
        rows = []
        for name in MEMBER_HISTORY_FIELDS:
            value = event["data"].get("user_id" if name == "user" else name)
            if name == "user":
                shown = users.get(value, "—") if value else "—"
            elif name == "is_active":
                shown = _("Yes") if value else _("No")
            else:
                shown = str(choices.get(name, {}).get(value, value)) if value not in (None, "") else "—"
            label = str(labels[name])
            rows.append({"field": name, "label": label[:1].upper() + label[1:], "before": "—", "after": shown})
        event["rows"] = rows
    return events


def notice_deliveries(notices) -> dict:
    """{notice id: delivery} read from the outbox (one query): per channel the rows' statuses,
    for email sent/failed/pending counts with the last error, for the portal inbox when read."""
    from quota_portal.core.models import Outbox

    keys = {f"commissions.notice.{n.pk}": n.pk for n in notices}
    out = {pk: {"email": {"sent": 0, "failed": 0, "pending": 0, "recipients": [], "error": ""},
                "inbox": {"count": 0, "read_at": None}} for pk in keys.values()}
    for row in Outbox.objects.filter(event_key__in=keys).select_related("recipient").order_by("pk"):
        d = out[keys[row.event_key]]
        if row.channel == Outbox.Channel.EMAIL:
            state = {"sent": "sent", "failed": "failed"}.get(row.status, "pending")
            d["email"][state] += 1
            d["email"]["recipients"].append((row.recipient.email, row.get_status_display()))
            if row.status == Outbox.Status.FAILED and row.last_error:
                d["email"]["error"] = row.last_error[:200]
        else:
            d["inbox"]["count"] += 1
            if row.read_at and (d["inbox"]["read_at"] is None or row.read_at < d["inbox"]["read_at"]):
                d["inbox"]["read_at"] = row.read_at
    return out


__all__ = ["Application", "employer_open_violations", "application_open_violations", "labour_market_warnings",
           "application_decision", "violation_years", "figures_for"]
