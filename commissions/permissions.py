"""Who may act in the akimat's review and in the Commission (Rules p.7-11).

Every state-changing service of this app calls one of these first, whatever called it: a view,
the deadline sweep or a command. The decision rests on the actor's Membership rows (the role and
the region of the akimat it is held at) and, for what a member does in person, on the seat of the
Commission linked to the actor's account (`Member.user`); never on the request.

    akimat officer            labour market, violations, generalization (p.7, p.8, p.10(2)-(3))
    officer or secretary      the Commission's composition (p.9), sending a notice (p.11)
    Commission secretary      sessions, agenda, attendance, decisions, corrections, signature
    a member, for themself    their vote, their conflict of interest (the secretary: any member's)
    the chair, in person      the chair's signature (without a portal account: from the paper
                              protocol, recorded by the secretary)
"""
from __future__ import annotations

from django.utils.translation import gettext as _

from quota_portal.core.models import Role
from quota_portal.core.permissions import forbidden, holds_membership

from .models import Commission, Member, Session

OFFICER = frozenset({Role.AKIMAT_OFFICER})
SECRETARY = frozenset({Role.COMMISSION_SECRETARY})
OFFICER_OR_SECRETARY = frozenset({Role.AKIMAT_OFFICER, Role.COMMISSION_SECRETARY})
# The portal roles a person linked to a seat of the Commission holds at the region's akimat.
COMMISSION_ROLES = frozenset({Role.COMMISSION_SECRETARY, Role.COMMISSION_MEMBER})

CHAIR = "chair"
CHAIR_FROM_PAPER = "chair_from_paper"
SECRETARY_SIGNATURE = "secretary"


def _region_id(region) -> int | None:
    return getattr(region, "pk", region)


def holds_role(actor, region, roles) -> bool:
    """Whether `actor` holds one of `roles` at the akimat of `region` (a Region or its id)."""
    return holds_membership(actor, roles, authority__region_id=_region_id(region))


def _ensure_role(actor, region, roles) -> None:
    if not holds_role(actor, region, roles):
        raise forbidden(_("Only the akimat's staff of this region in the role the step needs can do this."))


def ensure_akimat_officer(actor, region) -> None:
    """An officer of `region`'s akimat: labour-market figures, violations, generalization."""
    _ensure_role(actor, region, OFFICER)


def ensure_officer_or_secretary(actor, region) -> None:
    """An officer or the Commission's secretary of `region`: the Commission's composition, notices."""
    _ensure_role(actor, region, OFFICER_OR_SECRETARY)


def ensure_secretary(actor, region) -> None:
    """The Commission's secretary of `region`: sessions, agenda, attendance, decisions, corrections."""
    _ensure_role(actor, region, SECRETARY)


def ensure_member_of(actor, commission: Commission) -> Member:
    """The actor's own active seat on `commission`, held with a Commission role at its region's
    akimat. Returns the seat."""
    seat = None
    if holds_role(actor, commission.region_id, COMMISSION_ROLES):
        seat = commission.members.filter(user_id=actor.pk, is_active=True).first()
    if seat is None:
        raise forbidden(_("Only a member of this Commission whose seat is linked to your account can do this."))
    return seat


def ensure_acts_for_member(actor, session: Session, member: Member) -> None:
    """A member votes and declares a conflict of interest only for themself; the Commission's
    secretary of the session's region records them for any member."""
    if holds_role(actor, session.region_id, SECRETARY):
        return
    seat = ensure_member_of(actor, session.commission)
    if seat.pk != member.pk:
        raise forbidden(_("A member of the Commission votes and declares a conflict of interest only for "
                          "themself; the secretary records them for the members present."), field="member")


def _chair_seat(session: Session) -> Member | None:
    return session.commission.members.filter(role=Member.Role.CHAIR, is_active=True).first()


def signature_role(session: Session, actor) -> str | None:
    """How `actor` may sign the session's protocol: "chair" (the portal user linked to the active
    chair's seat), "secretary" (a Commission secretary of the session's region), or None."""
    chair = _chair_seat(session)
    if (chair is not None and actor is not None and chair.user_id is not None and chair.user_id == actor.pk
            and holds_role(actor, session.region_id, COMMISSION_ROLES)):
        return CHAIR
    if holds_role(actor, session.region_id, SECRETARY):
        return SECRETARY_SIGNATURE
    return None


def ensure_may_sign_as(actor, session: Session, role: str, *, paper_note: str = "") -> str:
    """Check that `actor` may place the `role` ("chair" or "secretary") signature on the session's
    protocol; return how: CHAIR (in person), CHAIR_FROM_PAPER (the secretary records the signature
    of a chair without a portal account from the paper protocol, with a note) or SECRETARY.

    Only the chair signs as chair; the chair never signs as secretary, and nobody but a Commission
    secretary of the session's region does. That the two signatures are two different people is
    checked by session_sign against the signature already placed."""
    chair = _chair_seat(session)
    if role == CHAIR:
        if chair is None:
            raise forbidden(_("The Commission has no chair: the portal needs one to sign the protocol (the Rules do "
                              "not name a chair)."))
        if chair.user_id is not None:
            if signature_role(session, actor) == CHAIR:
                return CHAIR
        elif paper_note.strip() and holds_role(actor, session.region_id, SECRETARY):
            return CHAIR_FROM_PAPER
        raise forbidden(_("Only the chair signs as chair; if the chair has no portal account, record the "
                          "signature on the paper protocol with a note."), field="chair_paper_note")
    if chair is not None and actor is not None and chair.user_id == actor.pk:
        raise forbidden(_("The chair signs as chair."))
    if not holds_role(actor, session.region_id, SECRETARY):
        raise forbidden(_("Only the Commission's secretary signs the protocol as secretary."))
    return SECRETARY_SIGNATURE
