"""The Commission protocol PDF (issue 14, figure 4) gathers its data in a fixed number of queries
whatever the number of decisions: a busy session's protocol ran four queries per decision (209 for
50) and data gathering took a sixth of the PDF's time."""
from __future__ import annotations

import io

from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from commissions import pdf
from commissions.models import Session
from quota_portal.core.scoping import system_scope


def test_the_protocol_runs_the_same_queries_for_12_decisions_as_for_3(db):
    call_command("seed_scale", organizations=3, lines=9, year=2035, regions=1, stage="decided", stdout=io.StringIO())
    call_command("seed_scale", organizations=12, lines=36, year=2035, regions=1, stage="decided", append=True,
                 stdout=io.StringIO())
    counted = {}
    with system_scope(), translation.override("ru"):
        for session in Session.objects.filter(campaign__year=2035).annotate(n=Count("items")):
            with CaptureQueriesContext(connection) as queries:
                document = pdf.protocol_pdf(session)
            assert document.startswith(b"%PDF")
            context = pdf.protocol_context(session)
            assert len(context["items"]) == session.n
            assert all(row["decision"] and len(row["lines"]) == 3 for row in context["items"])
            counted[session.n] = len(queries)
    assert set(counted) == {3, 12}
    assert counted[3] == counted[12], counted
