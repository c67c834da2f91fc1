"""Invitation moved from applications to core (core/0009, applications/0005) with its rows, its
audit history and its history triggers."""
from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from quota_portal.core import accounts_services as services
from quota_portal.core.audit import history_for
from quota_portal.core.models import Invitation

BEFORE = [("core", "0008_akimat_proper_names"), ("applications", "0004_invitation_token_digests")]


def _triggers_on(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [table])
        return {row[0] for row in cursor.fetchall()}


def _events(pk: int) -> list[str]:
    return list(Invitation.pgh_event_model.objects.filter(pgh_obj_id=pk).order_by("pgh_id")
                .values_list("pgh_label", flat=True))


def test_the_invitation_is_cores_and_keeps_its_tables():
    assert Invitation._meta.app_label == "core"
    assert Invitation._meta.db_table == "applications_invitation"
    assert Invitation.pgh_event_model._meta.label == "core.InvitationEvent"
    assert Invitation.pgh_event_model._meta.db_table == "applications_invitationevent"


def test_the_history_triggers_are_installed_under_cores_names_and_record_every_change(cast):
    expected = {trigger.get_pgid(Invitation) for trigger in Invitation._meta.triggers}
    assert len(expected) == 3 and _triggers_on("applications_invitation") == expected
    invitation = services.invitation_create(actor=cast.employer, organization=cast.org,
                                            email="colleague@example.kz", role="employer_viewer")
    services.invitation_revoke(actor=cast.employer, invitation=invitation)
    assert _events(invitation.pk) == ["insert", "update"]
    assert [(e["label"], e["action"]) for e in history_for(invitation)] == [
        ("insert", "invitation_create"), ("update", "invitation_revoke")]
    Invitation.objects.filter(pk=invitation.pk).delete()  # the test body runs in the system scope
    assert _events(invitation.pk) == ["insert", "update", "delete"]


@pytest.mark.django_db(transaction=True)
def test_invitations_made_before_the_move_are_still_there_after_it_with_their_history():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        assert old.get_model("applications", "Invitation")._meta.db_table == "applications_invitation"
        old_triggers = _triggers_on("applications_invitation")
        region = old.get_model("core", "Region").objects.create(code="999999999", name_kk="Сынақ",
                                                                name_ru="Проба", name_en="Probe", kind="oblast")
        org = old.get_model("core", "Organization").objects.create(
            bin_iin="050140000125", name="ТОО «До переноса»", legal_address="Астана", region=region)
        owner = old.get_model("core", "User").objects.create(email="owner-before@example.kz")
        # (Going back moved the content type back to applications, as before the move.)
        content_type, _ = old.get_model("contenttypes", "ContentType").objects.get_or_create(
            app_label="applications", model="invitation")
        permission, _ = old.get_model("auth", "Permission").objects.get_or_create(
            content_type=content_type, codename="view_invitation", defaults={"name": "Can view invitation"})
        group = old.get_model("auth", "Group").objects.create(name="Invitation readers")
        group.permissions.add(permission)
        old_invitation = old.get_model("applications", "Invitation").objects.create(
            organization=org, email="before@example.kz", role="employer_editor", token="a" * 64,
            invited_by=owner, expires_at="2030-01-01T00:00:00Z")
        old.get_model("applications", "Invitation").objects.filter(pk=old_invitation.pk).update(email="b@example.kz")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    moved = Invitation.objects.get(pk=old_invitation.pk)
    assert (moved.email, moved.token, moved.role, moved.organization_id) == ("b@example.kz", "a" * 64,
                                                                            "employer_editor", org.pk)
    assert _events(moved.pk) == ["insert", "update"]  # the history recorded before the move
    # Core's triggers replaced the app's: one set, no duplicate events from here on.
    assert not old_triggers & _triggers_on("applications_invitation")
    moved.revoked_at = moved.expires_at
    moved.save()
    moved.delete()
    assert _events(old_invitation.pk) == ["insert", "update", "update", "delete"]
    # Permissions granted on invitations stay granted: the content type moved with the model.
    from django.contrib.auth.models import Group

    assert Group.objects.get(name="Invitation readers").permissions.get().content_type.app_label == "core"
