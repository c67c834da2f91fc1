"""Two secretaries saving the same decision at the same moment: one wins, the other is told."""
from __future__ import annotations

import threading

import pytest
from django.db import connection

from commissions import services
from commissions.models import Decision
from quota_portal.core.errors import ConcurrentUpdate
from quota_portal.core.scoping import system_scope

from .conftest import all_approved

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
