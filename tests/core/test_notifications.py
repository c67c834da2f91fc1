import pytest
from django.core import mail

from quota_portal.core.delivery import deliver_pending
from quota_portal.core.models import Outbox
from quota_portal.core.notifications import notify
from quota_portal.core.tasks import deliver_outbox


def render_letter(object_id: int):
    """An attachment renderer as apps write them: object id -> (filename, bytes, mimetype)."""
    return f"letter-{object_id}.txt", f"Letter {object_id}".encode(), "text/plain"


def broken_renderer(object_id: int):
    raise RuntimeError("renderer down")


def test_a_notice_is_recorded_and_delivered_once_even_if_notified_twice(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(event_key="decision:1", recipients=[cast.employer, cast.employer_editor],
                       subject="Решение", body="Заявка рассмотрена", url="/applications/1/")
        second = notify(event_key="decision:1", recipients=[cast.employer, cast.employer_editor],
                        subject="Решение", body="Заявка рассмотрена", url="/applications/1/")
    assert (first, second) == (4, 0)
    assert Outbox.objects.filter(event_key="decision:1").count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == [cast.employer_editor.email, cast.employer.email]
    assert "/applications/1/" in mail.outbox[0].body
    deliver_outbox()  # the task runs again (retry, second beat): nothing is sent twice
    assert deliver_pending() == 0
    assert len(mail.outbox) == 2
    assert set(Outbox.objects.filter(channel="email").values_list("status", flat=True)) == {"sent"}


def test_an_email_carries_the_rendered_attachment(cast):
    notify(event_key="notice:7", recipients=[cast.employer], subject="Уведомление", body="См. вложение",
           attachment_renderer="tests.core.test_notifications.render_letter", attachment_object_id=7)
    assert deliver_pending() == 1
    (message,) = mail.outbox
    assert message.attachments[0][0] == "letter-7.txt"
    assert message.attachments[0][1] in (b"Letter 7", "Letter 7")


def test_a_failed_delivery_is_retried_later_and_the_others_still_go(cast):
    notify(event_key="notice:bad", recipients=[cast.employer], subject="X", body="Y",
           attachment_renderer="tests.core.test_notifications.broken_renderer", attachment_object_id=1,
           channels=[Outbox.Channel.EMAIL])
    notify(event_key="notice:good", recipients=[cast.employer], subject="Z", body="W",
           channels=[Outbox.Channel.EMAIL])
    assert deliver_pending() == 1
    bad = Outbox.objects.get(event_key="notice:bad")
    assert (bad.status, bad.attempts) == ("pending", 1) and "renderer down" in bad.last_error
    assert [m.subject for m in mail.outbox] == ["Z"]


def test_the_subject_is_rendered_in_each_recipients_language(cast):
    cast.employer2.language = "en"
    cast.employer2.save()
    notify(event_key="lang:1", recipients=[cast.employer, cast.employer2],
           subject=lambda user: f"lang={user.language}", body="-", channels=[Outbox.Channel.INBOX])
    subjects = dict(Outbox.objects.filter(event_key="lang:1").values_list("recipient__email", "subject"))
    assert subjects == {cast.employer.email: "lang=ru", cast.employer2.email: "lang=en"}


@pytest.mark.parametrize("unread", [0, 2])
def test_the_header_counts_unread_inbox_messages(cast, unread):
    for i in range(unread):
        notify(event_key=f"n:{i}", recipients=[cast.employer], subject=f"S{i}", body="B",
               channels=[Outbox.Channel.INBOX])
    page = cast.client(cast.employer).get("/dashboard/").content.decode()
    assert (f'text-dark">{unread}</span>' in page) == bool(unread)


def test_a_claim_left_by_a_crashed_worker_is_retried_after_it_expires(cast):
    import time_machine

    from tests.conftest import almaty

    with time_machine.travel(almaty(2026, 11, 25, 10, 0, 0), tick=False):
        notify(event_key="crash:1", recipients=[cast.employer], subject="S", body="B",
               channels=[Outbox.Channel.EMAIL])
        Outbox.objects.filter(event_key="crash:1").update(status="sending", claimed_at=almaty(2026, 11, 25, 10, 0, 0))
        assert deliver_pending() == 0  # another worker may still be sending it
    with time_machine.travel(almaty(2026, 11, 25, 10, 20, 0), tick=False):
        assert deliver_pending() == 1
    assert Outbox.objects.get(event_key="crash:1").status == "sent"
    assert len(mail.outbox) == 1


def test_the_admin_lists_core_records_for_staff(cast, admin_client):
    for url in ("/admin/core/organization/", "/admin/core/user/", "/admin/core/outbox/", "/admin/core/country/"):
        assert admin_client.get(url).status_code == 200, url
    assert cast.client(cast.analyst).get("/admin/core/organization/").status_code == 302
