"""The deadline rush's submit (issue 14, figure 1) stays lean per request: a fixed number of
queries whatever the number of lines, and neither the receipt PDF nor the mail in the request
(they are queued for Celery after the commit)."""
from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications import services
from applications.models import Version
from tests.applications.conftest import draft, fill  # noqa: F401 - the draft fixture

SUBMIT_QUERIES_AT_MOST = 41  # measured on 1 Dec 2026 (session, membership, lock, checks, audit, outbox)


def ten_lines(occupations) -> list[dict]:
    return [{"category": "3", "occupation": occupations.o2142, "specialty": f"specialty {i}", "count": 2}
            for i in range(5)] + [{"category": "4", "occupation": occupations.o7212, "specialty": f"trade {i}",
                                   "count": 3} for i in range(5)]


def submit(client, app, captured) -> tuple[int, list]:
    """POST the submit form; the number of queries it ran and the callbacks it left for the commit."""
    app.refresh_from_db()
    with captured(execute=False) as callbacks, CaptureQueriesContext(connection) as queries:
        response = client.post(f"/applications/{app.pk}/submit/", {"revision": app.revision, "declaration": "on"})
    assert response.status_code == 302 and "/receipt/" in response["Location"], response.status_code
    return len(queries), callbacks


def resubmit_with(cast, app, occupations, lines, client, captured) -> int:
    app.refresh_from_db()
    services.application_withdraw(actor=cast.employer, application=app, reason="Another count",
                                  expected_revision=app.revision)
    fill(app, cast.employer, occupations, lines=lines)
    return submit(client, app, captured)[0]


def test_a_submit_runs_the_same_queries_with_10_lines_as_with_2_and_no_mail_or_pdf(
        cast, occupations, draft, mailoutbox, django_capture_on_commit_callbacks):  # noqa: F811
    client = cast.client(cast.employer)
    first, callbacks = submit(client, draft, django_capture_on_commit_callbacks)
    assert first <= SUBMIT_QUERIES_AT_MOST, first
    assert mailoutbox == [] and callbacks, "the receipt mail is queued for after the commit, not sent"
    two = [{"category": "3", "occupation": occupations.o2142, "specialty": "", "count": 5},
           {"category": "4", "occupation": occupations.o7212, "specialty": "", "count": 20}]
    with_ten = resubmit_with(cast, draft, occupations, ten_lines(occupations), client,
                             django_capture_on_commit_callbacks)
    with_two = resubmit_with(cast, draft, occupations, two, client, django_capture_on_commit_callbacks)
    assert with_ten == with_two, (with_ten, with_two)
    assert Version.objects.filter(application=draft).count() == 3
    assert len(Version.objects.filter(application=draft).order_by("number")[1].snapshot["lines"]) == 10
