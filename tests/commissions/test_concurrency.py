"""Two secretaries saving the same decision at the same moment: one wins, the other is told."""
from __future__ import annotations

import threading

import pytest
from django.db import connection

from commissions import services
from commissions.models import Decision, Session
from quota_portal.core.errors import ConcurrentUpdate, DomainError
from quota_portal.core.scoping import system_scope

from .conftest import all_approved, votes_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_secretaries_saving_at_once_one_wins_and_the_other_gets_concurrent_update(cast, astana_case):
    barrier = threading.Barrier(2)
    results: list = []
    lines_a = all_approved(astana_case.app)
    lines_b = {pk: {**v, "approved": 0, "grounds": ["1"], "reason": "Есть безработные"} for pk, v in lines_a.items()}

    def save(lines):
        try:
            with system_scope():
                barrier.wait()
                services.decision_record(actor=cast.secretary, item=astana_case.item, lines=lines, votes={},
                                         expected_version=0)
            results.append("won")
        except ConcurrentUpdate:
            results.append("told")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(lines,)) for lines in (lines_a, lines_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == ["told", "won"]
    decision = Decision.objects.get()
    assert decision.version == 1 and decision.lines.count() == 2


def _sign_at_once(signers) -> list:
    barrier = threading.Barrier(len(signers))
    results: list = [None] * len(signers)

    def sign(i, actor, as_chair):
        try:
            with system_scope():
                barrier.wait()
                services.session_sign(actor=actor, session=Session.objects.get(pk=session_pk), as_chair=as_chair)
            results[i] = "signed"
        except DomainError as exc:
            results[i] = exc.code or "refused"
        finally:
            connection.close()

    session_pk = signers[0][2]
    threads = [threading.Thread(target=sign, args=(i, actor, as_chair)) for i, (actor, as_chair, _pk) in
               enumerate(signers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_the_chair_and_the_secretary_signing_at_once_finalise_the_decision_once(cast, astana_case):
    """Review of issue 9: two parallel signatures, exactly one effect each."""
    from applications.models import Application, StatusChange
    from commissions.models import Notice
    from quota_portal.core.models import Outbox

    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes=votes_for(astana_case.members))
    pk = astana_case.session.pk
    assert sorted(_sign_at_once([(cast.secretary, False, pk), (cast.member, True, pk)])) == ["signed", "signed"]
    session = Session.objects.get(pk=pk)
    assert session.is_signed
    assert session.secretary_signed_by == cast.secretary and session.chair_signed_by == cast.member
    app = Application.objects.get(pk=astana_case.app.pk)
    assert app.status == Application.Status.NOTIFIED
    assert StatusChange.objects.filter(application=app, to_status=Application.Status.DECIDED).count() == 1
    assert StatusChange.objects.filter(application=app, to_status=Application.Status.NOTIFIED).count() == 1
    notice = Notice.objects.get()
    assert notice.sent_at is not None
    assert Outbox.objects.filter(event_key=f"commissions.notice.{notice.pk}").exists()  # one row each (unique key)


def test_two_secretaries_signing_at_once_place_one_secretary_signature(cast, astana_case):
    from quota_portal.core.models import Role
    from tests.conftest import add_membership, make_user

    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes=votes_for(astana_case.members))
    second = make_user("secretary2.astana@example.kz")
    add_membership(second, Role.COMMISSION_SECRETARY, authority=cast.akimat_astana)
    pk = astana_case.session.pk
    results = _sign_at_once([(cast.secretary, False, pk), (second, False, pk), (cast.secretary, False, pk)])
    assert results.count("signed") == 1, results
    session = Session.objects.get(pk=pk)
    assert session.secretary_signed_at is not None and session.chair_signed_at is None
    assert not Decision.objects.filter(signed_at__isnull=False).exists()
