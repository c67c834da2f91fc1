"""Every state-changing service of the applications checks its actor itself, whoever calls it:
called directly, with no view and no tenant scope in front of it (the test body runs in the system
scope), each wrong actor is refused with "forbidden" and nothing in the database changes; the
organization's owner and editor, in the same arrangement, may."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from django.apps import apps

from applications import services
from applications.models import Application, Line
from applications.services import LineInput
from quota_portal.core.errors import DomainError
from quota_portal.core.models import Outbox
from tests.applications.conftest import fill, make_pdf
from tests.conftest import almaty

S = Application.Status

# The organization's viewer reads only; the other employer, every authority and a stranger never
# change this organization's applications.
REFUSED = ("employer_viewer", "employer2", "akimat_officer", "secretary", "member", "akimat_officer_atyrau",
           "central_officer", "analyst", "approver", "outsider")
ALLOWED = ("employer", "employer_editor")


@pytest.fixture(autouse=True)
def _filing_open():
    """1 March 2027: filing for the 2028 quota (cast.next_campaign) is open."""
    with time_machine.travel(almaty(2027, 3, 1, 10, 0), tick=False):
        yield


def database_state() -> dict:
    """Every row of the applications' tables (audit events included) and the outbox."""
    models = [*apps.get_app_config("applications").get_models(), Outbox]
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in models}


def _draft(cast, occupations):
    app = services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                     region=cast.astana)
    return fill(app, cast.employer, occupations)


def application_start(cast, occupations):
    return lambda who: services.application_start(actor=who, organization=cast.org, campaign=cast.next_campaign,
                                                  region=cast.atyrau)


def application_save_draft(cast, occupations):
    app = _draft(cast, occupations)
    return lambda who: services.application_save_draft(
        actor=who, application=app, expected_revision=app.revision, current_year_count=3, justification="Проект",
        signer_position="Директор", signer_name="Иванов И.И.",
        lines=[{"category": "3", "occupation": occupations.o2142, "specialty": "", "count": 2}], projects=[])


def application_replace_lines(cast, occupations):
    app = _draft(cast, occupations)
    return lambda who: services.application_replace_lines(
        actor=who, application=app, rows=[LineInput(category="4", occupation_code="7212", count=3, row=2)])


def application_copy(cast, occupations):
    source = Application.objects.create(organization=cast.org, campaign=cast.campaign, region=cast.astana,
                                        status=S.NOTIFIED, created_by=cast.employer, justification="2027",
                                        registration_number="2027-710000000-000001")
    Line.objects.create(application=source, category="3", occupation=occupations.o2142, count=2)
    return lambda who: services.application_copy(actor=who, source=source, campaign=cast.next_campaign)


def application_submit(cast, occupations):
    app = _draft(cast, occupations)
    return lambda who: services.application_submit(actor=who, application=app, expected_revision=app.revision)


def application_withdraw(cast, occupations):
    app = _draft(cast, occupations)
    services.application_submit(actor=cast.employer, application=app, expected_revision=app.revision)
    app.refresh_from_db()
    return lambda who: services.application_withdraw(actor=who, application=app, reason="Исправить строки",
                                                     expected_revision=app.revision)


def attachment_add(cast, occupations):
    app = _draft(cast, occupations)
    return lambda who: services.attachment_add(actor=who, application=app, name="договор.pdf", content=make_pdf())


def attachment_remove(cast, occupations):
    app = _draft(cast, occupations)
    attachment = services.attachment_add(actor=cast.employer, application=app, name="договор.pdf",
                                         content=make_pdf())
    return lambda who: services.attachment_remove(actor=who, attachment=attachment)


@dataclass(frozen=True)
class Act:
    arrange: Callable


ACTS = {f.__name__: Act(f) for f in (application_start, application_save_draft, application_replace_lines,
                                      application_copy, application_submit, application_withdraw,
                                      attachment_add, attachment_remove)}


@pytest.mark.parametrize("who", REFUSED)
@pytest.mark.parametrize("service", ACTS)
def test_a_wrong_actor_is_refused_and_nothing_changes(cast, occupations, service, who):
    call = ACTS[service].arrange(cast, occupations)
    before = database_state()
    with pytest.raises(DomainError) as refusal:
        call(getattr(cast, who))
    assert refusal.value.code == "forbidden", refusal.value.message
    assert database_state() == before


@pytest.mark.parametrize("who", ALLOWED)
@pytest.mark.parametrize("service", ACTS)
def test_the_owner_and_an_editor_may_in_the_same_arrangement(cast, occupations, service, who):
    call = ACTS[service].arrange(cast, occupations)
    before = database_state()
    call(getattr(cast, who))
    assert database_state() != before


def test_every_state_changing_service_of_the_app_is_covered():
    """A new service gets its row in ACTS (and so its refusals) before it can ship."""
    reads_or_helpers = {"parse_count", "check_lines", "submission_problems", "canonical_json", "snapshot_of",
                        "resolve_occupations", "line_occupations"}
    public = {name for name, obj in vars(services).items()
              if callable(obj) and getattr(obj, "__module__", "") == services.__name__
              and not name.startswith("_") and not isinstance(obj, type)}
    assert public - reads_or_helpers == set(ACTS)


def test_a_deactivated_editor_changes_nothing(cast, occupations):
    call = application_submit(cast, occupations)
    cast.employer_editor.is_active = False
    cast.employer_editor.save()
    before = database_state()
    with pytest.raises(DomainError) as refusal:
        call(cast.employer_editor)
    assert refusal.value.code == "forbidden"
    assert database_state() == before
