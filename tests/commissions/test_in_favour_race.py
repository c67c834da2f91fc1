""""All present members in favour" racing the secretary's signature (review of issue 8): the signed
check ran before the session's lock, so a signature committed while the action waited for the lock let
votes in under a signed protocol. The check now runs under the lock."""
from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from commissions import services
from commissions.models import Session, Vote
from quota_portal.core.errors import DomainError
from quota_portal.core.scoping import system_scope

from .conftest import all_approved

pytestmark = pytest.mark.django_db(transaction=True)


def test_in_favour_waiting_on_a_signature_records_no_vote_under_it(cast, astana_case):
    session = astana_case.session
    services.decision_record(actor=cast.secretary, item=astana_case.item, lines=all_approved(astana_case.app),
                             votes={})
    locked, result = threading.Event(), {}

    def sign():  # the signature in progress: holds the session's row, then commits it signed
        try:
            with system_scope(), transaction.atomic():
                Session.objects.select_for_update().get(pk=session.pk)
                locked.set()
                time.sleep(1.5)
                Session.objects.filter(pk=session.pk).update(secretary_signed_at=timezone.now())
        finally:
            connection.close()

    def in_favour():
        locked.wait(10)
        try:
            with system_scope():
                result["n"] = services.votes_all_in_favour(actor=cast.secretary,
                                                           session=Session.objects.get(pk=session.pk))
        except DomainError as exc:
            result["error"] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=sign), threading.Thread(target=in_favour)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert result == {"error": "signed"}
    assert Vote.objects.count() == 0
