import pytest
from django import forms

from applications.models import Application
from quota_portal.core.access import get_scoped_or_404
from quota_portal.core.models import Organization, Outbox
from quota_portal.core.notifications import notify
from quota_portal.core.scoping import ScopeError, Tenant, TenantKind, activate


class EmployerPickForm(forms.Form):
    # Defined at import time, outside any scope, like a ModelForm's foreign-key field.
    organization = forms.ModelChoiceField(queryset=Organization.objects.all())


def test_an_unscoped_query_raises(cast):
    with activate(None):
        with pytest.raises(ScopeError):
            list(Organization.objects.all())
        with pytest.raises(ScopeError):
            Organization.objects.filter(name__icontains="а").count()
        with pytest.raises(ScopeError):
            Organization.objects.update(name="leak")
        with pytest.raises(ScopeError):
            # The outer query sees every row; the scoped subquery still needs a scope.
            list(Application.objects.unscoped("test: an unfiltered outer query").filter(
                organization__in=Organization.objects.all()))
    assert not Organization.objects.filter(name="leak").exists()


def test_a_form_field_defined_outside_a_scope_shows_each_tenant_only_its_rows(cast):
    with activate(Tenant(kind=TenantKind.EMPLOYER, organization_id=cast.org.pk)):
        choices = [label for value, label in EmployerPickForm().fields["organization"].choices if value]
    assert choices == [str(cast.org)]
    with activate(None), pytest.raises(ScopeError):
        list(EmployerPickForm().fields["organization"].queryset)


def test_a_queryset_built_in_the_system_scope_is_filtered_for_the_tenant_that_uses_it(cast):
    class LateForm(forms.Form):  # e.g. imported by a Celery task or a command first
        organization = forms.ModelChoiceField(queryset=Organization.objects.all())

    for org in (cast.org, cast.org2):
        with activate(Tenant(kind=TenantKind.EMPLOYER, organization_id=org.pk)):
            assert list(LateForm().fields["organization"].queryset) == [org]
            assert LateForm({"organization": cast.org.pk}).is_valid() == (org == cast.org)


def test_a_union_of_querysets_built_outside_a_scope_is_scoped_when_it_runs(cast):
    """Both querysets are pending (built with no scope, like a form field's at import time): each is
    filtered for the tenant active when the union is made. (tests/core/test_scoping_internals.py
    checks the same for every overridden method, with and without the override.)"""
    with activate(None):
        named = Organization.objects.filter(name__startswith="ТОО")
        everyone = Organization.objects.all()
    assert Organization.objects.unscoped("test: both employers exist").count() == 2
    with activate(Tenant(kind=TenantKind.EMPLOYER, organization_id=cast.org.pk)):
        both = named.union(everyone)
        assert [o.pk for o in both] == [cast.org.pk]
    with activate(None), pytest.raises(ScopeError):
        named.union(everyone)


def test_an_employer_sees_only_its_own_organization(cast):
    with activate(Tenant(kind=TenantKind.EMPLOYER, organization_id=cast.org2.pk)):
        assert list(Organization.objects.all()) == [cast.org2]
        with pytest.raises(Exception) as info:
            get_scoped_or_404(Organization, pk=cast.org.pk)
        assert info.type.__name__ == "Http404"


def test_a_central_body_sees_no_employer(cast):
    with activate(Tenant(kind=TenantKind.CENTRAL, authority_id=cast.central_body.pk)):
        assert not Organization.objects.exists()


def test_another_users_inbox_message_is_404_like_a_missing_one(cast):
    notify(event_key="test:hello", recipients=[cast.employer], subject="Привет", body="Тело")
    message = Outbox.objects.get(recipient=cast.employer, channel=Outbox.Channel.INBOX)
    owner = cast.client(cast.employer)
    assert "Привет" in owner.get("/inbox/").content.decode()
    for who in (cast.employer2, cast.employer_editor, cast.analyst, cast.outsider):
        client = cast.client(who)
        assert client.get(f"/inbox/{message.pk}/").status_code == 404
        assert "Привет" not in client.get("/inbox/").content.decode()
    assert owner.get("/inbox/999999/").status_code == 404
    assert owner.get(f"/inbox/{message.pk}/").status_code == 200
    message.refresh_from_db()
    assert message.read_at is not None


def test_pages_need_a_login(cast):
    client = cast.client(None)
    for url in ("/dashboard/", "/inbox/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]




def test_aggregates_must_start_from_the_scoped_model_to_be_filtered(cast):
    """Documented in scoping.py: a join from an unscoped model (Region) is not filtered."""
    from django.db.models import Count, Q

    from quota_portal.core.models import Region
    from tests.commissions.conftest import make_application

    make_application(cast, org=cast.org, region=cast.astana, number="A-1")
    make_application(cast, org=cast.org2, region=cast.astana, number="A-2")
    with activate(Tenant(kind=TenantKind.EMPLOYER, organization_id=cast.org2.pk)):
        unsafe = Region.objects.annotate(n=Count("applications")).get(pk=cast.astana.pk).n
        safe = dict(Application.objects.values_list("region").annotate(n=Count("id")))
        filtered = Region.objects.annotate(
            n=Count("applications", filter=Q(applications__in=Application.objects.all()))).get(pk=cast.astana.pk).n
    assert unsafe == 2  # both employers' applications: the leak the docstring warns about
    assert safe == {cast.astana.pk: 1} and filtered == 1
