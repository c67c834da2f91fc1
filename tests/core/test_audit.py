from quota_portal.core.audit import audited, history_for
from quota_portal.core.models import Campaign, Organization
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
