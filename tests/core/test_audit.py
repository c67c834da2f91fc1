from quota_portal.core.audit import audited, history_for
from quota_portal.core.models import Campaign, Organization
from quota_portal.core.scoping import system_scope
from quota_portal.core.services import campaign_update


def test_a_service_change_is_in_the_history_with_who_and_before_after(cast):
    campaign_update(actor=cast.analyst, campaign=cast.campaign, values={"notice_working_days": 6})
    event = history_for(Campaign.objects.get(pk=cast.campaign.pk))[-1]
    assert event["user"] == cast.analyst
    assert event["action"] == "campaign_update"
    assert event["changes"]["notice_working_days"] == {"before": 5, "after": 6}


def test_a_queryset_update_is_in_the_history_too(cast):
    with audited(cast.analyst, "bulk_rename"):
        updated = Organization.objects.filter(pk__in=[cast.org.pk, cast.org2.pk]).update(phone="+7 700 000 00 00")
    assert updated == 2
    for org in (cast.org, cast.org2):
        event = history_for(org)[-1]
        assert event["action"] == "bulk_rename" and event["user"] == cast.analyst
        assert event["changes"]["phone"] == {"before": "", "after": "+7 700 000 00 00"}


def test_a_change_without_a_service_is_still_recorded_as_the_system(cast):
    Organization.objects.filter(pk=cast.org.pk).update(email="new@example.kz")
    event = history_for(cast.org)[-1]
    assert event["user"] is None
    assert event["changes"]["email"]["after"] == "new@example.kz"


def test_two_services_in_one_request_context_each_keep_their_own_actor_and_action(cast):
    import pghistory

    with pghistory.context(user=cast.outsider.pk, url="/some/request/"):
        with audited(cast.analyst, "first_service"):
            Organization.objects.filter(pk=cast.org.pk).update(phone="+7 700 111 11 11")
        with audited(cast.approver, "second_service"):
            Organization.objects.filter(pk=cast.org2.pk).update(phone="+7 700 222 22 22")
    first, second = history_for(cast.org)[-1], history_for(cast.org2)[-1]
    assert (first["user"], first["action"]) == (cast.analyst, "first_service")
    assert (second["user"], second["action"]) == (cast.approver, "second_service")
    assert first["url"] == second["url"] == "/some/request/"


def test_a_service_called_inside_another_records_under_the_outer_service(cast):
    with audited(cast.analyst, "outer_service"), audited(cast.approver, "inner_service"):
        Organization.objects.filter(pk=cast.org.pk).update(phone="+7 700 333 33 33")
    event = history_for(cast.org)[-1]
    assert (event["user"], event["action"]) == (cast.analyst, "outer_service")


def test_two_services_in_one_http_request_each_keep_their_own_actor(cast, settings, client):
    """A view running two services: HistoryMiddleware's request context must not merge them."""
    from django.http import HttpResponse
    from django.urls import path

    def two_services(request):
        with system_scope(), audited(cast.analyst, "first_service"):
            Organization.objects.filter(pk=cast.org.pk).update(phone="+7 700 444 44 44")
        with system_scope(), audited(cast.approver, "second_service"):
            Organization.objects.filter(pk=cast.org2.pk).update(phone="+7 700 555 55 55")
        return HttpResponse("ok")

    import types

    urls = types.ModuleType("two_services_urls")
    urls.urlpatterns = [path("two/", two_services)]
    settings.ROOT_URLCONF = urls
    client.force_login(cast.outsider)
    assert client.post("/two/").status_code == 200
    first, second = history_for(cast.org)[-1], history_for(cast.org2)[-1]
    assert (first["user"], first["action"]) == (cast.analyst, "first_service")
    assert (second["user"], second["action"]) == (cast.approver, "second_service")
    assert first["url"] == "/two/"
